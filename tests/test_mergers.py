"""Mergers with history, on a small real database (tests/fixtures/merger): provinces A and B merge into AB on
1 July 2025. AB's years before are the sum of A's and B's (as is, marked reconstructed, only when both have a
figure); a plan of A is carried by AB without counting the merger as growth, rebased on AB's as-is series, or
ended with A. Every expected figure is worked out by hand in the comments."""

from __future__ import annotations

import shutil

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from metrics.catalogue.loading import init_database, load_targets
from metrics.cli import commands
from metrics.domain.organisation import Organisation
from metrics.judging import charts, wording
from metrics.judging.scorecard import Scorecard, completeness
from metrics.storage.migrations import MIGRATIONS, migrate
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError
from tests.helpers import FIXTURES, copy_database

MERGER = FIXTURES / "merger"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("merger") / "merger.duckdb"
    init_database(path, demo=True, data_dir=MERGER).close()
    return path


@pytest.fixture
def card(built):
    store = Store.open(built, read_only=True)
    yield Scorecard(store)
    store.close()


def one(card, plan, target, year, unit=None):
    """The row of the plan's unit (or ``unit``)."""
    unit = unit or card.root(plan, year).code
    rows = [r for r in card.evaluate(plan, year, targets=[target]) if r.unit.code == unit]
    assert len(rows) == 1, [r.unit.code for r in rows]
    return rows[0]


def values(row):
    return {y: round(f.value, 4) for y, f in row.series.items()}


# --- the organisation: who carries a merged unit's years before it -----------------------------------------

def test_a_merged_unit_is_carried_by_all_its_predecessors_before_it_began(card):
    org: Organisation = card.org
    assert org.carriers("AB", 2024) == ["A", "B"] and org.carriers("AB", 2025) == ["AB"]
    assert org.carriers("A", 2026) == ["AB"]  # forward through the successor, as before
    assert org.lineage("AB", 2024) is None  # no single past: lineage stays the one-carrier case
    assert org.as_is("AB", 2024).children == ["A", "B"] and org.unit("AB", 2024) is None
    assert org.footing("AB") == "AB" and org.footing("A") == "A"
    assert org.merger("A")[0] == "AB" and org.merged_into("A", 2024) == "AB"


def test_the_predecessors_stay_units_of_their_years_tree(card):
    """Decision 2: the Đơn vị page of 2024 shows A and B as they were, with A's district below A."""
    assert {u.code for u in card.children("AB", 2024)} == {"A", "B"}
    assert [u.code for u in card.children("A", 2024)] == ["A1"]
    assert [u.code for u in card.ancestors("A1", 2024)] == ["AB", "A"]
    assert {u.code for u in card.units_for("AB-2023-2028", 2024)} == {"AB", "A", "B", "A1"}


# --- as is: the merged unit's own plan ------------------------------------------------------------------------

def test_the_years_before_a_merger_are_the_sum_of_the_predecessors_marked_reconstructed(card):
    members = one(card, "AB-2023-2028", "M", 2026)
    # 2023: A 100 + B 80 = 180; 2024: 110 + 85 = 195; then AB's own units: 120 + 80 = 200, 130 + 84 = 214
    assert values(members) == {2023: 180, 2024: 195, 2025: 200, 2026: 214}
    assert members.series[2023].parts == ("A", "B") and not members.series[2025].parts
    assert members.reconstructed_years == [2023, 2024] and members.break_years == []
    assert members.reconstructions[2024].parts["B"].value == 85  # each unit as it was, beside the sum
    # R = ((214/180)^(1/3) − 1) / ((300/180)^(1/5) − 1) = 0,05942 / 0,10757 = 0,552: limited progress
    assert members.status == "limited_progress"
    assert members.as_record()["reconstructed"] == "2023;2024"


