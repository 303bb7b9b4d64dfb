"""docs/methodology.md, "The status model": the trend method, case by case, with values worked out by hand."""

import math

import pytest

from metrics.domain.progress import assess, combine, limit_coefficient

APPROX = dict(rel=1e-3)


def test_contract_example_is_substantial_progress():
    a = assess({2015: 50.0, 2020: 60.0}, target=70.0, target_year=2030, base_year=2015, direction="up")
    assert a.cagr_observed == pytest.approx(1.2 ** 0.2 - 1, **APPROX)
    assert a.cagr_required == pytest.approx(1.4 ** (1 / 15) - 1, **APPROX)
    assert a.value == pytest.approx((1.2 ** 0.2 - 1) / (1.4 ** (1 / 15) - 1), **APPROX)
    assert a.status == "substantial_progress"
    assert a.score == 5.0  # 7.1429·R − 4.2857 ≈ 7.4, capped


def test_target_met_on_the_first_data_point_is_achieved():
    a = assess({2023: 97.0}, target=96.0, target_year=2028, base_year=2023, direction="up")
    assert (a.status, a.score, a.value) == ("target_achieved", 5.0, None)


def test_achievement_is_checked_before_the_trend():
    # Falling, but still above the target: achieved wins.
    a = assess({2020: 99.0, 2023: 97.0}, target=96.0, target_year=2028, base_year=2020, direction="up")
    assert a.status == "target_achieved"


def test_only_one_year_not_met_is_not_available():
    a = assess({2023: 92.14}, target=96.0, target_year=2028, base_year=2023, direction="up")
    assert (a.status, a.value, a.score) == ("not_available", None, None)


def test_no_data_is_not_available():
    assert assess({}, target=1.0, target_year=2028, direction="up").status == "not_available"


def test_missing_values_are_ignored():
    a = assess({2015: 50.0, 2019: float("nan"), 2020: None}, target=70.0, target_year=2030,
               base_year=2015, direction="up")
    assert a.status == "not_available"
    assert a.latest_year == 2015


def test_base_value_zero_is_replaced_by_a_thousandth():
    a = assess({2020: 0.0, 2022: 10.0}, target=20.0, target_year=2025, base_year=2020, direction="up")
    expected_o = (10 / 0.001) ** 0.5 - 1
    expected_r = (20 / 0.001) ** 0.2 - 1
    assert a.cagr_observed == pytest.approx(expected_o, **APPROX)
    assert a.value == pytest.approx(expected_o / expected_r, **APPROX)
    assert a.status == "substantial_progress"


def test_target_zero_is_replaced_by_a_thousandth():
    a = assess({2020: 10.0, 2025: 0.0}, target=0.0, target_year=2030, base_year=2020, direction="down")
    assert a.status == "target_achieved"


def test_lower_is_better_on_track():
    a = assess({2015: 10.0, 2020: 8.0}, target=5.0, target_year=2030, base_year=2015, direction="down")
    expected = -1 * (0.8 ** 0.2 - 1) / abs(0.5 ** (1 / 15) - 1)
    assert a.value == pytest.approx(expected, **APPROX)
    assert a.status == "substantial_progress"


def test_lower_is_better_rising_is_deterioration():
    a = assess({2015: 10.0, 2020: 12.0}, target=5.0, target_year=2030, base_year=2015, direction="down")
    assert a.value < 0
    assert a.status == "deterioration"


@pytest.mark.parametrize("latest, status, score", [
    (103.0, "substantial_progress", 5.0),
    (101.5, "moderate_progress", 7.1429 * (0.015 / (1.1 ** 0.2 - 1)) - 4.2857),
    (101.0, "limited_progress", 4.1667 * (0.01 / (1.1 ** 0.2 - 1)) - 2.5),
    (99.0, "deterioration", 4.1667 * (-0.01 / (1.1 ** 0.2 - 1)) - 2.5),
])
def test_status_thresholds_and_scores_with_a_target(latest, status, score):
    a = assess({2020: 100.0, 2021: latest}, target=110.0, target_year=2025, base_year=2020, direction="up")
    assert a.status == status
    assert a.score == pytest.approx(score, **APPROX)


