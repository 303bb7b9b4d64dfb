"""The values stored in (indicator, year, unit) order (migration 0024, ``write_batch``): a target's read of its
indicator skips the blocks of the others. A database whose values were written unit by unit upgrades to that
order with every status, as-of state and history unchanged; an import appends its values in that order."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from metrics.ingest import intake
from metrics.storage import migrations
from metrics.storage.store import Store
from tests.helpers import assert_last_import_undoes, run_cli
from tests.test_migrations import history

ORDERED = "0024_values_in_indicator_order"
STORED = "SELECT indicator, year, unit, batch FROM observations ORDER BY rowid"  # as the blocks hold them
CONSTRAINTS = """SELECT constraint_type, constraint_text, expression, constraint_column_names, constraint_name
                 FROM duckdb_constraints() WHERE table_name = 'observations' ORDER BY constraint_name"""


def stored(path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(STORED).fetchall()
    finally:
        con.close()


def in_indicator_order(rows: list[tuple]) -> bool:
    keys = [(indicator, year, unit) for indicator, year, unit, _ in rows]
    return keys == sorted(keys)


def before_0024(made, path) -> tuple[list, list]:
    """``made`` copied to ``path`` as the program before 0024 left such a database: the values written unit by
    unit (as a file is read), 0024 not applied. Returns the table's columns and constraints there."""
    shutil.copy(made, path)
    con = duckdb.connect(str(path))
    try:
        con.execute("BEGIN")
        con.execute("CREATE TEMP TABLE written AS SELECT * FROM observations")
        con.execute("DELETE FROM observations")
        con.execute("INSERT INTO observations SELECT * FROM written ORDER BY unit, year, indicator, batch")
        con.execute("DELETE FROM schema_migrations WHERE name = ?", [ORDERED])
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        return con.execute("DESCRIBE observations").fetchall(), con.execute(CONSTRAINTS).fetchall()
    finally:
        con.close()


def listings(path, batches: list[int]) -> list[str]:
    """Every listing a user reads from the values: the status now, as right after each batch, the approved
    figures, and the history of the imports."""
    outputs = [run_cli("status", "--format", "csv", db=path).stdout,
               run_cli("status", "--format", "csv", "--approved-only", db=path).stdout,
               run_cli("history", db=path).stdout]
    outputs += [run_cli("status", "--format", "csv", "--as-of", str(b), db=path).stdout for b in batches]  # (undone later)
    return outputs


@pytest.mark.slow
def test_values_written_unit_by_unit_upgrade_to_indicator_order_with_the_same_statuses(tmp_path):
    made = tmp_path / "made.duckdb"
    history(made)  # corrections, an undo of a replaced import, an undo in force
    old = tmp_path / "old.duckdb"
    columns, constraints = before_0024(made, old)
    before = stored(old)
    assert not in_indicator_order(before)  # the test starts from the interleaved layout
    with duckdb.connect(str(made), read_only=True) as con:
        batches = [b for (b,) in con.execute(
            "SELECT id FROM batches WHERE rolled_back_by IS NOT NULL ORDER BY id").fetchall()]
    assert len(batches) == 2

    Store.open(old).close()  # as every command that writes opens it: migrated
    con = duckdb.connect(str(old), read_only=True)
    try:
        assert con.execute("SELECT max(name) FROM schema_migrations").fetchall() == [(ORDERED,)]
        assert con.execute("DESCRIBE observations").fetchall() == columns
        assert con.execute(CONSTRAINTS).fetchall() == constraints
        assert con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'current_values'"
                           ).fetchall() == [("VIEW",)]
        every = "SELECT * FROM observations ORDER BY ALL"
        con.execute(f"ATTACH '{made}' AS made (READ_ONLY)")
        assert con.execute(every).fetchall() == con.execute(every.replace("observations", "made.observations")
                                                            ).fetchall()  # each version, replaced_by included
    finally:
        con.close()
    after = stored(old)
    assert in_indicator_order(after) and sorted(after) == sorted(before)
    expected = listings(made, batches)
    assert listings(old, batches) == expected and expected[0].count("\n") > 10

    assert_last_import_undoes(old)


def test_an_import_appends_its_values_in_indicator_order(mini_store, tmp_path):
    """A file read unit by unit (every indicator of a unit, then the next unit) is stored indicator by
    indicator, year by year, unit by unit."""
    units, indicators = ["G2", "G1", "D2", "D1"], ["members", "houses"]  # valid in 2023-2024; values only
    rows = [f"{u},{i},{y},{n}" for n, (u, y, i) in enumerate(
        (u, y, i) for u in units for y in (2024, 2023) for i in indicators)]
    values = tmp_path / "values.csv"
    values.write_text("unit,indicator,year,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = intake.check(values, store=mini_store)
    assert report.ok, report.counts_by_code
    batch = intake.commit(mini_store, report, user="test").batch
    mini_store.close()
    mine = [r for r in stored(mini_store.path) if r[3] == batch]
    assert len(mine) == len(rows) and in_indicator_order(mine)
    assert migrations.MIGRATIONS[-1][0] == ORDERED
