"""Every page through Streamlit's AppTest on a real demo database."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from metrics.domain.judgement import ANNUAL_TYPES
from metrics.judging.scorecard import Scorecard
from metrics.storage.store import Store
from metrics.vocabulary import statuses
from tests.helpers import copy_database, texts

PLAN_TARGETS = 27
BADGES = [statuses.badge(s.code) for s in statuses.TABLE]
EN_BADGES = [statuses.badge(s.code, "en") for s in statuses.TABLE]
DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def demo_path(demo_template, tmp_path_factory):
    path = copy_database(demo_template, tmp_path_factory.mktemp("pages"), "kpi.duckdb")
    return path


@pytest.fixture
def app(demo_path, dashboard):
    """A leaders' page, public (tests/test_roles.py signs in), checked for exceptions and errors."""
    def start(page=None, **session):
        return dashboard(demo_path, page, **session)

    return start


def links(at) -> list[str]:
    """The labels of the page's links (the overview's scorecard lines), Markdown escapes removed."""
    return [e.proto.label.replace("\\", "") for e in at.get("page_link")]


def scorecard(at) -> dict[str, str]:
    """The overview's scorecard: target code → its line."""
    found = {}
    for label in links(at):
        if "-badge[" in label and "**" in label:
            found[label.split("**")[1]] = label
    return found


def test_overview_lists_every_target_of_the_plan(app):
    at = app()
    shown = texts(at)
    codes = ["NK1a", "NK1b", "NK1c", "NK2a", "NK2b", "NK3a", "NK3b", "HN1a", "HN1b", "HN2a-1", "HN2a-2",
             "HN2b-1", "HN2b-2", "HN3", "HN4a", "HN4b", "HN4c", "HN5a", "HN5b", "HN5c", "HN6", "HN7a", "HN7b",
             "HN8a", "HN8b", "HN9a", "HN9b"]
    assert len(codes) == PLAN_TARGETS
    lines = scorecard(at)
    assert list(lines) == codes  # one scorecard line per target, in the resolution's order
    for line in lines.values():
        assert any(f"[{badge}]" in line for badge in BADGES), line  # its status: symbol and word
    assert "NK2a** Ký kết thỏa ước lao động tập thể · 95,20% / ≥\u00a096%" in lines["NK2a"]  # name, value, target
    assert f"Năm 2026, {PLAN_TARGETS} chỉ tiêu: ✔ Đã đạt" in shown  # the headline counts in the table's words
    counted = {badge: sum(f"[{badge}]" in line for line in lines.values()) for badge in BADGES}
    summary = next(m.value for m in at.markdown if m.value.startswith("#### Năm 2026"))
    for badge, count in counted.items():
        assert (f"{badge} {count}" in summary) == (count > 0), badge  # the counts agree with the lines
    assert "số liệu minh họa" in shown  # the illustrative-data banner


def test_overview_is_short_and_gives_details_on_demand(app):
    """The overview was 7.700 px tall on a laptop: every target's card is now asked for."""
    at = app()
    assert not [m for m in at.metric if m.label.startswith("Mức tối thiểu")]  # no annual target's card yet
    assert len([m for m in at.metric if "·" in m.label]) == 3  # the three headline cards
    at = app(overview_detail="cards")
    assert len([m for m in at.metric if "·" in m.label]) == 3 + PLAN_TARGETS


def test_overview_2024_says_not_achieved_for_every_annual_target_below_its_bound(app, demo_path, tmp_path):
    """2024 used to say "9 chưa đủ dữ liệu", 7 of them with a value below their floor (HN1b 58,4% < 65%)."""
    at = app(year=2024, overview_detail="cards")
    missed = [code for code, line in scorecard(at).items() if "[✖ Chưa đạt]" in line]
    card = Scorecard(Store.open(shutil.copy(demo_path, tmp_path / "copy.duckdb")))  # the page holds the file
    try:
        rows = card.evaluate("DH-XI-2023-2028", 2024, units=["AG"])
    finally:
        card.store.close()
    below = [r for r in rows if r.target["type"] in ANNUAL_TYPES and r.verdict.actual is not None and not r.verdict.met]
    assert len(below) >= 7 and all(r.status == "not_achieved" for r in below)
    assert set(missed) >= {r.target["code"] for r in below}
    assert f"✖ Chưa đạt {len(missed)}" in texts(at)
    assert "HN1b" in texts(at) and "cả nhiệm kỳ: đạt 0/1 năm" in texts(at)


