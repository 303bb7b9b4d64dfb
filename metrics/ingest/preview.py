"""What an import would change: cells created, updated or unchanged, and the target statuses it moves.

Statuses are judged by the same ``Scorecard`` the dashboard uses, once on the values in force and once
on the values with the file laid over them, so the preview says what the overview will show.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.domain.records import Plan, Target
from metrics.ingest.layout import Layout
from metrics.ingest.validate import effective
from metrics.judging.scorecard import Scorecard
from metrics.storage import rollups
from metrics.storage.figure_sources import StoredFigures
from metrics.storage.store import CursorStore, Store, in_force_sql
from metrics.vocabulary.shared import sql_text

SAMPLE_CHANGES = 1000
CHANGE_COLUMNS = ["row", "unit", "unit_name_vi", "unit_name_en", "indicator", "indicator_name_vi",
                  "indicator_name_en", "kind", "decimals", "year", "old", "new", "change"]


def compare(cur, layout: Layout) -> dict[str, int]:
    """Create ``diff``: every cell of the rows without errors (``error_rows``, from the check) against the
    value in force (its texts are not copied: ``changes`` looks up those of the cells it lists). ``change``: created, updated (the figure changes), annotated (only its source, note or
    provenance changes) or unchanged; texts are compared only when the file has their column."""
    texts: list[str] = [name for name in ("source", "note") if name in layout.columns]
    # the texts by their numbers (``source_nid``: the same number for the same stored text, ``validate._current``)
    same_text = " AND ".join(f"n.{name}_nid IS NOT DISTINCT FROM c.{name}_nid" for name in texts) or "true"
    same_provenance = ("coalesce(n.provenance, 'imported') = c.provenance" if "provenance" in layout.columns
                       else "true")
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE diff AS
        WITH incoming AS (
            SELECT c.row, c.unit, c.indicator, c.unit_id, c.indicator_id, c.year, c.value, c.numerator, c.denominator, c.kind,
                   c.source_id, s.nid AS source_nid, c.note_id, n.nid AS note_nid, c.provenance_text AS provenance
            FROM checked c
            LEFT JOIN source_nfc s ON s.id = c.source_id
            LEFT JOIN note_nfc n ON n.id = c.note_id
            WHERE NOT EXISTS (SELECT 1 FROM error_rows e WHERE e.row = c.row))
        SELECT n.* EXCLUDE (source_nid, note_nid), c.value AS old_value, c.numerator AS old_numerator,
               c.denominator AS old_denominator,
               {_texts_changed(texts)} AS texts_changed,
               CASE WHEN c.unit IS NULL THEN 'created'
                    WHEN NOT (n.value IS NOT DISTINCT FROM c.value AND n.numerator IS NOT DISTINCT FROM c.numerator
                              AND n.denominator IS NOT DISTINCT FROM c.denominator) THEN 'updated'
                    WHEN {same_text} AND {same_provenance} THEN 'unchanged'
                    ELSE 'annotated' END AS change
        FROM incoming n  -- joined on the numbers of the unit and indicator (``validate._current``), not the codes
        LEFT JOIN current c ON c.unit_id = n.unit_id AND c.indicator_id = n.indicator_id AND c.year = n.year""")
    counts = dict(cur.execute("SELECT change, count(*) FROM diff GROUP BY change").fetchall())
    return {name: int(counts.get(name, 0)) for name in CHANGES}


CHANGES = ("created", "updated", "annotated", "unchanged")


def _texts_changed(texts: list[str]) -> str:
    """SQL: the source or the note of an existing cell changes (for the preview's second list)."""
    changed = " OR ".join(f"n.{name}_nid IS DISTINCT FROM c.{name}_nid" for name in texts)
    return f"(c.unit IS NOT NULL AND ({changed}))" if changed else "false"


# Sources and notes as (field, id, text): the ``{name}_nfc`` tables of the check, written once beside the cells.
TEXTS = "SELECT 'source' AS field, id, nfc AS text FROM source_nfc UNION ALL SELECT 'note', id, nfc FROM note_nfc"


