"""``backup`` and ``restore --force`` of the demo on PostgreSQL (pg_dump / pg_restore) and on DuckDB (Parquet),
same run, two rounds, each command a whole process timed by ``/usr/bin/time -v``: its CPU (user + system, the
tools it waits for included, the PostgreSQL server's own work not) and wall time.

    .venv/bin/python benchmarks/backup_engines.py

The server is the tests' throwaway one (``tests/postgres_server.py``). Compare the lines of one run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import postgres_server  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable


def timed(*args: object) -> str:
    done = subprocess.run(["/usr/bin/time", "-v", PYTHON, "-m", "metrics", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])

    def seconds(name: str) -> float:
        found = re.search(name + r": ([\d.]+)", done.stderr)
        return float(found.group(1)) if found else float("nan")

    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", done.stderr)
    cpu = seconds(r"User time \(seconds\)") + seconds(r"System time \(seconds\)")
    return f"CPU {cpu:.2f} s, wall {wall.group(1) if wall else '?'}"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="kpi-backup-bench-"))
    try:
        with postgres_server.running() as server:
            url, duck = server.create_database("bench"), work / "demo.duckdb"
            for where in (url, duck):
                subprocess.run([PYTHON, "-m", "metrics", "init", "--demo", "--db", str(where)], cwd=ROOT, check=True,
                               capture_output=True)
            for round_ in (1, 2):
                for engine, where in (("PostgreSQL", url), ("DuckDB", duck)):
                    folder = work / f"{engine}-{round_}"
                    print(f"round {round_} {engine:10} backup  {timed('backup', folder, '--db', where)}", flush=True)
                    print(f"round {round_} {engine:10} restore {timed('restore', folder, '--force', '--db', where)}",
                          flush=True)
            sizes = {e: sum(p.stat().st_size for p in (work / f"{e}-1").iterdir()) for e in ("PostgreSQL", "DuckDB")}
            print(f"backup sizes: PostgreSQL {sizes['PostgreSQL']} bytes, DuckDB {sizes['DuckDB']} bytes")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