@pytest.mark.parametrize("latest, status, score", [
    (104.04, "substantial_progress", 5.0),  # P = 2 % a year
    (101.0, "moderate_progress", 250 * 0.01 - 1.25),
    (100.3, "limited_progress", 500 * 0.003 - 2.5),
    (99.0, "deterioration", 125 * -0.01 - 2.5),
])
def test_without_a_target_growth_thresholds_apply(latest, status, score):
    years = {2020: 100.0, 2022 if latest == 104.04 else 2021: latest}
    a = assess(years, direction="up")
    assert a.status == status
    assert a.cagr_required is None
    assert a.score == pytest.approx(score, abs=1e-6)


def test_natural_limit_lowers_the_thresholds_near_the_limit():
    series = {2020: 90.0, 2021: 90.9}  # 1 % growth: moderate without a limit
    assert assess(series, direction="up").status == "moderate_progress"
    assert assess(series, direction="up", limit=100).status == "substantial_progress"


@pytest.mark.parametrize("base, limit, coefficient", [
    (90.0, 100.0, 1 - 0.9 ** 4.44),
    (150.0, 100.0, 1 - 0.5 ** 4.44),
    (250.0, 100.0, 1.0),
    (-90.0, -100.0, 1 - 0.9 ** 4.44),
])
def test_limit_coefficient(base, limit, coefficient):
    assert limit_coefficient(base, limit) == pytest.approx(coefficient, **APPROX)


def test_limit_is_ignored_with_a_target():
    with_limit = assess({2020: 90.0, 2021: 91.0}, target=96.0, target_year=2025, direction="up", limit=100)
    without = assess({2020: 90.0, 2021: 91.0}, target=96.0, target_year=2025, direction="up")
    assert with_limit == without


def test_base_year_without_data_moves_to_the_next_later_year_never_earlier():
    a = assess({2014: 40.0, 2016: 50.0, 2020: 60.0}, target=70.0, target_year=2030, base_year=2015,
               direction="up")
    assert a.base_year == 2016
    assert a.cagr_observed == pytest.approx((60 / 50) ** 0.25 - 1, **APPROX)


def test_base_year_after_all_data_is_not_available():
    a = assess({2014: 40.0, 2016: 50.0}, target=70.0, target_year=2030, base_year=2020, direction="up")
    assert a.status == "not_available"


def test_years_between_base_and_latest_are_ignored():
    plain = assess({2015: 50.0, 2020: 60.0}, target=70.0, target_year=2030, base_year=2015, direction="up")
    bumpy = assess({2015: 50.0, 2017: 10.0, 2020: 60.0}, target=70.0, target_year=2030, base_year=2015,
                   direction="up")
    assert bumpy.value == plain.value


def test_opposite_signs_are_not_available():
    assert assess({2015: -5.0, 2020: 5.0}, direction="up").status == "not_available"


def test_negative_values_rising_towards_zero_are_progress_when_higher_is_better():
    a = assess({2015: -10.0, 2020: -5.0}, direction="up")
    assert a.value == pytest.approx(-1 * (0.5 ** 0.2 - 1), **APPROX)
    assert a.status == "substantial_progress"


def test_direction_is_required():
    with pytest.raises(ValueError, match="direction"):
        assess({2015: 1.0, 2020: 2.0})
    with pytest.raises(ValueError, match="direction"):
        assess({2015: 1.0, 2020: 2.0}, direction="positive")


def test_target_year_is_required_with_a_target():
    with pytest.raises(ValueError, match="target_year"):
        assess({2015: 1.0, 2020: 2.0}, target=3.0, direction="up")


def test_target_equal_to_base_value_not_reached_is_deterioration_not_a_crash():
    a = assess({2020: 50.0, 2022: 45.0}, target=50.0, target_year=2025, base_year=2020, direction="up")
    assert a.status == "deterioration"
    assert a.score == -5.0
    assert math.isinf(a.value)


def test_combine_averages_scores_and_needs_every_series_achieved():
    achieved = assess({2023: 97.0}, target=96.0, target_year=2028, direction="up")
    behind = assess({2020: 100.0, 2021: 101.0}, target=110.0, target_year=2025, direction="up")
    both = combine([achieved, behind])
    assert both.score == pytest.approx((5.0 + behind.score) / 2)
    assert both.score == pytest.approx(2.33, abs=0.01)
    assert both.status == "moderate_progress"  # 0 ≤ mean score < 2.5, and not every series achieved
    assert combine([achieved, achieved]).status == "target_achieved"
    assert combine([assess({}, direction="up")]).status == "not_available"