def _with_texts(cells: str, texts: str) -> str:
    """SQL: cells carrying ``source_id``/``note_id`` as the columns written, with their texts put back."""
    return f"""SELECT c.unit, c.indicator, c.year, c.value, c.numerator, c.denominator, s.text AS source,
                      n.text AS note, c.provenance
               FROM ({cells}) c
               LEFT JOIN ({texts}) s ON s.field = 'source' AND s.id = c.source_id
               LEFT JOIN ({texts}) n ON n.field = 'note' AND n.id = c.note_id"""


WRITTEN = _with_texts("SELECT * FROM diff WHERE change <> 'unchanged'", TEXTS)


# What is staged beside the cells: their source and note texts, unit and indicator codes, as (field, id, text).
STAGED_TEXTS = (TEXTS + " UNION ALL SELECT 'unit', unit_id, unit FROM unit_ids"
                " UNION ALL SELECT 'indicator', indicator_id, indicator FROM indicator_ids")


def stage(cur, report, *, every_cell: bool = True) -> None:
    """Write the cells to be written (created or updated) where the commit will find them: the cells
    with the numbers of their unit, indicator, source and note, and the codes and texts once (``written_sql``
    puts them back: writing the codes of every cell cost the parquet writer more than the rest of the cells).
    ``every_cell``: also every cell of the file, changed or not, which a commit on PostgreSQL compares with
    what other writers did meanwhile (``cells_frame``); on DuckDB one process writes, and any write since
    the check makes it stale, so that list (a third of a second per million cells) is not written."""
    cur.execute(f"""COPY (SELECT unit_id, indicator_id, year, value, numerator, denominator, source_id, note_id,
                                 provenance
                          FROM diff WHERE change <> 'unchanged')
                    TO {sql_text(report.staged)} (FORMAT parquet, COMPRESSION lz4_raw)""")
    cur.execute(f"COPY ({STAGED_TEXTS}) TO {sql_text(report.staged_texts)} (FORMAT parquet)")
    if every_cell:
        cur.execute(f"COPY (SELECT DISTINCT unit, indicator, year FROM diff) TO {sql_text(report.cells_path)} "
                    "(FORMAT parquet)")


def cells_frame(report) -> pd.DataFrame:
    """Every cell of the file (changed or not): what another writer must not have touched since the check."""
    con = duckdb.connect(":memory:")
    try:
        return con.execute(f"SELECT * FROM read_parquet({sql_text(report.cells_path)})").df()
    finally:
        con.close()


# A field's codes or texts are looked up in a list by number after the sort only when there are this many at
# most: a list lookup costs as the list grows (a file with its own note on each of 1.59 M rows: 6.4 s against
# 2.7 s joined before the sort); a join does not keep the sorted order, so larger fields are joined before it.
LISTED_AT_MOST = 20_000
WRITTEN_NUMBERS = {"unit": "unit_id", "indicator": "indicator_id", "source": "source_id", "note": "note_id"}


def small_fields(cur, report) -> frozenset[str]:
    """The staged fields (unit, indicator, source, note) with at most ``LISTED_AT_MOST`` codes or texts."""
    return frozenset(field for (field,) in cur.execute(
        f"SELECT field FROM read_parquet({sql_text(report.staged_texts)}) GROUP BY field HAVING count(*) <= ?",
        [LISTED_AT_MOST]).fetchall())


