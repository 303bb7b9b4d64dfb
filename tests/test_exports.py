"""Every export built from a real demo database and opened with its own reader.

python-pptx for the deck, pypdf for the PDF report, openpyxl for the Excel report, the csv module for
the data. Values are compared with the engine's (``Scorecard``), not with the exporters' own model.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.chart.plot import PlotTypeInspector
from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_FILL
from pptx.util import Inches, Pt
from pypdf import PdfReader

from metrics.catalogue.loading import init_database
from metrics.domain.judgement import ANNUAL_TYPES, CUMULATIVE
from metrics.exports import data
from metrics.exports.bundle import Choice, build, file_name
from metrics.exports.pinned import pin
from metrics.judging import wording
from metrics.judging.scorecard import Scorecard
from metrics.storage.store import Store, write_batch
from metrics.vocabulary import fmt
from tests.helpers import copy_database

ROOT = Path(__file__).resolve().parent.parent
PLAN = "DH-XI-2023-2028"
GROUPS = ["NK1", "NK2", "NK3", "HN1", "HN2", "HN3", "HN4", "HN5", "HN6", "HN7", "HN8", "HN9"]


@pytest.fixture(scope="module")
def demo_path(demo_template, tmp_path_factory) -> Path:
    path = copy_database(demo_template, tmp_path_factory.mktemp("exports"), "x.duckdb")
    return path


@pytest.fixture(scope="module")
def store(demo_path):
    store = Store.open(demo_path, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def engine_rows(store):
    """The province's rows as the engine judges them, by target code."""
    pinned = pin(store)
    card = Scorecard(store, as_of=pinned.as_of)
    year = card.latest_year(PLAN)
    root = card.root(PLAN, year)
    return {r.target["code"]: r for r in card.evaluate(PLAN, year, units=[root.code])}


@pytest.fixture(scope="module")
def deck_file(store):
    return Presentation(io.BytesIO(build(store, Choice("pptx", PLAN))))


@pytest.fixture(scope="module")
def pdf_text(store) -> str:
    reader = PdfReader(io.BytesIO(build(store, Choice("pdf", PLAN))))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture(scope="module")
def report_book(store):
    return openpyxl.load_workbook(io.BytesIO(build(store, Choice("xlsx", PLAN))))


def slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def charts(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def codes_on(slide) -> list[str]:
    """Target codes of a group slide, in the order of their columns."""
    return [m.group(1) for text in slide_texts(slide)[1:] if (m := re.match(r"^(\w+(?:-\d)?) · ", text))]


def expected_points(row) -> dict[str, float]:
    """Category → value the chart must hold, computed from the engine's series."""
    base = int(row.target["base_year"])
    if row.target["type"] == CUMULATIVE:
        total, out = 0.0, {}
        for year in sorted(y for y in row.series if y > base):
            total += row.series[year].value
            out[str(year)] = total
        return out
    first = base + 1 if row.target["type"] in ANNUAL_TYPES else base
    return {str(y): f.value for y, f in row.series.items() if y >= first}


# --- the deck -----------------------------------------------------------------------------------

def test_deck_has_a_title_slide_one_slide_per_group_and_a_summary(deck_file, engine_rows):
    slides = list(deck_file.slides)
    quotas = [slide_texts(s)[0] for s in slides[-4:-1]]  # issue 19: a slide per target divided among the units
    assert quotas == ["Chỉ tiêu giao · NK1a · Phát triển thêm 28.000 đoàn viên",
                      "Chỉ tiêu giao · NK1b · Toàn tỉnh có 139.258 đoàn viên",
                      "Chỉ tiêu giao · NK3a · 300 căn nhà “Mái ấm công đoàn”"]
    assert "Các đơn vị được giao 26.500 / 28.000 đoàn viên; còn 1.500 chưa giao." in slide_texts(slides[-4])
    slides = slides[:-4] + slides[-1:]
    titles = [slide_texts(s)[0] for s in slides[1:-1]]
    groups = [t.split(" · ")[0] for t in titles]
    assert list(dict.fromkeys(groups)) == GROUPS  # every group, in the resolution's order
    # Groups of three or four targets take two slides (at most two targets a slide).
    assert {g: groups.count(g) for g in GROUPS if groups.count(g) > 1} == {"NK1": 2, "HN2": 2, "HN4": 2, "HN5": 2}
    assert len(slides) == 1 + 16 + 1
    assert "Tổng hợp kết quả" in slide_texts(slides[-1])[0]
    shown = [code for s in slides[1:-1] for code in codes_on(s)]
    assert shown == list(engine_rows)  # every target once, in order
    assert deck_file.slide_width / deck_file.slide_height == pytest.approx(16 / 9, rel=0.01)


def value_series(chart):
    """The series of the target's values (the columns, the line or the running sum), wherever it is drawn."""
    return next(s for plot in chart.plots for s in plot.series if s.name in ("Thực hiện", "Lũy kế"))


def plot_of(chart, chart_type):
    return next((p for p in chart.plots if PlotTypeInspector.chart_type(p) == chart_type), None)


def test_every_group_slide_has_native_charts_with_the_engines_values(deck_file, engine_rows):
    for slide in list(deck_file.slides)[1:-1]:
        codes, found = codes_on(slide), charts(slide)
        assert len(found) == len(codes)
        for code, chart in zip(codes, found):
            row = engine_rows[code]
            annual = row.target["type"] in ANNUAL_TYPES
            series = value_series(chart)
            if annual:  # columns, with the floor as a line over them or the band as a shaded range behind
                assert plot_of(chart, XL_CHART_TYPE.COLUMN_CLUSTERED).series[0].name == series.name
                high = row.target.get("value_high")
                if high == high and high is not None:
                    band = plot_of(chart, XL_CHART_TYPE.AREA_STACKED)
                    assert [set(s.values) for s in band.series] == [{row.target["value"]}, {high - row.target["value"]}]
                else:
                    assert {row.verdict.target_value} in [set(s.values) for s in plot_of(chart, XL_CHART_TYPE.LINE).series]
            else:
                assert chart.chart_type in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS)
            points = dict(zip(chart.plots[0].categories, series.values))
            wanted = expected_points(row)
            assert {k: v for k, v in points.items() if v is not None} == pytest.approx(wanted), code


