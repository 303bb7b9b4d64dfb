"""The PostgreSQL engine (``KPI_DB=postgresql://…``) against a real server the session starts: the lexical
translation of DuckDB's SQL, the cursor calls the store makes, and the demo end to end — ``init --demo`` then
``status --format csv`` give the same bytes as on DuckDB."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from metrics.storage import db, dialect, migrations, postgres
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError
from tests.helpers import cli, copy_database, run_cli, texts

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(("duckdb_sql", "postgres_sql"), [
    ("SELECT * FROM t WHERE a = ? AND b IN (SELECT unnest(?::VARCHAR[]))",
     "SELECT * FROM t WHERE a = %s AND b IN (SELECT unnest(%s::VARCHAR[]))"),
    ("SELECT CASE WHEN $year < p.start_year THEN 1 END", "SELECT CASE WHEN %(year)s < p.start_year THEN 1 END"),
    ("SELECT x FROM t WHERE name LIKE 'a%' AND y = '?' AND z = 'it''s ?'",
     "SELECT x FROM t WHERE name LIKE 'a%%' AND y = '?' AND z = 'it''s ?'"),
    ("CREATE TABLE t (v DOUBLE, w DOUBLE PRECISION, \"DOUBLE\" INTEGER)",
     "CREATE TABLE t (v DOUBLE PRECISION, w DOUBLE PRECISION, \"DOUBLE\" INTEGER)"),
    ("ORDER BY name_vi COLLATE vi, name_en COLLATE en",
     'ORDER BY name_vi COLLATE "vi-VN-x-icu", name_en COLLATE "en-US-x-icu"'),
])
def test_translate_rewrites_only_the_lexical_differences(duckdb_sql, postgres_sql):
    assert postgres.translate(duckdb_sql) == postgres_sql


def test_a_url_chooses_postgresql_and_a_path_keeps_duckdb(monkeypatch, tmp_path):
    url = "postgresql://kpi:secret@db.example:5432/kpi"
    assert db.location(url) == url  # not Path(url), which would fold '//' into '/'
    assert db.location(tmp_path / "kpi.duckdb") == tmp_path / "kpi.duckdb"
    monkeypatch.setenv("KPI_DB", url)
    assert db.location() == url
    assert db.shown(url) == "postgresql://kpi@db.example:5432/kpi"  # never the password in a message


def test_cursor_calls_of_the_store_on_a_real_server(postgres_url):
    con = postgres.Connection(postgres_url)
    try:
        cur = con.cursor()
        cur.execute("CREATE TABLE readings (unit VARCHAR, year INTEGER, value DOUBLE, day DATE, n BIGINT)")
        frame = pd.DataFrame({"unit": ["AG", "CT"], "year": [2024, 2025], "value": [92.14, None],
                              "day": [dt.date(2024, 12, 31), None], "n": [7, 2]})
        cur.begin()
        dialect.stage(cur, "incoming", frame, like="readings")
        cur.execute("INSERT INTO readings (unit, year, value, day, n) SELECT unit, year, value, day, n FROM incoming")
        cur.commit()
        read = cur.execute("SELECT unit, year, value, n / 2 AS half, sum(n) OVER () AS total FROM readings "
                           "WHERE year >= ? ORDER BY unit", [2024]).df()
        assert read["unit"].tolist() == ["AG", "CT"]
        assert read["year"].dtype == "int32" and read["total"].dtype == "float64"  # INTEGER, NUMERIC sum: as DuckDB types them
        assert read["value"].iloc[0] == 92.14 and pd.isna(read["value"].iloc[1])  # NaN, not None: DuckDB's frame
        assert read["half"].tolist() == [3, 1]  # integer division: 7/2 is 3 here, 3.5 in DuckDB (docs/storage.md)
        cur.begin()
        cur.execute("DELETE FROM readings")
        cur.rollback()  # nothing of a failed unit of work stays
        assert cur.execute("SELECT count(*) FROM readings").fetchall() == [(2,)]
        names = cur.execute("SELECT x FROM (VALUES ('Đồng Tháp'), ('An Giang'), ('Ân Thi'), ('Bắc Ninh')) v(x) "
                            "ORDER BY x COLLATE vi").fetchall()
        assert [n for (n,) in names] == ["An Giang", "Ân Thi", "Bắc Ninh", "Đồng Tháp"]  # Đ after D, not after Z
    finally:
        con.close()


def test_the_schema_migrates_on_postgresql(postgres_url):
    store = Store.open(postgres_url)
    assert store.engine == "postgresql"
    with store.access.reading() as con:
        assert migrations.applied(con) == sorted(name for name, _ in migrations.MIGRATIONS)
        assert not migrations.pending(con)
    assert store.is_empty() and store.data_version() == (0, 0, 1, len(migrations.MIGRATIONS))


def test_an_unreachable_server_is_a_message_not_a_traceback(postgres_server):
    done = run_cli("status", db=f"postgresql://nobody:pw@127.0.0.1:{postgres_server.port}/no_such_db", check=False)
    assert done.returncode == 1
    assert "Không kết nối được cơ sở dữ liệu PostgreSQL" in done.stderr and "pw@" not in done.stderr


@pytest.mark.slow
def test_demo_status_csv_is_the_same_on_both_engines(postgres_url, demo_template, tmp_path):
    done = run_cli("init", "--demo", db=postgres_url)
    assert "2 kế hoạch, 49 chỉ tiêu, 85 đơn vị, 1542 giá trị" in done.stdout
    on_postgres = run_cli("status", "--format", "csv", db=postgres_url).stdout
    on_duckdb = run_cli("status", "--format", "csv", db=copy_database(demo_template, tmp_path)).stdout
    assert on_postgres.count("\n") > 400
    assert on_postgres == on_duckdb
    again = run_cli("init", "--demo", db=postgres_url, check=False)  # never over data already there
    assert again.returncode == 1 and "đã có dữ liệu" in again.stderr


def _same_times(text: str) -> str:
    """Import times differ between two databases built a moment apart: the rest must not."""
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", "TIME", text)


@pytest.mark.slow
def test_undo_as_of_history_template_and_values_export_are_the_same_on_both_engines(postgres_demo_url, demo_db,
                                                                                    tmp_path):
    engines = {"duckdb": demo_db, "postgresql": postgres_demo_url}
    seen: dict[str, list[str]] = {}
    for engine, where in engines.items():
        out = tmp_path / engine
        out.mkdir()
        run_cli("rollback", "1", db=where)  # the demo's figures go; the published ones stay
        seen[engine] = [
            run_cli("status", "--format", "csv", db=where).stdout,
            run_cli("status", "--as-of", "2", "--format", "csv", db=where).stdout,  # before the undo
            _same_times(run_cli("history", db=where).stdout),
            run_cli("template", "--year", "2025", "--filled", "--out", out / "filled.csv", db=where).stdout.replace(
                str(out), "OUT"),
            (out / "filled.csv").read_text(encoding="utf-8-sig"),
            run_cli("export", "--format", "csv", "--out", out / "values.csv", db=where).stdout.replace(str(out), "OUT"),
            (out / "values.csv").read_text(encoding="utf-8-sig"),
        ]
    assert "rolled_back_by_3" in seen["postgresql"][2]
    assert seen["postgresql"][0] != seen["postgresql"][1]  # the undo changed what status says, as-of did not
    assert seen["postgresql"] == seen["duckdb"]


def test_status_of_a_database_never_made_says_how_to_make_it(postgres_url):
    done = run_cli("status", db=postgres_url, check=False)
    assert done.returncode == 1
    assert "Chưa có cơ sở dữ liệu postgresql://" in done.stderr and "init" in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("page", [None, "views/target.py", "views/units.py", "views/present.py"])
def test_the_leaders_pages_show_the_same_on_both_engines(page, postgres_demo_url, demo_db, dashboard):
    on_duckdb = texts(dashboard(demo_db, page))
    on_postgres = texts(dashboard(postgres_demo_url, page))
    assert len(on_postgres) > 20
    assert on_postgres == on_duckdb


def test_sign_in_on_postgresql_needs_a_key_every_process_shares(postgres_url, monkeypatch):
    from metrics.storage import users

    monkeypatch.delenv(users.COOKIE_KEY_ENV, raising=False)
    monkeypatch.delenv(users.COOKIE_KEY_FILE_ENV, raising=False)
    store = Store.open(postgres_url)
    with pytest.raises(UserError) as refused:
        users.cookie_key(store)
    assert users.COOKIE_KEY_FILE_ENV in refused.value.vi


def _waiting_on_a_lock(url: str) -> bool:
    con = postgres.Connection(url)
    try:
        return bool(con.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "  # this test's
                                "AND datname = current_database()").fetchall()[0][0])  # (the run shares one server)
    finally:
        con.close()


@pytest.mark.slow
def test_two_undos_at_once_give_one_success_and_one_message(postgres_demo_url):
    """The second writer waits for the first's lock on the write counter, then is told, not let through on
    what it read before the first wrote (REPEATABLE READ; in DuckDB the same conflict)."""
    import threading
    import time

    from metrics.ingest import intake
    from metrics.storage.store import rollback_batch

    store = Store.open(postgres_demo_url)
    outcome: dict[str, object] = {}

    def second() -> None:
        try:
            outcome["second"] = intake.undo(store, 2, user="hoa", source="cli")
        except UserError as exc:
            outcome["second"] = exc

    with store.transaction() as cur:  # the first writer, holding its transaction open
        first = rollback_batch(cur, 1, user="lan")
        other = threading.Thread(target=second)
        other.start()
        deadline = time.monotonic() + 10
        while not _waiting_on_a_lock(postgres_demo_url) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert other.is_alive()  # the second is waiting for the first, not done
    other.join(10)
    refused = outcome["second"]
    assert isinstance(refused, UserError) and refused.code == "import-conflict", refused
    history = run_cli("history", db=postgres_demo_url).stdout
    assert f"rolled_back_by_{first}" in history and "2,values_published.csv" in history
    assert history.splitlines()[2].split(",")[6] == "active"  # batch 2 (column state): nothing of the refused undo stayed


HEADER = "unit,indicator,year,value,numerator,denominator,source,note,provenance\n"


def _import_files(demo_db, folder) -> dict[str, object]:
    """Three values files made from the demo: new 2026 figures, changed 2025 figures (and some unchanged, which
    move statuses and raise jump warnings), and a file with one unknown unit among good rows."""
    store = Store.open(demo_db, read_only=True)
    try:
        leaves = [u for (u,) in store.rows("""SELECT DISTINCT unit FROM current_values
                                              WHERE year = 2025 AND indicator = 'members' ORDER BY unit LIMIT 12""")]
        known = store.rows("""SELECT unit, indicator, value FROM current_values WHERE year = 2025
                              AND indicator IN ('members', 'new_members') AND value IS NOT NULL
                              ORDER BY indicator, unit LIMIT 30""")
    finally:
        store.close()
    files = {"created": folder / "moi-2026.csv", "updated": folder / "sua-2025.csv", "bad": folder / "loi.csv"}
    files["created"].write_text(HEADER + "".join(f"{u},new_members,2026,{100 + n},,,Báo cáo thử,,imported\n"
                                                 for n, u in enumerate(leaves)), encoding="utf-8")
    files["updated"].write_text(HEADER + "".join(
        f"{u},{i},2025,{value * (3 if n % 3 == 0 else 1):.0f},,,Báo cáo sửa,,imported\n"
        for n, (u, i, value) in enumerate(known)), encoding="utf-8")
    files["bad"].write_text(HEADER + f"{leaves[0]},new_members,2026,5,,,,,\nKHONG-CO,new_members,2026,7,,,,,\n",
                            encoding="utf-8")
    return files


@pytest.mark.slow
def test_imports_give_the_same_report_status_history_undo_and_as_of_on_both_engines(postgres_demo_url, demo_db,
                                                                                     tmp_path):
    files = _import_files(demo_db, tmp_path)
    seen: dict[str, list[str]] = {}
    for engine, where in {"duckdb": demo_db, "postgresql": postgres_demo_url}.items():
        bad = run_cli("import", files["bad"], db=where, check=False)
        seen[engine] = [
            bad.stdout + bad.stderr + str(bad.returncode),
            _same_times(run_cli("history", db=where).stdout),  # the bad file wrote nothing
            run_cli("import", files["created"], "--dry-run", db=where).stdout,
            run_cli("import", files["created"], "--user", "lan", db=where).stdout,
            run_cli("import", files["updated"], "--user", "hoa", "--lang", "en", db=where).stdout,
            run_cli("status", "--format", "csv", db=where).stdout,
            _same_times(run_cli("history", db=where).stdout),
            run_cli("status", "--as-of", "3", "--format", "csv", db=where).stdout,  # after the first import
            run_cli("rollback", "4", db=where).stdout,  # the second import undone
            run_cli("status", "--format", "csv", db=where).stdout,
            _same_times(run_cli("history", db=where).stdout),
        ]
        seen[engine] = [text.replace(str(where), "DB") for text in seen[engine]]
    duck, pg = seen["duckdb"], seen["postgresql"]
    assert "KHONG-CO" in pg[0] and pg[0].endswith("1"), pg[0]
    assert pg[1].count("\n") == 3  # the header and the demo's two batches: the bad file wrote nothing
    assert pg[5] != pg[7] and pg[7] == pg[9]  # the second import changed status; undone, it is back
    assert "hoa" in pg[6] and "lan" in pg[6]
    for number, (on_duckdb, on_postgres) in enumerate(zip(duck, pg, strict=True)):
        assert on_postgres == on_duckdb, f"output {number} differs"


def test_a_connection_given_back_to_the_pool_runs_the_same_statement_again(postgres_url):
    """psycopg prepares a statement run five times; ``DISCARD ALL`` on the way back to the pool dropped it on the
    server and the next lease failed with "prepared statement _pg3_0 does not exist" (or lost the connection)."""
    access = postgres.Access(postgres_url)
    try:
        for _ in range(3):
            with access.reading() as con:
                for n in range(7):
                    assert con.execute("SELECT ? + 1", [n]).fetchall() == [(n + 1,)]
    finally:
        access.close()


PROVINCES = ("CD-KKT-2025", "CDN-GD-2025", "CDN-YT-2025", "CD-P-TINHBIEN")  # four subtrees of the demo's tree


IN_FORCE = "SELECT count(*) FROM observations WHERE replaced_by IS NULL"


def _grassroots(demo_db, province: str) -> list[str]:
    """The grassroots unions directly below ``province`` in 2026, read from the DuckDB demo."""
    store = Store.open(demo_db, read_only=True)
    try:
        return [u for (u,) in store.rows("SELECT code FROM unit_years WHERE year = 2026 AND children = 0 "
                                          "AND parent = ? ORDER BY code", [province])]
    finally:
        store.close()


def _province_file(folder, province: str, leaves: list[str], value: int = 100):
    """Figures for 2024–2026 of every grassroots union under ``province``."""
    path = folder / f"{province.lower()}-{value}.csv"
    path.write_text(HEADER + "".join(f"{leaf},{indicator},{year},{value + n},,,Báo cáo {province},,imported\n"
                                     for n, leaf in enumerate(leaves) for year in (2024, 2025, 2026)
                                     for indicator in ("members", "new_members")), encoding="utf-8")
    return path


@pytest.mark.slow
def test_four_processes_import_four_provinces_at_once_and_every_row_lands(postgres_demo_url, demo_db, tmp_path):
    """Four ``python -m metrics import`` processes started together: the writers queue (an advisory lock), each
    rolls up over the others' values, none is refused; the result is the one of importing the four files one
    after the other into DuckDB."""
    import subprocess
    import sys

    from tests.helpers import ROOT

    leaves = {p: _grassroots(demo_db, p) for p in PROVINCES}
    files = [_province_file(tmp_path, p, leaves[p]) for p in PROVINCES]
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
    running = [subprocess.Popen([sys.executable, "-m", "metrics", "import", str(f), "--user", f.stem[:12],
                                 "--db", postgres_demo_url], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for f in files]
    outcomes = [(p.wait(180), p.stderr.read()) for p in running]
    assert [code for code, _ in outcomes] == [0, 0, 0, 0], outcomes
    for f in files:
        run_cli("import", f, "--user", f.stem[:12], db=demo_db)
    expected = sum(len(leaves[p]) for p in PROVINCES) * 6
    store = Store.open(postgres_demo_url)
    assert store.rows("SELECT count(*) FROM observations WHERE batch > 2")[0][0] == expected
    assert store.rows("SELECT count(*) FROM batches WHERE kind = 'import'")[0][0] == 4
    assert run_cli("status", "--format", "csv", db=postgres_demo_url).stdout == \
        run_cli("status", "--format", "csv", db=demo_db).stdout


@pytest.mark.slow
def test_two_imports_of_the_same_cells_at_once_give_one_success_and_one_message(postgres_demo_url, tmp_path):
    """Both files checked against the same data, both confirmed at the same moment: the first written, the
    second told that someone else wrote those cells meanwhile, and nothing of it written."""
    import threading

    from metrics.ingest import intake

    store = Store.open(postgres_demo_url)
    leaves = [u for (u,) in store.rows("SELECT code FROM unit_years WHERE year = 2026 AND children = 0 "
                                       "AND parent = ? ORDER BY code", [PROVINCES[0]])]
    reports = [intake.check(_province_file(tmp_path, PROVINCES[0], leaves, value), store=store, plan=None)
               for value in (100, 200)]
    assert all(r.ok for r in reports)
    start, outcome = threading.Barrier(2), {}

    def confirm(n: int) -> None:
        start.wait()
        try:
            outcome[n] = intake.commit(store, reports[n], user=f"user{n}")
        except UserError as exc:
            outcome[n] = exc

    threads = [threading.Thread(target=confirm, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    refused = [o for o in outcome.values() if isinstance(o, UserError)]
    written = [o for o in outcome.values() if not isinstance(o, UserError)]
    assert len(refused) == 1 and len(written) == 1, outcome
    assert refused[0].code in ("import-conflict", "data-changed") and "không có gì được ghi" in refused[0].vi.lower()
    assert store.rows("SELECT count(*) FROM batches WHERE kind = 'import'")[0][0] == 1
    winner = written[0].batch
    assert store.rows("SELECT count(*) FROM current_values WHERE batch = ?", [winner])[0][0] == len(leaves) * 6


def test_a_pool_lent_out_for_too_long_says_the_server_is_busy(postgres_url, monkeypatch):
    """Every connection of the process lent: after the wait, "busy, try again", not "cannot connect"."""
    import threading

    monkeypatch.setattr(postgres, "POOL_SIZE", 1)
    monkeypatch.setattr(postgres, "POOL_WAIT", 0.3)
    access = postgres.Access(postgres_url)
    held, done, seen = threading.Event(), threading.Event(), {}

    def holder() -> None:
        with access.reading():
            held.set()
            done.wait(10)

    def second() -> None:
        try:
            with access.reading():
                seen["error"] = None
        except UserError as exc:
            seen["error"] = exc

    first = threading.Thread(target=holder)
    first.start()
    held.wait(10)
    other = threading.Thread(target=second)
    other.start()
    other.join(10)
    done.set()
    first.join(10)
    access.close()
    refused = seen["error"]
    assert isinstance(refused, UserError) and refused.code == "database-busy", refused
    assert "đang bận" in refused.vi and "KPI_DB_POOL" in refused.en


@pytest.mark.slow
def test_two_processes_opening_a_new_database_at_once_migrate_it_once(postgres_url):
    """Both find the migrations pending; the advisory lock lets one apply them and the other find them done
    (without it the second failed on a table the first had just made)."""
    import threading

    results: dict[int, object] = {}

    def open_it(n: int) -> None:
        try:
            results[n] = Store._open_postgres(postgres_url, False).engine  # (each thread: its own connection)
        except Exception as exc:  # noqa: BLE001 - the failure is what the test reports
            results[n] = exc

    threads = [threading.Thread(target=open_it, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results == {0: "postgresql", 1: "postgresql", 2: "postgresql"}
    con = postgres.Connection(postgres_url)
    try:
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchall()[0][0] == len(migrations.MIGRATIONS)
    finally:
        con.close()


def test_a_long_read_sees_one_state_while_another_process_imports_and_a_write_in_it_sees_its_own(
        postgres_demo_url, demo_db, tmp_path):
    """``Store.reading()`` (a page run, ``status``, a report) holds one snapshot on PostgreSQL as on DuckDB: an
    import committed by another process meanwhile is in none of the block's reads, and in all of the next
    block's. A write inside the block (the import page's confirm) sees the newest data and the block's reads
    after it see the write."""
    leaves = _grassroots(demo_db, PROVINCES[0])
    store = Store.open(postgres_demo_url)
    with store.reading():
        before = store.rows(IN_FORCE)[0][0]
        cli("import", _province_file(tmp_path, PROVINCES[0], leaves), db=postgres_demo_url)  # another process
        assert store.rows(IN_FORCE)[0][0] == before  # its import: not in this block
        with store.transaction() as cur:  # a write of this block begins after the import, and is seen after it
            cur.execute("INSERT INTO audit (user_name, action, detail, source) "
                        "VALUES ('test', 'note', 'inside a read', 'cli')")
        assert store.rows(IN_FORCE)[0][0] == before + len(leaves) * 6
        assert store.rows("SELECT count(*) FROM audit WHERE detail = 'inside a read'")[0][0] == 1
    with store.reading():
        assert store.rows(IN_FORCE)[0][0] == before + len(leaves) * 6


def test_a_failed_statement_in_a_long_read_leaves_the_next_reads_working(postgres_demo_url):
    """PostgreSQL refuses every statement after a failed one in the same transaction: the read's snapshot is
    begun again, so a page that shows an error for one part still draws the rest."""
    import psycopg

    store = Store.open(postgres_demo_url)
    with store.reading():
        before = store.rows("SELECT count(*) FROM batches")[0][0]
        with pytest.raises(psycopg.errors.UndefinedTable):
            store.rows("SELECT * FROM no_such_table")
        assert store.rows("SELECT count(*) FROM batches")[0][0] == before
    with store.reading():  # the connection went back to the pool clean
        assert store.rows("SELECT count(*) FROM batches")[0][0] == before


def test_a_statement_refused_before_the_server_sees_it_keeps_the_reads_snapshot(postgres_demo_url, demo_db, tmp_path):
    """A parameter Python cannot send fails in the client: the server's transaction is sound, so the block's
    reads stay in the snapshot they began in (an import another process committed meanwhile stays out)."""
    leaves = _grassroots(demo_db, PROVINCES[1])
    store = Store.open(postgres_demo_url)
    with store.reading():
        before = store.rows(IN_FORCE)[0][0]
        cli("import", _province_file(tmp_path, PROVINCES[1], leaves), db=postgres_demo_url)
        with pytest.raises(Exception, match="adapt"):
            store.rows("SELECT ?::text", [object()])
        assert store.rows(IN_FORCE)[0][0] == before
