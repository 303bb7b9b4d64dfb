"""The database while the dashboard runs, with two real processes: the command line reads beside the dashboard,
writes when the dashboard is idle (and the dashboard then shows it), waits while a page is being drawn, and
says who holds the file when the wait runs out (``metrics.storage.db.Access``)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time

import pytest

from metrics.storage import db
from metrics.storage.store import Store
from tests.helpers import PASSWORD, ROOT, cli, copy_database

# A process that holds the store the way the dashboard does (ui/data.py: ``Store.open``; a page run reads
# through ``store.reading()``), driven line by line: ``hold`` starts a page run and keeps it going,
# ``release`` ends it, ``draw S`` is a page run of S seconds, ``members`` prints what the overview shows.
DASHBOARD = """
import contextlib, sys, time
from metrics.judging.scorecard import Scorecard
from metrics.storage.store import Store
store = Store.open(sys.argv[1])
run = contextlib.ExitStack()
for line in sys.stdin:
    command, *rest = line.split()
    if command == "hold":
        run.enter_context(store.reading())
    elif command == "release":
        run.close()
    elif command == "draw":
        with store.reading():
            print("drawing", flush=True)
            time.sleep(float(rest[0]))
    elif command == "members":
        with store.reading():
            card = Scorecard(store)
            row = [r for r in card.evaluate("DH-XI-2023-2028", 2026, units=["AG-2025"]) if r.target["code"] == "NK1b"]
            print("members", row[0].verdict.actual, flush=True)
            continue
    print("ok", command, store.access.is_open, flush=True)
"""


class Dashboard:
    """The dashboard's way of holding the database, in a process of its own."""

    def __init__(self, path, **env):
        self.process = subprocess.Popen([sys.executable, "-c", DASHBOARD, str(path)], cwd=ROOT, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        env={**os.environ, "PYTHONPATH": str(ROOT), **env})

    def say(self, line: str) -> str:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="module")
def template(demo_template, tmp_path_factory):
    path = copy_database(demo_template, tmp_path_factory.mktemp("access"), "template.duckdb")
    return path


@pytest.fixture
def dashboard_db(template, tmp_path):
    path = copy_database(template, tmp_path)
    dashboard = Dashboard(path, KPI_DB_LINGER="1")
    yield path, dashboard
    dashboard.close()


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def members_file(path, value: int):
    path.write_text(f"unit,indicator,year,value,source\nAG-2025,members,2026,{value},Báo cáo năm 2026\n",
                    encoding="utf-8")
    return path


@pytest.mark.slow
def test_reading_commands_work_while_the_dashboard_draws_a_page(dashboard_db, tmp_path):
    path, dashboard = dashboard_db
    assert dashboard.say("hold") == "ok hold True"  # a page run holds the file, read-only
    for command in (["status", "--year", "2025"], ["history"], ["audit"], ["users", "list"],
                    ["export", "--format", "csv", "--out", tmp_path / "so-lieu.csv"],
                    ["import", members_file(tmp_path / "v.csv", 120000), "--dry-run"],
                    ["template", "--year", "2026", "--out", tmp_path / "mau.csv"]):
        done = cli(*command, db=path, check=False)
        assert done.returncode == 0, (command, done.stderr)
    assert (tmp_path / "so-lieu.csv").stat().st_size > 0
    assert dashboard.say("release") == "ok release True"


@pytest.mark.slow
def test_an_import_while_the_dashboard_is_idle_is_written_and_the_dashboard_then_shows_it(dashboard_db, tmp_path):
    path, dashboard = dashboard_db
    before = float(dashboard.say("members").split()[1])
    done = cli("import", members_file(tmp_path / "v.csv", 125000), db=path)  # waits out the dashboard's linger
    assert "Đã nhập đợt" in done.stdout
    assert dashboard.say("members") == "members 125000.0" and before != 125000.0


@pytest.mark.slow
def test_the_first_user_is_added_while_the_dashboard_runs(dashboard_db):
    path, dashboard = dashboard_db
    assert dashboard.say("draw 0.1") == "drawing"
    assert dashboard.process.stdout.readline().strip() == "ok draw True"
    done = subprocess.run([sys.executable, "-m", "metrics", "users", "add", "boss", "--role", "admin",
                           "--password-stdin", "--db", str(path)], input=PASSWORD + "\n", capture_output=True,
                          text=True, cwd=ROOT, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert "boss" in cli("users", "list", db=path).stdout


@pytest.mark.slow
def test_a_write_waits_for_the_page_being_drawn_then_goes_through(dashboard_db, tmp_path):
    path, dashboard = dashboard_db
    dashboard.process.stdin.write("draw 3\n")
    dashboard.process.stdin.flush()
    assert dashboard.process.stdout.readline().strip() == "drawing"
    started = time.monotonic()
    done = cli("import", members_file(tmp_path / "v.csv", 126000), db=path)
    assert "Đã nhập đợt" in done.stdout and time.monotonic() - started > 1


@pytest.mark.slow
def test_a_write_that_waits_too_long_says_who_holds_the_file_and_changes_nothing(dashboard_db, tmp_path):
    path, dashboard = dashboard_db
    assert dashboard.say("hold") == "ok hold True"
    before = digest(path)
    values = members_file(tmp_path / "v.csv", 127000)
    for lang, words in (("vi", "đang được một chương trình khác"), ("en", "in use by another program")):
        done = cli("import", values, "--lang", lang, db=path, check=False, env={"KPI_LOCK_WAIT": "1"})
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert words in done.stderr and f"(PID {dashboard.process.pid})" in done.stderr
    assert digest(path) == before


def test_a_process_that_only_reads_never_writes_the_file(template, tmp_path):
    path = copy_database(template, tmp_path)
    before = digest(path)
    store = Store.open(path, read_only=True)
    try:
        with store.reading():
            assert not store.is_empty()
        with pytest.raises(RuntimeError), store.transaction():
            pass
    finally:
        store.close()
    assert digest(path) == before and not db.Access.of(path).is_open