def labelled(chart) -> dict[str, str]:
    """Category -> the text of the value label drawn there."""
    series = value_series(chart)
    return {c: p.data_label.text_frame.text for c, p in zip(chart.plots[0].categories, series.points)
            if p.data_label.has_text_frame and p.data_label.text_frame.text}


def test_data_labels_are_vietnamese_numbers(deck_file, engine_rows):
    seen = set()
    for slide in list(deck_file.slides)[1:-1]:
        for code, chart in zip(codes_on(slide), charts(slide)):
            row = engine_rows[code]
            wanted = expected_points(row)
            for category, text in labelled(chart).items():
                number = fmt.short(wanted[category], row.indicator["kind"], "vi")
                assert text.endswith(number), (code, text, number)
                seen.add(text)
    assert "118.046" in seen  # members, Vietnamese thousands separator
    assert any(re.fullmatch(r"✔ \d+,\d\d%", t) for t in seen)  # an annual year met, decimal comma
    assert "✔ 100%" in seen  # a whole percentage without ",00"


def test_status_labels_and_sentences_are_on_the_slides(deck_file, engine_rows):
    text = "\n".join(t for s in deck_file.slides for t in slide_texts(s))
    assert "Mái ấm công đoàn" in text  # diacritics intact
    assert "▲ Đúng tiến độ" in text and "✔ Đã đạt" in text
    for row in engine_rows.values():
        first = wording.sentence(row, "vi").split(". ")[0]
        assert first in text, row.target["code"]


def test_notes_hold_every_figure_and_source_and_the_pinned_batch(deck_file, engine_rows, store):
    line = pin(store).line("vi")
    assert re.fullmatch(r"Số liệu đến ngày \d\d/\d\d/\d{4}, đợt nhập #\d+", line)
    for slide in deck_file.slides:
        notes = slide.notes_slide.notes_text_frame.text
        assert line in notes
        assert any(line in t for t in slide_texts(slide))  # stated on the slide itself too
        for code in codes_on(slide):
            row = engine_rows[code]
            assert wording.sentence(row, "vi") in notes
            for figure in row.series.values():
                for source in figure.sources:
                    assert source in notes
            assert fmt.shown(row.verdict.actual, row.indicator, "vi") in notes


