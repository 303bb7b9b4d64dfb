"""Numbers as a person writes them (metrics/vocabulary/fmt.py): Vietnamese separators, no needless decimals."""

import pytest

from metrics.vocabulary import fmt


@pytest.mark.parametrize("value, kind, lang, text", [
    (100.0, "ratio", "vi", "100%"),
    (96, "ratio", "vi", "96%"),
    (92.14, "ratio", "vi", "92,14%"),
    (92.1487, "ratio", "vi", "92,15%"),
    (31.625, "ratio", "vi", "31,63%"),  # half up, as by hand (babel alone rounds half to even)
    (92.10, "ratio", "vi", "92,10%"),  # not whole: both decimals stay, as in a table of figures
    (99.996, "ratio", "vi", "99,99%"),  # never rounded up to read as reached
    (64.996, "ratio", "vi", "64,99%"),  # nor up to the whole number of a floor
    (100.004, "ratio", "vi", "100%"),
    (1.0, "rate", "vi", "1"),
    (2, "rate", "vi", "2"),
    (1.21, "rate", "vi", "1,21"),
    (1.5, "rate", "en", "1.50"),
    (139258, "stock", "vi", "139.258"),
    (139258, "stock", "en", "139,258"),
    (28000.4, "flow", "vi", "28.000"),
    (1e29, "rate", "vi", "99.999.999.999.999.991.433.150.857.216"),  # any size, never a crash
    (float("inf"), "ratio", "vi", "—"),
    (None, "ratio", "vi", "—"),
    (float("nan"), "rate", "vi", "—"),
])
def test_short_drops_only_needless_decimals(value, kind, lang, text):
    assert fmt.short(value, kind, lang) == text


@pytest.mark.parametrize("low, high, kind, lang, text", [
    (80, 90, "ratio", "vi", "80–90%"),
    (1, 2, "rate", "vi", "1–2"),
    (1.5, 2, "rate", "vi", "1,50–2"),
    (82.5, 90, "ratio", "en", "82.50–90%"),
    (1000, 2500, "flow", "vi", "1.000–2.500"),
])
def test_span_writes_the_unit_once(low, high, kind, lang, text):
    assert fmt.span(low, high, kind, lang) == text


def test_years_never_repeat_a_single_year():
    assert fmt.years(2024, 2026) == "2024–2026"
    assert fmt.years(2024, 2024) == "2024"


@pytest.mark.parametrize("value, signed, lang, text", [
    (10.0, False, "vi", "10 điểm %"),
    (0.5, True, "vi", "+0,50 điểm %"),
    (-1.2, True, "vi", "-1,20 điểm %"),
    (3.0, True, "en", "+3 pp"),
])
def test_points_drop_only_needless_decimals(value, signed, lang, text):
    assert fmt.points(value, lang, signed=signed) == text


@pytest.mark.parametrize("value, indicator, text", [
    (100.0, {"kind": "ratio"}, "100%"),  # the overview read "100,00%" and "95,00%"
    (95.0, {"kind": "ratio"}, "95%"),
    (93.13, {"kind": "ratio"}, "93,13%"),
    (1.21, {"kind": "rate"}, "1,21"),
    (11.75, {"kind": "flow", "decimals": 2}, "11,75"),
    (12.0, {"kind": "flow", "decimals": 2}, "12"),
    (118046, {"kind": "stock", "decimals": None}, "118.046"),
])
def test_every_view_writes_a_figure_as_a_person_does(value, indicator, text):
    assert fmt.shown(value, indicator, "vi") == text


def test_a_change_keeps_its_decimals():
    assert fmt.shown(0.5, {"kind": "rate"}, "vi", signed=True) == "+0,50"