def written_sql(report, in_order: bool = False, small: frozenset[str] = frozenset()) -> str:
    """SQL: the staged cells with their codes and texts, as the commit writes them.

    ``in_order``: in (indicator, year, unit) order, the order DuckDB stores the values in (``store.write_batch``).
    The cells are sorted by the numbers of their unit and indicator (which follow the codes' order,
    ``units.resolve``), and the codes and texts of the ``small`` fields (``small_fields``) are put back after the
    sort, each looked up in a list of its field's by its number (``id``: 1 … n; a projection keeps the order):
    sorting the cells with their codes and long texts cost DuckDB about twice as much. The other fields are
    joined before the sort, as all are when the order does not matter."""
    texts = f"read_parquet({sql_text(report.staged_texts)})"
    after = [f for f in WRITTEN_NUMBERS if in_order and f in small]
    before = [f for f in WRITTEN_NUMBERS if f not in after]
    joined = "".join(f", t_{f}.text AS {f}" for f in before)
    joins = " ".join(f"LEFT JOIN {texts} t_{f} ON t_{f}.field = '{f}' AND t_{f}.id = c.{WRITTEN_NUMBERS[f]}"
                     for f in before)
    order = "ORDER BY indicator_id, year, unit_id" if in_order else ""

    def value(field: str) -> str:
        if field in before:
            return f"c.{field}"
        return f"(SELECT list(text ORDER BY id) FROM {texts} WHERE field = '{field}')[c.{WRITTEN_NUMBERS[field]}]"

    return f"""SELECT {value('unit')} AS unit, {value('indicator')} AS indicator, c.year, c.value, c.numerator,
                      c.denominator, {value('source')} AS source, {value('note')} AS note, c.provenance
               FROM (SELECT c.*{joined} FROM read_parquet({sql_text(report.staged)}) c {joins} {order}) c"""


def written_frame(report) -> pd.DataFrame:
    """The staged cells with their texts as a frame, read by a private DuckDB (a PostgreSQL server cannot
    read the parquet files of this machine: the commit sends them with ``COPY … FROM STDIN``)."""
    con = duckdb.connect(":memory:")
    try:
        return con.execute(written_sql(report)).df()
    finally:
        con.close()



def changes(cur, limit: int = SAMPLE_CHANGES) -> pd.DataFrame:
    """The first ``limit`` cells whose figure changes, then the first ``limit`` whose source or note changes
    (a file may re-source hundreds of figures and correct four), old beside new, with unit and indicator names."""
    years = [int(y) for (y,) in cur.execute("SELECT DISTINCT year FROM diff").fetchall()]
    in_force, _ = in_force_sql(years=years)  # (no parameter: the years are constants, other years' blocks skipped)
    return cur.execute(f"""
        WITH chosen AS (
            (SELECT * FROM diff WHERE change IN ('created', 'updated') ORDER BY row, year LIMIT $limit)
            UNION  -- a cell whose figure and source both change is listed once
            (SELECT * FROM diff WHERE texts_changed ORDER BY row, year LIMIT $limit)),
        cu AS (  -- the old texts of these few cells only (``current`` numbers them)
            SELECT o.unit, o.indicator, o.year, o.source, o.note FROM ({in_force}) o
            WHERE EXISTS (SELECT 1 FROM chosen k WHERE k.unit = o.unit AND k.indicator = o.indicator
                                                   AND k.year = o.year))
        SELECT d.row, d.unit, u.name_vi AS unit_name_vi, u.name_en AS unit_name_en, d.indicator,
               i.name_vi AS indicator_name_vi, i.name_en AS indicator_name_en, d.kind, i.decimals, d.year,
               {effective('d.kind', 'd.old_value', 'd.old_numerator', 'd.old_denominator')} AS old,
               {effective('d.kind', 'd.value', 'd.numerator', 'd.denominator')} AS new, d.change,
               d.texts_changed, cu.source AS old_source, s.nfc AS new_source, cu.note AS old_note, n.nfc AS new_note
        FROM chosen d
        LEFT JOIN cu USING (unit, indicator, year)
        LEFT JOIN (SELECT code, arg_max(name_vi, valid_from) AS name_vi, arg_max(name_en, valid_from) AS name_en
                   FROM units GROUP BY code) u ON u.code = d.unit
        LEFT JOIN indicators i ON i.code = d.indicator
        LEFT JOIN source_nfc s ON s.id = d.source_id
        LEFT JOIN note_nfc n ON n.id = d.note_id
        ORDER BY d.row, d.year""", {"limit": limit}).df()


