"""The scale benchmark (issues 7, 17): import, pages, status, deck and memory, measured, not guessed.

    .venv/bin/python benchmarks/run.py                 # full run: 6 M-row import, national scale (~15 min)
    .venv/bin/python benchmarks/run.py --quick         # small sizes, to try the script (~2 min)
    .venv/bin/python benchmarks/run.py --imports-only  # the three single-file imports again (~5 min)

Every step runs in its own process, so its time and its peak memory (maximum resident set size) are
its own. The run ends by printing every figure issue 17 asks for in one block (``summary``): the import/bare
ratios at three sizes (first import and re-import), the nation's status time and peak, the deck at both
scales, every page's first open and rerun at both scales, and each page's first open after an import. Figures go to ``benchmarks/results.json`` and a table in ``benchmarks/README.md``. Run it on a
quiet machine: the figures are wall-clock times on whatever else the two cores are doing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ROWS_PER_GRASSROOTS_YEAR = 21.6  # what the generator writes per grassroots union and year, upper levels included
PLAN = "SYN-2028"


def measure_with_memory(command: list[str], env: dict | None = None) -> dict:
    """Run a command; return its wall time (s), its own peak memory (MB, from ``os.wait4``) and output."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{stderr[-3000:]}")
    # the CPU time (user + system, every thread) says more than the wall time on a machine shared with others
    return {"seconds": round(elapsed, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            "peak_mb": round(usage.ru_maxrss / 1024, 1), "stdout": stdout, "stderr": stderr}


def cli(*args, db: Path) -> dict:
    return measure_with_memory([PYTHON, "-m", "metrics", *map(str, args), "--db", str(db)])


def synthesise(out: Path, grassroots: int, years: int = 10) -> int:
    cli_out = measure_with_memory([PYTHON, "-m", "metrics", "synth", "--grassroots", str(grassroots), "--years", str(years),
                       "--out", str(out), "--lang", "en"])
    return int(cli_out["stdout"].split("values.csv: ")[1].split()[0].replace(",", ""))


def prepared_database(folder: Path, name: str) -> Path:
    """An empty database holding the generated units and targets, ready for the values."""
    db = folder / f"{name}.duckdb"
    cli("init", db=db)
    cli("units", "import", folder / "units.csv", db=db)
    cli("targets", "import", folder / "targets.csv", db=db)
    return db


BARE = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar = false")
start = time.perf_counter()
con.execute("CREATE TABLE v AS SELECT * FROM read_csv(?)", [sys.argv[2]])
con.execute("CHECKPOINT")
print(time.perf_counter() - start)
"""

IMPORT = """
import sys, time
from metrics.storage import db
from metrics.ingest import intake as ingest
from metrics.storage.store import Store
store = Store.open(sys.argv[1])
store.access.set_memory_limit(db.IMPORT_MEMORY_LIMIT)  # as python -m metrics import does
start = time.perf_counter()
report = ingest.check(sys.argv[2], store=store, plan=sys.argv[3])
checked = time.perf_counter()
assert report.ok, report.counts_by_code
ingest.commit(store, report, user="benchmark")
store.close()
done = time.perf_counter()
print(checked - start, done - checked, report.rows)
"""


def import_run(folder: Path, name: str) -> dict:
    """The project's import (check with full validation + commit) against a bare DuckDB read_csv, then the
    same file imported again into the database that now holds it (every cell compared, nothing written)."""
    db = prepared_database(folder, name)
    ours = import_file(db, folder / "values.csv")
    again = import_file(db, folder / "values.csv")
    bare = bare_read(folder, name, folder / "values.csv")
    return {**ours, "bare_read_csv_seconds": bare["seconds"], "bare_peak_mb": bare["peak_mb"],
            "ratio": round(ours["import_seconds"] / bare["seconds"], 2),
            "reimport": {**again, "ratio": round(again["import_seconds"] / bare["seconds"], 2)}, "database": str(db)}


def import_file(db: Path, values: Path) -> dict:
    ours = measure_with_memory([PYTHON, "-c", IMPORT, str(db), str(values), PLAN], env={"PYTHONPATH": str(ROOT)})
    check_s, commit_s, rows = ours["stdout"].split()
    total = float(check_s) + float(commit_s)
    return {"rows": int(rows), "import_seconds": round(total, 2), "check_seconds": round(float(check_s), 2),
            "commit_seconds": round(float(commit_s), 2), "import_peak_mb": ours["peak_mb"],
            "rows_per_second": round(int(rows) / total)}


def bare_read(folder: Path, name: str, values: Path, runs: int = 3) -> dict:
    """DuckDB's own read_csv into a fresh table: the best of ``runs`` (the baseline wobbles by a third
    from run to run on a shared machine; its best keeps the ratio from flattering the import)."""
    best = None
    for _ in range(runs):
        bare_db = folder / f"{name}-bare.duckdb"
        bare = measure_with_memory([PYTHON, "-c", BARE, str(bare_db), str(values)])
        bare_db.unlink(missing_ok=True)
        if best is None or float(bare["stdout"]) < float(best["stdout"]):
            best = bare
    return {"seconds": round(float(best["stdout"]), 2), "peak_mb": best["peak_mb"]}


SPLIT = """
import duckdb, sys
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("COPY (SELECT * FROM read_csv(?, all_varchar = true)) TO '" + sys.argv[2] + "' "
            "(FORMAT csv, HEADER, PARTITION_BY (year), WRITE_PARTITION_COLUMNS true)", [sys.argv[1]])
