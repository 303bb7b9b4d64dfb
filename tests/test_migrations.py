"""Migrations hold their own DDL: a database upgraded step by step ends with the same schema and the same
derived figures as one made today, and no migration runs code that may change after it."""

from __future__ import annotations

import ast
import inspect

import duckdb
import pytest

from metrics.storage import db, migrations
from tests.helpers import copy_database

SCHEMA = """SELECT table_name, column_name, data_type, is_nullable, column_default
            FROM information_schema.columns WHERE table_schema = 'main' ORDER BY ALL"""


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
            columns = [r[0] for r in old.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
                "AND table_name = ?", [table]).fetchall()]
            listed = ", ".join(f'"{c}"' for c in columns)
            old.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM demo.{table}")
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