def test_a_ratio_is_reconstructed_as_a_ratio_of_sums_and_only_when_every_predecessor_has_it(card):
    floor = one(card, "AB-2023-2028", "C", 2026)
    # 2024: (33 + 14) / (60 + 40) = 47%, never the mean of 55% and 35%; 2023: B has no figure, so no figure
    assert values(floor) == {2024: 47, 2025: 60, 2026: 68}
    assert (floor.series[2024].numerator, floor.series[2024].denominator) == (47, 100)
    assert floor.unreconstructed == {2023: ("B",)} and floor.as_record()["reconstruction_missing"] == "2023:B"
    # 2024 (47%) missed the 60% floor, 2025 (60%) and 2026 (68%) met it
    assert (floor.verdict.years_met, floor.verdict.years_assessed, floor.verdict.trend) == (2, 3, "better")
    level = one(card, "AB-2023-2028", "L", 2026)
    # base 2023 has no figure: the first later year, 2024 (47%): R = ((68/47)^(1/2) − 1) / ((80/47)^(1/4) − 1) = 1,43
    assert (level.verdict.assessment.base_year, level.status) == (2024, "substantial_progress")


def test_status_of_an_old_province_in_a_year_before_the_merger_says_where_its_figures_went(built, capsys):
    """``status --unit B --year 2024`` said "no target applies … check the unit code", as if B were a typo."""
    assert commands.main(["status", "--plan", "AB-2023-2028", "--year", "2024", "--unit", "B",
                             "--db", str(built)]) == 1
    said = capsys.readouterr().err
    assert "là một phần của Liên đoàn Lao động tỉnh An Bình (AB) trước hợp nhất" in said and "--unit AB" in said
    assert "Kiểm tra mã đơn vị" not in said


