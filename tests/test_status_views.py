"""One row of each status through every view: each shows the symbol and the word of the one table.

The rows are judged by the engine (``judge``) on series made for each status, so the sentences, charts
and exports render real verdicts. No view may carry a vocabulary of its own.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

import openpyxl
import pytest
from pptx import Presentation
from pptx.enum.dml import MSO_FILL
from pypdf import PdfReader

from metrics.domain.judgement import TargetSpec, judge
from metrics.domain.rollup_reference import Figure
from metrics.exports import deck as deck_export
from metrics.exports import facts, report_pdf, report_xlsx
from metrics.exports.pinned import pin
from metrics.exports.report import build_report
from metrics.exports.slides import SUMMARY, TITLE, Deck, Slide, group_slides, slide_notes
from metrics.judging import charts, wording
from metrics.judging.scorecard import Scorecard, StatusRow, records
from metrics.vocabulary import statuses
from metrics.vocabulary.kinds import TargetType

PLAN = "T-2023-2028"
LEVEL = dict(type="level", value=200.0, target_year=2028, base_year=2023)
FLOOR = dict(type="annual_floor", value=90.0, target_year=2028, base_year=2023)
#: case (named by the status it must get) -> (target of the mini plan to borrow, what it asks, the series, the year)
CASES = {
    "target_achieved": ("L1", LEVEL, {2023: 100, 2025: 210}, 2025),
    "substantial_progress": ("L1", LEVEL, {2023: 100, 2025: 135}, 2025),
    "moderate_progress": ("L1", LEVEL, {2023: 100, 2025: 130}, 2025),
    "limited_progress": ("L1", LEVEL, {2023: 100, 2025: 110}, 2025),
    "deterioration": ("L1", LEVEL, {2023: 100, 2025: 90}, 2025),
    "not_achieved": ("R1", FLOOR, {2024: 95.0, 2025: 88.71}, 2025),
    "not_achieved at the deadline": ("L1", {**LEVEL, "target_year": 2025}, {2023: 100, 2025: 150}, 2025),
    "not_available": ("L1", LEVEL, {2025: 120}, 2025),
    "no_target": ("R1", FLOOR, {2023: 92.14}, 2023),
}


@pytest.fixture(scope="module")
def mini(mini_template, tmp_path_factory):
    from tests.helpers import open_copy
    store = open_copy(mini_template, tmp_path_factory.mktemp("views"), "mini.duckdb")
    yield store
    store.close()


@pytest.fixture(scope="module")
def rows(mini) -> dict[str, StatusRow]:
    card = Scorecard(mini)
    made = {}
    for i, (code, (borrowed, asks, series, year)) in enumerate(CASES.items()):
        base = next(r for r in card.evaluate(PLAN, 2024, targets=[borrowed]) if r.unit.code == "P")
        target = replace(base.target, **{**asks, "type": TargetType(asks["type"])}, code=f"S{i}", group_code=f"G{i}",
                         value_high=None)
        spec = TargetSpec(asks["type"], asks["value"], asks["base_year"], asks["target_year"])
        verdict = judge(spec, series, year)
        assert verdict.status == status_of(code), (code, verdict)
        figures = {y: Figure(float(v), provenance=frozenset({"published"}), sources=("Báo cáo thử",))
                   for y, v in series.items()}
        made[code] = StatusRow(target, base.indicator, base.unit, year, verdict, figures,
                               {y: "P" for y in series})
    return made


@pytest.fixture(scope="module")
def deck(mini, rows):
    shown = list(rows.values())
    made = Deck(PLAN, "Kế hoạch thử", "Tỉnh Thử", 2025, "vi", pin(mini), shown, [])
    made.slides = [Slide(TITLE, made.plan_name), *group_slides(shown, "vi"), Slide(SUMMARY, "Tổng hợp")]
    return made


def status_of(case: str) -> str:
    return case.split(" ")[0]


def badge(case: str, lang: str = "vi") -> str:
    return statuses.badge(status_of(case), lang)


def other_words(case: str) -> list[str]:
    return [s.vi.lower() for s in statuses.TABLE if s.code != status_of(case)]


@pytest.mark.parametrize("code", list(CASES))
def test_badge_chip_and_hover_use_the_table(rows, code):
    row = rows[code]
    assert row.badge("vi") == badge(code) and row.badge("en") == badge(code, "en")
    assert row.symbol == statuses.status(status_of(code)).symbol
    fig = charts.heatmap([row], "vi")
    assert fig.data[1].text == (row.symbol,)
    assert badge(code) in fig.data[0].hovertext[0][0]


def test_counts_row_and_headline_speak_the_tables_words(rows):
    shown = list(rows.values())
    counts = wording.status_counts(shown)
    assert [(s.code, n) for s, n in counts] == [(code, 2 if code == "not_achieved" else 1) for code in statuses.CODES]
    summary = wording.summary(shown, 2025, "vi")
    for status, n in counts:
        assert f"{status.badge_text('vi')} {n}" in summary
    assert "cần nỗ lực" not in summary.lower() and "behind" not in wording.summary(shown, 2025, "en").lower()


def test_ranking_bars_take_the_status_colour_and_symbol(rows):
    judged = [r for r in rows.values() if r.verdict.actual is not None]
    fig = charts.ranking(judged, "vi")
    for label, colour, hover in zip(fig.data[0].text, fig.data[0].marker.color, fig.data[0].hovertext):
        code = next(c for c in statuses.CODES if badge(c) in hover)
        assert label.startswith(statuses.status(code).symbol + " ")
        assert colour == statuses.colour(code)


def test_annual_chart_bars_and_legend_are_statuses(rows):
    fig = charts.trend(rows["not_achieved"], "vi")
    bars = fig.data[0]
    assert list(bars.marker.color) == [statuses.colour("target_achieved"), statuses.colour("not_achieved")]
    assert [t[:1] for t in bars.text] == ["✔", "✖"]
    assert {badge("target_achieved"), badge("not_achieved")} <= {t.name for t in fig.data}


@pytest.mark.parametrize("code", [c for c in CASES if c != "not_available"])
def test_sentences_never_use_another_statuss_word(rows, code):
    text = wording.sentence(rows[code], "vi").lower()
    assert not [w for w in other_words(code) if w in text], text
    if code == "not_achieved at the deadline":
        assert text.endswith("chưa đạt, hết hạn năm 2025.")


def test_the_deck_labels_every_status_with_its_symbol_word_colour_and_ink(deck, rows):
    pptx = Presentation(io.BytesIO(deck_export.render(deck)))
    labels = {}
    for slide in pptx.slides:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text in {badge(c) for c in CASES} \
                    and shape.fill.type == MSO_FILL.SOLID:  # the status labels (the summary's tiles are text)
                runs = [r for p in shape.text_frame.paragraphs for r in p.runs]
                labels[shape.text_frame.text] = (str(shape.fill.fore_color.rgb), {str(r.font.color.rgb) for r in runs})
    for code in CASES:
        status = statuses.status(status_of(code))
        assert labels[badge(code)] == (status.colour.lstrip("#"), {status.ink.lstrip("#")}), code
    notes = " ".join(slide_notes(deck, s) for s in deck.slides)
    assert all(badge(code) in notes for code in CASES)


def test_the_pdf_states_every_status_with_the_tables_words(deck):
    reader = PdfReader(io.BytesIO(report_pdf.render(build_report(deck))))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for code in CASES:
        assert text.count(badge(code)) >= 3, code  # the counts table, the target's item, the legend
    assert "Cần nỗ lực" not in text and "chưa đạt trong năm" not in text


def test_the_workbook_has_the_code_and_the_tables_words(deck):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx.render(build_report(deck))))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    found = {r[header.index("Mã đánh giá")]: r[header.index("Đánh giá")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert found == {status_of(code): badge(code) for code in CASES}


def test_the_status_records_carry_the_codes(rows):
    frame = records(list(rows.values()))
    assert list(frame["status"]) == [status_of(c) for c in CASES]
    assert set(frame["status"]) <= set(statuses.CODES)


def test_facts_lines_end_with_the_badge(rows):
    for code, row in rows.items():
        assert facts.fact_lines(row, "vi")[-1].value == badge(code)
        assert facts.fact_lines(replace(row), "en")[-1].value == badge(code, "en")