# --- target statuses --------------------------------------------------------------------------------

def status_changes(store: Store, cur, plan: str) -> pd.DataFrame | None:
    """Targets of the plan, for its own unit, whose value or status the import changes.

    "Before" is the scorecard of the values in force. "After" rolls the values in force with the file
    laid over them up the tree with the same SQL as the database's own figures (``metrics.storage.rollups``),
    for the indicators and years the file touches, in this cursor; nothing is written. None when the
    file changes more values than it is worth judging before the commit.
    """
    if cur.execute("SELECT count(*) FROM diff WHERE change <> 'unchanged'").fetchall()[0][0] > MAX_JUDGED_VALUES:
        return None  # judging would take longer than the import itself: the overview shows it afterwards
    return pd.DataFrame(_judged(store, cur, plan, "SELECT indicator, year FROM diff WHERE change <> 'unchanged'",
                                "after_figures", "SELECT * FROM after_values", prepare=_values_after))


def _judged(store: Store, cur, plan: str, touched: str, figures: str, values: str, prepare=None) -> list[dict]:
    """The differences between the plan's statuses now and those read from ``figures``/``values`` (views in
    ``cur``), for the targets on the indicators ``touched`` (a query of indicator, year) changes; ``prepare``
    makes those views, once it is known some target is touched. The import's preview and the undo's share it."""
    changed = [r[0] for r in cur.execute(f"SELECT DISTINCT indicator FROM ({touched}) AS t").fetchall()]
    targets = [t for t in map(Target.from_row, store.targets(plan).to_dict("records")) if t.indicator in changed]
    if not targets:
        return []
    indicators = sorted({t.indicator for t in targets})
    touched_years = [r[0] for r in cur.execute(
        f"SELECT DISTINCT year FROM ({touched}) AS t WHERE indicator IN (SELECT unnest(?::VARCHAR[]))",
        [indicators]).fetchall()]
    years = _years(store, store.plan(plan), indicators, touched_years)
    before = Scorecard(store)
    if prepare is not None:
        prepare(cur)
    view = CursorStore(store, cur)
    after = Scorecard(view, org=before.org, source=StoredFigures(view, before.indicators, figures=figures,
                                                                 values=values))
    return _differences((before, after), plan, targets, years)


MAX_JUDGED_VALUES = 1_000_000  # above this, the preview says statuses will show on the overview instead


def _values_after(cur) -> None:
    """``after_values``: the values in force with the file's cells in place; ``after_figures``: their roll-up.

    Both are views over the stored tables, not copies: a national database holds tens of millions of values
    and a correction of a few hundred cells must not copy them all (a 200-row file's check took 15 s for
    that copy). Only the touched indicators and years are rolled up again (``after_rolled``), from a table
    of their values alone (``after_touched``)."""
    replaced = """NOT EXISTS (SELECT 1 FROM diff d WHERE d.change <> 'unchanged' AND d.unit = c.unit
                                   AND d.indicator = c.indicator AND d.year = c.year)"""
    written = f"""SELECT unit, indicator, year, value, numerator, denominator, source, note,
                         coalesce(provenance, 'imported'), 0 FROM ({WRITTEN})"""
    cur.execute(f"CREATE OR REPLACE TEMP VIEW after_values AS SELECT * FROM current_values c WHERE {replaced} "
                f"UNION ALL {written}")
    cur.execute("""CREATE OR REPLACE TEMP TABLE after_pairs AS
                   SELECT DISTINCT indicator, year FROM diff WHERE change <> 'unchanged'""")
    cur.execute(f"""CREATE OR REPLACE TEMP TABLE after_touched AS
                    SELECT c.* FROM current_values c SEMI JOIN after_pairs p USING (indicator, year) WHERE {replaced}
                    UNION ALL {written}""")
    cur.execute("CREATE OR REPLACE TEMP TABLE after_rolled AS SELECT * FROM figures LIMIT 0")
    rollups.compute(cur, "SELECT * FROM after_touched", [], "after_pairs", "after_rolled")
    cur.execute("""CREATE OR REPLACE TEMP VIEW after_figures AS
                   SELECT * FROM figures f WHERE NOT EXISTS (
                       SELECT 1 FROM after_pairs p WHERE p.indicator = f.indicator AND p.year = f.year)
                   UNION ALL SELECT * FROM after_rolled""")


