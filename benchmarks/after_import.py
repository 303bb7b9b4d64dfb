"""First open of every page after an import, in a running dashboard process (issue 17: "the first open of
the overview or a target page after an import takes 7,5 s; target ≤ 1 s").

One process plays the server, as ``run.py``'s page run does (AppTest runs the scripts the server runs, with
the process's caches): every page is opened once (the cold start, which the server's warm-up takes at its
start), then, for each page in turn, an analyst imports a small file of changed figures through the
import page (upload, check, confirm: the user's path) and a new visitor opens that page. Printed per page:
the cold first open, the import's check and confirm, the warm-up after it (the new data version judged in
the background, ``ui.warmup``: seconds from the end of the confirm until it is done, which the benchmark
waits for, as a visitor comes later), and the first open after the import. ``--via cli`` imports with
``python -m metrics import`` in a process of its own instead (no check; its time in the confirm column):
the dashboard's watcher notices it.

    uptime; .venv/bin/python benchmarks/after_import.py --db PATH      # a copy of PATH is used, never PATH
    .venv/bin/python benchmarks/after_import.py --db PATH --pages views/units.py --profile units.prof
                                       # one page; cProfile of its first open after the import to units.prof
    .venv/bin/python benchmarks/after_import.py --db PATH --via cli

``--db`` is a database of ``synth``'s federation (``run.py --national-db`` explains how one is built) or the
demo (``python -m metrics init --demo``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["views/overview.py", "views/target.py", "views/units.py", "views/about.py", "views/present.py"]
ANALYST, PASSWORD = "phan-tich", "đo thời gian mở trang sau khi nhập"

RUN = r'''
import json, os, subprocess, sys, time
from streamlit.testing.v1 import AppTest
from metrics.storage import sign_in as signing, users
from metrics.storage.store import Store
from ui import warmup
from ui.auth import TOKEN

root, pages, files, via = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[6]


def session():
    return AppTest.from_file(os.path.join(root, "dashboard.py"), default_timeout=900)


def opened(page):
    at = session()
    start = time.perf_counter()
    at.run()
    at.switch_page(page).run()
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    return round(time.perf_counter() - start, 3)


def imported(path):
    at = session()
    store = Store.open(os.environ["KPI_DB"])
    try:
        at.session_state[TOKEN] = signing.token(users.get(store, sys.argv[4]), users.cookie_key(store))
    finally:
        store.close()
    at.run()
    at.switch_page("views/import.py").run()
    at.file_uploader(key="intake_file_0").upload(os.path.basename(path), open(path, "rb").read(), "text/csv").run()
    start = time.perf_counter()
    at.button(key="intake_check").click().run()
    checked = time.perf_counter()
    if at.exception or not [b for b in at.button if b.key == "intake_confirm"]:
        raise SystemExit(f"{path}: not importable: {[e.value for e in at.error]} {at.exception}")
    at.button(key="intake_confirm").click().run()
    confirmed = time.perf_counter()
    if at.exception or not at.success:
        raise SystemExit(f"{path}: not imported: {[e.value for e in at.error]} {at.exception}")
    return round(checked - start, 3), round(confirmed - checked, 3), warmed(confirmed)


def imported_by_command(path):
    """``python -m metrics import`` in a process of its own: this process notices it (``warmup.Watcher``)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "metrics", "import", path], check=True, capture_output=True)
    return None, round(time.perf_counter() - start, 3), warmed(time.perf_counter())


def warmed(since):
    """Seconds from ``since`` until this process has warmed the data as they are now (a visitor comes later)."""
    stamp = warmup.current_stamp()
    if not warmup.WARMER.warmed(stamp, 900):
        raise SystemExit(f"the data {stamp} were not warmed in 900 s")
    return round(time.perf_counter() - since, 3)


def profiled(page, out):
    """``opened(page)``, its profile written to ``out`` (none when ``out`` is empty)."""
    if not out:
        return opened(page)
    import cProfile
    import threading
    profile = cProfile.Profile()

    def begin(*_):  # AppTest runs each script run in a thread of its own: profile those threads
        sys.setprofile(None)
        profile.enable()

    threading.setprofile(begin)
    try:
        seconds = opened(page)
    finally:
        threading.setprofile(None)
    profile.dump_stats(out)
    return seconds


result = {page: {"cold_first_open_s": opened(page)} for page in pages}
watcher = warmup.watch()  # as the server does from its start
watcher.ready.wait(900)
for page, path in zip(pages, files):
    check, confirm, warm = (imported if via == "page" else imported_by_command)(path)
    result[page].update(import_check_s=check, import_confirm_s=confirm, warm_up_s=warm,
                        first_open_after_import_s=profiled(page, sys.argv[5]))
watcher.stop()
print(json.dumps(result))
'''


def changed_figures(db: Path, folder: Path, count: int, rows: int = 200) -> list[Path]:
    """``count`` small CSV files, each changing the same ``rows`` figures of the latest year (a number one
    higher than the file before): plain values of units that report their own, as an analyst's correction."""
    code = """
import sys, json
from metrics.storage.store import Store
store = Store.open(sys.argv[1], read_only=True)
print(json.dumps(store.rows('''
    SELECT unit, indicator, year, value FROM current_values
    WHERE value IS NOT NULL AND numerator IS NULL AND year = (SELECT max(year) FROM current_values)
    ORDER BY unit, indicator LIMIT ?''', [int(sys.argv[2])])))
"""
    found = json.loads(subprocess.run([sys.executable, "-c", code, str(db), str(rows)], check=True, cwd=ROOT,
                                      capture_output=True, text=True).stdout)
    files = []
    for n in range(1, count + 1):
        path = folder / f"chinh-sua-{n}.csv"
        lines = ["unit,indicator,year,value"] + [f"{u},{i},{y},{round(v) + n}" for u, i, y, v in found]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the database to copy and measure on")
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES, metavar="PAGE",
                        help=f"the pages to measure (default: all of {', '.join(PAGES)})")
    parser.add_argument("--profile", type=Path,
                        help="write a cProfile of the (last) page's first open after its import to this file")
    parser.add_argument("--via", choices=["page", "cli"], default="page",
                        help="import through the import page (an analyst), or with `python -m metrics import` "
                             "in a process of its own (noticed by the dashboard's watcher)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kpi-after-import-") as tmp:
        folder = Path(tmp)
        db = folder / "kpi.duckdb"
        shutil.copy(args.db, db)
        env = {**os.environ, "KPI_DB": str(db), "KPI_PUBLIC": "1", "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "metrics", "users", "add", ANALYST, "--role", "analyst",
                        "--password-stdin"], input=PASSWORD + "\n", text=True, check=True, cwd=ROOT, env=env,
                       capture_output=True)
        files = changed_figures(db, folder, len(args.pages))
        done = subprocess.run([sys.executable, "-c", RUN, str(ROOT), json.dumps(args.pages),
                               json.dumps([str(f) for f in files]), ANALYST,
                               str(args.profile.resolve()) if args.profile else "", args.via],
                              check=True, cwd=ROOT, env=env, capture_output=True, text=True)
        print(json.dumps(json.loads(done.stdout.strip().splitlines()[-1]), indent=1))


if __name__ == "__main__":
    main()
