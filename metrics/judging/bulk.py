"""Every unit's status on one target at once: the nation's listing in seconds (issue 17).

``Scorecard.row`` judges one unit at a time through ``metrics.domain.judgement.judge`` (and so
``metrics.domain.progress.assess``); for ~180,000 rows that is a minute. Here the figures of every unit
that carries its own series (no stated baseline, no rebase, no share of plan, all of its line on one footing:
the common case) are read in one query per target, laid out unit × year, and judged column by column; a year
before a unit was formed by merging several is its parts' figures combined by the roll-up's rule
(``mergers.reconstruction``), column by column too. Every other unit goes through ``Scorecard.row`` as
before. The arithmetic follows ``judge`` and ``assess`` step by step, in the same order (powers through
Python's own ``**``, sums part by part as ``sum`` adds them), so the listing is the same to the last digit;
``tests/test_bulk_status.py`` compares the two on every row.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from metrics.domain import mergers
from metrics.domain.judgement import ACHIEVEMENT_TYPES, BAND_TYPES, CUMULATIVE, LEVEL, TargetSpec, has_band
from metrics.domain.organisation import LEVEL_ORDER, Organisation, Unit, _text
from metrics.domain.progress import (
    DETERIORATION,
    LIMITED,
    MODERATE,
    NO_TARGET,
    NOT_ACHIEVED,
    NOT_AVAILABLE,
    SUBSTANTIAL,
    TARGET_ACHIEVED,
    WITH_TARGET_THRESHOLDS,
    ZERO_REPLACEMENT,
)
from metrics.domain.records import Target
from metrics.domain.rollup_reference import PART_KINDS, PERCENT_KINDS
from metrics.judging.scorecard import INTEGER_COLUMNS, _sectors
from metrics.storage import rollups
from metrics.storage.figure_sources import StoredFigures
from metrics.storage.store import in_force_sql

RECORD_COLUMNS = (
    "plan", "target", "indicator", "unit", "year", "actual", "target_value", "achievement_pct", "status",
    "target_type", "group", "unit_name", "level", "actual_year", "expected", "gap", "pace_per_year",
    "pace_rate_pct", "projection", "years_met", "years_assessed", "band_position", "score", "numerator",
    "denominator", "reported_units", "expected_units", "series_break", "provenance", "trend", "reconstructed",
    "reconstruction_missing", "target_as_written", "rebase_factor", "quota", "judged_against", "provisional")


@dataclass
class Grid:
    """The figures of ``codes`` (rows) in ``years`` (columns); NaN where a unit has no figure that year."""

    codes: list[str]
    years: list[int]
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    reported: np.ndarray
    own: np.ndarray
    provenance: np.ndarray  # bit mask (``rollups.PROVENANCE_BITS``), 0 where no figure
    children: np.ndarray  # direct children in the target's scope, that year

    @property
    def present(self) -> np.ndarray:
        return ~np.isnan(self.value)


@dataclass(frozen=True)
class Rebuilt:
    """A year of a line before its unit was formed by merging several: carried by the unit itself (as is),
    its figure the ``parts``' figures combined (``mergers.reconstruction``)."""

    unit: str
    parts: tuple[str, ...]


Cell = str | Rebuilt | None  # who carries a unit's series in a year of its line (None: no one)


@dataclass
class Reconstructions:
    """The cells of a grid rebuilt from their parts (``Rebuilt``), as ``StatusRow.reconstructions`` holds
    them: only those where some part has a figure; ``complete``: every part's figure adds up (a figure, which
    ``reconstructed`` lists), else ``missing`` names the parts without one (``reconstruction_missing``)."""

    rows: np.ndarray
    years: np.ndarray
    complete: np.ndarray
    missing: list[tuple[str, ...]]


_NONE = np.array(None, dtype=object)  # np.where's 'no value', typed as numpy's stubs want it


@dataclass
class Roster:
    """The plan's unit and every unit below it in a year, province first, by name (``Scorecard.units_for``'s
    order) as columns (arrays of texts): the nation's 133,469 units without a ``Unit`` object each; ``unit``
    makes one for the few judged one by one."""

    codes: np.ndarray
    names: np.ndarray
    levels: np.ndarray
    sectors: np.ndarray  # (None where a unit has no sector)
    root: Unit | None
    year: int
    org: Organisation

    def __len__(self) -> int:
        return len(self.codes)

    def unit(self, i: int) -> Unit:
        """The unit at ``i`` as ``units_for`` gives it (the root as ``Scorecard.root`` gives it)."""
        code = self.codes[i]
        if self.root is not None and code == self.root.code:
            return self.root
        found = self.org.unit(code, self.year)
        assert found is not None  # a unit of the roster is in the tree of its year
        return found

    def positions(self, codes: set[str]) -> list[int]:
        return [i for i, code in enumerate(self.codes.tolist()) if code in codes] if codes else []


def roster(card, plan: str, year: int) -> Roster:
    """``Scorecard.units_for(plan, year)`` as a ``Roster`` (kept per plan and year for every target)."""
    key = ("roster", plan, year)
    cache = _cache(card)
    if key not in cache:
        cache[key] = _roster(card, plan, year)
    return cache[key]


def _roster(card, plan: str, year: int) -> Roster:
    org = card.org
    root = card.root(plan, year)
    if root is None:
        none = np.zeros(0, dtype=object)
        return Roster(none, none, none, none, None, year, org)
    tops = [root.code] if org.valid(root.code, year) else list(root.children)
    periods = org.periods_under(tops, year)
    periods = periods[org.column_array("code")[periods] != root.code]

    def column(name: str) -> np.ndarray:  # the root first (as ``Scorecard.root`` gives it), then the units below
        return np.concatenate([np.array([getattr(root, name)], dtype=object), org.column_array(name)[periods]])

    codes, names, levels, sectors, ranks = (column(n) for n in ("code", "name_vi", "level", "sector", "rank_vi"))
    # each code's place among the codes, as Python orders texts (UTF-8 bytes sort as code points do)
    by_code = np.empty(len(codes), dtype=np.int64)
    by_code[pc.array_sort_indices(pa.array(codes, type=pa.string())).to_numpy()] = np.arange(len(codes))
    kinds, distinct = pd.factorize(levels, use_na_sentinel=False)
    level_order = np.array([LEVEL_ORDER.get(level, 9) for level in distinct], dtype=np.int64)[kinds]
    order = np.lexsort((by_code, ranks.astype(np.int64), level_order))  # ``Unit.sort_key("vi")``
    return Roster(codes[order], names[order], levels[order], sectors[order], root, year, org)