def _years(store: Store, info: Plan, indicators: list[str], file_years: list[int]) -> list[int]:
    """The file's years within the plan, and the plan's latest year with data (the dashboard's default), read
    in the database (a check on PostgreSQL holds copies of the file's years only)."""
    start, end = info.start_year, info.end_year
    sql, params = in_force_sql(indicators=indicators)
    latest = store.rows(f"SELECT max(year) FROM ({sql}) AS v WHERE year >= ?", [*params, start])[0][0]
    years = {y for y in file_years if start <= y <= end}
    if years and latest is not None:
        years.add(min(max(int(latest), max(years)), end))
    return sorted(years)


def _differences(cards: tuple[Scorecard, Scorecard], plan: str, targets: list[Target], years: list[int]) -> list[dict]:
    before, after = cards
    found = []
    for year in years:
        root = before.root(plan, year)
        if root is None or year > before.last_year(plan):  # (a plan that ended with its unit's merger)
            continue
        for target in targets:
            if not before.applies(target, root):
                continue
            old, new = before.row(target, root, year), after.row(target, root, year)
            if old.status == new.status and _same(old.verdict.actual, new.verdict.actual):
                continue
            found.append({"target": target.code, "label_vi": target.label_vi, "label_en": target.label_en,
                          "year": year, "kind": old.indicator.kind, "decimals": old.indicator.decimals,
                          "old_value": old.verdict.actual,
                          "new_value": new.verdict.actual, "old_status": old.status, "new_status": new.status})
    return found


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < 1e-9


# --- what an undo would change ----------------------------------------------------------------------

def undo_status_changes(store: Store, batch: int, plan: str) -> pd.DataFrame:
    """Targets of the plan, for its own unit, whose value or status undoing ``batch`` would change (same columns
    as ``status_changes``). "After" is the values in force without the batch's versions (each of its cells falls
    back to its previous version in force), rolled up for the pairs it touches only; nothing is written."""
    with store.reading(), store.cursor() as cur:
        cur.execute("CREATE OR REPLACE TEMP TABLE undo_batch AS SELECT CAST(? AS INTEGER) AS id", [int(batch)])
        cur.execute("CREATE OR REPLACE TEMP TABLE undo_cells AS SELECT * FROM approved_cells LIMIT 0")
        cur.execute("CREATE OR REPLACE TEMP TABLE undo_pairs AS SELECT * FROM approved_pairs LIMIT 0")
        cur.execute("CREATE OR REPLACE TEMP TABLE undo_rolled AS SELECT * FROM figures LIMIT 0")
        rollups.without_batches(cur, "undo_batch", "undo_cells", "undo_pairs", "undo_rolled")
        cur.execute("""CREATE OR REPLACE TEMP VIEW undo_values AS
                       SELECT * FROM current_values c WHERE c.batch NOT IN (SELECT id FROM undo_batch)
                       UNION ALL SELECT * FROM undo_cells""")
        cur.execute("""CREATE OR REPLACE TEMP VIEW undo_figures AS
                       SELECT * FROM figures f WHERE NOT EXISTS (
                           SELECT 1 FROM undo_pairs p WHERE p.indicator = f.indicator AND p.year = f.year)
                       UNION ALL SELECT * FROM undo_rolled""")
        found = _judged(store, cur, plan, "SELECT indicator, year FROM undo_pairs", "undo_figures",
                        "SELECT * FROM undo_values")
        for name in ("VIEW undo_figures", "VIEW undo_values", "TABLE undo_rolled", "TABLE undo_pairs",
                     "TABLE undo_cells", "TABLE undo_batch"):
            cur.execute(f"DROP {name}")
    return pd.DataFrame(found)