"""


def yearly_imports(folder: Path, name: str) -> dict:
    """The national file as the confederation receives it: one report a year, imported year after year
    into the same database (one import is capped at 10 M rows; ten years of the nation are ~28 M)."""
    db = prepared_database(folder, name)
    measure_with_memory([PYTHON, "-c", SPLIT, str(folder / "values.csv"), str(folder / "by-year")])
    years = sorted((folder / "by-year").glob("year=*/*.csv"))
    runs = []
    for values in years:
        run = import_file(db, values)
        run["year"] = int(values.parent.name.split("=")[1])
        print(f"  national {run['year']}: {run['rows']:,} rows in {run['import_seconds']} s "
              f"(check {run['check_seconds']}, commit {run['commit_seconds']}), peak {run['import_peak_mb']} MB",
              flush=True)
        runs.append(run)
    last = bare_read(folder, name, years[-1])
    rows, seconds = sum(r["rows"] for r in runs), sum(r["import_seconds"] for r in runs)
    return {"rows": rows, "import_seconds": round(seconds, 2), "rows_per_second": round(rows / seconds),
            "import_peak_mb": max(r["import_peak_mb"] for r in runs), "years": runs,
            "last_year_bare_read_csv_seconds": last["seconds"],
            "last_year_ratio": round(runs[-1]["import_seconds"] / last["seconds"], 2), "database": str(db)}


PAGES = """
import json, os, statistics, sys, time
os.environ["KPI_DB"] = sys.argv[1]
os.environ["KPI_PUBLIC"] = "1"
from streamlit.testing.v1 import AppTest
result = {}
for page in ["views/overview.py", "views/target.py", "views/units.py", "views/about.py", "views/present.py"]:
    at = AppTest.from_file(os.path.join(sys.argv[2], "dashboard.py"), default_timeout=900)
    start = time.perf_counter(); at.run(); first = time.perf_counter() - start
    start = time.perf_counter(); at.switch_page(page).run(); opened = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    reruns = []
    for _ in range(int(sys.argv[3])):
        start = time.perf_counter(); at.run(); reruns.append(time.perf_counter() - start)
    result[page] = {"first_open_s": round(first + opened, 3), "median_rerun_s": round(statistics.median(reruns), 3)}