def test_status_in_a_year_before_the_merger_prints_the_merged_units_row(built, capsys):
    """Before: the merged unit had no unit in 2024, so ``status --year 2024`` printed nothing and exited 0."""
    assert commands.main(["status", "--plan", "AB-2023-2028", "--year", "2024", "--format", "csv",
                             "--db", str(built)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rows = lines[0].split(","), [dict(zip(lines[0].split(","), line.split(","))) for line in lines[1:]]
    assert "reconstructed" in header and "reconstruction_missing" in header
    by_target = {(r["target"], r["unit"]): r for r in rows}
    # A and B stand in AB's place, as they were: never judged against AB's targets; A's district is judged
    assert {unit for _, unit in by_target} == {"AB", "A1"}
    # 180 → 195: R = (195/180 − 1) / ((300/180)^(1/5) − 1) = 0,0833 / 0,1076 = 0,775: needs acceleration
    assert (by_target[("M", "AB")]["actual"], by_target[("M", "AB")]["status"]) == ("195.0", "moderate_progress")
    assert by_target[("M", "AB")]["reconstructed"] == "2023;2024"
    assert by_target[("C", "AB")]["reconstruction_missing"] == "2023:B"


# --- carry: a plan of A carried by AB, no growth counted across the merger ------------------------------------

def test_a_carried_plan_counts_growth_only_like_for_like(card):
    members = one(card, "A-CARRY", "M", 2026)
    assert values(members) == {2023: 100, 2024: 110, 2025: 200, 2026: 214}  # as was: A, then AB
    assert members.break_years == [2025]
    # Before: 100 → 214 was growth of 28,9% a year against 24,6% required, "on track". Like for like, AB's
    # 214 is compared with A + B in 2023 (180): R = 0,552, limited progress, as AB's own plan says.
    assert members.status == "limited_progress"
    assert members.verdict.assessment.base_value == 180 and members.reconstructed_years == [2023, 2024]
    flows = one(card, "A-CARRY", "N", 2026)
    # the plan as written: A's 10 + AB's 20 + 24 = 54 against 60 by now (0,9: needs acceleration); the
    # projection goes on at the comparable years' average, (16 + 20 + 24) / 3 = 20 a year: 54 + 2 × 20 = 94
    assert (flows.verdict.actual, flows.status, flows.verdict.projection) == (54, "moderate_progress", 94)


def test_the_trend_across_a_merger_is_not_comparable_unless_reconstructed(card):
    floor = one(card, "A-CARRY", "C", 2025)
    # 2025 (AB, 60%) against 2024 as AB stood: (33 + 14) / 100 = 47%, not A's own 55%
    assert floor.verdict.trend == "better" and floor.comparable_with_previous(2025)
    level = one(card, "A-CARRY", "L", 2025)
    assert level.verdict.assessment.base_year == 2024  # 2023 could not be reconstructed (B): the base moves


def test_without_the_predecessors_figures_nothing_is_compared_across_the_merger(tmp_path):
    """An Giang's case: KG has no figures, so AB's first year has nothing like-for-like before it."""
    folder = tmp_path / "files"
    shutil.copytree(MERGER, folder)
    lines = (folder / "values.csv").read_text(encoding="utf-8").splitlines()
    (folder / "values.csv").write_text("\n".join(line for line in lines if not line.startswith("B,")) + "\n",
                                       encoding="utf-8")
    store = init_database(tmp_path / "without-b.duckdb", demo=True, data_dir=folder)
    try:
        card = Scorecard(store)
        members = one(card, "A-CARRY", "M", 2025)
        # 2025 is AB's first year and nothing before it is on AB's footing: not assessable (it was "on track":
        # 100 → 200 in two years against 24,6% a year required), no projection, no straight line yet
        assert (members.status, members.verdict.projection, members.verdict.expected) == ("not_available", None, None)
        assert members.unreconstructed == {2023: ("B",), 2024: ("B",)}
        later = one(card, "A-CARRY", "M", 2026)
        # 2025 → 2026 alone: 200 → 214 is 7% against (300/200)^(1/3) − 1 = 14,5% required: R = 0,48, limited
        assert (later.verdict.assessment.base_year, later.status) == (2025, "limited_progress")
        assert later.verdict.projection == pytest.approx(214 * (214 / 200) ** 2)
        floor = one(card, "A-CARRY", "C", 2025)
        assert floor.verdict.trend == "not_comparable" and not floor.comparable_with_previous(2025)
    finally:
        store.close()


# --- rebase: the plan of A carried by AB on its as-is series ------------------------------------------------------

def test_a_rebased_plan_scales_additive_targets_to_ask_the_same_growth(card):
    members = one(card, "A-REBASE", "M", 2026)
    assert members.unit.code == "AB" and values(members) == {2023: 180, 2024: 195, 2025: 200, 2026: 214}
    # 300 × (180 ÷ 100) = 540: from 180 to 540 is the same growth as A's 100 to 300
    assert members.rebase.factor == pytest.approx(1.8) and members.verdict.target_value == pytest.approx(540)
    assert members.target["value"] == pytest.approx(540) and members.rebase.value == 300
    # R = ((214/180)^(1/3) − 1) / ((540/180)^(1/5) − 1) = 0,0594 / 0,2457 = 0,242: limited progress
    assert members.status == "limited_progress"
    flows = one(card, "A-REBASE", "N", 2026)
    # no new members in 2023, the base year: the years before the merger both have, 2024: 16 ÷ 10 → 160;
    # 16 + 20 + 24 = 60 against 160 × 3/5 = 96 by now: 0,625, needs acceleration
    assert (flows.rebase.years, flows.verdict.target_value, flows.verdict.actual) == ((2024,), pytest.approx(160), 60)
    assert flows.status == "moderate_progress"
    ratio = one(card, "A-REBASE", "L", 2026)
    assert ratio.rebase.factor is None and ratio.verdict.target_value == 80  # a percentage stays as written


def test_a_target_that_cannot_be_rebased_says_which_units_lack_the_base_year(built, tmp_path):
    store = Store.open(copy_database(built, tmp_path))
    try:
        extra = tmp_path / "targets.csv"
        extra.write_text((MERGER / "targets.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
                         "A-REBASE,M22,1,Đoàn viên,Members,members,level,300,,2028,2022,,,province,Đoàn viên 2022,"
                         "Members 2022,Có 300 đoàn viên,test,5\n", encoding="utf-8")
        assert load_targets(store, [extra]).ok
        row = one(Scorecard(store), "A-REBASE", "M22", 2026)
        assert row.status == "not_available" and row.rebase.missing == ("A", "B")
        assert "An Thu Province Federation" in wording.sentence(row, "en")
        assert "An Thử" in wording.sentence(row, "vi")
    finally:
        store.close()


# --- end: the plan ends with its unit ---------------------------------------------------------------------------

def test_an_ended_plan_is_judged_up_to_its_units_last_year_and_refuses_later_years(card):
    assert card.latest_year("A-END") == 2024 and card.last_year("A-END") == 2024
    members = one(card, "A-END", "M", 2024)
    # A alone: 100 → 110, R = 0,1 / ((300/100)^(1/5) − 1) = 0,1 / 0,2457 = 0,41: limited progress
    assert (members.unit.code, members.status) == ("A", "limited_progress")
    with pytest.raises(UserError) as refused:
        card.judged_year("A-END", 2025)
    assert "1/7/2025" in refused.value.message("vi") and "2024" in refused.value.message("vi")


def test_the_command_line_refuses_a_year_after_the_plan_ended(built, capsys):
    assert commands.main(["status", "--plan", "A-END", "--year", "2026", "--db", str(built)]) == 1
    said = capsys.readouterr().err
    assert "Kế hoạch kết thúc khi Liên đoàn Lao động tỉnh An Thử hợp nhất ngày 1/7/2025" in said


# --- the about page's "who has reported" ---------------------------------------------------------------------

def test_who_has_reported_expects_the_figures_of_a_target_set_for_one_unit(mini_template, tmp_path):
    """Issue 15's leftover: a target set for D1 alone (targets.csv ``unit``) was missing from what D1's units
    are expected to report, though D1's figure is built from theirs."""
    store = Store.open(copy_database(mini_template, tmp_path, "mini.duckdb"))
    try:
        extra = tmp_path / "targets.csv"
        extra.write_text("plan,target,group,group_vi,indicator,type,value,target_year,unit,label_vi,wording_vi,"
                         "source,order\nT-2023-2028,U1,NK3,Nhà ở,houses,cumulative,10,2028,D1,Nhà của D1,"
                         "D1 làm 10 căn,test,7\n", encoding="utf-8")
        assert load_targets(store, [extra]).ok
        frame = completeness(Scorecard(store), "T-2023-2028", [2024], "D1")
        missing = frame.set_index("unit").loc["G1", "missing"]
        assert "houses" in missing
    finally:
        store.close()


# --- plans.csv after_merger: read, checked, migrated, kept ------------------------------------------------------

def test_a_wrong_after_merger_is_reported_by_row_and_column_and_nothing_is_written(built, tmp_path):
    store = Store.open(copy_database(built, tmp_path))
    try:
        before = store.frame("SELECT * FROM plans ORDER BY code")
        plans = tmp_path / "plans.csv"
        plans.write_text("plan,name_vi,issuer,start_year,end_year,unit,source,after_merger\n"
                         "A-CARRY,Kế hoạch,Thử,2023,2028,A,test,tiếp tục\n"
                         "A-NEW,Kế hoạch mới,Thử,2023,2028,A,test,end\n", encoding="utf-8")
        result = load_targets(store, [plans])
        assert [(p.row, p.column, p.code) for p in result.problems] == [(2, "after_merger", "invalid-choice")]
        assert "carry, rebase, end" in result.problems[0].message("vi")
        assert store.frame("SELECT * FROM plans ORDER BY code").equals(before)
    finally:
        store.close()


def test_after_merger_has_a_vietnamese_header_and_survives_a_backup(built, tmp_path):
    store = Store.open(copy_database(built, tmp_path))
    try:
        plans = tmp_path / "ke-hoach.csv"
        plans.write_text("Mã kế hoạch,Tên kế hoạch,Ban hành,Năm bắt đầu,Năm kết thúc,Đơn vị,Nguồn,Sau hợp nhất\n"
                         "B-PLAN,Kế hoạch tỉnh Bình Thử,Thử,2023,2028,B,test,end\n", encoding="utf-8")
        assert load_targets(store, [plans]).ok
        assert store.rows("SELECT after_merger FROM plans WHERE code = 'B-PLAN'") == [("end",)]
        assert Scorecard(store).last_year("B-PLAN") == 2024  # B merged on 1 July 2025
    finally:
        store.close()
    assert commands.main(["backup", str(tmp_path / "backup"), "--db", str(tmp_path / "kpi.duckdb")]) == 0
    assert commands.main(["restore", str(tmp_path / "backup"), "--db", str(tmp_path / "restored.duckdb")]) == 0
    restored = Store.open(tmp_path / "restored.duckdb", read_only=True)
    try:
        assert restored.rows("SELECT code, after_merger FROM plans WHERE after_merger IS NOT NULL ORDER BY code") == [
            ("A-END", "end"), ("A-REBASE", "rebase"), ("B-PLAN", "end")]
    finally:
        restored.close()


def test_a_database_made_before_after_merger_gets_the_column(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        before = [m[0] for m in MIGRATIONS].index("0013_plan_after_merger")  # the migrations before it, only
        migrate(con, until=before)
        con.execute("INSERT INTO plans (code, name_vi, start_year, end_year, unit) VALUES ('P', 'Cũ', 2023, 2028, 'A')")
        assert migrate(con)[0] == "0013_plan_after_merger"
        assert con.execute("SELECT code, after_merger FROM plans").fetchall() == [("P", None)]  # None: carry
    finally:
        con.close()


# --- An Giang's demo: AG carried by AG-2025 (AG + KG), KG without figures ----------------------------------------

def test_an_giangs_merger_with_kien_giang_is_no_longer_counted_as_growth(demo_db):
    """Before: 111.258 members of An Giang in 2023 against 116.002 of the merged province in 2025 was growth
    (limited progress, projected to 123.500 by 2028) and the annual trends compared 2025 with An Giang alone."""
    store = Store.open(demo_db)
    try:
        card = Scorecard(store)
        members = one(card, "DH-XI-2023-2028", "NK1b", 2025)
        assert members.unit.code == "AG-2025" and members.break_years == [2025]
        assert (members.status, members.verdict.projection, members.verdict.expected) == ("not_available", None, None)
        assert members.verdict.pace_per_year == pytest.approx((139258 - 116002) / 3)  # the plan as written: carried
        assert members.unreconstructed == {2023: ("KG",), 2024: ("KG",)}
        later = one(card, "DH-XI-2023-2028", "NK1b", 2026)
        # growth 2025 → 2026 of the merged province alone, projected from there
        assert later.verdict.assessment.base_year == 2025
        assert later.verdict.projection == pytest.approx(later.verdict.actual * (later.verdict.actual / 116002) ** 2)
        informed = one(card, "DH-XI-2023-2028", "HN1a", 2025)
        assert informed.verdict.trend == "not_comparable"  # was "worse": 2025 against An Giang alone in 2024
        new = one(card, "DH-XI-2023-2028", "NK1a", 2025)
        # the sum of the term's flows is unchanged (An Giang's 2024, the merged province's 2025); the projection
        # goes on at the merged province's own yearly flow, not at the mean of both
        flow_2025 = new.series[2025].value
        assert new.verdict.projection == pytest.approx(new.verdict.actual + flow_2025 * 3)
        final = one(card, "CTHD-2020-2025", "P6", 2025)  # at its deadline the straight line is the target itself
        assert final.verdict.final and final.verdict.expected == final.verdict.target_value == 90
    finally:
        store.close()


# --- every view says so: the chart, the target page's tables, the rebased target, the ended plan ---------------

def test_the_chart_draws_reconstructed_years_apart_and_names_them(card):
    row = one(card, "AB-2023-2028", "M", 2026)
    for lang, name in (("vi", "Tái lập: cộng các đơn vị trước hợp nhất"),
                       ("en", "Reconstructed: sum of the units before the merger")):
        traces = {trace.name: trace for trace in charts.trend(row, lang).data}
        rebuilt = traces[name]
        assert tuple(rebuilt.x) == (2023, 2024, 2025) and rebuilt.marker.symbol == "square-open"  # joined to 2025
        assert rebuilt.line.dash == "dot"
        actual = traces["Thực hiện" if lang == "vi" else "Actual"]
        assert tuple(actual.x) == (2025, 2026)  # the merged unit's own years only
    carried = {trace.name: trace for trace in charts.trend(one(card, "A-CARRY", "M", 2026), "en").data}
    # as was (A's 100 and 110) and, beside it, as is (A + B: 180 and 195), joined to AB's first year
    assert tuple(carried["Actual"].y) == (100, 110, 200, 214)
    assert tuple(carried["Reconstructed: sum of the units before the merger"].y) == (180, 195, 200)
    bars = charts.trend(one(card, "AB-2023-2028", "C", 2026), "en")
    yearly = next(trace for trace in bars.data if trace.type == "bar" and None not in trace.x)
    assert tuple(yearly.marker.pattern.shape) == ("/", "", "")  # 2024 hatched: reconstructed


@pytest.fixture
def page(built, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(built))
    monkeypatch.setenv("KPI_PUBLIC", "1")

    def open_page(plan: str, year: int, target: str, lang: str = "vi"):
        st.cache_resource.clear()
        at = AppTest.from_file("../dashboard.py", default_timeout=60)
        at.session_state["plan"], at.session_state["year"], at.session_state["target"] = plan, year, target
        at.session_state["lang"] = lang
        at.run()
        at.switch_page("views/target.py").run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        return at

    yield open_page
    st.cache_resource.clear()


def test_the_target_page_shows_each_unit_before_the_merger_beside_the_sum(page):
    at = page("AB-2023-2028", 2026, "C")
    tables = {tuple(frame.value.columns): frame.value for frame in at.dataframe}
    as_was = tables[("Năm", "Liên đoàn Lao động tỉnh An Thử", "Liên đoàn Lao động tỉnh Bình Thử", "Tổng (tái lập)")]
    assert as_was.to_dict("records") == [
        {"Năm": 2023, "Liên đoàn Lao động tỉnh An Thử": "50% (30/60)", "Liên đoàn Lao động tỉnh Bình Thử": "—",
         "Tổng (tái lập)": "chưa tái lập được: thiếu số liệu của Liên đoàn Lao động tỉnh Bình Thử"},
        {"Năm": 2024, "Liên đoàn Lao động tỉnh An Thử": "55% (33/60)",
         "Liên đoàn Lao động tỉnh Bình Thử": "35% (14/40)", "Tổng (tái lập)": "47% (47/100)"}]
    figures = next(frame for columns, frame in tables.items() if "Tái lập (cộng các đơn vị trước hợp nhất)" in columns)
    assert figures["Tái lập (cộng các đơn vị trước hợp nhất)"].tolist() == [
        "chưa tái lập được: thiếu số liệu của Liên đoàn Lao động tỉnh Bình Thử",
        "Liên đoàn Lao động tỉnh An Thử + Liên đoàn Lao động tỉnh Bình Thử", "", ""]
    english = page("AB-2023-2028", 2026, "M", "en")
    assert any("Before the merger — each unit" in h.value for h in english.subheader)
    assert any("**reconstructed**" in m.value for m in english.markdown)


def test_the_target_page_shows_a_rebased_target_and_the_target_as_written(page):
    at = page("A-REBASE", 2026, "M")
    target = next(m for m in at.metric if m.label == "Chỉ tiêu đề ra")
    assert (target.value, target.delta) == ("≥ 540", "tính lại theo đơn vị sau hợp nhất")
    details = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Chỉ tiêu trong văn bản của Liên đoàn Lao động tỉnh An Thử: 300 đoàn viên" in details
    assert "× 180 đoàn viên ÷ 100 đoàn viên (năm 2023, sau ÷ trước hợp nhất) = 540 đoàn viên" in details


def test_every_page_of_an_ended_plan_says_it_ended_and_its_years_stop(page):
    at = page("A-END", 2024, "M")
    assert any("Kế hoạch kết thúc khi Liên đoàn Lao động tỉnh An Thử hợp nhất ngày 1/7/2025" in m.value
               for m in at.markdown)
    assert at.sidebar.selectbox(key="_widget_year").options == ["2023", "2024"]


def test_a_template_for_a_year_before_the_merger_asks_the_units_that_reported_then(built, tmp_path):
    """The merged unit did not exist in 2024: its template asked AB itself (which no file can fill for 2024)."""
    out = tmp_path / "mau-2024.csv"
    assert commands.main(["template", "--plan", "AB-2023-2028", "--year", "2024", "--filled", "--out", str(out),
                             "--db", str(built)]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert sorted({line.split(";")[0] for line in lines[1:]}) == ["A", "A1", "B"]
    assert "A;Liên đoàn Lao động tỉnh An Thử;members;Số đoàn viên;đoàn viên;2024;110;" in "\n".join(lines)
