"""Where a scorecard gets its figures: the database's pre-aggregated tables, or a table in memory.

``StoredFigures`` reads ``figures`` (every unit above the leaves) and ``current_values`` (the leaves)
for just the units and indicators a view needs, so a page costs the same for a province and for the
nation. Figures as of an earlier import are rolled up once with the same SQL. ``MemoryFigures`` rolls
a given table of observations up in Python (``metrics.domain.rollup_reference``): an import's preview uses it to
judge "what if", and tests use it as the reference for the SQL.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

import pandas as pd

from metrics.domain.organisation import Organisation
from metrics.domain.records import Indicator
from metrics.domain.rollup_reference import Figure, Rollup
from metrics.storage import dialect, rollups
from metrics.storage.store import Store, in_force_sql
from metrics.vocabulary.shared import number_or_none

BULK = 2_000
LEAF_COLUMNS = ("indicator", "year", "unit", "depth", "value", "numerator", "denominator", "reported", "own",
                "provenance", "sources", "scope")  # beyond this many units, fetch whole indicators instead of listing codes


class FigureSource(Protocol):
    """What a scorecard reads its figures through (``StoredFigures``, ``MemoryFigures``)."""

    def years(self, indicator: str) -> list[int]:
        """Years with any figure of the indicator, in order."""
        ...

    def prefetch(self, indicators: list[str], codes: list[str], leaves: bool = True) -> None:
        """Read at once the figures of these units (``leaves=False``: none of them is a leaf)."""
        ...

    def release(self) -> None:
        """Forget what was read."""
        ...

    def figure(self, indicator: str, code: str, year: int, scope: str = "") -> Figure | None:
        """The unit's figure: its own, or rolled up in ``scope`` (``rollups.scope_key``)."""
        ...


class MemoryFigures:
    """Figures rolled up in Python from an observations table (unit, indicator, year, value, …)."""

    def __init__(self, observations: pd.DataFrame, org: Organisation, indicators: dict[str, Indicator]):
        self.org = org
        self.indicators = indicators
        self._own: dict[tuple[str, int], dict[str, dict]] = defaultdict(dict)
        for row in observations.to_dict("records"):
            self._own[(row["indicator"], int(row["year"]))][row["unit"]] = row
        self._rollups: dict[tuple[str, int, str], Rollup] = {}

    def years(self, indicator: str) -> list[int]:
        return sorted(y for (ind, y) in self._own if ind == indicator)

    def prefetch(self, indicators: list[str], codes: list[str], leaves: bool = True) -> None:
        """Nothing to fetch: everything is in memory."""

    def release(self) -> None:
        self._rollups.clear()

    def figure(self, indicator: str, code: str, year: int, scope: str = "") -> Figure | None:
        """``scope``: the target's sectors as ``rollups.scope_key`` writes them ('' for every unit)."""
        key = (indicator, year, scope)
        if key not in self._rollups:
            self._rollups[key] = Rollup(self.org.tree(year), self._own.get((indicator, year), {}),
                                        self.indicators[indicator].kind, tuple(scope.split("|")) if scope else ())
        return self._rollups[key].figure(code)