def status_frames(card, plan: str, year: int, targets: list[Target]) -> Iterator[tuple[Target, pd.DataFrame]]:
    """``status_frame`` of each target in turn. On DuckDB the next target's figures are read on a thread while
    this one is judged and written: the engine reads them without holding Python's interpreter lock, so the
    second core does it (the nation's listing is otherwise one core's work). On PostgreSQL a read's snapshot
    is its thread's connection (``postgres.Access``): there every target is read in turn."""
    ahead = ThreadPoolExecutor(1, thread_name_prefix="kpi-read-ahead") if card.store.engine == "duckdb" else None
    futures = _cache(card).setdefault("read-ahead", {})  # (target -> its tables, being read)

    def read_ahead(i: int) -> None:
        if ahead is not None and i < len(targets) and _bulk_ready(card, targets[i]):
            futures[(plan, targets[i].code, year)] = ahead.submit(_read_ahead, card, targets[i], year)

    cache = _cache(card)
    try:
        if ahead is not None and ("leaves", year) not in cache:
            cache[("leaves", year)] = ahead.submit(_read_leaves, card, year)
        read_ahead(0)
        for i, target in enumerate(targets):
            read_ahead(i + 1)  # (the thread reads it once this target's own tables are read)
            frame = status_frame(card, plan, year, target)
            futures.pop((plan, target.code, year), None)  # (not taken: no unit of the target judged in bulk)
            yield target, frame
    finally:
        cache.pop("read-ahead", None)
        if ahead is not None:
            ahead.shutdown(wait=True, cancel_futures=True)
            leaves = cache.get(("leaves", year))
            if isinstance(leaves, Future) and (leaves.cancelled() or leaves.exception() is not None):
                del cache[("leaves", year)]  # (read again when asked)


def status_frame(card, plan: str, year: int, target: Target) -> pd.DataFrame:
    """The ``status`` listing of one target for every unit of the plan in ``year`` (``Scorecard.evaluate`` with
    ``units=None`` and this target, as ``records`` lays it out)."""
    scope = roster(card, plan, year)
    chosen = _applying(card, target, scope)
    if not len(chosen):
        return pd.DataFrame()
    if _bulk_ready(card, target):
        lines, simple = _lines_of(card, target, scope, chosen, year)
    else:  # (a share of plan, a state as of a batch, figures worked out in memory: every unit one by one)
        lines, simple = [None] * len(chosen), np.zeros(len(chosen), dtype=bool)
    if card.quotas.get((target.plan, target.code)):  # a unit given a quota is judged on it, one by one
        codes = scope.codes[chosen].tolist()
        lines = [None if card.quota(target, c) is not None else line for c, line in zip(codes, lines)]
        simple = np.array([line is not None for line in lines], dtype=bool)
    parts = []
    if not simple.all():
        others = [scope.unit(i) for i in chosen[~simple].tolist()]
        parts.append((np.flatnonzero(~simple), _judged_one_by_one(card, plan, year, target, others)))
    if simple.any():
        in_bulk = _kept(card, lines)
        parts.append((np.flatnonzero(simple), _judged_in_bulk(card, target, scope, chosen[simple], in_bulk, year)))
    frames = [frame.set_axis(index, axis=0) for index, frame in parts]
    frame = frames[0] if len(frames) == 1 else pd.concat(frames).sort_index()
    return frame.reset_index(drop=True).astype({c: "Int64" for c in INTEGER_COLUMNS})


def _kept(card, lines: list[tuple[Cell, ...] | None]) -> list[tuple[Cell, ...]]:
    """The lines that are not None, the same list for the same ``lines`` (``read_grid`` knows it again)."""
    cache = _cache(card)
    if cache.get("kept-of") is not lines:
        cache["kept-of"], cache["kept"] = lines, [line for line in lines if line is not None]
    return cache["kept"]


def _lines_of(card, target: Target, scope: Roster, chosen: np.ndarray, year: int
              ) -> tuple[list[tuple[Cell, ...] | None], np.ndarray]:
    """``_lines`` of the chosen units of the scope, and which have one; kept per (plan, years, units, units
    left out), so that the targets of the same units (the thirty of the grassroots) share one list."""
    years = tuple(y for y in card.source.years(target.indicator) if y <= year)
    key = ("lines-of", target.plan, year, years, id(scope), chosen.tobytes(), frozenset(_excluded(card, target)))
    cache = _cache(card)
    if cache.get("lines-of-key") != key:
        lines = _lines(card, target, scope.codes[chosen].tolist(), year)
        cache["lines-of-key"], cache["lines-of"] = key, (lines, np.array([line is not None for line in lines],
                                                                          dtype=bool))
    return cache["lines-of"]


def _cache(card) -> dict:
    """What this module keeps for a scorecard across targets (``Scorecard.release`` forgets its memo)."""
    return vars(card).setdefault("_bulk_cache", {})


def _applying(card, target: Target, scope: Roster) -> np.ndarray:
    """``Scorecard.applies`` over the plan's units (their positions in ``scope``), asked once per (level, sector)
    where it depends on no more; the target's own unit's line and the quota holders' lines one by one."""
    kinds, first_of_kind, stand_in = _kinds(card, target.plan, scope)
    if _text(target.unit):
        applies = np.zeros(len(scope), dtype=bool)
    else:
        wanted = [k for k, kind in enumerate(first_of_kind) if _applies_by_kind(target, *kind)]
        applies = np.isin(kinds, wanted) & ~stand_in
    given = card.quotas.get((target.plan, target.code)) or {}
    special = {c for holder in ([target.unit] if _text(target.unit) else []) + list(given)
               for c in card.org.successors(holder)}
    for i in scope.positions(special):
        applies[i] = card.applies(target, scope.unit(i))
    return np.flatnonzero(applies)


def _kinds(card, plan: str, scope: Roster) -> tuple[np.ndarray, list[tuple], np.ndarray]:
    """Each unit of the scope's (level, sector) as a number, each (level, sector), and which units are
    stand-ins: made once per scope, so that thirty targets do not each walk the nation's 130,000 units."""
    key = ("kinds", plan, id(scope))
    cache = _cache(card)
    if key not in cache or cache[key][0] is not scope:  # the scope itself kept: its id is never another's
        numbers: dict[tuple, int] = {}
        kinds = np.array([numbers.setdefault(kind, len(numbers)) for kind in zip(scope.levels, scope.sectors)],
                         dtype=np.int64)
        stand_ins = card.stand_ins(plan)
        stand_in = np.array([c in stand_ins for c in scope.codes], dtype=bool) if stand_ins else np.zeros(
            len(scope), dtype=bool)
        cache[key] = (scope, kinds, list(numbers), stand_in)
    return cache[key][1:]


def _applies_by_kind(target: Target, level: str, unit_sector: str | None) -> bool:
    if level not in (target.applies_to or "").split("|"):
        return False
    sector = target.sector
    sectors = tuple(sector.split("|")) if isinstance(sector, str) and sector else ()
    return not sectors or unit_sector is None or unit_sector in sectors


