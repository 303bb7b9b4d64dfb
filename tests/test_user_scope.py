"""Analysts scoped to a unit (issue 18): imports, undos and templates stay in the unit's subtree, on a real
DuckDB copy of the demo, with real CSV files; the scope is set by an administrator and recorded in the log."""

from __future__ import annotations

import json

import pytest

from metrics.ingest import intake, templates
from metrics.judging import audit_words
from metrics.storage import audit, users
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError
from tests.helpers import add_user, cli, open_copy, read_csv, sign_in, texts

PLAN = "DH-XI-2023-2028"
SCOPE = "CD-P-LONGXUYEN"  # a ward union of the province after the 2025 merger
OTHER = "CD-P-BINHDUC"  # another ward union, beside it
HEADER = "unit,indicator,year,value,numerator,denominator,source,note,provenance\n"


def _file(tmp_path, *units: str, value: int = 123):
    path = tmp_path / "so-lieu.csv"
    path.write_text(HEADER + "".join(f"{u},new_members,2026,{value},,,Báo cáo thử,,imported\n" for u in units),
                    encoding="utf-8")
    return path


def _values(store) -> int:
    return store.rows("SELECT count(*) FROM observations")[0][0]


@pytest.fixture
def store(demo_template, tmp_path):
    opened = open_copy(demo_template, tmp_path)
    yield opened
    opened.close()


def _below(store, unit: str) -> str:
    """A unit whose parent is ``unit`` at the end of 2026."""
    return store.rows("SELECT code FROM units WHERE parent = ? AND valid_from <= DATE '2026-12-31' "
                      "AND (valid_to IS NULL OR valid_to >= DATE '2026-12-31') ORDER BY code LIMIT 1", [unit])[0][0]


def test_a_row_outside_the_scope_is_an_error_and_nothing_is_written(store, tmp_path):
    before = _values(store)
    report = intake.check(_file(tmp_path, SCOPE, _below(store, SCOPE), OTHER), store=store, plan=PLAN, scope=SCOPE)
    assert not report.ok
    outside = [p for p in report.problems if p.code == "outside-scope"]
    assert [(p.row, p.value) for p in outside] == [(4, OTHER)]  # the header is row 1
    assert "Long Xuyên" in outside[0].message("vi") and "outside the scope" in outside[0].message("en")
    with pytest.raises(UserError) as refused:
        intake.commit(store, report, user="ana", scope=SCOPE)
    assert refused.value.code == "import-has-errors"
    assert _values(store) == before


def test_the_same_file_without_a_scope_is_accepted(store, tmp_path):
    report = intake.check(_file(tmp_path, SCOPE, OTHER), store=store, plan=PLAN)
    assert report.ok, [p.message("en") for p in report.problems]
    report.close()


def test_a_file_inside_the_scope_is_imported_and_the_log_names_the_scope(store, tmp_path):
    report = intake.check(_file(tmp_path, SCOPE, _below(store, SCOPE)), store=store, plan=PLAN, scope=SCOPE)
    assert report.ok, [p.message("en") for p in report.problems]
    result = intake.commit(store, report, user="ana", scope=SCOPE, source="web")
    assert result.written == 2
    row = audit.entries(store, actions=["import"]).iloc[0]
    assert json.loads(row["detail"])["scope"] == SCOPE
    assert f"phạm vi {SCOPE}" in audit_words.words("import", row["detail"], "vi")


def test_a_check_made_under_another_scope_is_not_written(store, tmp_path):
    before = _values(store)
    report = intake.check(_file(tmp_path, OTHER), store=store, plan=PLAN)  # checked with no scope
    with pytest.raises(UserError) as refused:
        intake.commit(store, report, user="ana", scope=SCOPE)
    assert refused.value.code == "scope-changed"
    assert _values(store) == before
    report.close()


def test_undo_of_a_batch_outside_the_scope_is_refused_and_inside_it_works(store, tmp_path):
    report = intake.check(_file(tmp_path, OTHER), store=store, plan=PLAN)
    batch = intake.commit(store, report, user="admin").batch
    with pytest.raises(UserError) as refused:
        intake.undo(store, batch, user="ana", scope=SCOPE)
    assert refused.value.code == "batch-outside-scope" and OTHER in refused.value.message("vi")
    assert store.rows("SELECT rolled_back_by FROM batches WHERE id = ?", [batch])[0][0] is None
    province = store.rows("SELECT parent FROM units WHERE code = ? ORDER BY valid_from DESC LIMIT 1", [OTHER])[0][0]
    intake.undo(store, batch, user="tinh", scope=province)  # the province's analyst covers both wards
    assert store.rows("SELECT rolled_back_by FROM batches WHERE id = ?", [batch])[0][0] is not None


def test_a_scoped_template_holds_only_the_scope(store):
    allowed = {SCOPE} | {code for (code,) in store.rows(
        "SELECT code FROM units WHERE parent = ? AND (valid_to IS NULL OR valid_to >= DATE '2026-12-31')", [SCOPE])}
    frame = templates.rows(store, PLAN, 2026, within=SCOPE)
    shown = set(frame.iloc[:, 0])
    assert SCOPE in shown and shown <= allowed
    with pytest.raises(UserError):
        templates.rows(store, PLAN, 2026, units=[OTHER], within=SCOPE)