class StoredFigures:
    """Figures read from the database; as of an import batch, rolled up once in SQL."""

    def __init__(self, store: Store, indicators: dict[str, Indicator], as_of: int | None = None,
                 figures: str = "figures", values: str | None = None, approved: bool = False):
        """``figures`` and ``values`` name the roll-up table and the SQL of the values in force to read
        (an import's preview reads its own "after" versions of both). ``approved`` (with ``as_of``): the state
        after that batch over the approved batches only."""
        self.store = store
        self.indicators = indicators
        self.as_of = as_of
        self.approved = approved and as_of is not None
        self.figures_table = figures
        self.values = values
        self._known: set[tuple[str, str]] = set()  # (indicator, unit) read in full
        self._figures: dict[tuple[str, int, str, str], Figure] = {}  # (indicator, year, unit, scope)
        self._leaves: set[tuple[str, int, str]] = set()  # read from current_values: the same in every scope
        self._whole: set[tuple[str, bool]] = set()  # (indicator, with leaves) read for every unit
        self._years = self._read_years()
        self._above = self._figures_as_of() if as_of is not None else None

    # --- which years have values ---------------------------------------------------------------

    def _values_sql(self, indicators=None, units=None) -> tuple[str, list]:
        if self.values is None:
            return in_force_sql(self.as_of, indicators=indicators, units=units, approved=self.approved)
        where, params = _filters(indicators, units, "o") if indicators is not None else ("true", [])
        return f"SELECT * FROM ({self.values}) o WHERE {where}", params

    def _read_years(self) -> dict[str, list[int]]:
        sql, params = self._values_sql()
        sql = f"SELECT DISTINCT indicator, year FROM ({sql}) o"
        found: dict[str, list[int]] = defaultdict(list)
        for indicator, year in self.store.rows(sql, params):
            found[indicator].append(int(year))
        return {k: sorted(v) for k, v in found.items()}

    def years(self, indicator: str) -> list[int]:
        return self._years.get(indicator, [])

    # --- fetching ------------------------------------------------------------------------------

    def _figures_as_of(self) -> pd.DataFrame:
        """Every unit above the leaves as it was after batch ``as_of`` (rolled up once, kept in memory)."""
        sql, params = in_force_sql(self.as_of, approved=self.approved)
        with self.store.cursor() as cur:
            cur.execute("CREATE OR REPLACE TEMP TABLE figures_as_of AS SELECT * FROM figures LIMIT 0")
            rollups.compute(cur, sql, params, None, "figures_as_of")
            frame = cur.execute("SELECT * FROM figures_as_of").df()
            cur.execute("DROP TABLE figures_as_of")
        return frame

    def release(self) -> None:
        """Forget the figures read so far."""
        self._known.clear()
        self._figures.clear()
        self._leaves.clear()
        self._whole.clear()

    def prefetch(self, indicators: list[str], codes: list[str], leaves: bool = True) -> None:
        """Read, in two queries, the figures of these units for these indicators, every year.

        With many units, whole indicators are read instead; ``leaves=False`` then skips the leaves'
        own values (millions of grassroots rows) when none of the units is a leaf.
        """
        whole = len(codes) > BULK
        if whole:
            wanted = [i for i in indicators if (i, leaves) not in self._whole and (i, True) not in self._whole]
            if wanted:
                self._store_rows(self._above_leaves(wanted, None))
                if leaves:
                    self._store_rows(self._leaf_values(wanted, None), leaf=True)
                self._whole.update((i, leaves) for i in wanted)
            return
        missing = sorted({c for c in codes for i in indicators if (i, c) not in self._known})
        if not missing:
            return
        self._store_rows(self._above_leaves(indicators, missing))
        self._store_rows(self._leaf_values(indicators, missing), leaf=True)
        self._known.update((i, c) for i in indicators for c in missing)

    def _store_rows(self, frame: pd.DataFrame, leaf: bool = False) -> None:
        columns = [frame[c].tolist() for c in ("indicator", "year", "unit", "scope", "value", "numerator",
                                               "denominator", "reported", "own", "provenance", "sources")]
        for indicator, year, unit, scope, *rest in zip(*columns):
            self._figures[(indicator, int(year), unit, scope)] = _figure(*rest)
            if leaf:
                self._leaves.add((indicator, int(year), unit))

    def _above_leaves(self, indicators: list[str], units: list[str] | None) -> pd.DataFrame:
        if self._above is not None:
            frame = self._above[self._above["indicator"].isin(indicators)]
            return frame if units is None else frame[frame["unit"].isin(units)]
        where, params = _filters(indicators, units, "f")
        return self.store.frame(f"SELECT * FROM {self.figures_table} f WHERE {where}", params)

    def _leaf_values(self, indicators: list[str], units: list[str] | None) -> pd.DataFrame:
        """Own values of units without children that year (the rest are in ``figures``)."""
        if units is not None and not self.store.rows(
                "SELECT count(*) FROM unit_years WHERE children = 0 AND code IN (SELECT unnest(?::VARCHAR[]))",
                [list(units)])[0][0]:
            return pd.DataFrame(columns=LEAF_COLUMNS)  # none of them is ever a leaf: no scan of every value
        sql, params = self._values_sql(indicators, units)
        return self.store.frame(f"""
            SELECT o.indicator, o.year, o.unit, u.depth, {rollups.OWN_VALUE} AS value, o.numerator,
                   o.denominator, 1 AS reported, TRUE AS own,
                   {rollups.PROVENANCE_BIT} AS provenance, {dialect.of(self.store).one_item_list('o.source')} AS sources, '' AS scope
            FROM ({sql}) o JOIN unit_years u ON u.code = o.unit AND u.year = o.year AND u.children = 0
            JOIN indicators i ON i.code = o.indicator""", params)

    def figure(self, indicator: str, code: str, year: int, scope: str = "") -> Figure | None:
        """``scope``: the target's sectors as ``rollups.scope_key`` writes them ('' for every unit). A leaf's
        own value is the same in every scope (a target only asks for the leaves in its scope)."""
        if not ((indicator, True) in self._whole or (indicator, code) in self._known
                or (indicator, year, code, scope) in self._figures):
            self.prefetch([indicator], [code])  # a leaf of an indicator read without its leaves, or a new unit
        if (indicator, year, code) in self._leaves:
            scope = ""
        return self._figures.get((indicator, year, code, scope))


def _filters(indicators, units, alias: str) -> tuple[str, list]:
    where, params = [f"{alias}.indicator IN (SELECT unnest(?::VARCHAR[]))"], [list(indicators)]
    if units is not None:
        where.append(f"{alias}.unit IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(units))
    return " AND ".join(where), params


_PROVENANCE: dict[int, frozenset[str]] = {}




def _figure(value, numerator, denominator, reported, own, provenance, sources) -> Figure:
    mask = int(provenance)
    if mask not in _PROVENANCE:
        _PROVENANCE[mask] = rollups.provenance_names(mask)
    texts = () if sources is None else tuple(s for s in sources if s)
    return Figure(number_or_none(value), number_or_none(numerator), number_or_none(denominator), reported=int(reported),
                  expected=int(reported), own=bool(own), provenance=_PROVENANCE[mask], sources=texts)
