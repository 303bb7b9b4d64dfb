"""Union target types, the status model and the figures shown beside every status (docs/methodology.md).

``judge`` takes one target, one yearly series (already aggregated for one unit) and the year being
looked at, and returns a ``Verdict``: the status plus achievement, the straight-line expectation,
the required pace, the projection and, for annual targets, the years met and the trend.

- Term targets (level, cumulative) before their target year: the trend method (``metrics.domain.progress``)
  and the straight line, unchanged.
- At or after the target year: final, ``target_achieved`` or ``not_achieved`` (no trend word once the
  deadline has passed); ``not_available`` when nothing up to the deadline says it was reached and the
  deadline year has no value yet.
- Annual targets: the judged year is ``target_achieved`` or ``not_achieved`` when it has a value,
  ``not_available`` when it has none; the trend on the year before is shown beside it, never as the status.
- Across a merger (a series carried on by a unit formed from several): growth, the trend on the year before
  and the projection are taken only between years on the same footing (``comparable``), never across it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from metrics.domain import progress
from metrics.domain.progress import NO_TARGET, NOT_ACHIEVED, NOT_AVAILABLE, TARGET_ACHIEVED, Assessment
from metrics.vocabulary.kinds import TargetType
from metrics.vocabulary.statuses import StatusCode

LEVEL = TargetType.LEVEL
CUMULATIVE = TargetType.CUMULATIVE
ANNUAL_FLOOR = TargetType.ANNUAL_FLOOR
ANNUAL_CEILING = TargetType.ANNUAL_CEILING
ANNUAL_BAND = TargetType.ANNUAL_BAND
UNIT_BAND = TargetType.UNIT_BAND
TARGET_TYPES = tuple(TargetType)
ANNUAL_TYPES = (ANNUAL_FLOOR, ANNUAL_CEILING, ANNUAL_BAND, UNIT_BAND)
BAND_TYPES = (ANNUAL_BAND, UNIT_BAND)
#: Where "x % of the target" means something; a band shows where the value sits instead.
ACHIEVEMENT_TYPES = (LEVEL, CUMULATIVE, ANNUAL_FLOOR, ANNUAL_CEILING)
#: Types that may have a band (``value_high``): the annual ones, and a level target "45–50% by 2028".
BANDED_TYPES = (*BAND_TYPES, LEVEL)


def has_band(target_type: str, value_high) -> bool:
    """Whether a target (its type and ``value_high``) asks for a band rather than one bound."""
    return target_type in BANDED_TYPES and value_high is not None and value_high == value_high


@dataclass(frozen=True)
class TargetSpec:
    """What a target asks for, with the plan years it lives in."""

    type: str
    value: float
    base_year: int
    target_year: int  # level/cumulative: the deadline; annual: the plan's last year
    direction: str = "up"
    value_high: float | None = None  # the band's other end
    baseline: float | None = None  # the value stated for ``base_year`` (targets.csv): the base of a level target

    def __post_init__(self):
        if self.type not in TARGET_TYPES:
            raise ValueError(f"unknown target type {self.type!r}")
        progress.direction_sign(self.direction)


@dataclass(frozen=True)
class Verdict:
    """Where one unit stands on one target in one year, and why."""

    status: StatusCode
    year: int
    target_value: float
    actual: float | None = None
    actual_year: int | None = None
    achievement_pct: float | None = None
    progress_share_pct: float | None = None
    expected: float | None = None
    gap: float | None = None
    pace_per_year: float | None = None
    pace_rate: float | None = None
    projection: float | None = None
    years_met: int | None = None
    years_assessed: int | None = None
    met_by_year: dict[int, bool] = field(default_factory=dict)
    band_position: str | None = None
    score: float | None = None
    assessment: Assessment | None = None
    final: bool = False  # judged at or after a term target's deadline: achieved or not, no trend word
    trend: str | None = None  # annual targets: better / worse / same as the year before (never the status)

    @property
    def met(self) -> bool | None:
        """Whether the judged year met an annual target (None for level/cumulative)."""
        return self.met_by_year.get(self.actual_year) if self.met_by_year and self.actual_year is not None else None


NOT_COMPARABLE = "not_comparable"  # the trend across a merger: the two years are not on the same footing


def judge(spec: TargetSpec, series: dict[int, float], year: int,
          comparable: dict[int, float] | None = None) -> Verdict:
    """Judge ``series`` (year -> value) against ``spec`` as seen in ``year``.

    ``comparable``: the values like-for-like with the latest one — the years of the unit that carries it now
    and earlier years reconstructed as that unit stood (the sum of the units it was formed from) — when the
    series passed to a unit formed by merging several; growth, trend and projection use only these (the
    status of a level target, the cumulative projection, an annual target's trend). None: all comparable.
    """
    series = progress.clean_series(series)
    like = None if comparable is None else progress.clean_series(comparable)
    if spec.type == LEVEL:
        if spec.baseline is not None:  # (``comparable`` holds it only when it is on the latest footing)
            series = dict(sorted({**series, spec.base_year: spec.baseline}.items()))
        return _final(spec, series, year, _level(spec, series, min(year, spec.target_year), like))
    if spec.type == CUMULATIVE:
        return _final(spec, series, year, _cumulative(spec, series, min(year, spec.target_year), like))
    return _annual(spec, series, min(year, spec.target_year), like)


def _final(spec: TargetSpec, series: dict[int, float], year: int, verdict: Verdict) -> Verdict:
    """At or after the deadline a term target is reached or not: no trend, no pace, no projection."""
    if year < spec.target_year:
        return verdict
    achieved = verdict.status == TARGET_ACHIEVED
    if not achieved and spec.target_year not in series:
        return replace(verdict, status=NOT_AVAILABLE, final=True, score=None, pace_per_year=None,
                       pace_rate=None, projection=None)
    return replace(verdict, status=TARGET_ACHIEVED if achieved else NOT_ACHIEVED, final=True,
                   score=5.0 if achieved else None, pace_per_year=None, pace_rate=None, projection=None)


def achievement_pct(actual: float, target: float, direction: str) -> float | None:
    """Actual ÷ target (inverted when lower is better), in percent."""
    if direction == "down":
        return None if actual == 0 else target / actual * 100
    return None if target == 0 else actual / target * 100


def straight_line(base_year: int, base: float, target_year: int, target: float, year: int) -> float:
    """Value expected in ``year`` on the straight line from the baseline to the target."""
    if target_year == base_year:
        return target
    return base + (target - base) * (year - base_year) / (target_year - base_year)


def required_pace(actual: float, target: float, years_left: int) -> tuple[float | None, float | None]:
    """What each remaining year must add: (absolute per year, compound growth rate)."""
    if years_left <= 0:
        return None, None
    per_year = (target - actual) / years_left
    rate = None
    if actual > 0 and target > 0:
        rate = (target / actual) ** (1 / years_left) - 1
    return per_year, rate


def _level(spec: TargetSpec, series: dict[int, float], year: int, like: dict[int, float] | None = None) -> Verdict:
    """The trend method towards the target; a band over the term ("45–50% by 2028") towards its near end,
    reached inside the band or beyond it on the good side, shown by its position instead of a "% achieved".
    ``like``: only these values are compared (the base moves to the first of them after the base year)."""
    goal = _threshold(spec)
    seen = {y: v for y, v in (series if like is None else like).items() if y <= year}
    a = progress.assess(seen, goal, spec.target_year, spec.base_year, spec.direction)
    verdict = Verdict(a.status, year, goal, score=a.score, assessment=a)
    if a.latest_year is None or a.latest_value is None:
        return verdict
    actual, latest = a.latest_value, a.latest_year
    banded = spec.value_high is not None
    figures: dict[str, Any] = dict(actual=actual, actual_year=latest, band_position=band_position(spec, actual),
                   achievement_pct=None if banded else achievement_pct(actual, goal, spec.direction))
    # after a merger, nothing like-for-like before the latest year yet: no straight line from it (at the
    # deadline the line is the target itself, whatever its base)
    moved = like is not None and a.base_year == latest and latest < spec.target_year
    if a.base_year is not None and a.base_value is not None and goal != a.base_value and not moved:
        figures["progress_share_pct"] = (actual - a.base_value) / (goal - a.base_value) * 100
    if a.base_year is not None and a.base_value is not None and not moved:
        expected = straight_line(a.base_year, a.base_value, spec.target_year, goal, latest)
        figures.update(expected=expected, gap=actual - expected)
    if not a.target_achieved:
        figures["pace_per_year"], figures["pace_rate"] = required_pace(
            actual, goal, spec.target_year - latest)
    if a.cagr_observed is not None:
        figures["projection"] = actual * (1 + a.cagr_observed) ** (spec.target_year - latest)
    return replace(verdict, **figures)


def _cumulative(spec: TargetSpec, series: dict[int, float], year: int,
                like: dict[int, float] | None = None) -> Verdict:
    """Sum of flows since the base year against a straight-line share of the target; the projection goes on at
    the average yearly flow (of the comparable years only, ``like``, after a merger)."""
    counted = {y: v for y, v in series.items() if spec.base_year < y <= year}
    if not counted:
        return Verdict(NOT_AVAILABLE, year, spec.value)
    actual, latest = sum(counted.values()), max(counted)
    term = spec.target_year - spec.base_year
    elapsed = latest - spec.base_year
    expected = spec.value * elapsed / term
    achieved = actual >= spec.value
    ratio = actual / expected if expected else None
    score: float | None
    if achieved:
        status, score = TARGET_ACHIEVED, 5.0
    elif ratio is None:  # nothing expected yet (a target of 0) and not reached: no pace to judge
        status, score = NOT_AVAILABLE, None
    else:
        status = progress.status_from_ratio(ratio)
        score = progress.score_with_target(ratio)
    years_left = spec.target_year - latest
    pace = (spec.value - actual) / years_left if years_left > 0 and not achieved else None
    yearly = actual / elapsed
    if like is not None:
        same = [like[y] for y in counted if y in like]
        yearly = sum(same) / len(same) if same else yearly
    return Verdict(
        status, year, spec.value, actual=actual, actual_year=latest,
        achievement_pct=achievement_pct(actual, spec.value, "up"),
        expected=expected, gap=actual - expected, pace_per_year=pace,
        projection=actual + yearly * years_left, years_assessed=len(counted),
        score=score, assessment=Assessment(status, ratio, score, target_achieved=achieved),
    )


def _threshold(spec: TargetSpec) -> float:
    """The bound a target is judged against: its value, or a band's near end (its high end when lower is better)."""
    if has_band(spec.type, spec.value_high) and spec.direction == "down":
        return spec.value_high if spec.value_high is not None else spec.value
    return spec.value


def band_position(spec: TargetSpec, value: float) -> str | None:
    """below / within / above for band targets (annual, and level targets with a band)."""
    if spec.type not in BAND_TYPES and not has_band(spec.type, spec.value_high):
        return None
    if value < spec.value:
        return "below"
    if spec.value_high is not None and value > spec.value_high:
        return "above"
    return "within"


def is_met(spec: TargetSpec, value: float) -> bool:
    """A year meets an annual target when it is on the good side of the threshold.

    For bands, a value beyond the band on the good side (above 80–90 % when higher is better)
    counts as met: the resolutions set such bands as a minimum expectation, not a cap.
    """
    threshold = _threshold(spec)
    return value >= threshold if spec.direction == "up" else value <= threshold


def _annual(spec: TargetSpec, series: dict[int, float], year: int, like: dict[int, float] | None = None) -> Verdict:
    """The judged year met or not (its status), the years met so far, and the trend on the year before."""
    threshold = _threshold(spec)
    in_term = {y: v for y, v in series.items() if spec.base_year < y <= year}
    met_by_year = {y: is_met(spec, v) for y, v in in_term.items()}
    tally: dict[str, Any] = dict(years_met=sum(met_by_year.values()), years_assessed=len(met_by_year),
                 met_by_year=met_by_year)
    if year not in series:
        return Verdict(NOT_AVAILABLE, year, threshold, **tally)
    actual = series[year]
    figures: dict[str, Any] = dict(actual=actual, actual_year=year, expected=threshold, gap=actual - threshold,
                   band_position=band_position(spec, actual), trend=trend(spec, series, year, like), **tally)
    if year <= spec.base_year:  # the baseline year: the target applies from the year after
        return Verdict(NO_TARGET, year, threshold, **figures)
    met = met_by_year[year]
    achievement = achievement_pct(actual, threshold, spec.direction) if spec.type in ACHIEVEMENT_TYPES else None
    return Verdict(TARGET_ACHIEVED if met else NOT_ACHIEVED, year, threshold, achievement_pct=achievement,
                   score=5.0 if met else None, **figures)


def trend(spec: TargetSpec, series: dict[int, float], year: int, like: dict[int, float] | None = None) -> str | None:
    """better / worse / same than the year before, in the direction the target wants; None without it;
    ``not_comparable`` when the year before is on another footing (``like``: the comparable values)."""
    if like is not None and year in like:
        if year - 1 in like:
            series = like
        elif year - 1 in series:
            return NOT_COMPARABLE
    if year - 1 not in series or year not in series:
        return None
    change = (series[year] - series[year - 1]) * progress.direction_sign(spec.direction)
    if abs(change) < 1e-9:
        return "same"
    return "better" if change > 0 else "worse"
