"""Quotas: one plan target divided among the units below its owner ("chỉ tiêu giao"), and how they add up.

A quota is the value a unit is given of a target of its parent plan (docs/data-files.md, ``targets.csv``
``unit``; docs/methodology.md, "Quotas and reconciliation"). This module is pure: it splits a target by
weights (``split``) and reconciles the quotas with the target (``reconcile``); the scorecard reads the
figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from metrics.vocabulary.kinds import ADDITIVE_KINDS, IndicatorKind

#: How a target may be divided: by each unit's base-year figure, by its workers, or in equal shares.
RULES = ("baseline", "workers", "equal")


@dataclass(frozen=True, slots=True)
class Quota:
    """A unit's own share of a target of the plan (stored in ``target_quotas``)."""

    plan: str
    target: str
    unit: str
    value: float

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        return cls(str(row["plan"]), str(row["target"]), str(row["unit"]), float(row["value"]))


def split(total: float, weights: Mapping[str, float], whole: bool = True, decimals: int = 2) -> dict[str, float]:
    """``total`` divided in proportion to ``weights`` (unit -> weight ≥ 0), the parts adding up to it exactly.

    ``whole``: parts are whole numbers (a count of members, houses): each gets the floor of its exact share
    and the units with the largest remainders one more each, until the sum is ``total`` (largest remainder,
    Hamilton's method; ties by the order of ``weights``). Otherwise parts are rounded to ``decimals`` and the
    rounding left over goes to the largest part. All weights zero: equal shares.
    """
    if not weights:
        return {}
    positive = {u: max(float(w), 0.0) for u, w in weights.items()}
    if sum(positive.values()) <= 0:
        positive = dict.fromkeys(weights, 1.0)
    whole_sum = sum(positive.values())
    exact = {u: total * w / whole_sum for u, w in positive.items()}
    if not whole:
        parts = {u: round(v, decimals) for u, v in exact.items()}
        largest = max(parts, key=lambda u: parts[u])
        parts[largest] = round(parts[largest] + total - sum(parts.values()), decimals)
        return parts
    target = round(total)
    floors = {u: math.floor(v) for u, v in exact.items()}
    left = target - sum(floors.values())
    order = sorted(exact, key=lambda u: -(exact[u] - floors[u]))
    for u in order[:max(left, 0)]:
        floors[u] += 1
    return {u: float(v) for u, v in floors.items()}


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The units' quotas against the owner's target.

    ``implied``: what the quotas add up to as the owner's figure — their sum for an additive kind, for a
    ratio the quotas weighted by each unit's denominator (None when a denominator is missing).
    ``gap``: target − implied (positive: short of the target, the part not given to any unit).
    """

    kind: IndicatorKind
    target: float
    implied: float | None
    units: int  # units given a quota
    missing_weights: tuple[str, ...] = ()  # units whose denominator is missing (a ratio)

    @property
    def additive(self) -> bool:
        return self.kind in ADDITIVE_KINDS

    @property
    def gap(self) -> float | None:
        return None if self.implied is None else self.target - self.implied

    @property
    def short(self) -> bool:
        """Whether the quotas ask less than the target (a count: by at least a half; a ratio: by 0.005)."""
        gap = self.gap
        return gap is not None and gap > (0.5 if self.additive else 0.005)

    @property
    def over(self) -> bool:
        gap = self.gap
        return gap is not None and -gap > (0.5 if self.additive else 0.005)


def reconcile(kind: IndicatorKind, target: float, quotas: Mapping[str, float],
              denominators: Mapping[str, float | None] | None = None) -> Reconciliation:
    """Σ quotas against the target for stocks and flows; for ratios and rates, Σ(quota × denominator) ÷
    Σ denominator (the owner's figure if every unit reached exactly its quota)."""
    if kind in ADDITIVE_KINDS:
        return Reconciliation(kind, target, float(sum(quotas.values())), len(quotas))
    denominators = denominators or {}
    missing = tuple(u for u in quotas if not denominators.get(u))
    if missing or not quotas:
        return Reconciliation(kind, target, None, len(quotas), missing)
    weight = sum(float(denominators[u] or 0) for u in quotas)
    implied = sum(q * float(denominators[u] or 0) for u, q in quotas.items()) / weight
    return Reconciliation(kind, target, implied, len(quotas))
