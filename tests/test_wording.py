"""docs/methodology.md, "Wording": report sentences from the same numbers, with one rounding rule."""

from dataclasses import replace

import pytest

from metrics.judging import wording
from metrics.judging.scorecard import Scorecard

PLAN = "T-2023-2028"


@pytest.mark.parametrize("share, text", [
    (92.1487, "92,15%"),
    (92.14, "92,14%"),
    (99.996, "99,99%"),  # never rounded up to read "100%" when the target is not reached
    (100.0, "100%"),
    (54.0, "54%"),
])
def test_one_rounding_rule_for_percentages(share, text):
    assert wording.pct(share) == text


def test_versus_target_phrases():
    assert wording.versus_target(5265, 4000) == "vượt 31,63% chỉ tiêu"  # Quảng Bình 2022 initiatives
    assert wording.versus_target(223, 242) == "đạt 92,15% chỉ tiêu"
    assert wording.versus_target(5265, 4000, "en") == "31.63% above target"


@pytest.fixture
def card(mini_store):
    return Scorecard(mini_store)


def province(card, target, year):
    return next(r for r in card.evaluate(PLAN, year, targets=[target]) if r.unit.level == "province")


def test_level_sentence_has_value_share_change_and_pace(card):
    text = wording.sentence(province(card, "L1", 2025), "vi")
    assert text.startswith("Số đoàn viên năm 2025 đạt 130 đoàn viên, đạt 65% chỉ tiêu (200 đoàn viên đến năm 2028)")
    assert "tăng 10 đoàn viên so với cùng kỳ" in text
    assert "mỗi năm còn lại cần tăng bình quân 23 đoàn viên" in text  # (200 − 130) / 3


def test_ratio_change_is_in_percentage_points(card):
    text = wording.sentence(province(card, "R1", 2024), "vi")
    assert text.startswith("Tỷ lệ ký thỏa ước năm 2024 đạt 88,71%, đạt 92,41% chỉ tiêu (96% đến năm 2028)")
    assert text.endswith("mỗi năm còn lại cần tăng bình quân 1,82 điểm %.")  # (96 − 88,71) / 4


def test_cumulative_sentence(card):
    text = wording.sentence(province(card, "C1", 2025), "vi")
    assert text.startswith("Lũy kế 2024–2025, số nhà Mái ấm công đoàn đạt 18 căn, đạt 36% chỉ tiêu nhiệm kỳ (50 căn)")
    assert "theo tiến độ cần đạt 20 căn" in text


def test_annual_sentence_says_met_or_not_and_years_met(card):
    text = wording.sentence(province(card, "F1", 2024), "vi")
    assert text == "Năm 2024, tỷ lệ ký thỏa ước đạt 88,71%, chưa đạt chỉ tiêu (≥ 90%). Cả nhiệm kỳ: đạt 0/1 năm."


def test_no_data_sentence(card):
    row = next(r for r in card.evaluate(PLAN, 2024, targets=["B1"]) if r.unit.code == "G2")
    assert wording.sentence(row, "vi") == "Giới thiệu đoàn viên ưu tú: chưa có số liệu năm 2024."


def test_summary_counts_every_row_in_the_tables_words(card):
    rows = card.evaluate(PLAN, 2024, units=["P"])
    text = wording.summary(rows, 2024, "vi")
    counts = wording.status_counts(rows)
    assert sum(n for _, n in counts) == len(rows) == 6
    assert text == "Năm 2024, 6 chỉ tiêu: " + " · ".join(f"{s.symbol} {s.vi} {n}" for s, n in counts) + "."


def test_annual_sentence_gives_the_trend_beside_the_status(card):
    from metrics.domain.judgement import TargetSpec, judge
    row = province(card, "F1", 2024)
    assert "năm trước" not in wording.sentence(row, "vi")  # no year before: no trend
    row.series[2023] = row.series[2024].__class__(95.0)
    row.verdict = judge(TargetSpec("annual_floor", 90, 2022, 2028), {2023: 95.0, 2024: 55 / 62 * 100}, 2024)
    text = wording.sentence(row, "vi")
    assert "chưa đạt chỉ tiêu (≥ 90%); ↘ kém hơn năm trước (giảm 6,29 điểm %). Cả nhiệm kỳ: đạt 1/2 năm." in text


def test_a_passed_deadline_is_named_and_has_no_pace(mini_store):
    from metrics.domain.judgement import TargetSpec, judge
    card = Scorecard(mini_store)
    row = province(card, "L1", 2025)
    row.target = replace(row.target, target_year=2025)
    row.verdict = judge(TargetSpec("level", 200, 2023, 2025), {y: f.value for y, f in row.series.items()}, 2025)
    text = wording.sentence(row, "vi")
    assert row.verdict.status == "not_achieved"
    assert text.endswith("Chưa đạt, hết hạn năm 2025.") and "mỗi năm còn lại" not in text
    assert wording.sentence(row, "en").endswith("Not achieved; the deadline was 2025.")


def test_on_track_but_projected_short_says_both(mini_store):
    """NK1a in 2026: 16.490 of the 16.800 expected is "on track", yet the projection stays below 28.000."""
    from metrics.domain.judgement import TargetSpec, judge
    card = Scorecard(mini_store)
    row = province(card, "C1", 2025)
    row.target = replace(row.target, value=28000, target_year=2028)
    row.verdict = judge(TargetSpec("cumulative", 28000, 2023, 2028), {2024: 5420, 2025: 5310, 2026: 5760}, 2026)
    assert row.verdict.status == "substantial_progress" and row.verdict.projection < 28000
    text = wording.sentence(row, "vi")
    assert "đúng tiến độ vì lũy kế bằng 98,15% mức cần có" in text
    assert "đến năm 2028 đạt 27.483 căn, còn thiếu 517 căn so với chỉ tiêu" in text


def test_bounds_are_written_as_a_person_writes_them(card):
    """Not "1,00 người/CĐCS–2,00 người/CĐCS": both bounds, no ",00", the unit once."""
    band = province(card, "B1", 2024)
    assert wording.bound_text(band, "vi") == "1–2 người/CĐCS"
    assert wording.bound_text(band, "en") == "1–2 per union"
    assert wording.bound_text(province(card, "F1", 2024), "vi") == "≥ 90%"


@pytest.mark.parametrize("value, vi", [
    (111258, "111.258"),
    (1e29, "99.999.999.999.999.991.433.150.857.216"),  # as the double holds it: babel's 28 digits would fail
    (float("inf"), "—"),
])
def test_numbers_of_any_size_are_written_never_a_crash(value, vi):
    from metrics.vocabulary import fmt
    assert fmt.number(value) == vi
    assert fmt.number(1.7e308).startswith("169.999.999")
