"""The target shapes real resolutions use, each from its own catalogue lines to its verdict, with the verdicts
worked out by hand in the comments. Each federation here is a folder of real CSV files (the mini province's
units) loaded the way ``init --demo`` loads ``data/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics.catalogue import loading
from metrics.catalogue.loading import init_database
from metrics.judging.scorecard import Scorecard
from tests.helpers import MINI, open_copy

PLANS = "plan,name_vi,name_en,issuer,start_year,end_year,unit,source\n"
INDICATORS = MINI / "indicators.csv"
TARGETS = ("plan,target,group,group_vi,group_en,indicator,type,value,value_high,target_year,base_year,baseline,"
           "sector,applies_to,label_vi,label_en,wording_vi,source,order\n")
TARGETS_OF_PARTS = TARGETS.replace("order\n", "order,unit,basis\n")  # with a target's own unit and plan figure
VALUES = "unit,indicator,year,value,numerator,denominator,source,note,provenance\n"


def federation(folder: Path, plans: str, targets: str, values: str, indicators: str = "", units: str = "",
               header: str = TARGETS):
    """A database built from catalogue lines (headers above) and the mini province's units and indicators."""
    folder.mkdir(exist_ok=True)
    (folder / "units.csv").write_text((MINI / "units.csv").read_text(encoding="utf-8") + units, encoding="utf-8")
    catalogue = indicators if indicators.startswith("indicator,") else INDICATORS.read_text(encoding="utf-8") + indicators
    (folder / "indicators.csv").write_text(catalogue, encoding="utf-8")
    (folder / "plans.csv").write_text(PLANS + plans, encoding="utf-8")
    (folder / "targets.csv").write_text(header + targets, encoding="utf-8")
    (folder / "values.csv").write_text(VALUES + values, encoding="utf-8")
    return init_database(folder / "kpi.duckdb", demo=True, data_dir=folder)


def verdicts(store, plan: str, year: int, unit: str = "P") -> dict:
    return {r.target["code"]: r.verdict for r in Scorecard(store).evaluate(plan, year) if r.unit.code == unit}


def problems(mini: Path, folder: Path, targets: str, plans: str = "", indicators: str = "", header: str = TARGETS) -> list[tuple]:
    """(row, column, code) of every problem ``targets import`` finds in these lines, on a copy of the mini
    province's database ``mini``."""
    paths = []
    for name, top, text in (("plans.csv", PLANS, plans), ("targets.csv", header, targets),
                            ("indicators.csv", INDICATORS.read_text(encoding="utf-8"), indicators)):
        if text:
            paths.append(folder / name)
            paths[-1].write_text(top + text, encoding="utf-8")
    store = open_copy(mini, folder, "check.duckdb")
    try:
        result = loading.load_targets(store, paths, dry_run=True)
    finally:
        store.close()
    return [(p.row, p.column, p.code) for p in result.problems]


# --- one-year plans --------------------------------------------------------------------------------

ONE_YEAR = "K-2024,Kế hoạch năm 2024,Plan for 2024,BTV LĐLĐ tỉnh,2024,2024,P,test\n"


def test_a_one_year_plan_is_judged_on_its_year_against_the_year_before(tmp_path):
    store = federation(tmp_path / "f", ONE_YEAR,
        "K-2024,H,1,Nhà,Houses,houses,cumulative,12,,,,,,province,Nhà 2024,Houses 2024,12 căn,test,1\n"
        "K-2024,F,2,Thỏa ước,CBA,cba,annual_floor,90,,,,,,province,Thỏa ước,CBA,Từ 90%,test,2\n"
        "K-2024,L,3,Đoàn viên,Members,members,level,120,,,,,,province,Đoàn viên,Members,120 đoàn viên,test,3\n",
        "P,houses,2023,30,,,r,,published\nP,houses,2024,10,,,r,,published\n"
        "P,cba,2023,,80,100,r,,published\nP,cba,2024,,92,100,r,,published\n"
        "P,members,2023,100,,,r,,published\nP,members,2024,121,,,r,,published\n")
    try:
        got = verdicts(store, "K-2024", 2024)
    finally:
        store.close()
    # The baseline is 2023, the year before the plan (before: 2024 itself, so nothing was ever judged).
    # H: the 2024 flow only (the 2023 houses belong to the year before): 10 < 12 at the deadline → not achieved.
    assert (got["H"].status, got["H"].actual, got["H"].years_assessed) == ("not_achieved", 10, 1)
    # F: 92% ≥ 90% in 2024, the one year of the term: met 1 of 1 (before: no_target, "0/0 years").
    assert (got["F"].status, got["F"].years_met, got["F"].years_assessed) == ("target_achieved", 1, 1)
    # L: 121 ≥ 120 by 2024 → achieved, from the base 100 in 2023.
    assert (got["L"].status, got["L"].actual) == ("target_achieved", 121)