def _bulk_ready(card, target: Target) -> bool:
    """Targets judged here: the values in force now, from the database's roll-ups, not a share of plan."""
    basis = target.basis
    kept = card.source.values is None and card.source.figures_table == "figures"  # (or the approved overlay)
    return (card.as_of is None and type(card.source) is StoredFigures and card.source.as_of is None
            and (kept or card.approved_only) and not (isinstance(basis, str) and basis))


def _lines(card, target: Target, codes: list[str], year: int) -> list[tuple[Cell, ...] | None]:
    """For each unit, the unit that carries its series in each year of the indicator up to ``year`` (None in a
    year none does): itself, or before it began the one unit it continues (a new code, a new parent), or the
    several it was formed from (``Rebuilt``); all on one footing. None for a unit judged one by one: a line on
    more than one footing, the plan's own unit and its successors, the unit of a rebased plan, a unit with a
    stated baseline."""
    plan = target.plan
    years = tuple(y for y in card.source.years(target.indicator) if y <= year)
    excluded = _excluded(card, target)
    known = _cache(card).setdefault(("lines", plan, years), {})
    others = _owned_by_plan(card, plan)
    new = [c for c in dict.fromkeys(codes) if c not in known and c not in others]
    if new:  # a unit in the tree every year carries its own series: found for all at once (``_line``'s first case)
        everywhere = card.org.valid_every(new, years)
        known.update((c, (c,) * len(years)) for c, there in zip(new, everywhere.tolist()) if there)
    found = []
    for code in codes:
        if code not in known:
            known[code] = None if code in others else _line(card, code, years)
        found.append(None if code in excluded else known[code])
    return found


def _excluded(card, target: Target) -> set[str | None]:
    """The units of a target judged one by one whatever their line: the unit of a rebased plan, and a level
    target's own unit and its successors when it states a baseline."""
    merger = card.merger(target.plan)
    unit_set = bool(target.unit)
    rebased = merger.successor if merger is not None and merger.rule == mergers.REBASE and not unit_set else None
    stated = target.baseline
    excluded = {rebased}
    if target.type == LEVEL and stated is not None and not pd.isna(stated):
        excluded |= set(card.org.successors(card.target_unit(target)))
    return excluded


def _owned_by_plan(card, plan: str) -> set[str]:
    """The codes whose series is not their own (``Scorecard.series_owner`` is not the code): the plan's unit's
    successors, but for its owner and the stand-ins. Asked once per plan, not once per unit."""
    owner, stand_ins = card.owner(plan), card.stand_ins(plan)
    return {c for c in card.org.successors(card.plans[plan].unit) if c != owner and c not in stand_ins}


def _line(card, code: str, years: tuple) -> tuple[Cell, ...] | None:
    """``Scorecard.lineage_series``'s carriers of ``code`` (its own series: ``series_owner`` is the code), None
    when they are not all on one footing (``mergers.comparable`` would compare like for like). (A unit in the
    tree every year has been found by ``Organisation.valid_every`` before; its line comes out as itself each
    year here too.)"""
    org = card.org
    line = [_cell(org, code, year) for year in years]
    if len({org.footing(_carrier(c)) for c in line if c is not None}) > 1:
        return None
    return tuple(line)


def _cell(org: Organisation, code: str, year: int) -> Cell:
    if org.valid(code, year):
        return code
    carriers = org.carriers(code, year)
    if len(carriers) > 1:  # a merger of several: the unit itself carries the year, reconstructed
        return Rebuilt(code, tuple(carriers))
    return carriers[0] if carriers else None


def _carrier(cell: str | Rebuilt) -> str:
    """The unit a cell's figure is said to be carried by (``StatusRow.units_by_year``)."""
    return cell.unit if isinstance(cell, Rebuilt) else cell


def _judged_one_by_one(card, plan: str, year: int, target: Target, units: list[Unit]) -> pd.DataFrame:
    """``Scorecard.evaluate``'s own way, for the units this module does not judge."""
    indicators = {target.indicator} | ({target.basis} if target.basis else set())
    card.prefetch(plan, sorted(u.code for u in units), sorted(indicators),
                  leaves=any(not u.children for u in units))
    return pd.DataFrame([card.row(target, u, year).as_record() for u in units], columns=list(RECORD_COLUMNS))


# --- reading --------------------------------------------------------------------------------------------


def read_grid(card, target: Target, lines: list[tuple[Cell, ...]], year: int
              ) -> tuple[Grid, np.ndarray, Reconstructions]:
    """The figures of each unit's line (``_lines``: who carried its series each year) for the target's
    indicator in its scope, every year up to ``year``; which carrier each cell came from (-1: none); and the
    cells rebuilt from the units a merger of several was formed from."""
    cache = _cache(card)
    if cache.get("codes-of") is not lines:  # (the same list of lines for the targets of the same units)
        uneven = [r for r, line in enumerate(lines) if line and (type(line[0]) is not str
                                                                 or line.count(line[0]) != len(line))]
        found = {c for c in {line[0] for line in lines if line} if type(c) is str}
        found.update(c for r in uneven for cell in lines[r] if cell is not None for c in _codes_of(cell))
        cache["codes-of"], cache["codes"], cache["uneven"] = lines, sorted(found), uneven
    codes, uneven = cache["codes"], cache["uneven"]
    by_code = read_codes(card, target, codes, year)
    key = (tuple(by_code.years), id(lines))
    if cache.get("carrier-key") != key or cache.get("carrier-lines") is not lines:
        cache["carrier-lines"] = lines
        cache["carrier-key"], cache["carrier-ids"], cache["rebuilt-cells"] = key, *_carrier_ids(
            lines, uneven, codes, len(by_code.years))
    ids, cells = cache["carrier-ids"], cache["rebuilt-cells"]
    grid = _empty_grid([""] * len(lines), by_code.years)
    if len(codes):
        _gather(grid, by_code, ids, cells, uneven)
    rebuilt = _rebuild(grid, by_code, cells, card.indicators[target.indicator].kind)
    return grid, np.where(ids >= 0, ids, -1), rebuilt


def _gather(grid: Grid, by_code: Grid, ids: np.ndarray, cells: RebuiltCells, uneven: list[int]) -> None:
    """Each line's figures from the rows of the codes that carry it (``ids``). A line of one unit every year is
    that unit's row whole (one copy of rows, not a lookup per cell: 134,000 grassroots lines of ten years);
    only the ``uneven`` lines are read cell by cell, where a cell without a carrier, or rebuilt from several
    units, keeps the empty grid's value (the merged unit's own figure is not read in a year before it)."""
    rows = ids[:, 0] if ids.shape[1] else np.zeros(len(ids), dtype=np.int64)
    rows = np.where(rows >= 0, rows, 0)  # (an uneven line's first cell may have no carrier: written below)
    odd = np.array(uneven, dtype=np.int64)
    known = ids[odd] >= 0
    rebuilt = np.isin(cells.rows, odd)
    known[np.searchsorted(odd, cells.rows[rebuilt]), cells.cols[rebuilt]] = False
    safe = np.where(known, ids[odd], 0)
    cols = np.broadcast_to(np.arange(ids.shape[1]), safe.shape)
    for name in ("value", "numerator", "denominator", "reported", "own", "provenance", "children"):
        source, into = getattr(by_code, name), getattr(grid, name)
        empty = into[odd].copy()
        into[:] = source.take(rows, axis=0)
        if len(odd):
            into[odd] = np.where(known, source[safe, cols], empty)


