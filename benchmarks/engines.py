"""The same commands on the demo, timed on DuckDB and on PostgreSQL (issue 18's first step).

    .venv/bin/python benchmarks/engines.py            # three rounds, a throwaway PostgreSQL server of its own

Each command is a whole process (start-up included), as a user runs it; the server is the tests' one
(``tests/postgres_server.py``: temporary folder, free port, ``fsync=off``). Wall-clock times on whatever else
the machine is doing: compare the two columns of one run, not runs on different days.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.postgres_server import running  # noqa: E402

COMMANDS = (("init", "--demo"), ("status", "--format", "csv"), ("status", "--as-of", "1"), ("history",))


def timed(args: tuple[str, ...], db: str) -> float:
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "metrics", *args, "--db", db], capture_output=True, cwd=ROOT,
                          env={**os.environ, "KPI_LANG": "en"})
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed on {db}:\n{done.stderr.decode()[-2000:]}")
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    times: dict[tuple[str, str], list[float]] = {}
    with running() as server, tempfile.TemporaryDirectory() as folder:
        for n in range(rounds):
            engines = {"duckdb": str(Path(folder) / f"demo{n}.duckdb"), "postgresql": server.create_database(f"demo{n}")}
            for args in COMMANDS:
                for engine, db in engines.items():
                    times.setdefault((" ".join(args), engine), []).append(timed(args, db))
    print("| command | DuckDB (s) | PostgreSQL (s) |\n|---|---|---|")
    for command in dict.fromkeys(c for c, _ in times):
        cells = [f"{statistics.median(times[command, e]):.1f} ({min(times[command, e]):.1f}–{max(times[command, e]):.1f})"
                 for e in ("duckdb", "postgresql")]
        print(f"| `{command}` | {cells[0]} | {cells[1]} |")
    print(f"\nmedian (min–max) of {rounds} rounds, whole processes")


if __name__ == "__main__":
    main()
