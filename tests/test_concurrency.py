"""Concurrency as the dashboard meets it: one process, one connection, a cursor per thread. Two analysts
confirming at the same moment: one import is written, the other is told why not; readers meanwhile see
the data before or after, never half; the command line meets a held database with a clear message."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from metrics.ingest import intake
from metrics.storage import audit
from metrics.vocabulary.errors import UserError
from tests.helpers import SHORT_WAIT, cli, open_copy


@pytest.fixture
def store(demo_template, tmp_path):
    store = open_copy(demo_template, tmp_path)
    yield store
    store.close()


def values_file(path, units: list[str], value: int):
    lines = ["unit,indicator,year,value"] + [f"{u},union_houses,{y},{value}" for u in units for y in (2024, 2025)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def units(store, level_sql: str) -> list[str]:
    return [c for (c,) in store.rows(f"SELECT DISTINCT code FROM units WHERE {level_sql} ORDER BY code")]


def test_two_analysts_confirming_at_once_one_import_is_written_the_other_is_told(store, tmp_path):
    grassroots = units(store, "kind = 'grassroots' AND valid_to IS NULL")
    reports = [intake.check(values_file(tmp_path / f"{name}.csv", grassroots, value), store=store)
               for name, value in (("lan", 3), ("minh", 4))]
    assert all(r.ok for r in reports)
    before = store.rows("SELECT count(*) FROM observations")[0][0]
    start, outcomes = threading.Barrier(2), {}

    def confirm(name: str, report) -> None:
        start.wait()
        try:
            outcomes[name] = intake.commit(store, report, user=name, source="web")
        except UserError as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=confirm, args=(n, r)) for n, r in zip(("lan", "minh"), reports)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    written = [o for o in outcomes.values() if not isinstance(o, UserError)]
    refused = [o for o in outcomes.values() if isinstance(o, UserError)]
    assert len(written) == 1 and len(refused) == 1, outcomes
    assert refused[0].code in ("import-conflict", "data-changed") and "không có gì được ghi" in refused[0].vi.lower()
    assert store.rows("SELECT count(*) FROM observations")[0][0] == before + written[0].written
    assert store.rows("SELECT count(*) FROM batches WHERE kind = 'import'")[0][0] == 1
    assert len(audit.entries(store, actions=["import"])) == 1  # the refused one left no record either
    for report in reports:
        report.close()


def test_readers_see_the_data_before_or_after_an_import_never_half(store, tmp_path):
    grassroots = units(store, "kind = 'grassroots'")
    report = intake.check(values_file(tmp_path / "v.csv", grassroots, 5), store=store)
    assert report.ok
    before = store.rows("SELECT count(*) FROM observations")[0][0]
    seen, failures, done = set(), [], threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                seen.add(store.rows("SELECT count(*) FROM observations")[0][0])
                store.observations(indicators=["union_houses"])
            except Exception as exc:  # any error here is a failure of the test
                failures.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(8)]
    for reader in readers:
        reader.start()
    result = intake.commit(store, report, user="lan", source="web")
    done.set()
    for reader in readers:
        reader.join(30)
    assert not failures
    assert seen <= {before, before + result.written} and before in seen


@pytest.mark.slow
def test_the_command_line_says_what_to_do_while_the_dashboard_holds_the_database(demo_db, tmp_path):
    db = demo_db
    values = values_file(tmp_path / "v.csv", ["883"], 3)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for command in (["import", values], ["users", "list"], ["backup", tmp_path / "b"]):
            done = cli(*command, db=db, check=False, env=SHORT_WAIT)
            assert done.returncode == 1, command
            assert f"đang được một chương trình khác (PID {holder.pid}) sử dụng" in done.stderr
            assert "Traceback" not in done.stderr and "--db" in done.stderr and "dashboard" not in done.stderr
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("holder_line, vi, en", [
    (["metrics", "import", "so-lieu.csv"], "một lệnh python -m metrics import so-lieu.csv",
     "a command python -m metrics import so-lieu.csv"),
    (["streamlit", "run", "dashboard.py"], "dashboard (streamlit)", "the dashboard (streamlit)"),
])
@pytest.mark.slow
def test_the_busy_message_names_what_holds_the_database(demo_db, holder_line, vi, en):
    """Not always the dashboard: another command-line import holds the file just as well."""
    db = demo_db
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(db), *holder_line],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        done = cli("history", db=db, check=False, env=SHORT_WAIT)
        assert f"đang được {vi} (PID {holder.pid}) sử dụng" in done.stderr, done.stderr
        english = cli("history", "--lang", "en", db=db, check=False, env=SHORT_WAIT)
        assert f"in use by {en} (PID {holder.pid})" in english.stderr
    finally:
        holder.kill()
        holder.wait()
