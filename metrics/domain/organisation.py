"""The organisation as it was in a given year, and how a unit's series continues across changes.

A unit belongs to year Y's tree when one of its periods covers 31 December of Y. A unit that ended
continues in its ``successor``; a series that passes from one unit to its successor has a break.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property
from operator import itemgetter

import numpy as np
import pandas as pd

LEVEL_ORDER = {"national": 0, "province": 1, "upper": 2, "grassroots": 3}
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # numpy's day 0 as ``date.toordinal`` counts it


@dataclass(slots=True)
class Unit:
    """One unit as it was in one year.

    A unit without children is the same object in every year its period covers (the nation's trees
    hold some 130,000 grassroots unions for each of a dozen years); a unit with children is its own
    object in each year's tree, because its children change from year to year. Treat units as read-only.
    """

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
    rank_vi: int = 0  # position in name order, per language
    rank_en: int = 0
    children: list[str] | tuple = ()

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else (self.name_en or self.name_vi)

    def sort_key(self, lang: str = "vi") -> tuple:
        """Province first, then upper-level unions, then grassroots; by name in the language's order."""
        return (LEVEL_ORDER.get(self.level, 9), self.rank_en if lang == "en" else self.rank_vi, self.code)


UNIT_FIELDS = ("code", "name_vi", "name_en", "kind", "level", "sector", "parent", "valid_from", "valid_to",
               "successor", "official_code", "rank_vi", "rank_en")  # ``Unit``'s fields in order, but its children


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if hasattr(value, "date") else value


def _dates(column: pd.Series) -> list:
    """A column of days as ``datetime.date`` (None where empty), a column at a time (264,000 periods)."""
    if len(column) == 0 or column.dtype == object:
        return [_date(v) for v in column]
    stamps = pd.to_datetime(column)
    return [None if missing else day for day, missing in zip(stamps.dt.date.tolist(), stamps.isna().tolist())]


def _shared(column: pd.Series, clean=None) -> list:
    """``column.tolist()`` with one object per distinct value: the nation's 264,000 periods name a few thousand
    parents, four levels and a few dozen days, and a text object per cell was some 150 MB (issue 17).
    ``clean``: applied to each distinct value (and the empty one) instead of to every cell."""
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    values = distinct.tolist()
    if (codes < 0).any():  # the column's own empty value (None or NaN), as ``tolist`` gives it
        values.append(column.iloc[int((codes < 0).argmax())])
    if clean is not None:
        values = [clean(v) for v in values]
    return [values[c] for c in codes.tolist()]


@dataclass(frozen=True)
class _YearIndex:
    """One year's tree as columns: ``period`` gives each code number's period on 31 December (-1: not in the
    tree); ``child_periods`` are the periods of the units with a parent in the tree, by parent (then period),
    ``child_parents`` that parent's code number."""

    period: np.ndarray
    child_periods: np.ndarray
    child_parents: np.ndarray


