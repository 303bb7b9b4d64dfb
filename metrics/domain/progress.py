"""Trend-based progress status (docs/methodology.md, "The status model").

This follows the published method of Statistics Canada as implemented by Open SDG's ``sdg-build``
(``sdg/ProgressMeasure.py``, release 2.4.0+), step by step, so results agree with that public
implementation. Deliberate differences: the direction is required (the reference silently defaults
to lower-is-better); a target of the opposite sign to the base value is not assessable (the
reference takes ``abs`` of a complex growth rate); and a target year equal to the (moved) base year
has no required growth, so no progress value (the reference's answer there is an accident of numpy
dividing by zero). A differential run against the reference over 10,491 random series agreed on
every other case (status, value and score).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from metrics.vocabulary.statuses import StatusCode

# The codes are ``metrics.vocabulary.statuses.StatusCode`` (with every code's words, symbol and colour, best
# first); these names stay for the public ``metrics.progress``. ``assess`` (the reference method) never returns
# ``NOT_ACHIEVED``: ``metrics.domain.judgement`` gives it.
TARGET_ACHIEVED = StatusCode.TARGET_ACHIEVED
SUBSTANTIAL = StatusCode.SUBSTANTIAL
MODERATE = StatusCode.MODERATE
LIMITED = StatusCode.LIMITED
DETERIORATION = StatusCode.DETERIORATION
NOT_ACHIEVED = StatusCode.NOT_ACHIEVED
NOT_AVAILABLE = StatusCode.NOT_AVAILABLE
NO_TARGET = StatusCode.NO_TARGET

WITH_TARGET_THRESHOLDS = (0.95, 0.6, 0.0)
WITHOUT_TARGET_THRESHOLDS = (0.015, 0.005, 0.0)
LIMIT_EXPONENT = 4.44
ZERO_REPLACEMENT = 0.001


@dataclass(frozen=True)
class Assessment:
    """The judgement of one series against one target."""

    status: StatusCode
    value: float | None = None  # progress ratio R (with a target) or P (without)
    score: float | None = None
    cagr_observed: float | None = None
    cagr_required: float | None = None
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target_achieved: bool = False


def growth(a: float, b: float, t1: int, t2: int) -> float:
    """Compound annual growth from value ``b`` in year ``t2`` to value ``a`` in year ``t1``."""
    return (a / b) ** (1 / (t1 - t2)) - 1


def direction_sign(direction: str | None) -> int:
    """+1 when higher is better, -1 when lower is better; anything else is an error."""
    if direction == "up":
        return 1
    if direction == "down":
        return -1
    raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")


def clean_series(values: Mapping[int, float | None]) -> dict[int, float]:
    """Year -> value with missing values (None, NaN) dropped, sorted by year."""
    series = {}
    for year, value in values.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        series[int(year)] = float(value)
    return dict(sorted(series.items()))


def assess(
    values: Mapping[int, float | None],
    target: float | None = None,
    target_year: int | None = None,
    base_year: int | None = None,
    direction: str | None = None,
    limit: float | None = None,
) -> Assessment:
    """Judge a yearly series against a level target, or by its growth when there is no target.

    ``base_year`` defaults to the first year with data; ``target_year`` is required with a target.
    """
    d = direction_sign(direction)
    if target is not None and target_year is None:
        raise ValueError("target_year is required when a target is given")
    if target == 0:
        target = ZERO_REPLACEMENT
    series = clean_series(values)
    if not series:
        return Assessment(NOT_AVAILABLE)

    latest_year = max(series)
    latest = series[latest_year]
    base_year = _resolve_base_year(series, base_year)
    achieved = target is not None and (latest >= target if d == 1 else latest <= target)
    known: dict[str, Any] = dict(latest_year=latest_year, latest_value=latest, target_achieved=achieved)
    if base_year is None:
        return _without_trend(known)

    base = series[base_year]
    known.update(base_year=base_year, base_value=base)
    thresholds, coefficient = _thresholds(target, limit, base)
    ratio, cagr_o, cagr_r = _progress_value(series, base_year, latest_year, target, target_year, d)
    status = _status(ratio, thresholds, achieved)
    score = _score(ratio, thresholds, coefficient, target is not None, achieved)
    return Assessment(status, ratio, score, cagr_o, cagr_r, **known)


def _without_trend(known: dict) -> Assessment:
    """No usable base year: only the achievement check can be made."""
    achieved = known["target_achieved"]
    return Assessment(TARGET_ACHIEVED if achieved else NOT_AVAILABLE, score=5.0 if achieved else None, **known)


def _resolve_base_year(series: dict[int, float], base_year: int | None) -> int | None:
    """The configured base year if it has data, else the first later year with data."""
    if base_year is None:
        return min(series)
    if base_year in series:
        return base_year
    later = [year for year in series if year > base_year]
    return min(later) if later else None


def _progress_value(series, base_year, latest_year, target, target_year, d):
    """R (with a target) or P (without), with both growth rates; (None, …) when not assessable."""
    base = series[base_year]
    latest = series[latest_year]
    sign = -1 if base < 0 else 1  # taken before the zero replacement, as in the reference
    if base == 0:
        base = ZERO_REPLACEMENT
    if (base > 0 > latest) or (base < 0 < latest):
        return None, None, None
    if latest_year - base_year < 1:
        return None, None, None
    cagr_o = growth(latest, base, latest_year, base_year)
    if target is None:
        return sign * d * cagr_o, cagr_o, None
    if target_year == base_year or (target / base) < 0:
        return None, cagr_o, None
    cagr_r = growth(target, base, target_year, base_year)
    if cagr_r == 0:
        # Target equals the base value and is not reached: any observed change counts fully.
        return math.copysign(math.inf, sign * d * cagr_o) if cagr_o else 0.0, cagr_o, cagr_r
    return sign * d * cagr_o / abs(cagr_r), cagr_o, cagr_r


def _thresholds(target, limit, base):
    """(high, medium, low) thresholds and the limit coefficient C (1 when no limit applies)."""
    if target is not None:
        return WITH_TARGET_THRESHOLDS, 1.0
    coefficient = 1.0 if limit is None else limit_coefficient(base, limit)
    return tuple(t * coefficient for t in WITHOUT_TARGET_THRESHOLDS), coefficient


def limit_coefficient(base: float, limit: float) -> float:
    """Reduction of the no-target thresholds near a natural limit (methodology §1.7)."""
    b, lim = abs(base), abs(limit)
    if b >= 2 * lim:
        return 1.0
    if b <= lim:
        return 1 - (b / lim) ** LIMIT_EXPONENT
    return 1 - ((2 * lim - b) / lim) ** LIMIT_EXPONENT


def _status(value, thresholds, achieved) -> StatusCode:
    if achieved:
        return TARGET_ACHIEVED
    if value is None:
        return NOT_AVAILABLE
    return status_from_ratio(value, thresholds)


def status_from_ratio(value: float, thresholds=WITH_TARGET_THRESHOLDS) -> StatusCode:
    """Status of a progress value against (high, medium, low) thresholds."""
    high, medium, low = thresholds
    if value >= high:
        return SUBSTANTIAL
    if value >= medium:
        return MODERATE
    if value >= low:
        return LIMITED
    return DETERIORATION


def _score(value, thresholds, coefficient, with_target, achieved) -> float | None:
    if achieved:
        return 5.0
    if value is None:
        return None
    if with_target:
        return score_with_target(value)
    return _score_without_target(value, thresholds, coefficient)


def score_with_target(ratio: float) -> float:
    """Score in [-5, 5] of a progress ratio R against a target (methodology §1.8)."""
    if ratio >= WITH_TARGET_THRESHOLDS[1]:
        return min(7.1429 * ratio - 4.2857, 5.0)
    return max(4.1667 * ratio - 2.5, -5.0)


def _score_without_target(value, thresholds, coefficient) -> float:
    """The reference's score for growth without a target, thresholds already reduced by C."""
    high, medium, low = thresholds
    if value < low:
        return max(125 * value - 2.5, -5.0)
    if coefficient == 0:
        return 5.0
    if value >= high:
        return min(500 * value / coefficient - 5, 5.0)
    if value >= medium:
        return 250 * value / coefficient - 1.25
    return 500 * value / coefficient - 2.5


def status_from_score(score: float | None, achieved: bool = False) -> StatusCode:
    """Status of a mean score of several series (methodology §1.8)."""
    if achieved:
        return TARGET_ACHIEVED
    if score is None:
        return NOT_AVAILABLE
    if score >= 2.5:
        return SUBSTANTIAL
    if score >= 0:
        return MODERATE
    if score >= -2.5:
        return LIMITED
    return DETERIORATION


def combine(assessments: list[Assessment]) -> Assessment:
    """One status for several series of one target: mean score; achieved only if all achieved."""
    scored = [a for a in assessments if a.score is not None]
    if not scored:
        return Assessment(NOT_AVAILABLE)
    score = sum(a.score for a in scored if a.score is not None) / len(scored)
    achieved = all(a.target_achieved for a in scored)
    return Assessment(status_from_score(score, achieved), score=score, target_achieved=achieved)
