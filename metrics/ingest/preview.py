"""What an import would change: cells created, updated or unchanged, and the target statuses it moves.

Statuses are judged by the same ``Scorecard`` the dashboard uses, once on the values in force and once
on the values with the file laid over them, so the preview says what the overview will show.
"""

from __future__ import annotations

import pandas as pd

from metrics.ingest.layout import Layout
from metrics.ingest.validate import effective, error_rows_sql
from metrics.orgtree import Organisation
from metrics.scorecard import Scorecard
from metrics.store import Store, in_force_sql

SAMPLE_CHANGES = 1000
CHANGE_COLUMNS = ["row", "unit", "unit_name_vi", "unit_name_en", "indicator", "indicator_name_vi",
                  "indicator_name_en", "kind", "year", "old", "new", "change"]


def compare(cur, layout: Layout) -> dict[str, int]:
    """Create ``diff``: every cell of the rows without errors against the value in force."""
    same_text = " AND ".join(
        f"n.{name} IS NOT DISTINCT FROM c.{name}" for name in ("source", "note") if name in layout.columns)
    same_provenance = ("coalesce(n.provenance, 'imported') = c.provenance" if "provenance" in layout.columns
                       else "true")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE error_rows AS {error_rows_sql()}")
    # Texts are stored NFC-normalised; a file repeats a few sources and notes millions of times, so
    # each distinct text is normalised once (normalising every cell costs more than the whole check).
    for name in ("source", "note"):
        cur.execute(f"""CREATE OR REPLACE TEMP TABLE {name}_nfc AS
                        SELECT {name}_text AS raw, nfc_normalize({name}_text) AS nfc
                        FROM (SELECT DISTINCT {name}_text FROM checked WHERE {name}_text IS NOT NULL)""")
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE diff AS
        WITH incoming AS (
            SELECT c.row, c.unit, c.indicator, c.year, c.value, c.numerator, c.denominator, c.kind,
                   s.nfc AS source, n.nfc AS note, c.provenance_text AS provenance
            FROM checked c
            LEFT JOIN source_nfc s ON s.raw = c.source_text
            LEFT JOIN note_nfc n ON n.raw = c.note_text
            WHERE NOT EXISTS (SELECT 1 FROM error_rows e WHERE e.row = c.row))
        SELECT n.*, c.value AS old_value, c.numerator AS old_numerator, c.denominator AS old_denominator,
               CASE WHEN c.unit IS NULL THEN 'created'
                    WHEN n.value IS NOT DISTINCT FROM c.value AND n.numerator IS NOT DISTINCT FROM c.numerator
                         AND n.denominator IS NOT DISTINCT FROM c.denominator AND {same_text or 'true'}
                         AND {same_provenance} THEN 'unchanged'
                    ELSE 'updated' END AS change
        FROM incoming n LEFT JOIN current c USING (unit, indicator, year)""")
    counts = dict(cur.execute("SELECT change, count(*) FROM diff GROUP BY change").fetchall())
    return {name: int(counts.get(name, 0)) for name in ("created", "updated", "unchanged")}


def stage(cur, path) -> None:
    """Write the cells to be written (created or updated) where the commit will find them."""
    cur.execute(f"""COPY (SELECT unit, indicator, year, value, numerator, denominator, source, note, provenance
                          FROM diff WHERE change <> 'unchanged' ORDER BY row)
                    TO '{_quoted(path)}' (FORMAT parquet)""")


def _quoted(path) -> str:
    return str(path).replace("'", "''")


def changes(cur, limit: int = SAMPLE_CHANGES) -> pd.DataFrame:
    """The first ``limit`` changed cells, old beside new, with unit and indicator names."""
    return cur.execute(f"""
        SELECT d.row, d.unit, u.name_vi AS unit_name_vi, u.name_en AS unit_name_en, d.indicator,
               i.name_vi AS indicator_name_vi, i.name_en AS indicator_name_en, d.kind, d.year,
               {effective('d.kind', 'd.old_value', 'd.old_numerator', 'd.old_denominator')} AS old,
               {effective('d.kind', 'd.value', 'd.numerator', 'd.denominator')} AS new, d.change
        FROM diff d
        LEFT JOIN (SELECT code, arg_max(name_vi, valid_from) AS name_vi, arg_max(name_en, valid_from) AS name_en
                   FROM units GROUP BY code) u ON u.code = d.unit
        LEFT JOIN indicators i ON i.code = d.indicator
        WHERE d.change <> 'unchanged' ORDER BY d.row, d.year LIMIT ?""", [limit]).df()


# --- target statuses --------------------------------------------------------------------------------

def status_changes(store: Store, cur, plan: str) -> pd.DataFrame | None:
    """Targets of the plan, for its own unit, whose value or status the import changes.

    None when the values the judgement would have to add up are too many to do it quickly.
    """
    if cur.execute("SELECT count(*) FROM diff WHERE change <> 'unchanged'").fetchall()[0][0] > MAX_JUDGED_VALUES:
        return None  # judging would have to add up more than the file itself: say so, do not wait for it
    changed = [r[0] for r in cur.execute("SELECT DISTINCT indicator FROM diff WHERE change <> 'unchanged'").fetchall()]
    targets = [t for t in store.targets(plan).to_dict("records") if t["indicator"] in changed]
    if not targets:
        return pd.DataFrame()
    info = store.plan(plan)
    indicators = sorted({t["indicator"] for t in targets})
    file_years = [r[0] for r in cur.execute(
        "SELECT DISTINCT year FROM diff WHERE change <> 'unchanged' AND indicator IN (SELECT unnest(?::VARCHAR[]))",
        [indicators]).fetchall()]
    years = _years(cur, info, indicators, file_years)
    org = Organisation(store.unit_periods())
    scope = _units_under(org, info["unit"], years)
    sql, params = in_force_sql(indicators=indicators, units=scope)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE status_before AS {sql}", params)
    cur.execute("""
        CREATE OR REPLACE TEMP TABLE status_after AS
        SELECT * FROM status_before o WHERE NOT EXISTS (
            SELECT 1 FROM diff d WHERE d.change <> 'unchanged' AND d.unit = o.unit AND d.indicator = o.indicator
                                   AND d.year = o.year)
        UNION ALL
        SELECT unit, indicator, year, value, numerator, denominator, source, note,
               coalesce(provenance, 'imported'), NULL FROM diff
        WHERE change <> 'unchanged' AND indicator IN (SELECT unnest(?::VARCHAR[]))
              AND unit IN (SELECT unnest(?::VARCHAR[]))""", [indicators, scope])
    since = min(int(t["base_year"]) for t in targets)
    frames = [_reaching_the_top(cur, table, since) for table in ("status_before", "status_after")]
    if frames[0] is None or frames[1] is None:
        return None
    cards = (Scorecard(store, observations=frames[0], org=org),  # one organisation for both judgements
             Scorecard(store, observations=frames[1], org=org))
    return pd.DataFrame(_differences(cards, plan, targets, years))


MAX_JUDGED_VALUES = 1_000_000  # above this, the preview says statuses will show on the overview instead


def _reaching_the_top(cur, table: str, since: int) -> pd.DataFrame | None:
    """The values of ``table`` that can change a judgement of the plan's unit, for a quick Scorecard.

    * A unit's own value hides everything reported below it that year (the roll-ups never look further
      down), so those rows are left out.
    * A judgement reads the years from the target's base year on (``judgement.py``: the base year or the
      first later year with data, the years after it, the latest value); earlier years matter only to an
      indicator with nothing since, whose latest earlier year is kept.
    """
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_judged AS
        WITH recent AS (SELECT DISTINCT indicator FROM {table} WHERE year >= {int(since)}),
        last_before AS (SELECT indicator, max(year) AS year FROM {table}
                        WHERE indicator NOT IN (SELECT indicator FROM recent) GROUP BY indicator)
        SELECT o.* FROM {table} o
        WHERE o.year >= {int(since)}
           OR EXISTS (SELECT 1 FROM last_before l WHERE l.indicator = o.indicator AND l.year = o.year)""")
    table = f"{table}_judged"
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_top AS
        WITH RECURSIVE years AS (SELECT DISTINCT year FROM {table}),
        edges AS (
            SELECT y.year, u.code, u.parent FROM years y JOIN units u
                ON u.valid_from <= make_date(y.year, 12, 31)
               AND (u.valid_to IS NULL OR u.valid_to >= make_date(y.year, 12, 31))
            WHERE u.parent IS NOT NULL),
        above(year, code, ancestor, depth) AS (
            SELECT year, code, parent, 1 FROM edges
            UNION ALL
            SELECT a.year, a.code, e.parent, a.depth + 1 FROM above a
            JOIN edges e ON e.year = a.year AND e.code = a.ancestor WHERE a.depth < 12)
        SELECT * FROM {table} o WHERE NOT EXISTS (
            SELECT 1 FROM above a JOIN {table} g ON g.unit = a.ancestor AND g.year = a.year
            WHERE a.year = o.year AND a.code = o.unit AND g.indicator = o.indicator)""")
    if cur.execute(f"SELECT count(*) FROM {table}_top").fetchall()[0][0] > MAX_JUDGED_VALUES:
        return None
    return cur.execute(f"SELECT * FROM {table}_top").df()


def _years(cur, info: dict, indicators: list[str], file_years: list[int]) -> list[int]:
    """The file's years within the plan, and the plan's latest year with data (the dashboard's default)."""
    start, end = int(info["start_year"]), int(info["end_year"])
    sql, params = in_force_sql(indicators=indicators)
    latest = cur.execute(f"SELECT max(year) FROM ({sql}) WHERE year >= ?", [*params, start]).fetchall()[0][0]
    years = {y for y in file_years if start <= y <= end}
    if years and latest is not None:
        years.add(min(max(int(latest), max(years)), end))
    return sorted(years)


def _units_under(org: Organisation, root: str, years: list[int]) -> list[str]:
    """Every unit whose values can reach the plan's unit in those years (its lineage and all below)."""
    found: set[str] = set()
    for year in years:
        code = org.lineage(root, year)
        if code:
            found |= {code, *org.descendants(code, year)}
    return sorted(found)


def _differences(cards: tuple[Scorecard, Scorecard], plan: str, targets: list[dict], years: list[int]) -> list[dict]:
    before, after = cards
    found = []
    for year in years:
        root = before.root(plan, year)
        if root is None:
            continue
        for target in targets:
            if not before.applies(target, root):
                continue
            old, new = before.row(target, root, year), after.row(target, root, year)
            if old.status == new.status and _same(old.verdict.actual, new.verdict.actual):
                continue
            found.append({"target": target["code"], "label_vi": target["label_vi"], "label_en": target["label_en"],
                          "year": year, "kind": old.indicator["kind"], "old_value": old.verdict.actual,
                          "new_value": new.verdict.actual, "old_status": old.status, "new_status": new.status})
    return found


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < 1e-9