print(json.dumps(result))
"""


def pages_run(db: Path, reruns: int) -> dict:
    """Server-side run time of every page (AppTest runs the same script the server runs) and the peak
    memory of that dashboard process."""
    done = measure_with_memory([PYTHON, "-c", PAGES, str(db), str(ROOT), str(reruns)], env={"PYTHONPATH": str(ROOT)})
    return {"pages": json.loads(done["stdout"].strip().splitlines()[-1]), "dashboard_peak_mb": done["peak_mb"]}


def national(folder: Path, grassroots: int, reruns: int) -> dict:
    rows = synthesise(folder, grassroots)
    imported = yearly_imports(folder, "national")
    db = Path(imported["database"])
    return {"grassroots": grassroots, "values": rows, "import": imported,
            **national_steps(db, reruns, folder / "deck.pptx")}


def national_steps(db: Path, reruns: int, deck_path: Path) -> dict:
    """The nation's status (every target × unit), its deck, and every page's first open and reruns."""
    status = cli("status", "--year", "2026", "--format", "csv", db=db)
    deck_path.unlink(missing_ok=True)
    deck = cli("export", "--format", "pptx", "--out", deck_path, db=db)
    return {"status": {"seconds": status["seconds"], "cpu_s": status["cpu_s"], "peak_mb": status["peak_mb"],
                       "rows": status["stdout"].count("\n") - 1},
            "deck": {"seconds": deck["seconds"], "cpu_s": deck["cpu_s"], "peak_mb": deck["peak_mb"]},
            **pages_run(db, reruns), "after_import": after_import(db)}


def after_import(db: Path) -> dict:
    """Every page's first open after an import through the import page, in a running dashboard process
    (``benchmarks/after_import.py``, on a copy of ``db``): the issue's "first open after an import"."""
    done = measure_with_memory([PYTHON, str(ROOT / "benchmarks" / "after_import.py"), "--db", str(db)])
    return json.loads(done["stdout"])


