"""Where the check of a values file runs when the database is PostgreSQL: a private in-memory DuckDB.

The check is DuckDB SQL over the file's rows (``read_csv``, regular expressions, lists, temporary tables by
the dozen, parquet). On PostgreSQL it runs here unchanged, over copies of what it reads from the database
(docs/storage.md, "the import on PostgreSQL"):

- ``open_for(store)``: the schema, and the catalogue (units, indicators, plans, targets, period totals, the
  tree of every year) copied in from PostgreSQL before the file is read;
- ``copy_values(store, cur)``: once the file's cells are known (``checked``), the values in force and the
  figures of the file's indicators, every unit and year: the change checks compare with the year before,
  and the status preview rolls the touched years up again and judges the plan's years (a cumulative target
  reads the leaves' values of every year: copying the file's years alone gave another preview, tested).

Only the checked rows go back to PostgreSQL, in the commit's transaction (``metrics.ingest.commit``).
"""

from __future__ import annotations

import contextlib
import functools

import duckdb
import pandas as pd

from metrics.storage import migrations
from metrics.storage.store import Store

CATALOGUE = ("units", "indicators", "plans", "targets", "target_quotas", "period_totals", "unit_years")


@functools.cache
def _schema() -> tuple[str, ...]:
    """The DuckDB schema of today as statements, from one migration of an empty in-memory database per
    process (replaying them takes milliseconds, migrating over a second). Views in the order they were made:
    a view may read another (``approved_values`` reads ``current_values``)."""
    con = duckdb.connect(":memory:")
    try:
        migrations.migrate(con)
        statements = [sql for (sql,) in con.execute("SELECT sql FROM duckdb_sequences()").fetchall()]
        statements += [sql for (sql,) in con.execute(
            "SELECT sql FROM duckdb_tables() WHERE NOT temporary ORDER BY table_oid").fetchall()]
        statements += [sql for (sql,) in con.execute(
            "SELECT sql FROM duckdb_views() WHERE NOT internal AND NOT temporary ORDER BY view_oid").fetchall()]
        statements += [f"INSERT INTO schema_migrations (name) VALUES ('{name}')" for name, _ in migrations.MIGRATIONS]
        return tuple(statements)
    finally:
        con.close()


@contextlib.contextmanager
def open_for(store: Store):
    """A cursor of a fresh in-memory DuckDB holding ``store``'s catalogue; closed (and gone) after."""
    con = duckdb.connect(":memory:")
    try:
        for statement in _schema():
            con.execute(statement)
        for table in CATALOGUE:
            _insert(con, table, store.frame(f"SELECT * FROM {table}"))
        cur = con.cursor()
        try:
            yield cur
        finally:
            cur.close()
    finally:
        con.close()


def copy_values(store: Store, cur) -> None:
    """The values in force and figures the rest of the check reads, for the cells of ``checked``."""
    indicators = [i for (i,) in cur.execute(
        "SELECT DISTINCT indicator FROM checked WHERE indicator IS NOT NULL ORDER BY 1").fetchall()]
    if not indicators:
        return
    values = store.frame("SELECT o.* FROM current_values o WHERE o.indicator IN (SELECT unnest(?::VARCHAR[]))",
                         [indicators])
    _insert(cur, "observations", values)
    _insert(cur, "figures", store.frame("SELECT * FROM figures WHERE indicator IN (SELECT unnest(?::VARCHAR[]))",
                                        [indicators]))


def _insert(cur, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    cur.register("copied_in", frame)
    try:
        cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM copied_in")
    finally:
        cur.unregister("copied_in")