def test_a_base_year_that_is_not_before_the_deadline_is_refused(mini_template, tmp_path):
    found = problems(mini_template, tmp_path,
        "K-2024,H,1,Nhà,Houses,houses,cumulative,12,,2024,2024,,,province,Nhà,Houses,12 căn,test,1\n"
        "K-2024,F,2,Thỏa ước,CBA,cba,annual_floor,90,,,2024,,,province,Thỏa ước,CBA,Từ 90%,test,2\n"
        "K-2024,G,2,Thỏa ước,CBA,cba,annual_floor,90,,,2023,,,province,Thỏa ước,CBA,Từ 90%,test,3\n", ONE_YEAR)
    # a cumulative target counting the years after 2024 up to 2024 counts none; a floor from 2025 in a 2024 plan
    assert found == [(2, "base_year", "base-year-not-before-deadline"), (3, "base_year", "base-year-not-before-deadline")]


# --- a band over the term on a level target ----------------------------------------------------------

TERM = "T,Nghị quyết 2023–2028,Resolution 2023–2028,Đại hội,2023,2028,P,test\n"


@pytest.fixture(scope="module")
def banded(tmp_path_factory):
    """R: "45–50% of units with a CBA by 2028", the mini province from 40% (2023) to 44% (2024), 47% (2025)."""
    folder = tmp_path_factory.mktemp("band")
    store = federation(folder, TERM,
        "T,R,1,Thỏa ước,CBA,cba,level,45,50,2028,,,,province,Thỏa ước,CBA,Đạt 45–50% vào năm 2028,test,1\n",
        "P,cba,2023,,40,100,r,,published\nP,cba,2024,,44,100,r,,published\nP2,cba,2025,,47,100,r,,published\n")
    yield store
    store.close()


def test_a_level_band_is_judged_towards_its_near_end_and_shows_its_position(banded):
    from metrics.exports import facts
    from metrics.judging import wording
    from ui.widgets import goal_text

    row = next(r for r in Scorecard(banded).evaluate("T", 2024) if r.unit.code == "P")
    v = row.verdict
    # 2024: 44% below the band. Growth 40 → 44 in 1 year: 10%/year; needed 40 → 45 in 5 years: (45/40)^(1/5) − 1
    # = 2,383%/year; R = 0,10 / 0,02383 = 4,2 ≥ 0,95 → on track. No "% achieved" of a band: its position.
    assert (v.status, v.target_value, v.band_position, v.achievement_pct) == ("substantial_progress", 45, "below", None)
    assert goal_text(row, "vi") == "45–50%"  # before: "≥ 45%"
    assert facts.goal(row, "vi") == "45–50% đến năm 2028"
    assert "dưới khung (45–50% đến năm 2028)" in wording.sentence(row, "vi")
    assert "below the band (45–50% by 2028)" in wording.sentence(row, "en")


def test_a_level_bands_deck_chart_names_the_band_not_its_near_end(banded):
    from metrics.exports import deck_charts

    row = next(r for r in Scorecard(banded).evaluate("T", 2024) if r.unit.code == "P")
    names = [s.name for s in deck_charts.spec(row, "vi").series if s.role == "target"]
    assert names == ["Chỉ tiêu 2028: 45–50%"]  # before: "Chỉ tiêu 2028: 45%", as if the band were a floor


def test_a_level_band_is_reached_inside_it(banded):
    row = next(r for r in Scorecard(banded).evaluate("T", 2025) if r.unit.code == "P2")
    # 2025: 47% ≥ 45% (the near end), inside 45–50% → achieved, "trong khung".
    assert (row.verdict.status, row.verdict.band_position) == ("target_achieved", "within")


