"""The same commands on the demo, timed on DuckDB and on PostgreSQL (issue 18's first step).

    .venv/bin/python benchmarks/engines.py            # three rounds, a throwaway PostgreSQL server of its own
    .venv/bin/python benchmarks/engines.py --imports  # the import: the demo's 2025 figures changed, and a
                                                      # generated file of ~100,000 rows (metrics synth)

Each command is a whole process (start-up included), as a user runs it; the server is the tests' one
(``tests/postgres_server.py``: temporary folder, free port, ``fsync=off``). Wall-clock times on whatever else
the machine is doing: compare the two columns of one run, not runs on different days.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from tests.postgres_server import running  # noqa: E402

COMMANDS = (("init", "--demo"), ("status", "--format", "csv"), ("status", "--as-of", "1"), ("history",))


LAST_CPU = [0.0]  # user + system seconds of the last command's process (not the PostgreSQL server's)
SERVER: list = []  # the PostgreSQL server of this run, whose backends' CPU ``server_cpu`` reads


def server_cpu() -> float:
    """User + system seconds of the server's ended backends (the postmaster's reaped children: each command's
    connections end with its process)."""
    if not SERVER:
        return 0.0
    pid = (SERVER[0].folder / "data" / "postmaster.pid").read_text().split()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime, cstime


def timed(args: tuple[str, ...], db: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "metrics", *args, "--db", db], capture_output=True, cwd=ROOT,
                          env={**os.environ, "KPI_LANG": "en"})
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed on {db}:\n{done.stderr.decode()[-2000:]}")
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall


def changed_demo_file(db: str, folder: Path) -> Path:
    """The demo's 2025 template filled with the figures in force, every plain figure one more."""
    filled = folder / "filled.csv"
    timed(("template", "--year", "2025", "--filled", "--out", str(filled)), db)
    frame = pd.read_csv(filled, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    value, numerator = frame.columns[6], frame.columns[7]
    plain = (frame[value] != "") & (frame[numerator] == "")
    frame.loc[plain, value] = (frame.loc[plain, value].astype(float) + 1).map(lambda v: f"{v:g}")
    path = folder / "demo-2025.csv"
    frame.to_csv(path, sep=";", index=False)
    return path


def import_times(server, folder: Path, rounds: int, synth_grassroots: int) -> dict[tuple[str, str], list[float]]:
    """``import`` of the changed demo file into the demo, and of a generated values file into a database
    holding its units and targets; whole processes, the check and the commit."""
    times: dict[tuple[str, str], list[float]] = {}
    synth = folder / "synth"
    timed(("synth", "--provinces", "2", "--grassroots", str(synth_grassroots), "--years", "4", "--out", str(synth)),
          str(folder / "unused.duckdb"))
    rows = len(pd.read_csv(synth / "values.csv", usecols=[0]))
    demo_file = None
    for n in range(rounds):
        for engine in ("duckdb", "postgresql"):
            db = str(folder / f"i{n}.duckdb") if engine == "duckdb" else server.create_database(f"i{n}")
            timed(("init", "--demo"), db)
            demo_file = demo_file or changed_demo_file(db, folder)
            before = server_cpu()
            times.setdefault(("import (demo, 2025 changed)", engine), []).append(
                timed(("import", str(demo_file)), db))
            times.setdefault(("… CPU of the command", engine), []).append(LAST_CPU[0])
            times.setdefault(("… CPU of the server", engine), []).append(server_cpu() - before)
            db = str(folder / f"s{n}.duckdb") if engine == "duckdb" else server.create_database(f"s{n}")
            timed(("init",), db)
            timed(("units", "import", str(synth / "units.csv")), db)
            timed(("targets", "import", str(synth / "targets.csv")), db)
            before = server_cpu()
            times.setdefault((f"import (synth, {rows:,} rows)", engine), []).append(
                timed(("import", str(synth / "values.csv")), db))
            times.setdefault(("… CPU of the command ", engine), []).append(LAST_CPU[0])
            times.setdefault(("… CPU of the server ", engine), []).append(server_cpu() - before)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--imports", action="store_true", help="time the import instead of the commands")
    parser.add_argument("--grassroots", type=int, default=1200, help="grassroots unions of the generated file")
    options = parser.parse_args()
    rounds = options.rounds
    times: dict[tuple[str, str], list[float]] = {}
    with running() as server, tempfile.TemporaryDirectory() as folder:
        SERVER.append(server)
        if options.imports:
            times = import_times(server, Path(folder), rounds, options.grassroots)
        for n in range(0 if options.imports else rounds):
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