def test_overview_numbers_are_vietnamese(app):
    at = app(year=2025)
    members = next(m for m in at.metric if m.label.startswith("Đạt mức đến cuối nhiệm kỳ · 2025"))
    assert members.value == "116.002"
    cba = [m.value for m in at.metric if m.value.endswith("%")]
    assert cba and all("," in v for v in cba)



def test_grassroots_unit_without_data(app):
    units = pd.read_csv(DATA / "units.csv", dtype=str)
    grassroots = sorted(units.loc[units["kind"] == "grassroots", "code"])[0]
    at = app(unit=grassroots)
    shown = texts(at)
    assert "Chưa đủ dữ liệu" in shown
    lines = scorecard(at)
    assert lines and all(" · — / " in line for line in lines.values())  # no value is "—", never 0


def test_target_page_shows_the_series_the_sentence_and_sources(app):
    at = app("views/target.py", target="NK1b", year=2025)
    shown = texts(at)
    assert "NK1b" in at.title[0].value
    assert "116.002 đoàn viên" in shown and "chỉ tiêu" in shown
    assert len(at.get("plotly_chart")) >= 2  # the trend and the breakdown by unit
    sources = at.dataframe[-1].value
    assert "Số liệu công bố" in set(sources["Loại số liệu"])


def test_annual_target_shows_years_met(app):
    at = app("views/target.py", target="HN1a", year=2026)
    assert "Cả nhiệm kỳ: số năm đạt" in [s.value for s in at.subheader]
    assert list(at.dataframe[0].value["Đánh giá"]) == ["✔ Đã đạt", "✖ Chưa đạt", "✔ Đã đạt"]  # 84,6 · 78,9 · 86,2
    met = at.dataframe[0].value
    assert list(met["Năm"]) == [2024, 2025, 2026]


def test_units_page_has_matrix_ranking_and_unit_one_at_a_time(app):
    at = app("views/units.py", year=2024)
    assert len(at.get("plotly_chart")) == 1  # the province and its 14 unions × targets, and only that
    assert "14 đơn vị trực thuộc" in texts(at)
    at = app("views/units.py", year=2024, units_view="ranking")
    assert len(at.get("plotly_chart")) == 1 and at.selectbox(key="_widget_target")  # the ranking on one target
    at = app("views/units.py", year=2024, units_view="unit")
    assert not at.get("plotly_chart") and len(at.dataframe) == 1  # the chosen unit's own targets


def test_units_page_drills_down_to_a_district(app):
    at = app("views/units.py", year=2024, unit="883")
    shown = texts(at)
    assert "Liên đoàn Lao động thành phố Long Xuyên" in shown
    options = at.sidebar.selectbox[-1].options
    assert any("Liên đoàn Lao động tỉnh An Giang" in o for o in options)  # the way back up
    assert any(o.startswith("· · ↳") for o in options)  # the grassroots unions below it


def test_unit_from_another_year_follows_its_successor_and_says_so(app):
    at = app("views/units.py", year=2026, unit="CDN-GD")
    assert at.sidebar.selectbox[-1].value == "CDN-GD-2025"  # the successor carries its series in 2026
    assert "Công đoàn ngành Giáo dục tỉnh An Giang không có trong năm 2026" in texts(at)  # and the page says so
    assert at.session_state["unit"] == "CDN-GD"  # the choice itself is kept for the years it existed


def test_moving_between_years_does_not_lose_the_chosen_unit(app):
    """2026 → 2024 moved the chosen ward silently to another unit, and back in 2026 it stayed there."""
    at = app("views/overview.py", year=2026, unit="CD-P-LONGXUYEN")
    assert at.sidebar.selectbox[-1].value == "CD-P-LONGXUYEN"
    at.sidebar.selectbox(key="_widget_year").select(2024).run()
    assert at.sidebar.selectbox[-1].value != "CD-P-LONGXUYEN"  # the ward was created in 2025
    assert "Công đoàn phường Long Xuyên không có trong năm 2024" in texts(at)
    at.sidebar.selectbox(key="_widget_year").select(2026).run()
    assert at.sidebar.selectbox[-1].value == "CD-P-LONGXUYEN"
    assert "không có trong năm" not in texts(at)


