"""docs/methodology.md: union target types and the figures shown with every status."""

from dataclasses import replace

import pytest

from metrics.domain.judgement import TargetSpec, is_met, judge

HOUSES = TargetSpec("cumulative", 300, base_year=2023, target_year=2028)
MEMBERS = TargetSpec("level", 139258, base_year=2023, target_year=2028)
CBA_FLOOR = TargetSpec("annual_floor", 96, base_year=2023, target_year=2028)
INFORMED_BAND = TargetSpec("annual_band", 80, base_year=2023, target_year=2028, value_high=90)


def test_cumulative_ahead_of_the_straight_line():
    v = judge(HOUSES, {2024: 70, 2025: 65}, 2025)
    assert v.actual == 135
    assert v.expected == pytest.approx(300 * 2 / 5)
    assert v.status == "substantial_progress"  # 135 / 120 = 1.125
    assert v.pace_per_year == pytest.approx((300 - 135) / 3)
    assert v.projection == pytest.approx(135 + 135 / 2 * 3)
    assert v.achievement_pct == pytest.approx(45.0)


@pytest.mark.parametrize("flows, status", [
    ({2024: 40, 2025: 45}, "moderate_progress"),  # 85 / 120 = 0.71
    ({2024: 20, 2025: 20}, "limited_progress"),  # 40 / 120 = 0.33
])
def test_cumulative_behind_the_straight_line(flows, status):
    assert judge(HOUSES, flows, 2025).status == status


def test_cumulative_reached_early_is_achieved():
    v = judge(HOUSES, {2024: 150, 2025: 160}, 2025)
    assert (v.status, v.pace_per_year) == ("target_achieved", None)


def test_cumulative_ignores_the_baseline_year_and_later_years():
    v = judge(HOUSES, {2023: 999, 2024: 60, 2025: 60, 2026: 60}, 2025)
    assert v.actual == 120
    assert v.status == "substantial_progress"


def test_cumulative_without_flows_is_not_available():
    assert judge(HOUSES, {2023: 100}, 2025).status == "not_available"


def test_cumulative_of_zero_not_reached_is_not_available_rather_than_a_crash():
    """Nothing is expected of a target of 0, so there is no pace to judge a shortfall by (this raised TypeError)."""
    v = judge(replace(HOUSES, value=0), {2024: -5}, 2025)
    assert (v.status, v.actual, v.score) == ("not_available", -5, None)


def test_level_figures_expected_gap_pace_projection():
    series = {2023: 111258, 2024: 113500, 2025: 116002}
    v = judge(MEMBERS, series, 2025)
    assert v.expected == pytest.approx(111258 + 28000 * 2 / 5)
    assert v.gap == pytest.approx(116002 - v.expected)
    assert v.pace_per_year == pytest.approx((139258 - 116002) / 3)
    assert v.pace_rate == pytest.approx((139258 / 116002) ** (1 / 3) - 1)
    cagr = (116002 / 111258) ** 0.5 - 1
    assert v.projection == pytest.approx(116002 * (1 + cagr) ** 3)
    assert v.progress_share_pct == pytest.approx((116002 - 111258) / 28000 * 100)
    assert v.achievement_pct == pytest.approx(116002 / 139258 * 100)
    assert v.status == "limited_progress"  # R = 0.021 / 0.046 ≈ 0.46


def test_level_judged_after_the_deadline_uses_the_deadline_year():
    spec = TargetSpec("level", 100, base_year=2020, target_year=2025)
    v = judge(spec, {2020: 90, 2025: 95, 2026: 101}, 2026)
    assert v.actual_year == 2025
    assert v.status == "not_achieved"


def test_lower_is_better_achievement_is_inverted():
    spec = TargetSpec("level", 5, base_year=2020, target_year=2025, direction="down")
    v = judge(spec, {2020: 10, 2022: 8}, 2022)
    assert v.achievement_pct == pytest.approx(5 / 8 * 100)


def test_annual_floor_counts_years_met():
    series = {2023: 92.14, 2024: 97, 2025: 95, 2026: 96.5}
    v = judge(CBA_FLOOR, series, 2026)
    assert (v.status, v.years_met, v.years_assessed) == ("target_achieved", 2, 3)
    assert v.met_by_year == {2024: True, 2025: False, 2026: True}
    assert v.met is True


def test_annual_floor_missed_is_not_achieved_whatever_the_trend():
    v = judge(CBA_FLOOR, {2023: 92.14, 2024: 97, 2025: 95}, 2025)
    assert (v.met, v.status, v.trend) == (False, "not_achieved", "worse")
    rising = judge(CBA_FLOOR, {2023: 92.14, 2024: 91, 2025: 93}, 2025)
    assert (rising.status, rising.trend) == ("not_achieved", "better")  # the trend is beside it, never the status