def _codes_of(cell: str | Rebuilt) -> tuple[str, ...]:
    """The codes whose figures a cell needs (and the unit it is said to be carried by)."""
    return (cell.unit, *cell.parts) if isinstance(cell, Rebuilt) else (cell,)


@dataclass
class RebuiltCells:
    """Where the lines have a ``Rebuilt`` year: its row and column, and its parts (their rows in the codes
    read, -1 beyond a cell's own parts), in the order ``Organisation.carriers`` gives them."""

    rows: np.ndarray
    cols: np.ndarray
    part_ids: np.ndarray
    parts: list[tuple[str, ...]]


def _carrier_ids(lines: list[tuple[Cell, ...]], uneven: list[int], codes: list[str], n_years: int
                 ) -> tuple[np.ndarray, RebuiltCells]:
    """Each cell's carrier as its row in ``codes`` (-1: none), and the cells rebuilt from several. A line of one
    unit every year is that unit's row; only the ``uneven`` lines (a few hundred) are looked at cell by cell."""
    keys = pa.array(codes, type=pa.string())
    ids = np.full((len(lines), n_years), -1, dtype=np.int64)
    found: list[tuple[int, int, tuple[str, ...]]] = []
    if n_years and lines:
        firsts = [line[0] if type(line[0]) is str else None for line in lines]
        ids[:] = _rows_of(pa.array(firsts, type=pa.string()), keys)[:, None]
        flat: list[Cell] = [cell for r in uneven for cell in lines[r]]
        for i, cell in enumerate(flat):
            if type(cell) is Rebuilt:
                found.append((uneven[i // n_years], i % n_years, cell.parts))
                flat[i] = cell.unit
        if uneven:
            ids[uneven] = _rows_of(pa.array(flat, type=pa.string()), keys).reshape(len(uneven), n_years)
    widest = max((len(parts) for _, _, parts in found), default=0)
    part_ids = np.full((len(found), widest), -1, dtype=np.int64)
    if found:  # every part found at once (one hash of the 130,000 codes, not one per cell)
        sizes = np.array([len(parts) for _, _, parts in found])
        rows = _rows_of(pa.array([p for _, _, parts in found for p in parts], type=pa.string()), keys)
        part_ids[np.repeat(np.arange(len(found)), sizes), np.arange(len(rows)) - np.repeat(np.cumsum(sizes) - sizes,
                                                                                            sizes)] = rows
    cells = RebuiltCells(np.array([r for r, _, _ in found], dtype=np.int64),
                         np.array([c for _, c, _ in found], dtype=np.int64), part_ids, [p for _, _, p in found])
    return ids, cells


def _rebuild(grid: Grid, by_code: Grid, cells: RebuiltCells, kind: str) -> Reconstructions:
    """``mergers.reconstruction`` of every rebuilt cell, its figure (``rollup_reference.reconstruct``: the parts
    combined in their order, as ``sum`` adds them) written into ``grid`` where it has a value."""
    n = len(cells.rows)
    if not n:
        return Reconstructions(cells.rows, cells.rows, np.zeros(0, dtype=bool), [])
    part = cells.part_ids >= 0
    safe, col = np.where(part, cells.part_ids, 0), cells.cols[:, None]

    def of(matrix: np.ndarray) -> np.ndarray:
        return np.where(part, matrix[safe, col], np.nan)

    value, numerator, denominator = of(by_code.value), of(by_code.numerator), of(by_code.denominator)
    has_value = ~np.isnan(value)
    usable = has_value & ~np.isnan(numerator) & ~np.isnan(denominator) if kind in PART_KINDS else has_value
    some = has_value.any(axis=1)  # (none of them has a figure: no reconstruction at all)
    complete = (usable | ~part).all(axis=1)
    totals = [np.zeros(n) for _ in range(3)]
    mask = np.zeros(n, dtype=np.int64)
    for k in range(part.shape[1]):
        here = part[:, k]
        for total, parts in zip(totals, (value, numerator, denominator)):
            total[:] = np.where(here, total + np.where(here, parts[:, k], 0.0), total)
        mask |= np.where(here, by_code.provenance[safe[:, k], cells.cols], 0)
    if kind in PART_KINDS:
        _, sum_n, sum_d = totals
        with np.errstate(divide="ignore", invalid="ignore"):
            figure = np.where(sum_d != 0, sum_n / sum_d * (100 if kind in PERCENT_KINDS else 1), np.nan)
        figure_n, figure_d = sum_n, sum_d
    else:
        figure, figure_n, figure_d = totals[0], np.full(n, np.nan), np.full(n, np.nan)
    there = complete & ~np.isnan(figure)  # (a ratio whose denominators add up to 0 has no value)
    rows, cols = cells.rows[there], cells.cols[there]
    grid.value[rows, cols], grid.numerator[rows, cols], grid.denominator[rows, cols] = (
        figure[there], figure_n[there], figure_d[there])
    grid.reported[rows, cols] = part.sum(axis=1)[there]  # every part reported, and was expected
    grid.own[rows, cols], grid.provenance[rows, cols], grid.children[rows, cols] = False, mask[there], 0
    missing = [tuple(p for p, ok in zip(parts, row.tolist()) if not ok) if not whole else ()
               for parts, row, whole in zip(cells.parts, usable, complete.tolist())]
    kept = np.flatnonzero(some)
    years = np.array(grid.years, dtype=np.int64)
    return Reconstructions(cells.rows[kept], years[cells.cols[kept]], complete[kept],
                           [missing[i] for i in kept.tolist()])


def read_codes(card, target: Target, codes: list[str], year: int) -> Grid:
    """The figures of ``codes`` for the target's indicator in its scope, every year up to ``year`` (as
    ``StoredFigures.figure`` reads them: a leaf's own value, else the roll-up of its scope).

    Each query reads the indicator's rows whole and the codes are found in them here, by hash (``_rows_of``):
    joining 1.3 M grassroots values to a list of 133,000 wanted codes and to ``unit_years`` in the database
    took most of the nation's listing (issue 17). The tables may have been read ahead (``status_frames``)."""
    years = [y for y in card.source.years(target.indicator) if y <= year]
    grid = _empty_grid(codes, years)
    if not codes or not years:
        return grid
    keys = pa.array(codes, type=pa.string())
    # the leaves' own values are millions of rows: read them only when some unit of the line is a leaf
    leaves = _any_leaf(card, codes, year)
    tables = _read_ahead_for(card, target, year) or _figure_tables(card, target, year, leaves)
    if leaves and tables.own is None:  # (read ahead without them: a target not of grassroots unions)
        tables = FigureTables(tables.rolled_up, _own_values(card, target, year))
    # the roll-ups of the units with units below them, then the leaves' own values over them (a leaf's own
    # value comes first, as ``StoredFigures`` reads it)
    _place(grid, keys, tables.rolled_up)
    if leaves:
        _place(grid, keys, tables.own, _leaf_cells(card, codes, years, year))
    grid.provenance[np.isnan(grid.value)] = 0
    grid.children[:] = _children_in_scope(card, codes, years, _sectors(target))
    return grid


@dataclass(frozen=True)
class FigureTables:
    """A target's figures as ``read_codes`` reads them: the roll-ups of its scope and every unit's own value
    (None when not read)."""

    rolled_up: pa.Table
    own: pa.Table | None


def _rolled_up(card, target: Target, year: int) -> pa.Table:
    """The roll-ups of the target's indicator in its scope, each year up to ``year``."""
    figures = "approved_figures" if card.approved_only else "figures"
    return card.store.arrow(f"""
        SELECT f.unit, f.year, f.value, f.numerator, f.denominator, f.reported, f.own, f.provenance
        FROM {figures} f WHERE f.indicator = ? AND f.scope = ? AND f.year <= ?""",
        [target.indicator, rollups.scope_key(_sectors(target)), year])


def _own_values(card, target: Target, year: int) -> pa.Table:
    """Every unit's own value of the target's indicator in force, each year up to ``year`` (the nation's
    grassroots indicator: 1.3 M rows)."""
    if card.approved_only:  # the values in force leaving out batches not yet approved
        values_sql, params = "SELECT * FROM approved_values o WHERE o.indicator = ?", [target.indicator]
    else:
        values_sql, params = in_force_sql(None, indicators=[target.indicator])
    return card.store.arrow(f"""
        SELECT o.unit, o.year, {rollups.OWN_VALUE} AS value, o.numerator, o.denominator, 1 AS reported,
               TRUE AS own, {rollups.PROVENANCE_BIT} AS provenance
        FROM ({values_sql}) o JOIN indicators i ON i.code = o.indicator WHERE o.year <= ?""", [*params, year])


def _read_ahead_for(card, target: Target, year: int) -> FigureTables | None:
    """The tables ``status_frames`` read ahead for this target, if it did (taken once)."""
    ahead = _cache(card).get("read-ahead", {}).pop((target.plan, target.code, year), None)
    return None if ahead is None else ahead.result()


def _read_ahead(card, target: Target, year: int) -> FigureTables:
    """What ``read_codes`` will read for the target, read on the read-ahead thread. The own values are read
    for a target of grassroots unions (the units without units below: the leaves); any other target whose
    line holds a leaf reads them when judged."""
    return _figure_tables(card, target, year, "grassroots" in (target.applies_to or "").split("|"))


def _figure_tables(card, target: Target, year: int, own: bool) -> FigureTables:
    """The target's roll-ups, and every unit's own value when ``own``."""
    return FigureTables(_rolled_up(card, target, year), _own_values(card, target, year) if own else None)


def _cells(table: pa.Table, keys: pa.Array, years: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The grid's row and column of each of the table's (unit, year), only those in the grid."""
    if not table.num_rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows = _rows_of(table.column("unit"), keys)
    cols = pd.Index(years).get_indexer(_numbers(table, "year", np.int64))
    keep = (rows >= 0) & (cols >= 0)
    return rows[keep], cols[keep]


def _rows_of(column, keys: pa.Array) -> np.ndarray:
    """Each text's position in ``keys`` (-1: not there), by hash: 1.3 M grassroots codes in a tenth of a second."""
    if isinstance(column, pd.Series):
        column = pa.array(column, type=pa.string())
    found = pc.index_in(column.cast(pa.string()), value_set=keys)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _numbers(table: pa.Table, name: str, dtype) -> np.ndarray:
    """A column as numbers (NaN where empty, for floats)."""
    column = table.column(name)
    if dtype is float:
        return column.cast(pa.float64()).to_numpy(zero_copy_only=False)
    return column.to_numpy(zero_copy_only=False).astype(dtype)


def _place(grid: Grid, keys: pa.Array, table: pa.Table, where: np.ndarray | None = None) -> None:
    """Write the table's figures into the grid's cells (``where``: only into those cells)."""
    if not table.num_rows:
        return
    rows = _rows_of(table.column("unit"), keys)
    cols = pd.Index(grid.years).get_indexer(_numbers(table, "year", np.int64))
    keep = (rows >= 0) & (cols >= 0)
    if where is not None:
        keep[keep] = where[rows[keep], cols[keep]]
    rows, cols = rows[keep], cols[keep]
    for name in ("value", "numerator", "denominator"):
        getattr(grid, name)[rows, cols] = _numbers(table, name, float)[keep]
    grid.reported[rows, cols] = _numbers(table, "reported", np.int64)[keep]
    grid.own[rows, cols] = _numbers(table, "own", bool)[keep]
    grid.provenance[rows, cols] = _numbers(table, "provenance", np.int64)[keep]


def _any_leaf(card, codes: list[str], year: int) -> bool:
    """Whether any of ``codes`` had no unit below it in some year up to ``year``."""
    return bool(len(_leaf_years(card, codes, year)[0]))


def _leaf_cells(card, codes: list[str], years: list[int], year: int) -> np.ndarray:
    """Which cells of the grid are a unit in a year with no unit below it."""
    rows, found = _leaf_years(card, codes, year)
    cols = pd.Index(years).get_indexer(found)
    leaf = np.zeros((len(codes), len(years)), dtype=bool)
    leaf[rows[cols >= 0], cols[cols >= 0]] = True
    return leaf


def _leaf_years(card, codes: list[str], year: int) -> tuple[np.ndarray, np.ndarray]:
    """Each (unit, year) up to ``year`` in which one of ``codes`` had no unit below it: its row in ``codes`` and
    the year. The leaves (every grassroots union of every year) are read once and kept; each set of codes is
    found in them by hash, once (a list of the nation's 133,000 codes as a query's parameter was 0.2 s)."""
    cache = _cache(card)
    key = ("leaf-years", year, tuple(codes))
    if key not in cache:
        leaves = _leaves(card, year)
        if not leaves.num_rows:
            cache[key] = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        else:
            rows = _rows_of(leaves.column("unit"), pa.array(codes, type=pa.string()))
            cache[key] = rows[rows >= 0], _numbers(leaves, "year", np.int64)[rows >= 0]
    return cache[key]


def _leaves(card, year: int) -> pa.Table:
    """Every (unit, year) up to ``year`` in which the unit had no unit below it (1.3 M for the nation), read once
    (or read ahead: ``status_frames``)."""
    cache = _cache(card)
    found = cache.get(("leaves", year))
    if found is None:
        found = cache[("leaves", year)] = _read_leaves(card, year)
    return found.result() if isinstance(found, Future) else found


def _read_leaves(card, year: int) -> pa.Table:
    return card.store.arrow("SELECT code AS unit, year FROM unit_years WHERE children = 0 AND year <= ?", [year])


def _empty_grid(codes: list[str], years: list[int]) -> Grid:
    shape = (len(codes), len(years))
    return Grid(codes, years, np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan),
                np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=bool), np.zeros(shape, dtype=np.int64),
                np.zeros(shape, dtype=np.int64))


def _children_in_scope(card, codes: list[str], years: list[int], sectors: tuple) -> np.ndarray:
    """How many direct children each unit had each year, in the target's sectors (a unit without a sector
    counts in every scope), as ``Scorecard.figure`` counts the units expected to report. Every parent's count
    is read once per scope and year (some 44,000 rows for the nation) and kept for the other targets."""
    counts = np.zeros((len(codes), len(years)), dtype=np.int64)
    if not codes or not years:
        return counts
    key = ("children", sectors, max(years))
    cache = _cache(card)
    if key not in cache:
        where = "TRUE" if not sectors else "(c.sector IS NULL OR c.sector IN (SELECT unnest(?::VARCHAR[])))"
        cache[key] = card.store.frame(f"""
            SELECT c.parent AS unit, c.year, count(*) AS n FROM unit_years c
            WHERE c.parent IS NOT NULL AND c.year <= ? AND {where}
            GROUP BY c.parent, c.year""", [max(years), *([list(sectors)] if sectors else [])])
    frame = cache[key]
    if not frame.empty:
        rows = _rows_of(frame["unit"], pa.array(codes, type=pa.string()))
        cols = pd.Index(years).get_indexer(frame["year"].to_numpy(dtype=np.int64))
        keep = (rows >= 0) & (cols >= 0)
        counts[rows[keep], cols[keep]] = frame["n"].to_numpy(dtype=np.int64)[keep]
    return counts


# --- judging ---------------------------------------------------------------------------------------------


def _judged_in_bulk(card, target: Target, scope: Roster, units: np.ndarray, lines: list[tuple[Cell, ...]],
                    year: int) -> pd.DataFrame:
    """The rows of ``units`` (their places in ``scope``), each on its line."""
    grid, carriers, rebuilt = read_grid(card, target, lines, year)
    spec = card.spec(target, None)
    if spec.type == LEVEL:
        judged = judge_level(spec, grid, year)
    elif spec.type == CUMULATIVE:
        judged = judge_cumulative(spec, grid, year)
    else:
        judged = judge_annual(spec, grid, year)
    return _records(card, target, scope, units, year, grid, judged, carriers, rebuilt)


def _py(fn, *columns: np.ndarray, where: np.ndarray) -> np.ndarray:
    """``fn`` on the chosen elements, in Python floats (its ``**`` rounds as ``judge``'s does); NaN elsewhere."""
    out = np.full(len(where), np.nan)
    chosen = np.flatnonzero(where)
    if len(chosen):
        picked = [c[chosen].tolist() for c in columns]
        out[chosen] = [fn(*args) for args in zip(*picked)]
    return out


def _last_present(present: np.ndarray, upto: int) -> np.ndarray:
    """Column of the last figure among the first ``upto`` columns (-1: none)."""
    found = np.full(present.shape[0], -1)
    for col in range(min(upto, present.shape[1])):
        found = np.where(present[:, col], col, found)
    return found


def _take(matrix: np.ndarray, cols: np.ndarray, fill=np.nan) -> np.ndarray:
    """Each row's element in its column ``cols`` (``fill`` where the column is -1)."""
    if matrix.shape[1] == 0:
        return np.full(matrix.shape[0], fill, dtype=float if fill is np.nan else matrix.dtype)
    rows = np.arange(matrix.shape[0])
    out = matrix[rows, np.maximum(cols, 0)].astype(float if fill is np.nan else matrix.dtype)
    return np.where(cols >= 0, out, fill)


def _threshold(spec: TargetSpec) -> float:
    if has_band(spec.type, spec.value_high) and spec.direction == "down":
        return spec.value_high if spec.value_high is not None else spec.value
    return spec.value


def _band_position(spec: TargetSpec, actual: np.ndarray) -> np.ndarray:
    out = np.full(len(actual), None, dtype=object)
    if spec.type not in BAND_TYPES and not has_band(spec.type, spec.value_high):
        return out
    known = ~np.isnan(actual)
    out[known] = "within"
    out[known & (actual < spec.value)] = "below"
    if spec.value_high is not None:
        out[known & (actual > spec.value_high)] = "above"
    return out


def _achievement(actual: np.ndarray, goal: float, direction: str, where: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if direction == "down":
            found = np.where(actual == 0, np.nan, goal / actual * 100)
        else:
            found = np.full(len(actual), np.nan) if goal == 0 else actual / goal * 100
    return np.where(where, found, np.nan)


def _status_from_ratio(ratio: np.ndarray) -> np.ndarray:
    high, medium, low = WITH_TARGET_THRESHOLDS
    return np.where(ratio >= high, SUBSTANTIAL, np.where(ratio >= medium, MODERATE,
                                                          np.where(ratio >= low, LIMITED, DETERIORATION)))


def _score_with_target(ratio: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.where(ratio >= WITH_TARGET_THRESHOLDS[1], np.minimum(7.1429 * ratio - 4.2857, 5.0),
                        np.maximum(4.1667 * ratio - 2.5, -5.0))


def _empty_judged(n: int, goal: float) -> dict[str, np.ndarray]:
    nan = np.full(n, np.nan)
    return {"status": np.full(n, NOT_AVAILABLE, dtype=object), "target_value": np.full(n, goal),
            "actual": nan.copy(), "actual_col": np.full(n, -1), "achievement_pct": nan.copy(),
            "expected": nan.copy(), "gap": nan.copy(), "pace_per_year": nan.copy(), "pace_rate": nan.copy(),
            "projection": nan.copy(), "years_met": np.full(n, -1), "years_assessed": np.full(n, -1),
            "band_position": np.full(n, None, dtype=object), "score": nan.copy(),
            "trend": np.full(n, None, dtype=object)}


def judge_level(spec: TargetSpec, grid: Grid, year: int) -> dict[str, np.ndarray]:
    """``judgement._level`` then ``_final`` (and ``progress.assess`` inside), for every row of ``grid``."""
    goal, d = _threshold(spec), 1 if spec.direction == "up" else -1
    ty, by = spec.target_year, spec.base_year
    out = _empty_judged(len(grid.codes), goal)
    y0 = min(year, ty)
    present = grid.present
    upto = sum(1 for y in grid.years if y <= y0)
    latest_col = _last_present(present, upto)
    has = latest_col >= 0
    years = np.array(grid.years + [0])
    latest = _take(grid.value, latest_col)
    latest_year = np.where(has, years[latest_col], -1)
    base_col = np.full(len(grid.codes), -1)  # the base year if it has a figure, else the first later one
    for col in reversed(range(upto)):
        if grid.years[col] >= by:
            base_col = np.where(present[:, col], col, base_col)
    has_base = base_col >= 0
    base = _take(grid.value, base_col)
    base_year = np.where(has_base, years[base_col], -1)
    t = ZERO_REPLACEMENT if goal == 0 else goal
    achieved = has & ((latest >= t) if d == 1 else (latest <= t))
    # the progress ratio (``progress._progress_value``)
    sign = np.where(base < 0, -1, 1)
    base0 = np.where(base == 0, ZERO_REPLACEMENT, base)
    crossed = ((base0 > 0) & (latest < 0)) | ((base0 < 0) & (latest > 0))
    trended = has_base & ~crossed & (latest_year - base_year >= 1)
    cagr_o = _py(lambda a, b, t1, t2: (a / b) ** (1 / (int(t1) - int(t2))) - 1, latest, base0, latest_year,
                 base_year, where=trended)
    with np.errstate(divide="ignore", invalid="ignore"):
        required_ok = trended & (ty != base_year) & ~(t / base0 < 0)
    cagr_r = _py(lambda b, t2: (t / b) ** (1 / (ty - int(t2))) - 1, base0, base_year, where=required_ok)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cagr_r == 0, np.where(cagr_o != 0, np.copysign(np.inf, sign * d * cagr_o), 0.0),
                         sign * d * cagr_o / np.abs(cagr_r))
    ratio = np.where(required_ok, ratio, np.nan)
    has_ratio = ~np.isnan(ratio)
    status = np.where(achieved, TARGET_ACHIEVED, np.where(has_ratio, _status_from_ratio(np.nan_to_num(ratio)),
                                                          NOT_AVAILABLE))
    score = np.where(achieved, 5.0, np.where(has_ratio, _score_with_target(ratio), np.nan))
    out.update(status=status.astype(object), score=score, actual=latest, actual_col=latest_col)
    banded = spec.value_high is not None
    out["band_position"] = np.where(has, _band_position(spec, latest), _NONE)
    out["achievement_pct"] = _achievement(latest, goal, spec.direction, has & (not banded))
    with np.errstate(invalid="ignore"):  # ``straight_line`` from the base to the target
        expected = np.where(base_year == ty, float(goal),
                            base + (goal - base) * (latest_year - base_year) / np.where(base_year == ty, 1,
                                                                                        ty - base_year))
    out["expected"] = np.where(has & has_base, expected, np.nan)
    out["gap"] = np.where(has & has_base, latest - expected, np.nan)
    left = ty - latest_year
    paced = has & ~achieved & (left > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["pace_per_year"] = np.where(paced, (goal - latest) / np.where(left > 0, left, 1), np.nan)
    out["pace_rate"] = _py(lambda a, n: (goal / a) ** (1 / int(n)) - 1, latest, left,
                           where=paced & (latest > 0) & (goal > 0))
    out["projection"] = _py(lambda a, g, n: a * (1 + g) ** int(n), latest, cagr_o, left,
                            where=has & ~np.isnan(cagr_o))
    return _final(spec, grid, year, out)


def _final(spec: TargetSpec, grid: Grid, year: int, out: dict) -> dict:
    """At or after the deadline a term target is reached or not (``judgement._final``)."""
    if year < spec.target_year:
        return out
    achieved = out["status"] == TARGET_ACHIEVED
    cols = [c for c, y in enumerate(grid.years) if y == spec.target_year]
    deadline_known = grid.present[:, cols[0]] if cols else np.zeros(len(grid.codes), dtype=bool)
    out["status"] = np.where(achieved, TARGET_ACHIEVED, np.where(deadline_known, NOT_ACHIEVED,
                                                                 NOT_AVAILABLE)).astype(object)
    out["score"] = np.where(achieved, 5.0, np.nan)
    out["pace_per_year"] = out["pace_rate"] = out["projection"] = np.full(len(grid.codes), np.nan)
    return out


def judge_cumulative(spec: TargetSpec, grid: Grid, year: int) -> dict[str, np.ndarray]:
    """``judgement._cumulative`` then ``_final``: the flows since the base year against a straight-line share."""
    out = _empty_judged(len(grid.codes), spec.value)
    ty, by = spec.target_year, spec.base_year
    y0 = min(year, ty)
    present = grid.present
    counted_cols = [c for c, y in enumerate(grid.years) if by < y <= y0]
    actual = np.zeros(len(grid.codes))
    count = np.zeros(len(grid.codes), dtype=np.int64)
    latest_col = np.full(len(grid.codes), -1)
    for col in counted_cols:  # in year order, as ``sum`` adds them
        here = present[:, col]
        actual = np.where(here, actual + np.where(here, grid.value[:, col], 0.0), actual)
        count += here
        latest_col = np.where(here, col, latest_col)
    has = count > 0
    years = np.array(grid.years + [0])
    latest_year = np.where(has, years[latest_col], by + 1)
    term, elapsed = ty - by, latest_year - by
    expected = spec.value * elapsed / term
    achieved = has & (actual >= spec.value)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected != 0, actual / np.where(expected != 0, expected, 1), np.nan)
    status = np.where(achieved, TARGET_ACHIEVED, _status_from_ratio(np.nan_to_num(ratio)))
    score = np.where(achieved, 5.0, _score_with_target(ratio))
    left = ty - latest_year
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where((left > 0) & ~achieved, (spec.value - actual) / np.where(left > 0, left, 1), np.nan)
        yearly = actual / elapsed
    projection = actual + yearly * left
    achievement = np.full(len(actual), np.nan) if spec.value == 0 else actual / spec.value * 100
    out.update(status=np.where(has, status, NOT_AVAILABLE).astype(object), actual=np.where(has, actual, np.nan),
               actual_col=latest_col, achievement_pct=np.where(has, achievement, np.nan),
               expected=np.where(has, expected, np.nan), gap=np.where(has, actual - expected, np.nan),
               pace_per_year=np.where(has, pace, np.nan), projection=np.where(has, projection, np.nan),
               years_assessed=np.where(has, count, -1), score=np.where(has, score, np.nan))
    return _final(spec, grid, year, out)


def judge_annual(spec: TargetSpec, grid: Grid, year: int) -> dict[str, np.ndarray]:
    """``judgement._annual``: the judged year met or not, the years met so far, the trend on the year before."""
    threshold = _threshold(spec)
    out = _empty_judged(len(grid.codes), threshold)
    y0 = min(year, spec.target_year)
    present, n = grid.present, len(grid.codes)
    met_count, assessed = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    for col, y in enumerate(grid.years):
        if spec.base_year < y <= y0:
            here = present[:, col]
            value = grid.value[:, col]
            met = (value >= threshold) if spec.direction == "up" else (value <= threshold)
            met_count += here & met
            assessed += here
    out["years_met"], out["years_assessed"] = met_count, assessed
    cols = [c for c, y in enumerate(grid.years) if y == y0]
    if not cols:
        return out
    col = cols[0]
    has = present[:, col]
    actual = np.where(has, grid.value[:, col], np.nan)
    out.update(actual=actual, actual_col=np.where(has, col, -1), expected=np.where(has, float(threshold), np.nan),
               gap=np.where(has, actual - threshold, np.nan), band_position=np.where(has, _band_position(spec, actual),
                                                                                    _NONE))
    before = [c for c, y in enumerate(grid.years) if y == y0 - 1]
    if before:
        previous = grid.value[:, before[0]]
        sign = 1 if spec.direction == "up" else -1
        with np.errstate(invalid="ignore"):
            change = (actual - previous) * sign
            word = np.where(np.abs(change) < 1e-9, "same", np.where(change > 0, "better", "worse"))
        out["trend"] = np.where(has & present[:, before[0]], word, _NONE).astype(object)
    if y0 <= spec.base_year:
        out["status"] = np.where(has, NO_TARGET, NOT_AVAILABLE).astype(object)
        return out
    met = (actual >= threshold) if spec.direction == "up" else (actual <= threshold)
    out["status"] = np.where(has, np.where(met, TARGET_ACHIEVED, NOT_ACHIEVED), NOT_AVAILABLE).astype(object)
    out["score"] = np.where(has & met, 5.0, np.nan)
    if spec.type in ACHIEVEMENT_TYPES:
        out["achievement_pct"] = _achievement(actual, threshold, spec.direction, has)
    return out


# --- the listing -----------------------------------------------------------------------------------------


def _breaks(grid: Grid, carriers: np.ndarray) -> np.ndarray:
    """``StatusRow.break_years``: the years with a figure whose carrier is not that of the year with a figure
    before, as ``2025`` or ``2021;2025``."""
    n = len(grid.codes)
    present = grid.present
    last = np.full(n, -1)
    mask = np.zeros(n, dtype=np.int64)
    for col in range(len(grid.years)):
        here = present[:, col]
        mask |= np.where(here & (last >= 0) & (carriers[:, col] != last), 1 << col, 0)
        last = np.where(here, carriers[:, col], last)
    distinct, which = np.unique(mask, return_inverse=True)
    words = [";".join(str(y) for c, y in enumerate(grid.years) if m >> c & 1) for m in distinct.tolist()]
    return np.array(words, dtype=object)[which.reshape(-1)]


def _reconstructed(rebuilt: Reconstructions, base_year: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``StatusRow.reconstructed_years`` and ``unreconstructed`` as the record writes them (years judged: from
    the base year on), for each of ``n`` rows ('' where none)."""
    done, lacking = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    words: dict[int, tuple[list[str], list[str]]] = {}
    for row, year, whole, missing in zip(rebuilt.rows.tolist(), rebuilt.years.tolist(), rebuilt.complete.tolist(),
                                         rebuilt.missing):
        if year >= base_year:  # (in year order within a row)
            years, gaps = words.setdefault(row, ([], []))
            if whole:
                years.append(str(year))
            else:
                gaps.append(f"{year}:{'|'.join(missing)}")
    for row, (years, gaps) in words.items():
        done[row], lacking[row] = ";".join(years), ";".join(gaps)
    return done, lacking


def _records(card, target: Target, scope: Roster, units: np.ndarray, year: int, grid: Grid, judged: dict,
             carriers: np.ndarray, rebuilt: Reconstructions) -> pd.DataFrame:
    """The columns of ``StatusRow.as_record``, for the rows judged here (``units``: their places in ``scope``)."""
    n = len(units)
    reconstructed, reconstruction_missing = _reconstructed(rebuilt, int(target.base_year), n)
    col = judged["actual_col"]
    has = col >= 0
    years = np.array(grid.years + [0])
    own = _take(grid.own, col, fill=True).astype(bool)
    reported = _take(grid.reported, col, fill=0)
    children = _take(grid.children, col, fill=0)
    expected_units = np.where(own, reported, np.maximum(children, reported))
    masks = np.bitwise_or.reduce(grid.provenance, axis=1) if grid.years else np.zeros(n, dtype=np.int64)
    distinct, which = np.unique(masks, return_inverse=True)
    names = np.array([";".join(sorted(rollups.provenance_names(m))) for m in distinct.tolist()], dtype=object)

    def column(values: np.ndarray) -> np.ndarray:
        """As a list with None for NaN makes it: floats, or (not one number) a column of None."""
        return values if not np.isnan(values).all() else np.full(len(values), None, dtype=object)

    def whole(values: np.ndarray, known: np.ndarray) -> pd.arrays.IntegerArray:
        return pd.arrays.IntegerArray(np.where(known, values, 0).astype(np.int64), ~known.astype(bool))

    pace_rate = judged["pace_rate"] * 100
    frame = pd.DataFrame({
        "plan": target.plan, "target": target.code, "indicator": target.indicator,
        "unit": scope.codes[units], "year": year, "actual": column(judged["actual"]),
        "target_value": column(judged["target_value"]), "achievement_pct": column(judged["achievement_pct"]),
        "status": judged["status"], "target_type": target.type, "group": target.group_code,
        "unit_name": scope.names[units], "level": scope.levels[units],
        "actual_year": whole(np.where(has, years[col], 0), has), "expected": column(judged["expected"]),
        "gap": column(judged["gap"]), "pace_per_year": column(judged["pace_per_year"]),
        "pace_rate_pct": column(pace_rate), "projection": column(judged["projection"]),
        "years_met": whole(judged["years_met"], judged["years_met"] >= 0),
        "years_assessed": whole(judged["years_assessed"], judged["years_assessed"] >= 0),
        "band_position": judged["band_position"], "score": column(judged["score"]),
        "numerator": column(np.where(has, _take(grid.numerator, col), np.nan)),
        "denominator": column(np.where(has, _take(grid.denominator, col), np.nan)),
        "reported_units": whole(reported, has), "expected_units": whole(expected_units, has),
        "series_break": _breaks(grid, carriers), "provenance": names[which.reshape(-1)],
        "trend": judged["trend"],
        "reconstructed": reconstructed, "reconstruction_missing": reconstruction_missing, "target_as_written": None, "rebase_factor": None,
        "quota": None, "judged_against": "target",  # a unit given a quota is judged one by one
        "provisional": (masks & rollups.PROVENANCE_BITS["provisional"]) != 0,
    }, columns=list(RECORD_COLUMNS))
    return frame