def test_an_unknown_unit_cannot_be_a_scope_and_changes_nothing(store):
    users.add(store, "ana", "Ana", "analyst", "một mật khẩu đủ dài", by="test", source="cli")
    with pytest.raises(UserError) as refused:
        users.set_scope(store, "ana", "KHONG-CO", by="test", source="cli")
    assert refused.value.code == "unknown-unit"
    assert users.get(store, "ana").unit is None


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_the_command_line_sets_shows_and_clears_a_scope(engine, request):
    demo_db = request.getfixturevalue("demo_db" if engine == "duckdb" else "postgres_demo_url")
    add_user(demo_db, "ana", "analyst")
    cli("users", "set-unit", "ana", SCOPE.lower(), db=demo_db)  # the code as the units file writes it
    listed = {r["username"]: r for r in read_csv(cli("users", "list", "--format", "csv", db=demo_db).stdout)}
    assert listed["ana"]["unit"] == SCOPE
    cli("users", "set-unit", "ana", db=demo_db)
    listed = {r["username"]: r for r in read_csv(cli("users", "list", "--format", "csv", db=demo_db).stdout)}
    assert listed["ana"]["unit"] == ""
    wrong = cli("users", "set-unit", "ana", "KHONG-CO", db=demo_db, check=False)
    assert wrong.returncode == 1 and "KHONG-CO" in wrong.stderr
    logged = read_csv(cli("audit", "--action", "user-scope", "--format", "csv", db=demo_db).stdout)
    assert len(logged) == 2


def test_the_import_page_tells_a_scoped_analyst_their_scope(demo_db, dashboard, monkeypatch):
    add_user(demo_db, "ana", "analyst")
    opened = Store.open(demo_db)
    try:
        users.set_scope(opened, "ana", SCOPE, by="test", source="cli")
    finally:
        opened.close()
    monkeypatch.setenv("KPI_DB", str(demo_db))
    at = dashboard(demo_db, public=False)
    sign_in(at, "ana")
    at.run()
    at.switch_page("views/import.py").run()
    assert not at.exception
    assert "Long Xuyên" in texts(at) and "Phạm vi của bạn" in texts(at)


@pytest.mark.slow
@pytest.mark.postgres
def test_a_scoped_analyst_is_refused_outside_the_subtree_on_postgresql_too(postgres_demo_url, tmp_path):
    """The same rules through the same calls on a PostgreSQL copy of the demo: the check (run on a private
    DuckDB copy) marks the row outside, a file inside is written with the scope in the log, and the undo of a
    batch outside the scope is refused."""
    store = Store.open(postgres_demo_url)
    before = _values(store)
    below = _below(store, SCOPE)
    report = intake.check(_file(tmp_path, SCOPE, below, OTHER), store=store, plan=PLAN, scope=SCOPE)
    assert [(p.row, p.value) for p in report.problems if p.code == "outside-scope"] == [(4, OTHER)]
    with pytest.raises(UserError):
        intake.commit(store, report, user="ana", scope=SCOPE)
    assert _values(store) == before
    inside = intake.check(_file(tmp_path, SCOPE, below), store=store, plan=PLAN, scope=SCOPE)
    assert intake.commit(store, inside, user="ana", scope=SCOPE, source="web").written == 2
    assert json.loads(audit.entries(store, actions=["import"]).iloc[0]["detail"])["scope"] == SCOPE
    other = intake.commit(store, intake.check(_file(tmp_path, OTHER, value=7), store=store, plan=PLAN), user="admin")
    with pytest.raises(UserError) as refused:
        intake.undo(store, other.batch, user="ana", scope=SCOPE)
    assert refused.value.code == "batch-outside-scope"
    assert store.rows("SELECT rolled_back_by FROM batches WHERE id = ?", [other.batch])[0][0] is None


@pytest.mark.postgres
def test_postgresql_itself_refuses_a_scoped_write_outside_the_subtree(postgres_demo_url):
    """The program's check bypassed: values written straight through ``write_batch`` under a scope. Row-level
    security (migration 0019) refuses the one outside and keeps nothing of that transaction; inside, it writes.
    An undo under a scope of a batch outside it is refused by the database too."""
    import pandas as pd

    from metrics.ingest.commit import _translated
    from metrics.storage import postgres
    from metrics.storage.store import limit_writes_to, rollback_batch, write_batch

    store = Store.open(postgres_demo_url)
    before = _values(store)
    below = _below(store, SCOPE)

    def values(*units: str) -> pd.DataFrame:
        return pd.DataFrame({"unit": list(units), "indicator": "new_members", "year": 2026, "value": 5.0})

    with pytest.raises(postgres.OutsideScope, match="row-level security") as refused, store.transaction() as cur:
        limit_writes_to(cur, SCOPE)
        write_batch(cur, values(below, OTHER), "import", user="ana", provisional=True)
    assert _values(store) == before
    assert "ngoài phạm vi" in _translated(refused.value).vi  # what the import or undo then says
    with store.transaction() as cur:
        limit_writes_to(cur, SCOPE)
        write_batch(cur, values(SCOPE, below), "import", user="ana", provisional=True)  # an import is (0023)
    assert _values(store) == before + 2
    with store.transaction() as cur:  # no scope: the whole federation, as before
        outside = write_batch(cur, values(OTHER), "import", user="admin")
    with pytest.raises(postgres.OutsideScope, match="row-level security"), store.transaction() as cur:
        limit_writes_to(cur, SCOPE)
        rollback_batch(cur, outside, user="ana")
    assert store.rows("SELECT rolled_back_by FROM batches WHERE id = ?", [outside])[0][0] is None