def test_annual_year_missed_with_one_value_is_not_achieved_not_no_data():
    """Demo 2024 said "Chưa đủ dữ liệu" for HN1b at 58,4% against ≥ 65%."""
    v = judge(TargetSpec("annual_floor", 65, 2023, 2028), {2024: 58.4}, 2024)
    assert (v.status, v.trend, v.years_met, v.years_assessed) == ("not_achieved", None, 0, 1)


def test_annual_trend_follows_the_direction():
    ceiling = TargetSpec("annual_ceiling", 5, base_year=2020, target_year=2025, direction="down")
    assert judge(ceiling, {2021: 6, 2022: 5.5}, 2022).trend == "better"  # lower is better
    assert judge(ceiling, {2021: 4, 2022: 4}, 2022).trend == "same"
    assert judge(ceiling, {2020: 4, 2022: 4.5}, 2022).trend is None  # no value the year before


def test_annual_target_in_its_baseline_year_has_no_target_yet():
    assert judge(CBA_FLOOR, {2023: 92.14}, 2023).status == "no_target"


def test_level_target_unmet_at_its_deadline_is_not_achieved():
    """12 M members by end-2023, 11 M in 2023: no pace any more, it was not reached."""
    spec = TargetSpec("level", 12_000_000, base_year=2018, target_year=2023)
    v = judge(spec, {2018: 10_000_000, 2023: 11_000_000}, 2023)
    assert (v.status, v.final, v.pace_per_year, v.projection) == ("not_achieved", True, None, None)
    assert judge(spec, {2018: 10_000_000, 2022: 11_900_000}, 2022).status == "substantial_progress"
    assert judge(spec, {2018: 10_000_000, 2023: 12_100_000}, 2025).status == "target_achieved"


def test_level_deadline_without_its_value_is_not_available_unless_already_reached():
    spec = TargetSpec("level", 100, base_year=2020, target_year=2025)
    assert judge(spec, {2020: 90, 2024: 95}, 2025).status == "not_available"
    assert judge(spec, {2020: 90, 2024: 101}, 2026).status == "target_achieved"


def test_cumulative_unmet_at_its_deadline_is_not_achieved():
    v = judge(HOUSES, {y: 55 for y in range(2024, 2029)}, 2028)
    assert (v.actual, v.status, v.final) == (275, "not_achieved", True)


def test_a_stated_baseline_is_the_base_of_a_level_target():
    """Without data in the base year the base used to move to the first year with data ("+0 on the path")."""
    spec = TargetSpec("level", 139258, base_year=2023, target_year=2028, baseline=111258)
    v = judge(spec, {2024: 113480, 2025: 116002}, 2025)
    assert (v.assessment.base_year, v.assessment.base_value) == (2023, 111258)
    assert v.expected == pytest.approx(111258 + 28000 * 2 / 5)
    moved = judge(replace(spec, baseline=None), {2024: 113480, 2025: 116002}, 2025)
    assert moved.assessment.base_year == 2024  # the reference method's own rule, without a stated baseline


def test_annual_target_without_a_value_in_the_year_is_not_available():
    v = judge(CBA_FLOOR, {2024: 97, 2025: 97}, 2026)
    assert v.status == "not_available"
    assert (v.years_met, v.years_assessed) == (2, 2)


def test_annual_ceiling_lower_is_better():
    spec = TargetSpec("annual_ceiling", 5, base_year=2020, target_year=2025, direction="down")
    assert judge(spec, {2021: 4, 2022: 6}, 2022).met_by_year == {2021: True, 2022: False}


@pytest.mark.parametrize("value, position, status", [
    (78.0, "below", "not_achieved"),
    (85.0, "within", "target_achieved"),
    (92.0, "above", "target_achieved"),
])
def test_annual_band_below_within_above(value, position, status):
    v = judge(INFORMED_BAND, {2024: 82.0, 2025: value}, 2025)
    assert v.band_position == position
    assert v.status == status
    assert v.achievement_pct is None  # "107,75% of 80–90%" means nothing: the position and both bounds say it


def test_band_above_counts_as_met_when_higher_is_better():
    assert is_met(INFORMED_BAND, 95.0)
    down_band = TargetSpec("annual_band", 2, base_year=2020, target_year=2025, direction="down", value_high=4)
    assert not is_met(down_band, 5.0)
    assert is_met(down_band, 1.0)


def test_unit_band_is_judged_as_a_band_on_the_rate():
    spec = TargetSpec("unit_band", 1, base_year=2023, target_year=2028, value_high=2)
    v = judge(spec, {2024: 0.8, 2025: 1.3}, 2025)
    assert (v.band_position, v.status, v.years_met) == ("within", "target_achieved", 1)


def test_unknown_type_and_direction_are_refused():
    with pytest.raises(ValueError):
        TargetSpec("someday", 1, 2020, 2025)
    with pytest.raises(ValueError):
        TargetSpec("level", 1, 2020, 2025, direction="sideways")