def test_a_high_end_on_a_target_that_has_one_bound_is_refused_not_dropped(mini_template, tmp_path):
    found = problems(mini_template, tmp_path,
        "T,F,1,Thỏa ước,CBA,cba,annual_floor,45,50,,,,,province,Thỏa ước,CBA,Từ 45%,test,1\n"
        "T,L,1,Thỏa ước,CBA,cba,level,50,45,2028,,,,province,Thỏa ước,CBA,45–50%,test,2\n", TERM)
    assert found == [(2, "value_high", "unexpected-value-high"), (3, "type", "invalid-band")]


# --- decimal flows (money) ---------------------------------------------------------------------------

DUES = ("dues,Thu kinh phí công đoàn,Union fees collected,tỷ đồng,bn VND,flow,up,,,,,,"
        "Số kinh phí công đoàn thu được trong năm,Union fees collected in the year,2\n")
#: the mini catalogue with a ``decimals`` column last (empty: a count) and a money indicator
_LINES = INDICATORS.read_text(encoding="utf-8").splitlines()
INDICATORS_WITH_DECIMALS = "\n".join([_LINES[0] + ",decimals"] + [line + "," for line in _LINES[1:]]) + "\n" + DUES


def test_money_is_a_flow_with_decimals_read_the_vietnamese_way_and_judged(tmp_path):
    from metrics.ingest import intake
    from metrics.judging import wording
    from metrics.vocabulary import fmt

    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "indicators.csv").write_text(INDICATORS_WITH_DECIMALS, encoding="utf-8")
    (folder / "plans.csv").write_text(PLANS + TERM, encoding="utf-8")
    (folder / "targets.csv").write_text(TARGETS +
        "T,D,1,Tài chính,Finance,dues,cumulative,30,,2028,,,,province,Thu KPCĐ,Union fees,Thu 30 tỷ đồng,test,1\n",
        encoding="utf-8")
    store = init_database(folder / "kpi.duckdb", demo=False)
    try:
        assert loading.load_units(store, MINI / "units.csv").ok
        assert loading.load_targets(store, [folder / n for n in ("plans.csv", "indicators.csv", "targets.csv")]).ok
        values = folder / "kinh-phi.csv"
        values.write_text("đơn vị;chỉ tiêu;năm;giá trị\nP;dues;2024;5,43\nP2;dues;2025;6,1\n", encoding="utf-8")
        report = intake.check(values, store=store)
        assert [p.code for p in report.problems] == []  # before: "not-an-integer" on both rows
        intake.commit(store, report, user="test")
        row = next(r for r in Scorecard(store).evaluate("T", 2025) if r.unit.code == "P2")
    finally:
        store.close()
    # 5,43 + 6,1 = 11,53 tỷ after 2 of 5 years; expected 30 × 2/5 = 12; 11,53 / 12 = 0,961 ≥ 0,95 → on track.
    assert (row.verdict.status, round(row.verdict.actual, 2)) == ("substantial_progress", 11.53)
    assert fmt.shown(row.verdict.actual, row.indicator, "vi") == "11,53"  # before: "12"
    assert "11,53 tỷ đồng" in wording.sentence(row, "vi")


def test_a_count_still_needs_a_whole_number(mini_template, tmp_path):
    from metrics.ingest import intake

    store = open_copy(mini_template, tmp_path)
    try:
        values = tmp_path / "v.csv"
        values.write_text("unit,indicator,year,value\nP,members,2024,\"100,5\"\n", encoding="utf-8")
        assert [p.code for p in intake.check(values, store=store).problems] == ["not-an-integer"]
    finally:
        store.close()


# --- a target for one unit inside the plan, and a target as a share of a plan figure -------------------

DUES_PLAN = ("dues_plan,Kế hoạch thu kinh phí công đoàn,Union fees planned,tỷ đồng,bn VND,flow,up,,,,,,"
             "Số thu kinh phí công đoàn được giao trong năm,Union fees the year's plan sets,2\n")