@pytest.mark.postgres
def test_postgresql_itself_refuses_a_scoped_writers_batches_quotas_users_and_log_rows_outside(postgres_demo_url):
    """Migration 0023, the program's check bypassed (SQL straight under ``limit_writes_to``): a scoped writer
    cannot undo a batch outside its subtree (neither its rollback row nor the mark on the batch), approve its own
    batch, write quotas, units or users (its own scope among them), or log a row under another scope or change
    one; each refused in a transaction that keeps nothing. Inside its subtree it imports, logs and undoes."""
    import pandas as pd
    import psycopg

    from metrics.storage import postgres
    from metrics.storage.store import limit_writes_to, rollback_batch, write_batch

    store = Store.open(postgres_demo_url)
    with store.transaction() as cur:  # no scope: the whole federation
        outside = write_batch(cur, pd.DataFrame({"unit": [OTHER], "indicator": "new_members", "year": 2026,
                                                 "value": 5.0}), "import", user="admin")
    untouched = store.rows("SELECT * FROM batches ORDER BY id"), store.rows("SELECT count(*) FROM audit")

    def refused(sql: str, params: list, error: type[Exception]) -> None:
        with pytest.raises(error), store.transaction() as cur:
            limit_writes_to(cur, SCOPE)
            cur.execute(sql, params)

    rls, denied = postgres.OutsideScope, psycopg.errors.InsufficientPrivilege
    refused("INSERT INTO batches (kind, user_name, reverts, rows) VALUES ('rollback', 'ana', ?, 0)", [outside], rls)
    refused("UPDATE batches SET rolled_back_by = 1 WHERE id = ?", [outside], rls)
    refused("INSERT INTO batches (kind, user_name, approved_at, approved_by) VALUES ('import', 'ana', now(), 'ana')",
            [], rls)  # a batch of its own, approved by itself
    refused("UPDATE batches SET approved_at = now(), approved_by = 'ana' WHERE id = ?", [outside], denied)
    refused("UPDATE observations SET value = 0 WHERE batch = ?", [outside], denied)  # a value changed in place
    refused("UPDATE target_quotas SET value = value / 2 WHERE unit = ?", [SCOPE], denied)
    refused("INSERT INTO target_quotas SELECT plan, code, ?, 1 FROM targets LIMIT 1", [SCOPE], denied)
    refused("UPDATE users SET unit = NULL", [], denied)
    refused("UPDATE units SET parent = ? WHERE code = ?", [SCOPE, OTHER], denied)
    refused("INSERT INTO audit (user_name, action, detail, source) VALUES ('ana', 'import', ?, 'web')",
            [json.dumps({"scope": OTHER})], rls)
    refused("DELETE FROM audit", [], denied)
    assert (store.rows("SELECT * FROM batches ORDER BY id"), store.rows("SELECT count(*) FROM audit")) == untouched
    with store.transaction() as cur:
        limit_writes_to(cur, SCOPE)
        inside = write_batch(cur, pd.DataFrame({"unit": [SCOPE], "indicator": "new_members", "year": 2026,
                                                "value": 6.0}), "import", user="ana", provisional=True)
        audit.record(cur, "ana", "import", {"batch": inside, "scope": SCOPE}, source="web")
    with store.transaction() as cur:
        limit_writes_to(cur, SCOPE)
        undo = rollback_batch(cur, inside, user="ana")
        audit.record(cur, "ana", "undo", {"batch": inside, "operation": undo, "scope": SCOPE}, source="web")
    assert store.rows("SELECT rolled_back_by FROM batches WHERE id = ?", [inside])[0][0] == undo
    store.close()


@pytest.mark.postgres
@pytest.mark.slow
def test_a_scoped_analyst_still_imports_after_the_database_is_made_again_on_postgresql(postgres_demo_url, tmp_path):
    """``init --force`` empties PostgreSQL by dropping the schema ``public`` and making it again. The new schema
    lacks the usage every role had on the old one, so the role a scoped writer's transaction takes (migration
    0019) could not see a table: every scoped import failed with a database error, not a message."""
    from tests.helpers import run_cli

    run_cli("init", "--demo", "--force", db=postgres_demo_url)
    store = Store.open(postgres_demo_url)
    try:
        inside = intake.check(_file(tmp_path, SCOPE, _below(store, SCOPE)), store=store, plan=PLAN, scope=SCOPE)
        assert intake.commit(store, inside, user="ana", scope=SCOPE, source="web").written == 2
    finally:
        store.close()