def test_type_is_large_enough_for_a_hall(deck_file):
    for slide in deck_file.slides:
        boxes = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]
        sizes = [[r.font.size for p in b.text_frame.paragraphs for r in p.runs if r.font.size] for b in boxes]
        assert max(sizes[0]) >= Pt(28)  # the title (36 pt, down to 28 to stay on one line)
        footer_top = max(b.top for b in boxes)
        for box, box_sizes in zip(boxes, sizes):
            if box.top < footer_top:  # everything but the footer line
                assert min(box_sizes) >= Pt(20), box.text_frame.text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_charts_keep_their_height_when_names_run_long(store, lang):
    """An English group title wrapping to two lines left its charts 2,08 in tall, the plot a thin strip
    under its legend: a title now shrinks (to 28 pt at least) to stay on one line."""
    prs = Presentation(io.BytesIO(build(store, Choice("pptx", PLAN, lang=lang))))
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.has_chart:
                assert shape.height >= Inches(2.3), (lang, number, shape.height / 914400)


def test_english_deck(store):
    prs = Presentation(io.BytesIO(build(store, Choice("pptx", PLAN, lang="en"))))
    text = "\n".join(t for s in prs.slides for t in slide_texts(s))
    assert "Summary" in text and "Target achieved" in text and "118,046" in text
    assert "Figures as of" in text


# --- the PDF and Excel reports ------------------------------------------------------------------

def test_pdf_report_lists_every_target_with_its_sentence(pdf_text, engine_rows, store):
    assert "BÁO CÁO SƠ KẾT" in pdf_text
    assert pin(store).line("vi") in pdf_text
    assert "2.1. Chỉ tiêu đến hết nhiệm kỳ" in pdf_text and "2.2. Chỉ tiêu hằng năm" in pdf_text
    assert "Mái ấm công đoàn" in pdf_text
    for code, row in engine_rows.items():
        assert f" {code} · " in pdf_text, code
        assert " ".join(wording.sentence(row, "vi").split()) in pdf_text, code
    assert "số liệu minh họa" in pdf_text.lower()
    assert "đổi đơn vị năm 2025" in pdf_text  # the 2025 reorganisation break is stated
    assert "Thông cáo báo chí của BTV LĐLĐ tỉnh An Giang" in pdf_text  # a footnoted source


def test_pdf_embeds_its_font(store):
    reader = PdfReader(io.BytesIO(build(store, Choice("pdf", PLAN))))
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in f for f in fonts)
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=1)  # A4 portrait


