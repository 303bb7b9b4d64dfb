"""The organisation as it was in a given year, and how a unit's series continues across changes.

A unit belongs to year Y's tree when one of its periods covers 31 December of Y. A unit that ended
continues in its ``successor``; a series that passes from one unit to its successor has a break.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

LEVEL_ORDER = {"national": 0, "province": 1, "upper": 2, "grassroots": 3}


@dataclass
class Unit:
    """One unit as it was in one year."""

    code: str
    name_vi: str
    name_en: str
    kind: str
    level: str
    sector: str | None
    parent: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    successor: str | None
    official_code: str | None
    rank: dict[str, int] = field(default_factory=dict)  # position in name order, per language
    children: list[str] = field(default_factory=list)

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else (self.name_en or self.name_vi)

    def sort_key(self, lang: str = "vi") -> tuple:
        """Province first, then upper-level unions, then grassroots; by name in the language's order."""
        return (LEVEL_ORDER.get(self.level, 9), self.rank.get(lang, 0), self.code)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if hasattr(value, "date") else value


class Organisation:
    """Every period of every unit, answering "what did the tree look like in year Y"."""

    def __init__(self, periods: pd.DataFrame):
        self.periods = periods
        self._trees: dict[int, dict[str, Unit]] = {}

    @cached_property
    def predecessors(self) -> dict[str, list[str]]:
        """Units whose successor is the key."""
        found: dict[str, set[str]] = {}
        for row in self.periods.itertuples():
            if isinstance(row.successor, str) and row.successor:
                found.setdefault(row.successor, set()).add(row.code)
        return {code: sorted(preds) for code, preds in found.items()}

    @cached_property
    def lifetimes(self) -> dict[str, tuple[dt.date, dt.date | None]]:
        """First and last day of each unit over all its periods (None = still valid)."""
        spans = {}
        for code, rows in self.periods.groupby("code"):
            ends = [_date(v) for v in rows["valid_to"]]
            spans[code] = (min(_date(v) for v in rows["valid_from"]),
                           None if any(e is None for e in ends) else max(ends))
        return spans

    def tree(self, year: int) -> dict[str, Unit]:
        """Code -> unit for the units in the tree of ``year``, children filled in."""
        if year not in self._trees:
            self._trees[year] = self._build(year)
        return self._trees[year]

    def _build(self, year: int) -> dict[str, Unit]:
        day = year_end(year)
        units = {}
        for row in self.periods.itertuples():
            start, end = _date(row.valid_from), _date(row.valid_to)
            if start <= day and (end is None or end >= day):
                units[row.code] = _unit(row)
        for unit in units.values():
            if unit.parent in units:
                units[unit.parent].children.append(unit.code)
        return units

    def unit(self, code: str, year: int) -> Unit | None:
        return self.tree(year).get(code)

    @cached_property
    def _latest_periods(self) -> dict[str, Unit]:
        latest: dict[str, Unit] = {}
        for row in self.periods.sort_values(["code", "valid_from"]).itertuples():
            latest[row.code] = _unit(row)
        return latest

    def any_period(self, code: str) -> Unit | None:
        """The latest period of a unit, whatever the year (for names of dissolved units)."""
        return self._latest_periods.get(code)

    def successors(self, code: str) -> list[str]:
        """The unit followed by its successor, that one's successor, and so on."""
        chain = [code]
        while (unit := self.any_period(chain[-1])) and unit.successor and unit.successor not in chain:
            chain.append(unit.successor)
        return chain

    def lineage(self, code: str, year: int) -> str | None:
        """The unit that carries ``code``'s series in ``year``.

        Forward through successors after the unit ended; backward to its predecessor before it began,
        when there is exactly one (a merger of several has no single past).
        """
        seen = set()
        while code and code not in seen:
            seen.add(code)
            span = self.lifetimes.get(code)
            if span is None:
                return None
            start, end = span
            day = year_end(year)
            if start > day:
                preds = self.predecessors.get(code, [])
                code = preds[0] if len(preds) == 1 else None
            elif end is not None and end < day:
                code = self.any_period(code).successor
            else:
                return code if code in self.tree(year) else None
        return None

    def descendants(self, code: str, year: int) -> list[str]:
        """Every unit below ``code`` in the tree of ``year``, depth first."""
        tree = self.tree(year)
        if code not in tree:
            return []
        found, stack = [], list(reversed(tree[code].children))
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(tree[current].children))
        return found


def _unit(row) -> Unit:
    rank = {"vi": int(getattr(row, "rank_vi", 0) or 0), "en": int(getattr(row, "rank_en", 0) or 0)}
    return Unit(row.code, row.name_vi, row.name_en, row.kind, row.level, _text(row.sector),
                _text(row.parent), _date(row.valid_from), _date(row.valid_to),
                _text(row.successor), _text(row.official_code), rank)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None
