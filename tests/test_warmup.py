"""The server warms itself at start (ui/warmup.py): the first visits of the pages find their view judged and
their charts built, without anyone having visited before."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
import tomllib

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from metrics.ingest import templates
from metrics.judging import charts, scorecard
from tests.browser.conftest import streamlit_server
from tests.helpers import run_cli
from ui import data, figures, warmup


@pytest.fixture
def demo(demo_template, tmp_path, monkeypatch):
    """A public dashboard on its own copy of the demo database, its caches empty; every chart built counted."""
    path = tmp_path / "kpi.duckdb"
    path.write_bytes(demo_template.read_bytes())
    monkeypatch.setenv("KPI_DB", str(path))
    monkeypatch.setenv("KPI_PUBLIC", "1")
    built: list[str] = []
    for module, kind in ((charts, "trend"), (charts, "ranking"), (charts, "shortfall"), (charts, "heatmap"),
                         (templates, "rows"), (scorecard, "completeness")):
        make = getattr(module, kind)
        monkeypatch.setattr(module, kind, lambda *a, _make=make, _kind=kind, **k: built.append(_kind) or _make(*a, **k))
    st.cache_resource.clear()
    yield path, built
    st.cache_resource.clear()  # releases the database file


def test_the_first_visits_find_their_charts_built(demo):
    _, built = demo
    warmed = warmup.warm()
    # the first target (NK1a) is divided among the units (issue 19): who carries its gap, not the ranking
    assert warmed is not None and built[:4] == ["rows", "trend", "shortfall", "heatmap"]
    assert "completeness" in built  # Về số liệu's table of who reported
    assert (warmed.plan, warmed.year, warmed.unit) == ("DH-XI-2023-2028", 2026, "AG-2025")
    card = data.scorecard()
    assert len(figures.kept(card)) == warmed.figures == 3
    warm = list(built)

    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.run()  # Tổng quan, then the pages with charts and Về số liệu, each as a visitor first opens it
    for page in ("views/target.py", "views/units.py", "views/about.py"):
        at.switch_page(page).run()
        assert not at.exception and not at.error
        assert at.get("plotly_chart") or page == "views/about.py"
    assert built == warm  # every chart and table the pages showed was the warmed one
    assert data.scorecard() is card and len(figures.kept(card)) == 3
    data.template("DH-XI-2023-2028", 2026, [], "vi")  # as Nhập dữ liệu first asks for it (no unit chosen)
    assert built.count("rows") == 1


@pytest.mark.slow  # two imports and two scorecards (20 s at load 14)
def test_imports_from_the_command_line_are_warmed_newest_first_one_at_a_time(demo, tmp_path):
    """Issue 17: a write by anyone (here ``python -m metrics import``, not the import page) is noticed by the
    dashboard process's watcher, which judges the new data before a visitor asks for it. Two imports while a
    warm-up runs (the test holds its turn): the next one warms the newest data, never the older version."""
    path, built = demo
    done = len(warmup.WARMER.done)
    watcher = warmup.watch(every=0.05)
    try:
        assert watcher.ready.wait(60)  # it knows the data as they were
        with warmup.WARMER.turn():  # a warm-up is running
            for value in (130_000, 131_000):
                csv = tmp_path / f"so-lieu-{value}.csv"
                csv.write_text(f"unit,indicator,year,value\nAG-2025,members,2026,{value}\n", encoding="utf-8")
                run_cli("import", csv, db=path)
            newest = warmup.current_stamp()
        assert warmup.WARMER.warmed(newest, timeout=120)
    finally:
        watcher.stop()
    assert [d.stamp for d in warmup.WARMER.done[done:] if d.view is not None] == [newest]
    card = data.scorecard()
    assert card.as_of is None
    assert len(figures.kept(card)) == 3 and built.count("heatmap") == 1  # Đơn vị's matrix, on the newest data
    members = [r for r in card.plan_rows("DH-XI-2023-2028", 2026) if r.target.indicator == "members"]
    assert members and all(r.verdict.actual == 131_000 for r in members)


def test_a_warm_up_leaves_the_file_to_a_writing_process_between_its_steps(demo, tmp_path):
    """A warm-up held the database file for all its steps (seconds at national scale, more under load), so an
    import from the command line in another process waited for it past its ``KPI_LOCK_WAIT`` and failed. Between
    two steps the file is now free: an import that may not wait at all gets in, and the warm-up, finding the
    data changed, gives way to the newer version instead of mixing the two."""
    path, _ = demo
    csv = tmp_path / "so-lieu.csv"
    csv.write_text("unit,indicator,year,value\nAG-2025,members,2026,130000\n", encoding="utf-8")
    env = {**os.environ, "KPI_LOCK_WAIT": "0"}
    imported: list[subprocess.CompletedProcess] = []

    def between_steps() -> bool:  # asked by the warm-up between two of its steps
        if not imported:
            imported.append(subprocess.run([sys.executable, "-m", "metrics", "--db", str(path), "import", str(csv)],
                                           capture_output=True, text=True, env=env, timeout=120))
        return False

    with pytest.raises(warmup.Superseded):
        warmup.default_view(between_steps)
    assert imported[0].returncode == 0, imported[0].stderr
    assert data.store().rows("SELECT count(*) FROM batches WHERE file_name = 'so-lieu.csv'")[0][0] == 1


def test_a_request_for_the_data_being_warmed_does_not_stop_the_warm_up(demo, monkeypatch):
    """The import page asks for a warm-up after its write; when the watcher had already begun warming that very
    data, the request stopped the warm-up at its next step, and it was all done again."""
    runs, gave_way = [], []
    view, give_way = warmup.default_view, warmup.give_way
    monkeypatch.setattr(warmup, "default_view", lambda *a, **k: runs.append(1) or view(*a, **k))

    def asked_meanwhile() -> None:  # between the first two steps, the import page's request arrives
        if not gave_way:
            warmup.after_write()
        gave_way.append(1)
        give_way()

    monkeypatch.setattr(warmup, "give_way", asked_meanwhile)
    stamp = warmup.current_stamp()
    warmup.WARMER.request(stamp)
    assert warmup.WARMER.warmed(stamp, timeout=120) and warmup.WARMER.settled(timeout=120)
    assert len(runs) == 1


@pytest.mark.slow  # a second process holds the file a moment
def test_a_warm_up_that_finds_the_file_held_is_tried_again_once_it_is_free(demo, monkeypatch):
    """A start-up warm-up that found the file held by another process's long import gave up until the next
    write: every first visitor judged its view. It is now tried again a little later, with no write meanwhile."""
    path, built = demo
    monkeypatch.setattr(warmup, "RETRY_SECONDS", (1.0, 2.0, 4.0))
    data.store().access.release()
    data.store().access.wait = 0.2  # this process waits for the file a fifth of a second, then gives up
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); sys.stdin.readline()", str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        warmup._warm_logged()  # the server's start-up warm-up, while the other process holds the file
        assert "heatmap" not in built  # it failed
    finally:
        holder.communicate("done\n", timeout=60)  # the other process lets the file go
    stamp = warmup.current_stamp()
    assert warmup.WARMER.warmed(stamp, timeout=60)
    assert built.count("heatmap") == 1 and len(figures.kept(data.scorecard())) == 3


def test_the_watcher_leaves_an_idle_database_alone(demo, monkeypatch):
    """Between writes the watcher looks at the file only: no query, no connection (the command line finds the
    file free once the dashboard's last read is over)."""
    read: list[tuple] = []
    stamp = warmup.current_stamp
    monkeypatch.setattr(warmup, "current_stamp", lambda: read.append(stamp()) or read[-1])
    watcher = warmup.watch(every=0.01)
    try:
        assert watcher.ready.wait(60) and len(read) == 1  # the change stamp to compare with
        looked = watcher.looks
        deadline = time.monotonic() + 60
        while watcher.looks < looked + 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert watcher.looks >= looked + 20
    finally:
        watcher.stop()
    assert len(read) == 1


def test_the_warm_up_imports_what_the_pages_import():
    modules = warmup.page_imports()
    assert {"metrics.exports.bundle", "metrics.ingest.templates", "pandas", "ui.layout"} <= set(modules)
    assert not [m for m in modules if m.startswith(".")]


def test_no_database_no_warm_up_and_no_file_made(tmp_path, monkeypatch):
    missing = tmp_path / "elsewhere" / "kpi.duckdb"
    monkeypatch.setenv("KPI_DB", str(missing))
    monkeypatch.delenv("KPI_DEMO", raising=False)
    st.cache_resource.clear()
    thread = warmup.start()
    thread.join(120)
    assert not thread.is_alive()
    assert not missing.exists()  # a federation's database is never made from the demo by a warm-up


def test_the_server_warms_itself_at_start(demo_template, tmp_path):
    """``streamlit run dashboard.py``, as the README starts it; nobody visits: its log says it is warm."""
    path = tmp_path / "kpi.duckdb"
    path.write_bytes(demo_template.read_bytes())
    log = path.with_suffix(".server.log")
    with streamlit_server(path):
        deadline = time.time() + 120
        while "Warm-up done" not in log.read_text() and time.time() < deadline:
            time.sleep(0.5)
        text = log.read_text()
    assert "Warm-up done" in text, text
    assert "plan DH-XI-2023-2028, 2026, unit AG-2025, 3 charts" in text
    assert "Traceback" not in text


ENDING_PROCESS = r"""
import sys, threading, time
from pathlib import Path
from ui import warmup
log, begun = Path(sys.argv[1]), threading.Event()

def slow_slideshow(plan, year):  # the warm-up's first step after the scorecard, under way when the process ends
    begun.set()
    time.sleep(1.5)
    log.write_text("first step done\n")

def next_step(*args):
    with log.open("a") as out:
        out.write("next step begun\n")

warmup.slideshow, warmup.import_template = slow_slideshow, next_step
warmup.WARMER.request()  # as the import page asks after a write
assert begun.wait(120)
sys.exit(0)  # the process ends while the warm-up runs
"""


def test_a_process_that_ends_during_a_warm_up_waits_for_its_step_and_ends_cleanly(demo):
    """A daemon thread halted by the interpreter's end inside DuckDB's or Arrow's C++ code aborted the whole
    process ("terminate called …", exit status 134: seen at the end of the PostgreSQL tests, after a warm-up
    after a write). The ending process stops the warm-up at its next step and waits for the step under way."""
    path, _ = demo
    log = path.with_suffix(".steps")
    done = subprocess.run([sys.executable, "-c", ENDING_PROCESS, str(log)], capture_output=True, text=True,
                          timeout=300, cwd=warmup.ROOT, env={**os.environ, "PYTHONPATH": str(warmup.ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert log.read_text() == "first step done\n"  # waited for, and no step begun after it
    assert "Warm-up after a write" not in done.stderr  # (neither "done" nor "left for a newer version")


def test_the_served_dashboard_neither_watches_files_nor_rewrites_its_pages():
    """Two costs of every page's first visit that a served dashboard does not need (docs/stack.md)."""
    config = tomllib.loads((warmup.ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["magicEnabled"] is False


@pytest.mark.parametrize("script", sorted(p.name for p in warmup.PAGES.glob("*.py")) + ["../dashboard.py"])
def test_no_page_shows_anything_by_magic(script):
    """Without magic a bare expression shows nothing: every page calls ``st.*`` for what it shows."""
    tree = ast.parse((warmup.PAGES / script).read_text(encoding="utf-8"))
    bare = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Expr)
            and not isinstance(node.value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom))
            and not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))]  # docstrings
    assert bare == []
