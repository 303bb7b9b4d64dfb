"""Units that merged (the 2025 reorganisation): a merged unit's years before it, and plans whose unit merged.

- **As is.** In a year before a unit formed by merging several began, its series is carried by all of them
  (``Organisation.carriers``): the year's figure is theirs added up by the roll-up's own rule
  (``metrics.domain.rollup_reference.reconstruct``), only when every one of them has a figure, and it is marked
  reconstructed. Beside it, each of them keeps its own figure (as was).
- **Like for like.** A series that passes to a unit formed from several is not on the same footing before and
  after: growth, the trend on the year before and the projection are taken only between years of the unit
  that carries it now and earlier years reconstructed as that unit stood (``comparable``).
- **A plan whose unit merged with others** (plans.csv ``after_merger``): ``carry`` (the default: the merged
  unit carries the plan as written, growth counted like for like), ``rebase`` (the merged unit carries it on
  its as-is series, additive targets scaled to ask the same growth) or ``end`` (the plan ends with its unit).

docs/methodology.md, "Reorganisations", says the same for readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import cast

from metrics.domain.organisation import Organisation
from metrics.domain.records import Plan, Target
from metrics.domain.rollup_reference import Figure, reconstruct, usable
from metrics.vocabulary import kinds
from metrics.vocabulary.kinds import TargetType

CARRY, REBASE, END = "carry", "rebase", "end"
AFTER_MERGER = (CARRY, REBASE, END)
ADDITIVE_KINDS = kinds.ADDITIVE_KINDS  # a merged unit's figure is the sum of its parts': a target on it scales


@dataclass(frozen=True)
class PlanMerger:
    """A plan whose unit merged with others, and what becomes of it (``after_merger``)."""

    rule: str  # carry | rebase | end
    unit: str  # the plan's own unit (or the unit it passed to alone) that merged
    successor: str  # the unit the merger formed
    day: dt.date  # the merged unit's first day
    names: tuple[str, str] = ("", "")  # the merging unit's name in Vietnamese and English

    def words(self, lang: str = "vi") -> str:
        """``Kế hoạch kết thúc khi Liên đoàn Lao động tỉnh Trà Vinh hợp nhất ngày 1/7/2025``."""
        if lang == "vi":
            return f"Kế hoạch kết thúc khi {self.names[0]} hợp nhất ngày {self.day.day}/{self.day.month}/{self.day.year}"
        return f"The plan ended when {self.names[1]} merged on {self.day.isoformat()}"

    @property
    def last_year(self) -> int:
        """The last year whose 31 December the plan's unit covers (2024 for a merger on 1 July 2025)."""
        last = self.day - dt.timedelta(days=1)
        return last.year if (last.month, last.day) == (12, 31) else last.year - 1


def plan_merger(plan: Plan, org: Organisation) -> PlanMerger | None:
    """How the plan goes on after its unit merged with others; None when its unit never did."""
    found = org.merger(plan.unit)
    if found is None:
        return None
    rule = plan.after_merger
    rule = rule if isinstance(rule, str) and rule in AFTER_MERGER else CARRY
    line = org.successors(plan.unit)
    unit = org.any_period(line[line.index(found[0]) - 1])
    if unit is None:  # a line of successors names only known units
        return None
    return PlanMerger(rule, unit.code, found[0], found[1], (unit.name("vi"), unit.name("en")))


@dataclass(frozen=True)
class Reconstruction:
    """One year of a merged unit before it began: each unit it was formed from, with its own figure (as was),
    and their sum by the roll-up's rule (as is) — None when one of them has no figure."""

    unit: str
    parts: dict[str, Figure | None]
    figure: Figure | None
    missing: tuple[str, ...] = ()  # the units without a figure that adds up (a ratio needs its two parts)


def reconstruction(org: Organisation, code: str, year: int, figure_of: Callable[[str], Figure | None],
                   kind: str) -> Reconstruction | None:
    """``code``'s figure in a year before it was formed by merging several (None in any other year, and when
    none of them has a figure at all: nothing to say)."""
    parts = org.carriers(code, year)
    if len(parts) < 2:
        return None
    figures = {part: figure_of(part) for part in parts}
    if all(f is None or f.value is None for f in figures.values()):
        return None
    missing = tuple(part for part, figure in figures.items() if not usable(figure, kind))
    return Reconstruction(code, figures, reconstruct(figures, kind), missing)


def comparable(series: dict[int, Figure], carriers: dict[int, str], org: Organisation, year: int, since: int,
               rebuilt: Callable[[str, int], Reconstruction | None]) -> tuple[dict[int, float] | None,
                                                                              dict[int, Reconstruction]]:
    """The values like-for-like with the latest one up to ``year`` (None when every year is), and the
    reconstructions made for them: the years of the units on the latest one's footing (``Organisation.footing``)
    and, before it, from ``since`` (the base year) on, the years reconstructed as the latest unit stood
    (``rebuilt(code, year)``)."""
    years = [y for y in series if y <= year]
    if not years:
        return None, {}
    footing = {y: org.footing(carriers[y]) for y in years}
    latest = footing[max(years)]
    if all(f == latest for f in footing.values()):
        return None, {}
    like: dict[int, float] = {}
    made: dict[int, Reconstruction] = {}
    for y in years:
        if footing[y] == latest:
            like[y] = cast(float, series[y].value)  # a judged series holds figures with a value
            continue
        found = rebuilt(latest, y) if y >= since else None
        if found is not None:
            made[y] = found
            if found.figure is not None:
                like[y] = cast(float, found.figure.value)
    return like, made


@dataclass(frozen=True)
class Rebase:
    """A target of a plan whose unit merged, carried by the merged unit on its as-is series (``rebase``).

    A target on an additive indicator (a level or cumulative target on a stock or flow) is scaled by
    ``as_is ÷ as_was`` over ``years`` so that it asks the same growth; a ratio, a percentage and an annual
    bound stay as written (``factor`` None). ``missing``: the units whose figures the scaling lacks (the
    target cannot be judged); ``baseline``: the baseline the targets file states (the old unit's), shown as
    context."""

    unit: str
    successor: str
    value: float
    value_high: float | None
    factor: float | None = None
    as_is: float | None = None
    as_was: float | None = None
    years: tuple[int, ...] = ()
    baseline: float | None = None
    missing: tuple[str, ...] = ()

    @property
    def scaled(self) -> bool:
        return self.factor is not None

    @property
    def failed(self) -> bool:
        return bool(self.missing)


def rebase_years(target_type: str, base_year: int, as_is: dict[int, float], as_was: dict[int, float],
                 last_year: int) -> tuple[int, ...]:
    """The years the scaling is taken over: the base year when both series have it; for a cumulative target
    without it, every year before the merger that both have."""
    if base_year in as_is and base_year in as_was:
        return (base_year,)
    if target_type != TargetType.CUMULATIVE:
        return ()
    return tuple(y for y in sorted(as_is) if y <= last_year and y in as_was)


def scaled_target(target: Target, rebase: Rebase) -> Target:
    """The target as the merged unit carries it: its value (and band) times the factor, without the old unit's
    stated baseline (the reconstructed base-year figure is the base)."""
    if not rebase.scaled:
        return replace(target, baseline=None)
    high, factor = target.value_high, cast(float, rebase.factor)  # scaled: the factor is known
    return replace(target, value=rebase.value * factor, baseline=None,
                   value_high=None if high is None or high != high else high * factor)