@pytest.fixture(scope="module")
def plan_parts(tmp_path_factory):
    """U: the education union (S1) alone, 50 members by 2028 from 8 in 2023; K: fees collected each year at
    least 100% of the year's plan figure."""
    folder = tmp_path_factory.mktemp("parts")
    store = federation(folder, TERM,
        "T,U,1,Đoàn viên,Members,members,level,50,,2028,,8,,,Công đoàn ngành Giáo dục có 50 đoàn viên,Education union: "
        "50 members,Công đoàn ngành Giáo dục phấn đấu có 50 đoàn viên,test,1,S1,\n"
        "T,K,2,Tài chính,Finance,dues,annual_floor,100,,,,,,province,Thu KPCĐ đạt kế hoạch,Fees as planned,"
        "Hằng năm thu kinh phí công đoàn đạt từ 100% kế hoạch trở lên,test,2,,dues_plan\n",
        "S1,members,2024,10,,,r,,published\nP,dues,2024,5.42,,,r,,published\nP,dues_plan,2024,4.5,,,r,,published\n",
        indicators=INDICATORS_WITH_DECIMALS + DUES_PLAN, header=TARGETS_OF_PARTS)
    yield store
    store.close()


def test_a_target_set_for_one_unit_is_judged_for_that_unit_and_shown_with_the_plan(plan_parts):
    from metrics.judging import wording

    card = Scorecard(plan_parts)
    rows = card.plan_rows("T", 2024)
    unit_row = next(r for r in rows if r.target["code"] == "U")
    # Only S1 carries U (not the province, not the districts): 8 (stated, 2023) → 10 (2024): +25%/year;
    # needed (50/8)^(1/5) − 1 = 44,27%/year; R = 0,25 / 0,4427 = 0,56 < 0,6 → limited progress.
    assert [r.unit.code for r in card.evaluate("T", 2024) if r.target["code"] == "U"] == ["S1"]
    assert (unit_row.unit.code, unit_row.verdict.status, unit_row.verdict.actual) == ("S1", "limited_progress", 10)
    assert wording.sentence(unit_row, "vi").startswith("Số đoàn viên (Công đoàn ngành Giáo dục) năm 2024 đạt 10")


def test_a_share_of_a_plan_figure_is_judged_on_what_was_done_over_the_years_plan(plan_parts):
    from metrics.exports import facts
    from metrics.judging import wording

    row = next(r for r in Scorecard(plan_parts).plan_rows("T", 2024) if r.target["code"] == "K")
    # 2024: 5,42 tỷ collected of 4,5 tỷ planned = 120,44% ≥ 100% → achieved (met 1 of 1 year).
    v = row.verdict
    assert (v.status, round(v.actual, 2), v.years_met) == ("target_achieved", 120.44, 1)
    assert (row.latest.numerator, row.latest.denominator) == (5.42, 4.5)
    assert "đạt 120,44% kế hoạch, đạt chỉ tiêu (≥ 100% kế hoạch)" in wording.sentence(row, "vi")
    assert facts.goal(row, "en") == "≥ 100% of plan every year"


def test_a_share_of_plan_above_100_percent_stays_inside_its_chart(plan_parts):
    from metrics.judging import charts

    row = next(r for r in Scorecard(plan_parts).plan_rows("T", 2024) if r.target["code"] == "K")
    top = charts.trend(row, "vi").layout.yaxis.range[1]
    assert top >= 120.44 * 1.05  # before: the axis stopped at 112% and cut the 120,44% bar and its label off


def test_a_unit_or_plan_figure_that_does_not_exist_is_refused(mini_template, tmp_path):
    found = problems(mini_template, tmp_path,
        "T,U,1,Đoàn viên,Members,members,level,50,,2028,,,,,Đoàn viên,Members,50 đoàn viên,test,1,NOPE,\n"
        "T,K,2,Thỏa ước,CBA,cba,annual_floor,100,,,,,,province,Thỏa ước,CBA,Đạt kế hoạch,test,2,,cba\n"
        "T,V,3,Đoàn viên,Members,members,level,50,,2028,,,,,Đoàn viên,Members,50 đoàn viên,test,3,,\n",
        TERM, header=TARGETS_OF_PARTS)
    # an unknown unit; a plan figure that is a percentage; neither levels nor a unit
    assert sorted(found) == [(2, "unit", "unknown-unit"), (3, "basis", "basis-needs-amount"), (4, "applies_to", "missing-value")]
