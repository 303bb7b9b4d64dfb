"""Rolling values up the organisation, following the indicator's kind.

A unit's own reported value wins; a unit without one gets the combination of its children's values
(recursively): a stock or flow is the sum, a ratio is Σnumerator ÷ Σdenominator (never the mean of
percentages), a per-unit rate is Σcount ÷ Σunits. Children that did not report are counted, so every
aggregate says how complete it is. A target scoped to sectors rolls up only the units of those sectors
(and units without a sector, through their own in-scope units below).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeGuard, cast

from metrics.domain.organisation import Unit
from metrics.vocabulary import kinds
from metrics.vocabulary.kinds import IndicatorKind
from metrics.vocabulary.shared import number_or_none

PERCENT_KINDS = (IndicatorKind.RATIO,)
PART_KINDS = kinds.PART_KINDS


@dataclass(slots=True)
class Figure:
    """A value for one unit and year, with what it is made of. (Not frozen: millions are built for a
    national listing, and a frozen dataclass takes three times longer to build; treat it as read-only.)"""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    reported: int = 1  # direct children (or the unit itself) that contributed
    expected: int = 1  # direct children (or the unit itself) that were expected to
    own: bool = True  # reported by the unit itself, not summed from below
    provenance: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    batches: tuple[int, ...] = ()
    parts: tuple[str, ...] = ()  # reconstructed: the units before a merger whose figures it adds up (as is)

    @property
    def complete(self) -> bool:
        return self.reported >= self.expected

    @property
    def reconstructed(self) -> bool:
        return bool(self.parts)


def from_observation(row: dict, kind: str) -> Figure:
    """A unit's own observation as a figure; a ratio's value follows from its parts when given."""
    numerator, denominator = number_or_none(row.get("numerator")), number_or_none(row.get("denominator"))
    value = stated_value(number_or_none(row.get("value")), numerator, denominator, kind)
    source = row.get("source")
    batch = row.get("batch")
    return Figure(value, numerator, denominator,
                  provenance=frozenset({row.get("provenance") or "imported"}),
                  sources=(source,) if isinstance(source, str) and source else (),
                  batches=(int(batch),) if batch is not None and batch == batch else ())


def stated_value(value: float | None, numerator: float | None, denominator: float | None, kind: str) -> float | None:
    """The value a figure stands for: the stated value, else what a ratio's or rate's parts give.

    The one definition (``metrics.storage.rollups.value_sql`` is its SQL): documents round (223/242 is published
    as 92,14%), and the import refuses a stated value its parts contradict beyond its own rounding."""
    if value is not None or kind not in PART_KINDS or numerator is None or not denominator:
        return value
    return ratio_value(numerator, denominator, kind)


def ratio_value(numerator: float, denominator: float, kind: str) -> float | None:
    if not denominator:
        return None
    return numerator / denominator * (100 if kind in PERCENT_KINDS else 1)




class Rollup:
    """Aggregates of one indicator in one year's tree, memoised per unit.

    Values combine every child in scope that reported; ``expected`` counts every child in scope.
    ``sectors``: the target's sectors (empty: every unit).
    """

    def __init__(self, tree: dict[str, Unit], own: dict[str, dict], kind: str, sectors: tuple[str, ...] = ()):
        self.tree = tree
        self.own = own  # unit code -> observation row
        self.kind = kind
        self.sectors = sectors
        self._memo: dict[str, Figure | None] = {}

    def in_scope(self, code: str) -> bool:
        unit = self.tree.get(code)
        return not self.sectors or unit is None or unit.sector is None or unit.sector in self.sectors

    def figure(self, code: str) -> Figure | None:
        if code not in self._memo:
            self._memo[code] = self._compute(code)
        return self._memo[code]

    def _compute(self, code: str) -> Figure | None:
        if not self.in_scope(code):
            return None
        row = self.own.get(code)
        if row is not None:
            return from_observation(row, self.kind)
        children = [c for c in (self.tree[code].children if code in self.tree else []) if self.in_scope(c)]
        parts = [f for f in (self.figure(c) for c in children) if self._usable(f)]
        if not parts:
            return Figure(None, reported=0, expected=len(children), own=False) if children else None
        return combine(parts, self.kind, len(children))

    def _usable(self, figure: Figure | None) -> TypeGuard[Figure]:
        return usable(figure, self.kind)


def usable(figure: Figure | None, kind: str) -> TypeGuard[Figure]:
    """Whether a figure can be added up: it has a value, and a ratio or rate its numerator and denominator."""
    if figure is None or figure.value is None:
        return False
    return kind not in PART_KINDS or (figure.numerator is not None and figure.denominator is not None)


def combine(parts: list[Figure], kind: str, expected: int) -> Figure:
    """The one rule that adds figures up: a stock or flow is the sum, a ratio or rate Σnumerator ÷ Σdenominator.
    The roll-up of a unit's children and the reconstruction of a merged unit's years before it both use it."""
    common: dict[str, Any] = dict(reported=len(parts), expected=expected, own=False,
                  provenance=frozenset().union(*(p.provenance for p in parts)),
                  sources=tuple(dict.fromkeys(s for p in parts for s in p.sources)),
                  batches=tuple(sorted({b for p in parts for b in p.batches})))
    if kind in PART_KINDS:
        numerator = sum(cast(float, p.numerator) for p in parts)  # usable parts: both known
        denominator = sum(cast(float, p.denominator) for p in parts)
        return Figure(ratio_value(numerator, denominator, kind), numerator, denominator, **common)
    return Figure(sum(cast(float, p.value) for p in parts), **common)


def reconstruct(parts: dict[str, Figure | None], kind: str) -> Figure | None:
    """A merged unit's figure in a year before it began: its predecessors' figures combined by the roll-up's
    rule (``combine``), marked with their codes. None unless every predecessor has a figure that adds up."""
    if not parts or not all(usable(f, kind) for f in parts.values()):
        return None
    usable_parts = [f for f in parts.values() if usable(f, kind)]  # every one, checked above
    return replace(combine(usable_parts, kind, len(parts)), parts=tuple(parts))