def test_the_ranking_keeps_the_target_chosen_on_the_target_page(app):
    """Opening Đơn vị replaced the chosen target (NK3a became NK1c, and Chỉ tiêu then showed NK1c)."""
    at = app("views/target.py", target="NK3b", year=2026)
    at.session_state["units_view"] = "ranking"
    at.switch_page("views/units.py").run()
    assert at.session_state["target"] == "NK3b"
    ranking = at.selectbox(key="_widget_target")
    assert ranking.value != "NK3b"  # new houses: set for the province only, no quotas (issue 19): not ranked
    assert "Chỉ tiêu đang chọn (NK3b) không đặt cho các đơn vị trực thuộc" in texts(at)
    at.switch_page("views/target.py").run()
    assert at.title[0].value.startswith("NK3b")


def test_about_page_shows_kinds_completeness_and_method(app):
    at = app("views/about.py", year=2026)
    headers = [h.value for h in at.header]
    assert headers == ["Loại số liệu theo năm", "Mức độ đầy đủ của báo cáo", "Số liệu công bố và nguồn",
                       "Cách đánh giá"]
    assert "Đơn vị chưa báo cáo đủ năm 2026" in [s.value for s in at.subheader]


def test_english_switch(app):
    at = app(lang="en")
    assert at.title[0].value == "Overview"
    assert {"✔ Target achieved", "▲ On track"} <= {b for b in EN_BADGES if f"[{b}]" in " ".join(links(at))}
    assert any("," in m.value and m.value[0].isdigit() for m in at.metric if m.label not in EN_BADGES)  # 118,046


def test_a_missing_database_says_how_to_load_ones_own_files_and_builds_nothing(tmp_path, monkeypatch):
    """Another federation's dashboard, started before its database exists, is never filled with An Giang."""
    monkeypatch.setenv("KPI_DB", str(tmp_path / "hcm.duckdb"))
    monkeypatch.delenv("KPI_DEMO", raising=False)
    monkeypatch.setenv("KPI_PUBLIC", "1")
    st.cache_resource.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    st.cache_resource.clear()
    assert not at.exception
    shown = " ".join(e.value for e in at.error).replace("\\", "")
    assert "python -m metrics init" in shown and "targets import" in shown and "docs/data-files.md" in shown
    assert "--demo" in shown.split("Chỉ để xem thử")[1]  # the demo is offered only as a demo
    assert not (tmp_path / "hcm.duckdb").exists() and not at.title


def test_first_start_of_the_demo_builds_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(tmp_path / "new.duckdb"))
    monkeypatch.setenv("KPI_DEMO", "1")
    monkeypatch.setenv("KPI_PUBLIC", "1")
    st.cache_resource.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    st.cache_resource.clear()
    assert not at.exception
    assert (tmp_path / "new.duckdb").exists()
    assert at.title[0].value == "Tổng quan"


@pytest.mark.parametrize("param, value", [("year", "²"), ("year", "①"), ("year", "٢٠٢٤"), ("slide", "²"),
                                          ("pin", "³")])
def test_a_number_in_another_script_in_the_address_is_ignored_not_a_crash(demo_path, monkeypatch, param, value):
    """``str.isdigit`` takes ``²``, ``①`` and Arabic-Indic digits; ``int`` does not (a shared link, a typo)."""
    monkeypatch.setenv("KPI_DB", str(demo_path))
    monkeypatch.setenv("KPI_PUBLIC", "1")
    st.cache_resource.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.query_params[param] = value
    at.run()
    if param != "year":
        at.switch_page("views/present.py").run()
    st.cache_resource.clear()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title


def test_an_english_target_page_says_its_quote_and_source_are_vietnamese(app):
    """The resolution's words and its source stood unmarked in Vietnamese on an English page."""
    at = app("views/target.py", target="NK1b", year=2025, lang="en")
    captions = [c.value.replace("\\", "") for c in at.caption]  # Markdown escapes removed
    quote = next(i for i, c in enumerate(captions) if c == "The resolution's words, in Vietnamese")
    assert captions[quote + 1].startswith("Source (a Vietnamese document): Nghị quyết")
    assert "Nguyên văn Nghị quyết" in [c.value for c in app("views/target.py", target="NK1b", year=2025).caption]