def test_xlsx_report_has_one_row_per_target_with_the_engines_values(report_book, engine_rows):
    sheet = report_book["Báo cáo"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == len(engine_rows)
    col = {name: i for i, name in enumerate(header)}
    for line in body:
        row = engine_rows[line[col["Mã"]]]
        assert line[col["Thực hiện"]] == pytest.approx(row.verdict.actual)
        assert line[col["Chỉ tiêu đề ra"]] == pytest.approx(row.verdict.target_value)
        assert line[col["Tỷ lệ đạt (%)"]] == pytest.approx(row.verdict.achievement_pct)
        assert line[col["Mã đánh giá"]] == row.status
        assert line[col["Nhận định"]] == wording.sentence(row, "vi")
    values = list(report_book["Số liệu"].iter_rows(values_only=True))
    assert len(values) - 1 == sum(len(r.series) for r in engine_rows.values())
    about = [c for r in report_book["Thông tin"].iter_rows(values_only=True) for c in r if c]
    assert any(str(c).startswith("Số liệu đến ngày") for c in about)


# --- formula injection ------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"])
def test_safe_cell_neutralises_formulas(text):
    assert data.safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Đoàn viên", "111.258", "", 5, -3.5, None])
def test_safe_cell_leaves_the_rest_alone(value):
    assert data.safe_cell(value) == value


@pytest.fixture
def hostile_path(demo_path, tmp_path):
    """A copy of the demo database where a target label and a source start with '='."""
    path = tmp_path / "hostile.duckdb"
    shutil.copy(demo_path, path)
    store = Store.open(path)
    with store.transaction() as cur:
        cur.execute("UPDATE targets SET label_vi = '=HYPERLINK(\"http://x\",\"y\")' WHERE code = 'NK1a'")
        cur.execute("UPDATE catalogue_version SET version = version + 1")
        write_batch(cur, pd.DataFrame([{"unit": "AG", "indicator": "members", "year": 2019, "value": 100000.0,
                                        "source": "=cmd|' /C calc'!A0"}]), "import", file_name="hostile.csv")
    yield store
    store.close()


def test_spreadsheets_store_formula_like_text_as_text(hostile_path):
    book = openpyxl.load_workbook(io.BytesIO(build(hostile_path, Choice("xlsx", PLAN))))
    labels = [c for c in book["Báo cáo"]["D"] if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert [c.value for c in labels] == ["'=HYPERLINK(\"http://x\",\"y\")"]
    assert labels[0].data_type == "s"
    sources = [c.value for c in book["Số liệu"]["H"] if isinstance(c.value, str) and "calc" in c.value]
    assert sources == ["'=cmd|' /C calc'!A0"]
    rows = list(csv.DictReader(io.StringIO(build(hostile_path, Choice("csv")).decode("utf-8-sig"))))
    assert [r["source"] for r in rows if "calc" in r["source"]] == ["'=cmd|' /C calc'!A0"]
    table = data.table_csv(pd.DataFrame({"a": ["=1", "ok"], "b": [-1.5, 2]})).decode("utf-8-sig")
    assert table.splitlines() == ["a,b", "'=1,-1.5", "ok,2.0"]


def test_values_csv_is_the_long_layout_ready_to_import_again(store):
    text = build(store, Choice("csv")).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["unit", "indicator", "year", "value", "numerator", "denominator", "source", "note",
                             "provenance"]
    assert len(rows) == len(store.observations())
    members = {r["year"]: r["value"] for r in rows if r["unit"] == "AG" and r["indicator"] == "members"}
    assert members["2023"] == "111258"  # plain numbers, never 111.258


# --- pinned data --------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_pinned_deck_is_the_same_after_a_new_import(demo_path, tmp_path):
    path = tmp_path / "pinned.duckdb"
    shutil.copy(demo_path, path)
    store = Store.open(path)
    try:
        pinned = pin(store).batch
        before = {f: build(store, Choice(f, PLAN, as_of=pinned)) for f in ("pptx", "pdf", "xlsx")}
        with store.transaction() as cur:
            new = write_batch(cur, pd.DataFrame([{"unit": "AG-2025", "indicator": "members", "year": 2026,
                                                  "value": 125000.0, "source": "Báo cáo năm 2026"}]), "import",
                              file_name="members-2026.csv")
        after = {f: build(store, Choice(f, PLAN, as_of=pinned)) for f in ("pptx", "pdf", "xlsx")}
        assert after == before  # byte for byte
        latest = Presentation(io.BytesIO(build(store, Choice("pptx", PLAN))))
        old = Presentation(io.BytesIO(before["pptx"]))
        assert slide_texts(latest.slides[0]) != slide_texts(old.slides[0])
        assert any(f"đợt nhập #{new}" in t for t in slide_texts(latest.slides[0]))
        assert any(f"đợt nhập #{pinned}" in t for t in slide_texts(old.slides[0]))
        members = [c for c in charts(latest.slides[1]) if "2026" in c.plots[0].categories]
        assert 125000.0 in members[1].plots[0].series[0].values  # NK1b shows the new figure
        assert 125000.0 not in charts(old.slides[1])[1].plots[0].series[0].values
    finally:
        store.close()


def test_file_names_say_what_and_which_data(store):
    pinned = pin(store)
    assert file_name(Choice("pptx", PLAN, 2026), pinned) == f"trinh-chieu_{PLAN}_2026_dot-{pinned.batch}.pptx"
    assert file_name(Choice("csv"), pinned) == f"so-lieu_dot-{pinned.batch}.csv"


# --- the command line ---------------------------------------------------------------------------

def cli(*args):
    return subprocess.run([sys.executable, "-m", "metrics", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.mark.slow
def test_export_command_writes_the_same_bytes_as_the_page(demo_path, store, tmp_path):
    for fmt_ in ("pptx", "pdf"):
        out = tmp_path / f"x.{fmt_}"
        done = cli("export", "--format", fmt_, "--out", out, "--plan", PLAN, "--year", 2026, "--db", demo_path)
        assert done.returncode == 0, done.stderr
        assert "đợt nhập #" in done.stdout
        assert out.read_bytes() == build(store, Choice(fmt_, PLAN, 2026))


@pytest.mark.parametrize("args, message", [
    (["--plan", "NOPE"], "Không có kế hoạch “NOPE”"),
    (["--as-of", "99"], "Không có đợt nhập số 99"),
    (["--year", "2031"], "nằm ngoài kế hoạch"),
])
@pytest.mark.slow
def test_export_command_errors_say_what_to_do(demo_path, tmp_path, args, message):
    done = cli("export", "--format", "pdf", "--out", tmp_path / "x.pdf", "--db", demo_path, *args)
    assert done.returncode == 1 and message in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_export_command_refuses_a_missing_folder(demo_path, tmp_path):
    done = cli("export", "--format", "xlsx", "--out", tmp_path / "no" / "x.xlsx", "--db", demo_path, "--lang", "en")
    assert done.returncode == 1 and "does not exist" in done.stderr


def test_2024_annual_targets_below_their_bound_are_not_achieved_in_every_export(store):
    """The PDF printed "✗ Chưa đủ dữ liệu · chưa đạt trong năm" for HN1b (58,4% against ≥ 65%)."""
    card = Scorecard(store)
    rows = card.evaluate(PLAN, 2024, units=[card.root(PLAN, 2024).code])
    below = sorted(r.target["code"] for r in rows
                   if r.target["type"] in ANNUAL_TYPES and r.verdict.actual is not None and not r.verdict.met)
    assert len(below) == 7 and "HN1b" in below
    book = openpyxl.load_workbook(io.BytesIO(build(store, Choice("xlsx", PLAN, 2024))))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    shown = {r[header.index("Mã")]: (r[header.index("Mã đánh giá")], r[header.index("Đánh giá")])
             for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert {c: shown[c] for c in below} == {c: ("not_achieved", "✖ Chưa đạt") for c in below}
    deck = Presentation(io.BytesIO(build(store, Choice("pptx", PLAN, 2024))))
    labelled = {}
    for slide in list(deck.slides)[1:-1]:
        codes = codes_on(slide)
        labels = [t for t in slide_texts(slide) if t in {"✖ Chưa đạt", "✔ Đã đạt"} or t.startswith(("▲", "►", "▼", "◄", "?"))]
        labelled.update(zip(codes, labels))
    assert {c: labelled[c] for c in below} == {c: "✖ Chưa đạt" for c in below}
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(build(store, Choice("pdf", PLAN, 2024)))).pages)
    assert "Chưa đủ dữ liệu · chưa đạt trong năm" not in text
    assert " ".join(text.split()).count("✖ Chưa đạt") >= 2 * len(below)  # each item and its line in the focus list


@pytest.mark.slow
def test_exports_of_a_plan_without_values_and_of_an_empty_database(tmp_path):
    from metrics.catalogue.loading import load_targets, load_units

    store = init_database(tmp_path / "plans-only.duckdb", demo=False)
    try:
        data_dir = ROOT / "data"
        assert load_units(store, data_dir / "units.csv").ok
        assert load_targets(store, [data_dir / f for f in ("plans.csv", "indicators.csv", "targets.csv")]).ok
        prs = Presentation(io.BytesIO(build(store, Choice("pptx"))))
        assert "Chưa có đợt nhập số liệu nào" in slide_texts(prs.slides[0])
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(build(store, Choice("pdf")))).pages)
        assert "chưa có số liệu" in text
        book = openpyxl.load_workbook(io.BytesIO(build(store, Choice("xlsx"))))
        values = list(book["Số liệu"].iter_rows(min_row=2, values_only=True))
        targets = pd.read_csv(data_dir / "targets.csv")
        stated = targets[(targets["plan"] == PLAN) & targets["baseline"].notna() & (targets["type"] == "level")]
        # no imported value: only the baselines the resolution states, cited to the resolution itself
        assert sorted((v[0], v[3]) for v in values) == sorted(zip(stated["target"], stated["baseline"]))
        assert {v[7] for v in values} == set(stated["source"])  # (the column after them: reconstructed from)
    finally:
        store.close()
    empty = init_database(tmp_path / "empty.duckdb", demo=False)
    try:
        with pytest.raises(Exception, match="no plan"):
            build(empty, Choice("pdf"))
    finally:
        empty.close()


# --- issue 14: honest charts, one note once, starting points, numbers as written -------------------

def chart_of(deck_file, code):
    for slide in list(deck_file.slides)[1:-1]:
        for found, chart in zip(codes_on(slide), charts(slide)):
            if found == code:
                return chart
    raise AssertionError(code)


def axis(chart):
    value_axis = chart.value_axis
    return value_axis.minimum_scale, value_axis.maximum_scale, value_axis.tick_labels.number_format


def test_the_members_axis_starts_at_zero_and_writes_its_numbers_the_vietnamese_way(deck_file):
    """It started at 100.000 with its numbers hidden, which made the gap to the target look larger."""
    low, high, number_format = axis(chart_of(deck_file, "NK1b"))
    assert low == 0 and high >= 139258
    assert '#"."##0' in number_format  # a literal dot: 111.258 whatever the viewer's locale
    assert chart_of(deck_file, "NK1b").value_axis.tick_label_position != XL_TICK_LABEL_POSITION.NONE


def test_every_axis_shows_its_numbers_and_starts_at_zero_or_says_where_it_starts(deck_file, engine_rows):
    for code in engine_rows:
        chart = chart_of(deck_file, code)
        low, _, number_format = axis(chart)
        assert chart.value_axis.tick_label_position != XL_TICK_LABEL_POSITION.NONE, code
        assert number_format and "#,##0" not in number_format, code  # never the viewer's separators
        if low != 0:
            assert chart.has_title and chart.chart_title.text_frame.text == f"Trục dọc từ {low:g}%, không từ 0", code


def test_level_and_cumulative_charts_draw_the_path_and_the_projection(deck_file, engine_rows):
    for code, row in engine_rows.items():
        if row.target["type"] in ANNUAL_TYPES:
            continue
        names = [s.name for plot in chart_of(deck_file, code).plots for s in plot.series]
        assert "Lộ trình" in names, code
        end = int(row.target["target_year"])
        projected = f"Dự báo {end}: {fmt.short(row.verdict.projection, row.indicator['kind'], 'vi')}"
        assert projected in names, code
        series = next(s for plot in chart_of(deck_file, code).plots for s in plot.series if s.name == projected)
        values = dict(zip(chart_of(deck_file, code).plots[0].categories, series.values))
        assert values[str(end)] == pytest.approx(row.verdict.projection)
        assert values[str(row.verdict.actual_year)] == pytest.approx(row.verdict.actual)


def test_a_band_is_a_shaded_range(deck_file):
    band = plot_of(chart_of(deck_file, "HN1a"), XL_CHART_TYPE.AREA_STACKED)
    base, shade = band.series
    assert set(base.values) == {80} and set(shade.values) == {10} and shade.name == "Khung: 80–90%"
    assert base.format.fill.type == MSO_FILL.BACKGROUND  # the base is invisible: only 80–90 is shaded
    assert shade.format.fill.type == MSO_FILL.SOLID


def test_pdf_states_each_shared_note_once(pdf_text):
    """The ⚡ and illustrative-data notes were printed under all 27 targets."""
    assert pdf_text.count("đổi đơn vị năm 2025") == 1
    assert pdf_text.count("Có số liệu minh họa (demo), không phải số liệu chính thức.") == 1
    assert pdf_text.count("Số liệu minh họa (demo) — không phải số liệu chính thức") == 1  # a source, listed once
    assert pdf_text.count("Áp dụng cho cả 27 chỉ tiêu") == 2  # each note says whom it concerns
    assert "xem lưu ý chung" not in pdf_text  # no target points to a note every target shares


def test_pdf_starting_points_come_from_the_data(pdf_text, engine_rows):
    """"Năm gốc" read "— (2023)" for almost every target."""
    assert "— (2023)" not in pdf_text
    assert "111.258 đoàn viên (2023)" in pdf_text  # data: the resolution's own 2023 figure
    assert "92,14% (2023)" in pdf_text
    assert "86,67% (2024)" in pdf_text  # no 2023 figure: the first year with data, as the engine judges
    assert "36.641 đoàn viên (2018–2023)" in pdf_text and "555 căn (2018–2023)" in pdf_text  # previous term
    assert "Thông cáo báo chí của BTV LĐLĐ tỉnh An Giang về Đại hội XI" in pdf_text  # ... and its source
    hn1b = engine_rows["HN1b"].series
    assert f"2024: ✖ {fmt.short(hn1b[2024].value, 'ratio')}" in pdf_text  # an annual target's earlier years


def test_round_targets_and_ranges_are_written_as_people_write_them(pdf_text, deck_file):
    deck_text = "\n".join(t for s in deck_file.slides for t in slide_texts(s))
    names = " ".join(s.name for slide in deck_file.slides for chart in charts(slide) for plot in chart.plots
                     for s in plot.series)
    for text in (pdf_text, deck_text, names):
        assert not re.search(r"\d,00(?!\d)", text), re.search(r".{30}\d,00.{10}", text)
    assert "80–90% hằng năm" in pdf_text and "1–2 người/CĐCS hằng năm" in pdf_text and "≥ 100% hằng năm" in pdf_text
    assert "trong khung 1–2 người/CĐCS" in deck_text and "Khung: 1–2" in names


def test_the_title_slide_states_the_shared_notes_once(deck_file):
    """The ⚡ note that every figure crosses the 2025 reorganisation was only in the speaker notes, while
    the illustrative-data note stood on the slide: a presenter's audience saw one warning of two."""
    slides = list(deck_file.slides)
    title = " ".join(slide_texts(slides[0]))
    assert "⚡ Chuỗi số liệu đổi đơn vị năm 2025" in title
    assert "Có số liệu minh họa (demo), không phải số liệu chính thức." in title
    assert not any("đổi đơn vị năm" in t for s in slides[1:] for t in slide_texts(s))  # stated once


def test_pdf_cites_sources_in_ascending_order(pdf_text):
    """A target's markers read [1][3][2][4] (the order of first use) where a reader expects [1][2][3][4]."""
    for run in re.findall(r"(?:\[\d+\]){2,}", pdf_text):
        numbers = [int(n) for n in re.findall(r"\d+", run)]
        assert numbers == sorted(numbers), run


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_title_slide_fits_above_its_footer(store, lang):
    """With both notes, the English title slide's last line ran into the footer."""
    prs = Presentation(io.BytesIO(build(store, Choice("pptx", PLAN, lang=lang))))
    boxes = sorted((s for s in prs.slides[0].shapes if s.has_text_frame and s.text_frame.text), key=lambda s: s.top)
    footer = min(s.top for s in boxes if s.text_frame.text.endswith(f"1/{len(prs.slides)}"))
    body = [s for s in boxes if s.top < footer]
    assert len(body) == 5  # title, subtitle, pinned batch, illustrative note, ⚡ note
    for upper, lower in zip(body, body[1:]):
        assert upper.top + upper.height <= lower.top, upper.text_frame.text
    assert body[-1].top + body[-1].height <= footer


def test_an_english_report_says_the_resolutions_words_are_vietnamese(store):
    """The English PDF and workbook quoted the resolution in Vietnamese under "Resolution", unmarked."""
    reader = PdfReader(io.BytesIO(build(store, Choice("pdf", PLAN, lang="en"))))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Resolution (in Vietnamese): «" in text
    book = openpyxl.load_workbook(io.BytesIO(build(store, Choice("xlsx", PLAN, lang="en"))))
    headers = {cell.value for sheet in book.worksheets for cell in sheet[1]}
    assert "Resolution's wording (in Vietnamese)" in headers


# --- quotas (issue 19): the report says who carries each divided target's gap, as the target page does ------
@pytest.fixture(scope="module")
def demo_quotas(store):
    """The demo's targets divided among the units (NK1a, NK1b, NK3a), reconciled by the engine."""
    from metrics.judging.quotas import target_quotas

    card = Scorecard(store, as_of=pin(store).as_of, approved_only=True)
    year = card.latest_year(PLAN)
    found = [q for t in card.targets(PLAN) if (q := target_quotas(card, t, year)) is not None]
    assert [q.target.code for q in found] == ["NK1a", "NK1b", "NK3a"]
    return found


def test_pdf_report_gives_each_unit_s_quota_figure_and_status_and_the_reconciliation(pdf_text, demo_quotas, store):
    from metrics.judging.quotas import reconciliation_sentence

    assert "3. Chỉ tiêu giao các đơn vị — năm 2026" in pdf_text and "4. Ghi chú" in pdf_text
    assert "Các đơn vị được giao 26.500 / 28.000 đoàn viên; còn 1.500 chưa giao." in pdf_text
    for q in demo_quotas:
        assert reconciliation_sentence(q, "vi") in pdf_text
        for c in q.carriers:  # every unit, not the deck's first five: its quota, figure and status in one line
            line = (f"{c.unit.name('vi')} {fmt.shown(c.quota, q.indicator, 'vi')} "
                    f"{fmt.shown(c.row.verdict.actual, q.indicator, 'vi')} {c.row.badge('vi')}")
            assert line in pdf_text, line
    reader = PdfReader(io.BytesIO(build(store, Choice("pdf", PLAN, lang="en"))))
    english = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "3. Quotas given to the units — 2026" in english and "4. Notes" in english
    assert "The units are given 26,500 / 28,000 members; 1,500 not yet given to any unit." in english
    assert "Long Xuyen Ward Trade Union 2,102 872 ► Needs acceleration" in english


def test_xlsx_report_has_a_quotas_sheet_with_the_engines_figures_and_the_reconciliation(report_book, demo_quotas,
                                                                                       store):
    rows = list(report_book["Chỉ tiêu giao"].iter_rows(values_only=True))
    col = {name: i for i, name in enumerate(rows[0])}
    body = {(r[col["Mã"]], r[col["Mã đơn vị"]]): r for r in rows[1:]}
    assert len(body) == len(rows) - 1 == sum(len(q.carriers) for q in demo_quotas)
    for q in demo_quotas:
        for c in q.carriers:
            line = body[(q.target.code, c.unit.code)]
            assert line[col["Chỉ tiêu giao"]] == c.quota and line[col["Thực hiện"]] == c.row.verdict.actual
            assert line[col["Mã đánh giá"]] == c.row.status
            assert line[col["Đánh giá (so với chỉ tiêu giao)"]] == c.row.badge("vi")
            assert line[col["Chậm so với tiến độ"]] == pytest.approx(c.behind)
    report = list(report_book["Báo cáo"].iter_rows(values_only=True))
    said = {r[report[0].index("Mã")]: r[report[0].index("Chỉ tiêu giao các đơn vị")] for r in report[1:]}
    assert said["NK1a"].startswith("Các đơn vị được giao 26.500 / 28.000 đoàn viên; còn 1.500 chưa giao. ")
    assert said["NK2a"] is None  # a target not divided among the units says nothing
    english = openpyxl.load_workbook(io.BytesIO(build(store, Choice("xlsx", PLAN, lang="en"))))
    assert english.sheetnames == ["Report", "Figures", "Quotas", "About"]
    head = next(english["Quotas"].iter_rows(values_only=True))
    assert "Status (against its quota)" in head and "Behind the pace" in head


def test_a_quotas_slide_names_the_units_ahead_of_their_quotas_pace(deck_file, demo_quotas):
    """The target page names the units ahead under its chart; the deck's table lists only the five furthest
    behind, so a unit ahead (Khu kinh tế on NK1b, 4.400 ahead) was named on no slide."""
    from metrics.judging.quotas import ahead_sentence

    slides = {slide_texts(s)[0].split(" · ")[1]: slide_texts(s) for s in list(deck_file.slides)[-4:-1]}
    for q in demo_quotas:
        said = ahead_sentence(q, "vi")
        assert bool(said) == bool(q.ahead)
        if said:
            assert said in slides[q.target.code], q.target.code
    assert any(q.ahead for q in demo_quotas)  # the demo has one, so the check above is not empty


def test_a_quotas_slide_with_every_unit_ahead_names_three_and_keeps_its_table_on_the_slide(store, demo_quotas):
    """A target divided among many units, most of them ahead: the sentence named every unit ahead, and past a
    dozen the table under it got a negative height (python-pptx refused it: the deck could not be made)."""
    import dataclasses

    from metrics.exports import deck as deck_writer
    from metrics.exports.slides import QUOTAS, build_deck
    from metrics.judging.quotas import ahead_sentence

    quotas = demo_quotas[0]
    ahead = dataclasses.replace(quotas, carriers=[dataclasses.replace(c, behind=-(i + 1.0))
                                                  for i, c in enumerate(quotas.carriers)])
    n = len(ahead.carriers)
    assert n >= 15
    said = ahead_sentence(ahead, "vi")
    assert said.endswith(f" và {n - 3} đơn vị khác.") and said.count("(vượt ") == 3
    assert ahead_sentence(ahead, "en").endswith(f" and {n - 3} more.")
    card = Scorecard(store, as_of=pin(store).as_of, approved_only=True)
    deck = build_deck(card, PLAN, None, "vi", pin(store))
    deck.slides = [s if s.kind != QUOTAS else dataclasses.replace(s, quotas=ahead) for s in deck.slides]
    made = Presentation(io.BytesIO(deck_writer.render(deck)))
    page = made.slides[[s.kind for s in deck.slides].index(QUOTAS)]
    table = next(s for s in page.shapes if s.has_table)
    footer = min(s.top for s in page.shapes if s.has_text_frame and s.text_frame.text.startswith("Số liệu đến"))
    assert said in [s.text_frame.text for s in page.shapes if s.has_text_frame]
    assert table.top + sum(r.height for r in table.table.rows) <= footer
