"""Migrations hold their own DDL: a database upgraded step by step ends with the same schema and the same
derived figures as one made today, and no migration runs code that may change after it."""

from __future__ import annotations

import ast
import inspect

import duckdb
import pytest
from pandas.testing import assert_frame_equal

from metrics.catalogue.loading import init_database
from metrics.ingest import intake
from metrics.storage import db, migrations
from metrics.storage.store import Store
from tests.helpers import assert_last_import_undoes, copy_database, run_cli

SCHEMA = """SELECT table_name, column_name, data_type, is_nullable, column_default
            FROM information_schema.columns WHERE table_schema = 'main' ORDER BY ALL"""


def copy_table(old, attached: str, table: str) -> None:
    """Copy ``table`` from the attached database into the old one, by the old table's own columns."""
    columns = [r[0] for r in old.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
        "AND table_name = ?", [table]).fetchall()]
    listed = ", ".join(f'"{c}"' for c in columns)
    old.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {attached}.{table}")


def schema(con) -> list[tuple]:
    return con.execute(SCHEMA).fetchall()


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    path = copy_database(demo_template, tmp_path_factory.mktemp("migrations"), "demo.duckdb")
    return path


def fresh(path) -> duckdb.DuckDBPyConnection:
    con = db.connect(path)
    migrations.migrate(con)
    return con


@pytest.mark.parametrize("first", [1, 5, 6, 7, 9, len(migrations.MIGRATIONS) - 1])
def test_an_upgraded_database_has_the_schema_of_a_new_one(tmp_path, first):
    """0006 created the figures table with the column 0008 adds (it called the roll-ups' code of today):
    a database made new got it at 0006, an upgraded one at 0008."""
    new = fresh(tmp_path / "new.duckdb")
    old = db.connect(tmp_path / "old.duckdb")
    try:
        migrations.migrate(old, until=first)
        migrations.migrate(old)
        assert schema(old) == schema(new)
    finally:
        old.close()
        new.close()


def test_figures_made_by_an_upgrade_equal_the_figures_made_new(tmp_path, demo):
    """The values of a database from before the derived tables (0005) are rolled up when it is upgraded,
    by the same code and into the same rows as a database made today."""
    old = db.connect(tmp_path / "old.duckdb")
    try:
        migrations.migrate(old, until=5)
        old.execute(f"ATTACH '{demo}' AS demo (READ_ONLY)")
        for table in ("units", "indicators", "plans", "targets", "batches", "observations"):
            copy_table(old, "demo", table)
        old.execute("DETACH demo")
        migrations.migrate(old)
        upgraded = old.execute("SELECT * FROM figures ORDER BY ALL").fetchall()
    finally:
        old.close()
    made = duckdb.connect(str(demo), read_only=True)
    try:
        assert upgraded == made.execute("SELECT * FROM figures ORDER BY ALL").fetchall()
        assert len(upgraded) > 1000
    finally:
        made.close()


def test_no_migration_calls_the_code_of_today():
    for name, step in migrations.MIGRATIONS:
        tree = ast.parse(inspect.getsource(step))
        imported = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
        named = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert not imported and not named & {"rollups", "store", "catalogue", "loading"}, name


UPGRADED_TABLES = ("units", "indicators", "plans", "targets", "period_totals", "batches", "observations",
                   "unit_years", "figures")


def history(path):
    """The demo database with a history of every kind: a cell corrected twice, an import undone after a later
    one replaced it, an import undone while in force (its cells fall back to an older version)."""
    store = init_database(path, demo=True)
    try:
        imports = ["883,union_houses,2024,11\n884,union_houses,2024,7\n",
                   "883,union_houses,2024,12\n",
                   "883,union_houses,2024,13\n884,union_houses,2024,8\nCD-P-LONGXUYEN,members,2026,1500\n"]
        batches = []
        for number, rows in enumerate(imports):
            values = path.with_name(f"values-{number}.csv")
            values.write_text("unit,indicator,year,value\n" + rows, encoding="utf-8")
            report = intake.check(values, store=store)
            assert report.ok, report.counts_by_code
            batches.append(intake.commit(store, report, user="test").batch)
        intake.undo(store, batches[0], user="test")  # replaced by the second already: nothing falls back
        intake.undo(store, batches[2], user="test")  # in force: 883 falls back to 12, 884 to its demo value
        intake.approve(store, batches[1], user="test")  # as 0017 takes every batch made before approval existed
    finally:
        store.close()


@pytest.mark.slow
def test_a_database_of_the_old_layout_upgrades_to_the_same_values_history_and_statuses(tmp_path):
    """A database as the program before value versions left it (0013: every version in ``observations``, the
    values in force copied in ``current_values``) upgrades with 0014: the values in force, every as-of state
    and every target's status are what they were; the copy is gone (a view of the open versions)."""
    made = tmp_path / "made.duckdb"
    history(made)
    old_path = tmp_path / "old.duckdb"
    old = db.connect(old_path)
    try:
        migrations.migrate(old, until=13)
        old.execute(f"ATTACH '{made}' AS made (READ_ONLY)")
        for table in UPGRADED_TABLES:
            copy_table(old, "made", table)
        old.execute("INSERT INTO current_values SELECT * FROM made.current_values")
        old.execute("SELECT max(nextval('batch_ids')) FROM range((SELECT max(id) FROM batches))").fetchall()
        old.execute("DETACH made")
        assert old.execute("SELECT count(*) FROM observations").fetchall()[0][0] > \
            old.execute("SELECT count(*) FROM current_values").fetchall()[0][0]  # there is a history
    finally:
        old.close()
    upgraded, new = Store.open(old_path), Store.open(made, read_only=True)
    quotas = new.frame("SELECT * FROM target_quotas")
    with upgraded.transaction() as cur:  # the demo's quotas (0016, after this layout), as an administrator loads them
        cur.register("quotas", quotas)
        cur.execute("INSERT INTO target_quotas SELECT * FROM quotas")
        cur.unregister("quotas")
    try:
        ran = [name for (name,) in upgraded.rows("SELECT name FROM schema_migrations ORDER BY name")]
        assert "0014_value_versions" in ran and ran[-1] == migrations.MIGRATIONS[-1][0]  # 0014 and all after it
        assert upgraded.rows("SELECT table_type FROM information_schema.tables WHERE table_name = 'current_values'") \
            == [("VIEW",)]
        assert_frame_equal(upgraded.observations(), new.observations())
        for (batch,) in new.rows("SELECT id FROM batches ORDER BY id"):
            assert_frame_equal(upgraded.observations(as_of=batch), new.observations(as_of=batch))
        assert upgraded.rows("SELECT * FROM figures ORDER BY ALL") == new.rows("SELECT * FROM figures ORDER BY ALL")
        in_force = "SELECT unit, indicator, year, batch, replaced_by IS NULL FROM observations ORDER BY ALL"
        assert upgraded.rows(in_force) == new.rows(in_force)
        twice = """SELECT count(*) FROM (SELECT unit, indicator, year FROM observations WHERE replaced_by IS NULL
                                        GROUP BY ALL HAVING count(*) > 1)"""
        assert upgraded.rows(twice) == new.rows(twice) == [(0,)]  # one version in force a cell
    finally:
        upgraded.close()
        new.close()
    status = [run_cli("status", "--format", "csv", db=path).stdout for path in (old_path, made)]
    assert status[0] == status[1] and status[0].count("\n") > 10
    assert_last_import_undoes(old_path)

