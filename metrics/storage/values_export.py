"""All values in force (or as of a batch) in the long layout of ``docs/interfaces.md``, ready to import again."""

from __future__ import annotations

from pathlib import Path

from metrics.storage import dialect, rollups
from metrics.storage.store import Store, in_force_sql
from metrics.vocabulary.shared import sql_text

COLUMNS = ["unit", "indicator", "year", "value", "numerator", "denominator", "source", "note", "provenance"]


def _plain(column: str) -> str:
    """SQL: a number as machines and both conventions read it: ``111258``, ``92.14``; empty for none."""
    return (f"CASE WHEN {column} IS NULL THEN NULL "
            f"WHEN {column} = trunc({column}) AND abs({column}) < 1e15 THEN CAST(CAST({column} AS BIGINT) AS VARCHAR) "
            f"ELSE CAST({column} AS VARCHAR) END AS {column}")


def export_values(store: Store, path: str | Path, as_of: int | None = None, *, approved_only: bool = False,
                  marked: bool = False) -> int:
    """Write every cell in force to a UTF-8 CSV at ``path``; return the number of rows written.

    ``approved_only``: the values in force leaving out the batches not yet approved (``approved_values``; as of
    a batch, the state then over the approved batches);
    ``marked``: a last column ``approval`` (``approved`` or ``provisional``)."""
    sql, params = (("SELECT * FROM approved_values", []) if approved_only and as_of is None
                   else in_force_sql(as_of, approved=approved_only))
    numbers = ", ".join(_plain(c) for c in ("value", "numerator", "denominator"))
    approval = (f""", CASE WHEN o.batch IN ({rollups.UNAPPROVED}) THEN 'provisional'
                     ELSE 'approved' END AS approval""" if marked else "")
    with store.cursor() as cur:
        cur.execute(f"""CREATE TEMP TABLE export_rows AS
                        SELECT unit, indicator, year, {numbers}, source, note, provenance{approval} FROM ({sql}) o
                        ORDER BY indicator, unit, year""", params)
        count = cur.execute("SELECT count(*) FROM export_rows").fetchall()[0][0]
        if dialect.of(cur).postgres:  # the server's COPY TO writes on the server: the rows come to us instead
            cur.copy_out("COPY export_rows TO STDOUT (FORMAT csv, HEADER)", path)
        else:
            cur.execute(f"COPY export_rows TO {sql_text(path)} (HEADER, DELIMITER ',')")
    return int(count)
