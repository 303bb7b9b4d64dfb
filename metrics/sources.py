"""Where a scorecard gets its figures: the database's pre-aggregated tables, or a table in memory.

``StoredFigures`` reads ``figures`` (every unit above the leaves) and ``current_values`` (the leaves)
for just the units and indicators a view needs, so a page costs the same for a province and for the
nation. Figures as of an earlier import are rolled up once with the same SQL. ``MemoryFigures`` rolls
a given table of observations up in Python (``metrics.aggregate``): an import's preview uses it to
judge "what if", and tests use it as the reference for the SQL.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from metrics import rollups
from metrics.aggregate import Figure, Rollup
from metrics.orgtree import Organisation
from metrics.store import Store, in_force_sql

BULK = 2_000  # beyond this many units, fetch whole indicators instead of listing codes


class MemoryFigures:
    """Figures rolled up in Python from an observations table (unit, indicator, year, value, …)."""

    def __init__(self, observations: pd.DataFrame, org: Organisation, indicators: dict[str, dict]):
        self.org = org
        self.indicators = indicators
        self._own: dict[tuple[str, int], dict[str, dict]] = defaultdict(dict)
        for row in observations.to_dict("records"):
            self._own[(row["indicator"], int(row["year"]))][row["unit"]] = row
        self._rollups: dict[tuple[str, int], Rollup] = {}

    def years(self, indicator: str) -> list[int]:
        return sorted(y for (ind, y) in self._own if ind == indicator)

    def prefetch(self, indicators, codes) -> None:
        """Nothing to fetch: everything is in memory."""

    def figure(self, indicator: str, code: str, year: int) -> Figure | None:
        key = (indicator, year)
        if key not in self._rollups:
            self._rollups[key] = Rollup(self.org.tree(year), self._own.get(key, {}),
                                        self.indicators[indicator]["kind"])
        return self._rollups[key].figure(code)


class StoredFigures:
    """Figures read from the database; as of an import batch, rolled up once in SQL."""

    def __init__(self, store: Store, indicators: dict[str, dict], as_of: int | None = None,
                 figures: str = "figures", values: str | None = None):
        """``figures`` and ``values`` name the roll-up table and the SQL of the values in force to read
        (an import's preview reads its own "after" versions of both)."""
        self.store = store
        self.indicators = indicators
        self.as_of = as_of
        self.figures_table = figures
        self.values = values
        self._known: dict[tuple[str, str], bool] = {}
        self._figures: dict[tuple[str, int, str], Figure] = {}
        self._whole: set[str] = set()
        self._years = self._read_years()
        self._above = self._figures_as_of() if as_of is not None else None

    # --- which years have values ---------------------------------------------------------------

    def _values_sql(self, indicators=None, units=None) -> tuple[str, list]:
        if self.values is None:
            return in_force_sql(self.as_of, indicators=indicators, units=units)
        where, params = _filters(indicators, units, "o") if indicators is not None else ("true", [])
        return f"SELECT * FROM ({self.values}) o WHERE {where}", params

    def _read_years(self) -> dict[str, list[int]]:
        sql, params = self._values_sql()
        sql = f"SELECT DISTINCT indicator, year FROM ({sql})"
        found: dict[str, list[int]] = defaultdict(list)
        for indicator, year in self.store.rows(sql, params):
            found[indicator].append(int(year))
        return {k: sorted(v) for k, v in found.items()}

    def years(self, indicator: str) -> list[int]:
        return self._years.get(indicator, [])

    # --- fetching ------------------------------------------------------------------------------

    def _figures_as_of(self) -> pd.DataFrame:
        """Every unit above the leaves as it was after batch ``as_of`` (rolled up once, kept in memory)."""
        sql, params = in_force_sql(self.as_of)
        with self.store.cursor() as cur:
            cur.execute("CREATE OR REPLACE TEMP TABLE figures_as_of AS SELECT * FROM figures LIMIT 0")
            rollups.compute(cur, sql, params, None, "figures_as_of")
            frame = cur.execute("SELECT * FROM figures_as_of").df()
            cur.execute("DROP TABLE figures_as_of")
        return frame

    def prefetch(self, indicators: list[str], codes: list[str]) -> None:
        """Read, in two queries, the figures of these units for these indicators, every year."""
        whole = len(codes) > BULK
        wanted = [i for i in indicators if i not in self._whole] if whole else indicators
        missing = sorted({c for c in codes for i in wanted if (i, c) not in self._known})
        if not wanted or not missing:
            return
        units = None if whole else missing
        for frame in (self._above_leaves(wanted, units), self._leaves(wanted, units)):
            for row in frame.itertuples(index=False):
                self._figures[(row.indicator, int(row.year), row.unit)] = _figure(row)
        if whole:
            self._whole.update(wanted)
        else:
            self._known.update({(i, c): True for i in wanted for c in missing})

    def _above_leaves(self, indicators: list[str], units: list[str] | None) -> pd.DataFrame:
        if self._above is not None:
            frame = self._above[self._above["indicator"].isin(indicators)]
            return frame if units is None else frame[frame["unit"].isin(units)]
        where, params = _filters(indicators, units, "f")
        return self.store.frame(f"SELECT * FROM {self.figures_table} f WHERE {where}", params)

    def _leaves(self, indicators: list[str], units: list[str] | None) -> pd.DataFrame:
        """Own values of units without children that year (the rest are in ``figures``)."""
        sql, params = self._values_sql(indicators, units)
        return self.store.frame(f"""
            SELECT o.indicator, o.year, o.unit, u.depth, {rollups.OWN_VALUE} AS value, o.numerator,
                   o.denominator, 1 AS reported, TRUE AS own,
                   {rollups.PROVENANCE_BIT} AS provenance, [o.source] AS sources
            FROM ({sql}) o JOIN unit_years u ON u.code = o.unit AND u.year = o.year AND u.children = 0
            JOIN indicators i ON i.code = o.indicator""", params)

    def figure(self, indicator: str, code: str, year: int) -> Figure | None:
        if indicator not in self._whole and (indicator, code) not in self._known:
            self.prefetch([indicator], [code])
        return self._figures.get((indicator, year, code))


def _filters(indicators, units, alias: str) -> tuple[str, list]:
    where, params = [f"{alias}.indicator IN (SELECT unnest(?::VARCHAR[]))"], [list(indicators)]
    if units is not None:
        where.append(f"{alias}.unit IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(units))
    return " AND ".join(where), params


def _figure(row) -> Figure:
    sources = tuple(s for s in (row.sources if row.sources is not None else []) if isinstance(s, str) and s)
    value = None if pd.isna(row.value) else float(row.value)
    numerator = None if pd.isna(row.numerator) else float(row.numerator)
    denominator = None if pd.isna(row.denominator) else float(row.denominator)
    return Figure(value, numerator, denominator, reported=int(row.reported), expected=int(row.reported),
                  own=bool(row.own), provenance=rollups.provenance_names(row.provenance), sources=sources)