def provincial(folder: Path, reruns: int) -> dict:
    db = folder / "demo.duckdb"
    cli("init", "--demo", db=db)
    deck = cli("export", "--format", "pptx", "--out", folder / "deck.pptx", db=db)
    status = cli("status", "--format", "csv", db=db)
    return {"status": {"seconds": status["seconds"], "cpu_s": status["cpu_s"], "peak_mb": status["peak_mb"]},
            "deck": {"seconds": deck["seconds"], "cpu_s": deck["cpu_s"], "peak_mb": deck["peak_mb"]},
            **pages_run(db, reruns)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the script")
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--imports-only", action="store_true",
                        help="measure only the three single-file imports; keep the other figures of the last run")
    parser.add_argument("--national-db", type=Path,
                        help="an existing national database (the yearly imports of a full run, kept): measure "
                             "only its status, deck and pages, and print them")
    args = parser.parse_args()
    if args.national_db:
        began = os.getloadavg()
        steps = national_steps(args.national_db, args.reruns, args.national_db.parent / "deck.pptx")
        print(json.dumps(steps, indent=1))
        print("\n".join(summary({"national": steps, "load": [round(began[0], 1), round(os.getloadavg()[0], 1)]})))
        return
    target_rows = 600_000 if args.quick else 6_000_000
    sizes = [target_rows // 4, target_rows // 2, target_rows]
    national_grassroots = 13_000 if args.quick else 130_000
    out = ROOT / "benchmarks" / ("results-quick.json" if args.quick else "results.json")
    results = json.loads(out.read_text(encoding="utf-8")) if args.imports_only else {}
    now = time.strftime("%Y-%m-%d %H:%M")
    results.update({"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                    "imports_when": now, **({} if args.imports_only else {"when": now})})
    began = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="kpi-bench-") as tmp:
        tmp = Path(tmp)
        results["scaling"] = [single_import(tmp, rows) for rows in sizes]
        if not args.imports_only:
            whole_run(results, tmp, national_grassroots, args.reruns)
    results["load"] = [round(began[0], 1), round(os.getloadavg()[0], 1)]  # 1-minute load at the start and the end
    print("\n".join(summary(results)))
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.quick:
        write_readme(results)
    print(f"wrote {out}")


def single_import(tmp: Path, rows: int) -> dict:
    folder = tmp / f"rows-{rows}"
    synthesise(folder, round(rows / ROWS_PER_GRASSROOTS_YEAR / 10))
    run = import_run(folder, "import")
    again = run["reimport"]
    print(f"import {run['rows']:>10,} rows: {run['import_seconds']:7.2f} s ({run['rows_per_second']:,}/s; "
          f"check {run['check_seconds']}, commit {run['commit_seconds']}), bare read_csv "
          f"{run['bare_read_csv_seconds']:6.2f} s, import/bare {run['ratio']}×; re-import {again['import_seconds']:.2f} s "
          f"(check {again['check_seconds']}, commit {again['commit_seconds']}), re-import/bare {again['ratio']}×",
          flush=True)
    Path(run["database"]).unlink(missing_ok=True)
    return {k: v for k, v in run.items() if k != "database"}


def whole_run(results: dict, tmp: Path, national_grassroots: int, reruns: int) -> None:
    """The provincial and national steps: pages, yearly national imports, status, deck, memory."""
    results["provincial"] = provincial(tmp / "provincial", reruns)
    print("provincial pages:", json.dumps(results["provincial"]["pages"]), flush=True)
    results["national"] = national(tmp / "national", national_grassroots, reruns)
    results["national"]["import"].pop("database")
    print("national:", json.dumps({k: v for k, v in results["national"].items() if k != "pages"}), flush=True)
    print("national pages:", json.dumps(results["national"]["pages"]), flush=True)


def summary(results: dict) -> list[str]:
    """Every figure issue 17 asks for, in one block: the import/bare ratios at three sizes (first import and
    re-import), the nation's ``status`` time and peak, the deck's time at both scales, and every page's first
    open and median rerun at both scales, each beside its target."""
    lines = ["", f"== the figures of issue 17 (1-minute load at the start / end: "
                 f"{' / '.join(map(str, results.get('load', [])))}) =="]
    if results.get("scaling"):
        lines.append("import / bare read_csv, same file (target ≤ 2.0×): first import · re-import")
        for run in results["scaling"]:
            again = run.get("reimport", {})
            lines.append(f"  {run['rows']:>10,} rows: {run['ratio']}× ({run['import_seconds']} s) · "
                         f"{again.get('ratio', '—')}× ({again.get('import_seconds', '—')} s); bare "
                         f"{run['bare_read_csv_seconds']} s")
    nat, prov = results.get("national"), results.get("provincial")
    if nat:
        status = nat["status"]
        lines.append(f"national status ({status['rows']:,} rows; target ≤ 5 s, ≤ 1 GB): {status['seconds']} s "
                     f"(CPU {status.get('cpu_s', '—')} s), peak {status['peak_mb']} MB")
    decks = [f"{name} {scale['deck']['seconds']} s (CPU {scale['deck'].get('cpu_s', '—')} s, peak "
             f"{scale['deck']['peak_mb']} MB)" for name, scale in (("provincial", prov), ("national", nat)) if scale]
    if decks:
        lines.append(f"deck export, pptx (national target ≤ 3 s): {'; '.join(decks)}")
    scales = [(name, scale["pages"]) for name, scale in (("provincial", prov), ("national", nat)) if scale]
    if scales:
        lines.append("pages, first open / median rerun in s (national first open target ≤ 1 s): "
                     + " | ".join(name for name, _ in scales))
        for page in scales[0][1]:
            lines.append(f"  {page:<18} " + " | ".join(
                f"{pages[page]['first_open_s']} / {pages[page]['median_rerun_s']}" for _, pages in scales))
    if nat and nat.get("after_import"):
        lines.append("national, in a running dashboard: cold first open · import check / confirm · warm-up after "
                     "it (background) · first open after the import, s (target ≤ 1 s)")
        for page, found in nat["after_import"].items():
            lines.append(f"  {page:<18} {found['cold_first_open_s']} · {found['import_check_s']} / "
                         f"{found['import_confirm_s']} · {found.get('warm_up_s', '—')} · "
                         f"{found['first_open_after_import_s']}")
    return lines


def write_readme(results: dict) -> None:
    """Replace the figures section of benchmarks/README.md with this run's table."""
    lines = ["<!-- figures: written by benchmarks/run.py -->", "",
             f"Measured {results['when']} on {results['machine']['cpus']} cores, Python {results['machine']['python']}"
             + (f"; the single-file imports again on {results['imports_when']}."
                if results.get("imports_when", results["when"]) != results["when"] else "."),
             "", "| import | rows | our import (s) | of which check / commit (s) | rows/s | bare read_csv (s) | ratio "
             "| peak MB |", "|---|---|---|---|---|---|---|---|"]
    for run in results["scaling"]:
        lines.append(f"| one file | {run['rows']:,} | {run['import_seconds']} | {run['check_seconds']} / "
                     f"{run['commit_seconds']} | {run['rows_per_second']:,} | {run['bare_read_csv_seconds']} | "
                     f"{run['ratio']}× | {run['import_peak_mb']} |")
        again = run.get("reimport")
        if again:
            lines.append(f"| the same file again | {again['rows']:,} | {again['import_seconds']} | "
                         f"{again['check_seconds']} / {again['commit_seconds']} | {again['rows_per_second']:,} | "
                         f"{run['bare_read_csv_seconds']} | {again['ratio']}× | {again['import_peak_mb']} |")
    nat = results["national"]
    first, last = nat["import"]["years"][0], nat["import"]["years"][-1]
    lines.append(f"| national, {len(nat['import']['years'])} yearly files | {nat['import']['rows']:,} | "
                 f"{nat['import']['import_seconds']} | first year {first['import_seconds']}, last year "
                 f"{last['import_seconds']} | {nat['import']['rows_per_second']:,} | last year "
                 f"{nat['import']['last_year_bare_read_csv_seconds']} | last year {nat['import']['last_year_ratio']}× "
                 f"| {nat['import']['import_peak_mb']} |")
    lines += ["", "| page | provincial: first open (s) | provincial: median rerun (s) | national: first open (s) | "
              "national: median rerun (s) |", "|---|---|---|---|---|"]
    for page, prov in results["provincial"]["pages"].items():
        n = nat["pages"][page]
        lines.append(f"| {page} | {prov['first_open_s']} | {prov['median_rerun_s']} | {n['first_open_s']} | "
                     f"{n['median_rerun_s']} |")
    lines += ["", "| step | provincial (s / peak MB) | national (s / peak MB) |", "|---|---|---|",
              f"| dashboard process (all pages) | — / {results['provincial']['dashboard_peak_mb']} | "
              f"— / {nat['dashboard_peak_mb']} |",
              f"| status, every target × unit | {results['provincial']['status']['seconds']} / "
              f"{results['provincial']['status']['peak_mb']} | {nat['status']['seconds']} / {nat['status']['peak_mb']} "
              f"({nat['status']['rows']:,} rows) |",
              f"| deck export (pptx) | {results['provincial']['deck']['seconds']} / "
              f"{results['provincial']['deck']['peak_mb']} | {nat['deck']['seconds']} / {nat['deck']['peak_mb']} |"]
    if nat.get("after_import"):
        lines += ["", "| page (national, running dashboard) | cold first open (s) | import check / confirm (s) | "
                  "warm-up after it, background (s) | first open after the import (s) |", "|---|---|---|---|---|"]
        lines += [f"| {page} | {found['cold_first_open_s']} | {found['import_check_s']} / {found['import_confirm_s']} "
                  f"| {found.get('warm_up_s', '—')} | {found['first_open_after_import_s']} |"
                  for page, found in nat["after_import"].items()]
    lines += ["", f"1-minute load at the start / end of the run: {' / '.join(map(str, results.get('load', [])))}.",
              "", "<!-- end of figures -->"]
    readme = ROOT / "benchmarks" / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n\n"
    start, end = "<!-- figures: written by benchmarks/run.py -->", "<!-- end of figures -->"
    if start in text and end in text:
        text = text[:text.index(start)] + "\n".join(lines) + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(lines) + "\n"
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
