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
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE diff AS
        WITH incoming AS (
            SELECT row, unit, indicator, year, value, numerator, denominator, kind,
                   nfc_normalize(source_text) AS source, nfc_normalize(note_text) AS note,
                   provenance_text AS provenance
            FROM checked WHERE row NOT IN ({error_rows_sql()}))
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

class WithValues:
    """The store as a Scorecard sees it, with the given values in place of those in force."""

    def __init__(self, store: Store, observations: pd.DataFrame):
        self._store = store
        self._observations = observations

    def observations(self, indicators=None, as_of=None, units=None) -> pd.DataFrame:
        return self._observations

    def __getattr__(self, name):
        return getattr(self._store, name)


def status_changes(store: Store, cur, plan: str) -> pd.DataFrame:
    """Targets of the plan, for its own unit, whose value or status the import changes."""
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
    scope = _units_under(store, info["unit"], years)
    sql, params = in_force_sql(indicators=indicators, units=scope)
    before = cur.execute(sql, params).df()
    after = cur.execute(f"""
        SELECT * FROM ({sql}) o WHERE NOT EXISTS (
            SELECT 1 FROM diff d WHERE d.change <> 'unchanged' AND d.unit = o.unit AND d.indicator = o.indicator
                                   AND d.year = o.year)
        UNION ALL
        SELECT unit, indicator, year, value, numerator, denominator, source, note,
               coalesce(provenance, 'imported'), NULL FROM diff
        WHERE change <> 'unchanged' AND indicator IN (SELECT unnest(?::VARCHAR[]))
              AND unit IN (SELECT unnest(?::VARCHAR[]))""", [*params, indicators, scope]).df()
    cards = Scorecard(WithValues(store, before)), Scorecard(WithValues(store, after))
    return pd.DataFrame(_differences(cards, plan, targets, years))


def _years(cur, info: dict, indicators: list[str], file_years: list[int]) -> list[int]:
    """The file's years within the plan, and the plan's latest year with data (the dashboard's default)."""
    start, end = int(info["start_year"]), int(info["end_year"])
    sql, params = in_force_sql(indicators=indicators)
    latest = cur.execute(f"SELECT max(year) FROM ({sql}) WHERE year >= ?", [*params, start]).fetchall()[0][0]
    years = {y for y in file_years if start <= y <= end}
    if years and latest is not None:
        years.add(min(max(int(latest), max(years)), end))
    return sorted(years)


def _units_under(store: Store, root: str, years: list[int]) -> list[str]:
    """Every unit whose values can reach the plan's unit in those years (its lineage and all below)."""
    org = Organisation(store.unit_periods())
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
