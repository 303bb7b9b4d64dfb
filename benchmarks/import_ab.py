"""Same-run A/B of the import: this checkout against another (``--against /work/main``) on one generated file.

Each round runs, for each checkout in turn, a bare typed ``read_csv`` of the file, its first import into a
database holding only the units and targets, the same file again (the re-import), and the bare read again;
the best of the rounds is printed beside the ratio to the best bare read of the whole run, in wall time and in
the process's CPU time (all its threads: what a queue of other work on a shared machine does not inflate). ``--statements``
prints, for this checkout, the CPU time of every SQL statement of the import (the profile of
``docs/scaling.md``). The machine is shared: the load average is printed with each round.

    uptime; .venv/bin/python benchmarks/import_ab.py --against /work/main --rounds 3
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = "SYN-2028"

RUN = r'''
import collections, os, shutil, sys, time
import duckdb
from metrics.storage import db
from metrics.ingest import intake as ingest
from metrics.storage.store import Store

folder, base, statements = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
times = collections.Counter()
if statements:
    execute = duckdb.DuckDBPyConnection.execute
    def timed(self, sql, *args, **kwargs):  # CPU time of the process (every thread) during the statement
        start = time.process_time()
        try:
            return execute(self, sql, *args, **kwargs)
        finally:
            times[" ".join(str(sql).split())[:110]] += time.process_time() - start
    duckdb.DuckDBPyConnection.execute = timed

def bare():
    path = f"{folder}/bare.duckdb"
    con = duckdb.connect(path)
    con.execute("SET enable_progress_bar = false")
    start, cpu = time.perf_counter(), time.process_time()
    con.execute("CREATE TABLE v AS SELECT * FROM read_csv(?)", [f"{folder}/values.csv"])
    con.execute("CHECKPOINT")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    con.close()
    os.remove(path)
    return f"{seconds} {cpu}"

work = f"{folder}/work.duckdb"
shutil.copy(base, work)
print("bare", bare())
for label in ("first", "again"):
    times.clear()
    store = Store.open(work)
    store.access.set_memory_limit(db.IMPORT_MEMORY_LIMIT)
    start, cpu = time.perf_counter(), time.process_time()
    report = ingest.check(f"{folder}/values.csv", store=store, plan="''' + PLAN + r'''")
    checked, cpu_checked = time.perf_counter(), time.process_time()
    assert report.ok, report.counts_by_code
    ingest.commit(store, report, user="benchmark")
    store.close()
    print(label, checked - start, time.perf_counter() - checked, report.rows, cpu_checked - cpu,
          time.process_time() - cpu_checked)
    for sql, seconds in times.most_common(25):
        print(f"#   {seconds:6.2f}  {sql}")
print("bare", bare())
os.remove(work)
'''


def cli(code: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "metrics", *args], check=True, capture_output=True, cwd=code,
                   env={**os.environ, "PYTHONPATH": str(code)})


def base_database(code: Path, folder: Path, name: str) -> Path:
    """A database made by that checkout's own command line, holding the generated units and targets."""
    path = folder / f"base-{name}.duckdb"
    path.unlink(missing_ok=True)  # a kept ``--folder`` holds the last run's: ``init`` refuses an existing file
    for args in (["init"], ["units", "import", str(folder / "units.csv")],
                 ["targets", "import", str(folder / "targets.csv")]):
        cli(code, *args, "--db", str(path))
    return path


def one_round(code: Path, folder: Path, base: Path, statements: bool) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, str(folder), str(base), "1" if statements else "0"],
                          check=True, capture_output=True, text=True, cwd=code,
                          env={**os.environ, "PYTHONPATH": str(code)})
    found: dict = {"bare": [], "bare_cpu": [], "profile": []}
    for line in done.stdout.splitlines():
        words = line.split()
        if line.startswith("#"):
            found["profile"].append(line[1:])
        elif words[0] == "bare":
            found["bare"].append(float(words[1]))
            found["bare_cpu"].append(float(words[2]))
        else:
            found[words[0]] = (float(words[1]), float(words[2]), int(words[3]))
            found[words[0] + "_cpu"] = float(words[4]) + float(words[5])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", type=Path, help="another checkout (its own code and command line)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--grassroots", type=int, default=7000, help="synth size (7000: 1.59 M rows)")
    parser.add_argument("--folder", type=Path, help="keep the generated file here (default: a temporary folder)")
    parser.add_argument("--statements", action="store_true", help="time every SQL statement of this checkout")
    options = parser.parse_args()
    folder = options.folder or Path(tempfile.mkdtemp(prefix="kpi-import-ab-"))
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "values.csv").exists():
        cli(ROOT, "synth", "--grassroots", str(options.grassroots), "--years", "10", "--out", str(folder),
            "--lang", "en")
    codes = {"this": ROOT} | ({"other": options.against.resolve()} if options.against else {})
    bases = {name: base_database(code, folder, name) for name, code in codes.items()}
    results: dict[str, list[dict]] = {name: [] for name in codes}
    for round_ in range(1, options.rounds + 1):
        for name, code in codes.items():
            load = os.getloadavg()[0]
            found = one_round(code, folder, bases[name], options.statements and name == "this")
            results[name].append(found)
            first, again = found["first"], found["again"]
            print(f"round {round_} {name:5} load {load:5.2f}: bare {min(found['bare']):.2f} s, first import "
                  f"{first[0] + first[1]:.2f} s (check {first[0]:.2f}, commit {first[1]:.2f}), re-import "
                  f"{again[0] + again[1]:.2f} s (check {again[0]:.2f}); CPU: bare {min(found['bare_cpu']):.2f} s, "
                  f"first {found['first_cpu']:.2f} s, re-import {found['again_cpu']:.2f} s", flush=True)
            for line in found["profile"]:
                print(line)
    bare = min(b for runs in results.values() for found in runs for b in found["bare"])
    print(f"\nrows {results['this'][0]['first'][2]:,}; bare read_csv, best of the run: {bare:.2f} s")
    bare_cpu = min(b for runs in results.values() for found in runs for b in found["bare_cpu"])
    print(f"bare read_csv CPU time (both threads), best of the run: {bare_cpu:.2f} s")
    for name, runs in results.items():
        first = min(sum(found["first"][:2]) for found in runs)
        again = min(sum(found["again"][:2]) for found in runs)
        print(f"{name:5} {codes[name]}: first import {first:.2f} s = {first / bare:.2f}×, "
              f"re-import {again:.2f} s = {again / bare:.2f}× (best of {len(runs)})")
        first = min(found["first_cpu"] for found in runs)
        again = min(found["again_cpu"] for found in runs)
        print(f"{'':5} CPU time: first import {first:.2f} s = {first / bare_cpu:.2f}×, "
              f"re-import {again:.2f} s = {again / bare_cpu:.2f}× (a shared machine's queue is not in it)")


if __name__ == "__main__":
    main()