class Organisation:
    """Every period of every unit, answering "what did the tree look like in year Y"."""

    def __init__(self, periods: pd.DataFrame):
        self.periods = periods
        self._trees: dict[int, dict[str, Unit]] = {}
        self._latest: dict[str, Unit | None] = {}
        self._shared: dict[int, Unit] = {}  # period -> its unit, for units without children
        self._counts: dict[tuple, np.ndarray] = {}  # (year, sectors) -> each code number's children in scope
        self._indexes: dict[int, _YearIndex] = {}  # year -> its tree as columns
        self._carried: dict[tuple[str, int], list[str]] = {}  # (code, year) -> carriers
        self._in_scope: dict[tuple, np.ndarray] = {}  # sectors -> which periods count in that scope
        self._alone: dict[tuple[str, int], Unit | None] = {}  # (code, year) -> unit, read without the tree
        self._arrays: dict[str, np.ndarray] = {}  # a field -> every period's, as ``column_array`` gives it

    @cached_property
    def _columns(self) -> dict[str, list]:
        """The periods as plain lists (building units from these is ten times faster than itertuples)."""
        frame = self.periods
        columns = {c: _shared(frame[c]) for c in ("code", "name_vi", "name_en", "kind", "level")}
        # the texts a unit holds as None when empty, made so once per distinct value (``Unit`` takes them as they are)
        columns.update({c: _shared(frame[c], _text) for c in ("sector", "parent", "successor", "official_code")})
        columns["valid_from"] = _shared(pd.Series(_dates(frame["valid_from"]), dtype=object))
        columns["valid_to"] = _shared(pd.Series(_dates(frame["valid_to"]), dtype=object))
        for lang in ("vi", "en"):
            ranks = frame[f"rank_{lang}"].fillna(0).astype("int64") if f"rank_{lang}" in frame else None
            columns[f"rank_{lang}"] = ranks.tolist() if ranks is not None else [0] * len(frame)
        return columns

    def _unit_at(self, i: int) -> Unit:
        c = self._columns
        return Unit(*(c[name][i] for name in UNIT_FIELDS))

    def _units_at(self, periods: list[int]) -> list[Unit]:
        """``_unit_at`` of many periods at once (the nation's 133,000 units of a year)."""
        if not periods:
            return []
        if len(periods) == 1:
            return [self._unit_at(periods[0])]
        pick = itemgetter(*periods)
        return list(map(Unit, *(pick(self._columns[name]) for name in UNIT_FIELDS)))

    @cached_property
    def _groups(self) -> dict[str, list[int]]:
        """Each code's periods (positions in ``periods``, in order), grouped at once."""
        codes = self._columns["code"]
        found: dict[str, list[int]] = {}
        if not codes:
            return found
        order, bounds = self._grouped
        return {codes[order[start]]: order[start:end] for start, end in zip(bounds, bounds[1:])}

    @cached_property
    def _grouped(self) -> tuple[list[int], list[int]]:
        """The periods in order of code (first seen first), each code's in their own order; where each code's begin
        and end in that order."""
        keys, _ = pd.factorize(pd.Series(self._columns["code"], dtype=object), sort=False)
        order = np.argsort(keys, kind="stable")
        bounds = np.flatnonzero(np.diff(keys[order])) + 1
        return order.tolist(), [0, *bounds.tolist(), len(order)]

    @cached_property
    def predecessors(self) -> dict[str, list[str]]:
        """Units whose successor is the key."""
        found: dict[str, set[str]] = {}
        for code, successor in zip(self._columns["code"], self._columns["successor"]):
            if isinstance(successor, str) and successor:
                found.setdefault(successor, set()).add(code)
        return {code: sorted(preds) for code, preds in found.items()}

    def spans(self, code: str) -> list[tuple[dt.date, dt.date | None]]:
        """Every period (first day, last day or None) of a unit, in their order (made when asked: a dict of the
        nation's 133,000 units was 0.4 s of its ``status``)."""
        number = self._code_numbers.get(code)
        if number is None:
            return []
        order, bounds = self._grouped
        begins, until = self._columns["valid_from"], self._columns["valid_to"]
        return [(begins[i], until[i]) for i in order[bounds[number]:bounds[number + 1]]]

    def lifetime(self, code: str) -> tuple[dt.date, dt.date | None] | None:
        """First and last day of a unit over all its periods (None = still valid); None for an unknown code
        (asked per unit: a dict of the nation's 134,000 units was 0.2 s of its ``status``)."""
        number = self._code_numbers.get(code)
        if number is None:
            return None
        first, ending = self._lifetime_periods
        return self._columns["valid_from"][first[number]], self._columns["valid_to"][ending[number]]

    @cached_property
    def _lifetime_periods(self) -> tuple[list[int], list[int]]:
        """Each code number's period that began first, and its period that ends last (an open one: the largest
        last day; of two, the later in ``periods``)."""
        keys, distinct, _ = self._numbered
        if not len(keys):
            return [], []
        _, ends = self._day_numbers
        last = np.full(len(distinct), np.iinfo(np.int64).min)
        np.maximum.at(last, keys, ends)  # an open period's last day is the largest: the unit is still valid
        ending = np.full(len(distinct), -1)
        ending[keys[ends == last[keys]]] = np.flatnonzero(ends == last[keys])
        return self._first_and_latest[0].tolist(), ending.tolist()

    def covers(self, code: str, years: list[int]) -> bool:
        """Whether one period of the unit covers the year end of every year listed."""
        if not years:
            return True
        first, last = year_end(min(years)), year_end(max(years))
        return any(s <= first and (e is None or e >= last) for s, e in self.spans(code))

    def valid(self, code: str, year: int) -> bool:
        """Whether one of the unit's periods covers 31 December of ``year``."""
        return self._period_at(code, year) is not None

    def tree(self, year: int) -> dict[str, Unit]:
        """Code -> unit for the units in the tree of ``year``, children filled in."""
        if year not in self._trees:
            self._trees[year] = self._build(year)
        return self._trees[year]

    def _build(self, year: int) -> dict[str, Unit]:
        day = year_end(year)
        starts, ends, codes, parents = (self._columns[c] for c in ("valid_from", "valid_to", "code", "parent"))
        periods = {codes[i]: i for i in range(len(starts)) if starts[i] <= day and (ends[i] is None or ends[i] >= day)}
        children: dict[str, list[str]] = {}
        for code, i in periods.items():
            if parents[i] in periods:
                children.setdefault(parents[i], []).append(code)
        # the units with no child are shared between years; the others are this year's own (made at once)
        missing = [i for code, i in periods.items() if code not in children and i not in self._shared]
        self._shared.update(zip(missing, self._units_at(missing)))
        above = [i for code, i in periods.items() if code in children]
        for unit in (made := self._units_at(above)):
            unit.children = children[unit.code]
        mine = {unit.code: unit for unit in made}
        return {code: mine[code] if code in mine else self._shared[i] for code, i in periods.items()}

    def _shared_unit(self, i: int) -> Unit:
        if i not in self._shared:
            self._shared[i] = self._unit_at(i)
        return self._shared[i]

    def unit(self, code: str, year: int) -> Unit | None:
        """``code`` in the tree of ``year``; read from its own periods and its children's when that year's tree
        is not built (the nation's tree is 130,000 units: a view of a province and its districts needs none)."""
        if year in self._trees:
            return self._trees[year].get(code)
        key = (code, year)
        if key not in self._alone:
            self._alone[key] = self._unit_alone(code, year)
        return self._alone[key]

    def _unit_alone(self, code: str, year: int) -> Unit | None:
        i = self._period_at(code, year)
        if i is None:
            return None
        children = self._children_at(code, year)
        return replace(self._shared_unit(i), children=[self._columns["code"][j] for j in children]) if children \
            else self._shared_unit(i)

    def _covers_day(self, i: int, day: dt.date) -> bool:
        start, end = self._columns["valid_from"][i], self._columns["valid_to"][i]
        return start <= day and (end is None or end >= day)

    def _period_at(self, code: str, year: int) -> int | None:
        """The last of ``code``'s periods that covers 31 December of ``year`` (as ``_build`` keeps it)."""
        number = self._code_numbers.get(code)
        if number is None:
            return None
        found = int(self._year_index(year).period[number])
        return found if found >= 0 else None

    def _period_on(self, code: str, day: dt.date) -> int | None:
        """The last of ``code``'s periods that covers ``day``."""
        found = None
        for i in self._periods_of.get(code, ()):
            if self._covers_day(i, day):
                found = i
        return found

    def _children_at(self, code: str, year: int) -> list[int]:
        """The periods, one per child, of the units directly below ``code`` on 31 December of ``year``, in the
        order of their periods (empty when ``code`` itself is not there)."""
        number = self._code_numbers.get(code)
        if number is None:
            return []
        index = self._year_index(year)
        start, end = np.searchsorted(index.child_parents, [number, number + 1])
        return index.child_periods[start:end].tolist()

    @cached_property
    def _code_numbers(self) -> dict[str, int]:
        """Each code's number (its position among the distinct codes, first seen first)."""
        return {code: n for n, code in enumerate(self._numbered[1])}

    @cached_property
    def _numbered(self) -> tuple[np.ndarray, list[str], np.ndarray]:
        """Each period's code and parent as code numbers (-1: no parent, or a parent that is no unit), and the
        distinct codes."""
        keys, distinct = pd.factorize(pd.Series(self._columns["code"], dtype=object), sort=False)
        parents = pd.Index(distinct).get_indexer(pd.Series(self._columns["parent"], dtype=object))
        return keys.astype(np.int64), list(distinct), parents.astype(np.int64)

    @cached_property
    def _day_numbers(self) -> tuple[np.ndarray, np.ndarray]:
        """Each period's first and last day as ordinals (an open period's last day: the largest)."""
        def ordinals(name: str, empty: int) -> np.ndarray:
            column = self.periods[name]
            if column.dtype.kind == "M":  # days as numbers at once (264,000 periods), the empty ones ``empty``
                days = column.to_numpy().astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL
                return np.where(column.isna().to_numpy(), empty, days)
            known: dict = {None: empty}
            return np.array([known[d] if d in known else known.setdefault(d, d.toordinal())
                             for d in self._columns[name]], dtype=np.int64)
        return ordinals("valid_from", dt.date.min.toordinal()), ordinals("valid_to", dt.date.max.toordinal())

    def _year_index(self, year: int) -> _YearIndex:
        """The tree of ``year`` as columns: each code's period on 31 December (the last one that covers it), and
        the periods of the units below each unit there, by parent (kept per year)."""
        if year not in self._indexes:
            self._indexes[year] = self._make_year_index(year)
        return self._indexes[year]

    def _make_year_index(self, year: int) -> _YearIndex:
        keys, distinct, parents = self._numbered
        starts, ends = self._day_numbers
        day = year_end(year).toordinal()
        covering = np.flatnonzero((starts <= day) & (ends >= day))
        period = np.full(len(distinct), -1, dtype=np.int64)
        if len(covering):
            numbers = keys[covering][::-1]
            found, first = np.unique(numbers, return_index=True)  # the last covering period of each code
            period[found] = covering[::-1][first]
        chosen = np.sort(period[period >= 0])
        above = parents[chosen]
        below = np.zeros(len(chosen), dtype=bool) if not len(chosen) else above >= 0
        below[below] = period[above[below]] >= 0
        chosen, above = chosen[below], above[below]
        order = np.argsort(above, kind="stable")
        return _YearIndex(period, chosen[order], above[order])

    def _sector_ok(self, sectors: tuple) -> np.ndarray:
        """Which periods count in a scope of ``sectors``: a unit without a sector counts in every one."""
        if sectors not in self._in_scope:
            column = pd.Series(self._columns["sector"], dtype=object)
            self._in_scope[sectors] = (column.isna() | column.isin(list(sectors))).to_numpy(dtype=bool) \
                if sectors else np.ones(len(column), dtype=bool)
        return self._in_scope[sectors]

    @cached_property
    def _periods_of(self) -> dict[str, list[int]]:
        return self._groups

    def children_in_scope(self, code: str, year: int, sectors: tuple = ()) -> int | None:
        """How many units were directly below ``code`` in ``year`` in these sectors (a unit without a sector
        counts in every scope; ``()``: all); None when ``code`` is not in that year's tree. Every unit's count
        is made at once per year and scope (a province's thousands of children, the nation's 130,000 units)."""
        number = self._code_numbers.get(code)
        index = self._year_index(year)
        if number is None or index.period[number] < 0:
            return None
        key = (year, sectors)
        if key not in self._counts:
            ok = self._sector_ok(sectors)[index.child_periods]
            self._counts[key] = np.bincount(index.child_parents[ok], minlength=len(index.period))
        return int(self._counts[key][number])

    @cached_property
    def _first_and_latest(self) -> tuple[np.ndarray, np.ndarray]:
        """Each code number's period that began first (of two that began the same day, the earlier in
        ``periods``) and the one that began last (of two, the later), found with one sort."""
        keys, distinct, _ = self._numbered
        starts, _ = self._day_numbers
        order = np.lexsort((np.arange(len(keys)), starts, keys))
        bounds = np.flatnonzero(np.diff(keys[order])) + 1 if len(order) else np.zeros(0, dtype=np.int64)
        first = order[np.concatenate(([0], bounds))] if len(order) else order
        last = order[np.concatenate((bounds - 1, [len(order) - 1]))] if len(order) else order
        return first, last

    def _latest_period(self, code: str) -> int | None:
        """The code's period that began last (of two that began the same day, the later in ``periods``)."""
        number = self._code_numbers.get(code)
        return None if number is None else int(self._first_and_latest[1][number])

    def _first_period(self, code: str) -> int | None:
        """The code's period that began first (of two that began the same day, the earlier in ``periods``)."""
        number = self._code_numbers.get(code)
        return None if number is None else int(self._first_and_latest[0][number])

    def any_period(self, code: str) -> Unit | None:
        """The latest period of a unit, whatever the year (for names of dissolved units)."""
        if code not in self._latest:
            index = self._latest_period(code)
            self._latest[code] = None if index is None else self._unit_at(index)
        return self._latest[code]

    def successors(self, code: str) -> list[str]:
        """The unit followed by its successor, that one's successor, and so on."""
        chain = [code]
        while (unit := self.any_period(chain[-1])) and unit.successor and unit.successor not in chain:
            chain.append(unit.successor)
        return chain

    def carriers(self, code: str, year: int) -> list[str]:
        """The units that carry ``code``'s series in ``year``.

        The unit itself in a year whose 31 December it covers; forward through successors after it ended;
        before it began, every predecessor valid that year — recursively, a predecessor that had not begun
        either gives its own (a merger of several has several carriers: its series is their sum, "as is").
        Empty when no unit does. Kept per code and year (the nation's merged units ask tens of thousands).
        """
        key = (code, year)
        if key not in self._carried:
            self._carried[key] = self._carriers(code, year, set())
        return list(self._carried[key])

    def _carriers(self, code: str | None, year: int, seen: set[str]) -> list[str]:
        if not code or code in seen or (life := self.lifetime(code)) is None:
            return []
        seen.add(code)
        start, end = life
        day = year_end(year)
        if start > day:
            found = [c for p in self.predecessors.get(code, []) for c in self._carriers(p, year, seen)]
            return list(dict.fromkeys(found))
        if end is not None and end < day:
            ended = self.any_period(code)
            return self._carriers(ended.successor, year, seen) if ended is not None else []
        return [code] if self.valid(code, year) else []

    def lineage(self, code: str, year: int) -> str | None:
        """The one unit that carries ``code``'s series in ``year`` (``carriers``): forward through successors
        after the unit ended; backward to its predecessor before it began, when there is exactly one (a
        merger of several has no single past: its years before are reconstructed, see ``carriers``)."""
        found = self.carriers(code, year)
        return found[0] if len(found) == 1 else None

    def as_is(self, code: str, year: int) -> Unit | None:
        """``code`` as it stands in ``year``: its unit in that year's tree; in a year before it was formed by
        merging several units, the unit itself (its first period) with those units below it as its parts.
        None when neither."""
        unit = self.unit(code, year)
        if unit is not None:
            return unit
        parts = self.carriers(code, year)
        first = self._first_period(code)
        if len(parts) < 2 or first is None:
            return None
        return replace(self._unit_at(first), children=parts)

    def merged_into(self, code: str, year: int) -> str | None:
        """The later unit formed by merging several that ``code`` is a part of in ``year`` (its as-is parent),
        or None."""
        for later in self.successors(code)[1:]:
            if not self.valid(later, year):
                return later if len(self.carriers(later, year)) > 1 and code in self.carriers(later, year) else None
        return None

    def footing(self, code: str) -> str:
        """The unit ``code``'s figures are like-for-like with: back through successions of one unit by one
        (a new name, a new code), up to a unit formed by merging several, or the first of the line."""
        seen = {code}
        while len(preds := self.predecessors.get(code, [])) == 1 and preds[0] not in seen:
            code = preds[0]
            seen.add(code)
        return code

    def merger(self, code: str) -> tuple[str, dt.date] | None:
        """The unit that ``code`` (or the line of single successions it begins) merged into with others, and the
        day that unit began; None when it never merged with others."""
        for later in self.successors(code)[1:]:
            if len(self.predecessors.get(later, [])) > 1:
                life = self.lifetime(later)
                return (later, life[0]) if life is not None else None
        return None

    def merged_parts(self, code: str) -> set[str]:
        """Every unit that stood as a part of ``code`` before it (or a unit it continues alone) was formed by
        merging several: the units its as-is series adds up in those years, and their predecessors."""
        chain = [code]
        while len(preds := self.predecessors.get(chain[-1], [])) == 1 and preds[0] not in chain:
            chain.append(preds[0])
        stack = [p for c in chain if len(self.predecessors.get(c, [])) > 1 for p in self.predecessors[c]]
        found: set[str] = set()
        while stack:
            part = stack.pop()
            if part not in found:
                found.add(part)
                stack.extend(self.predecessors.get(part, []))
        return found

    def on_day(self, code: str, day: dt.date) -> Unit | None:
        """The unit that ``code`` is on ``day``: itself, or the successor it merged into (followed on), as named
        that day (a letter dated after the 2025 reorganisation comes from the merged federation). None when
        neither covers the day."""
        for later in self.successors(code):
            found = self._period_on(later, day)
            if found is not None:
                return self._shared_unit(found)
        return None

    def valid_every(self, codes: list[str], years: list[int] | tuple[int, ...]) -> np.ndarray:
        """Whether each unit is in the tree of every one of ``years`` (``valid`` each year), at once."""
        numbers = np.array([self._code_numbers.get(c, -1) for c in codes], dtype=np.int64)
        found = numbers >= 0
        for year in years:
            found &= self._year_index(year).period[np.maximum(numbers, 0)] >= 0
        return found

    def periods_under(self, tops: list[str], year: int) -> np.ndarray:
        """The period on 31 December of ``year`` of each of ``tops`` in that year's tree and of every unit below
        them, level by level (the units ``descendants`` names, without building the tree: the nation's listing
        needs the codes, names, levels and sectors of 133,000 units, not 133,000 ``Unit`` objects)."""
        index, keys = self._year_index(year), self._numbered[0]
        numbers = [self._code_numbers[c] for c in tops if c in self._code_numbers]
        found = [p for p in index.period[numbers] if p >= 0] if numbers else []
        frontier = keys[np.array(found, dtype=np.int64)]
        parts = [np.array(found, dtype=np.int64)]
        for _ in range(len(LEVEL_ORDER) * 8):  # a tree is a few levels deep (a cycle of parents ends here)
            if not len(frontier):
                break
            below = index.child_periods[np.isin(index.child_parents, frontier)]
            parts.append(below)
            frontier = keys[below]
        return np.concatenate(parts)

    def column_array(self, name: str) -> np.ndarray:
        """One field of ``Unit`` (``UNIT_FIELDS``) for every period, as an array of objects (kept)."""
        if name not in self._arrays:
            self._arrays[name] = np.array(self._columns[name], dtype=object)
        return self._arrays[name]

    def column(self, name: str, periods: np.ndarray) -> list:
        """One field of ``Unit`` (``UNIT_FIELDS``) for these periods."""
        values = self._columns[name]
        return [values[i] for i in periods.tolist()]

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


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None
