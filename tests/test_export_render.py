"""The deck and the report rendered by LibreOffice and poppler (scripts/render_exports.py), and what can
be checked on the drawn pages: every slide and page drawn; every chart's value axis shows its numbers,
written the Vietnamese way; no value label or line name overlaps another or crosses a target line, a
floor or a band's edge. Positions come from the PDF that LibreOffice made of the deck (pdftotext's word
boxes), the chart's parts from the .pptx.

The PNGs land in test-artifacts/exports/ for people to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-artifacts" / "exports"
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
HARD = re.compile(r"^(Chỉ tiêu|Khung: [\d,]+%?$)")  # the target, a floor, a band's edge (not the band itself)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="needs libreoffice-impress and poppler-utils (./scripts/test installs them)")]


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float  # PDF points, y down

    def overlaps(self, other: Box, slack: float = 0.5) -> bool:
        return self.left < other.right - slack and other.left < self.right - slack \
            and self.top < other.bottom - slack and other.top < self.bottom - slack


@pytest.fixture(scope="module")
def rendered() -> Path:
    done = subprocess.run([sys.executable, "scripts/render_exports.py", "--out", str(OUT)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return OUT


def words_of(pdf: Path) -> list[list[tuple[Box, str]]]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[(Box(*map(float, m.groups()[:4])), m.group(5)) for m in WORD.finditer(page)]
            for page in xml.split("<page ")[1:]]


def number(text: str) -> float | None:
    """A tick as the deck writes it in Vietnamese: ``150.000``, ``96%``, ``0,5``."""
    plain = text.rstrip("%").replace(".", "").replace(",", ".")
    return float(plain) if re.fullmatch(r"\d+(\.\d+)?", plain) else None


def plot_box(shape) -> Box:
    """The chart's plot area on the page, from its manual layout (shares of the chart's frame)."""
    layout = shape.chart._chartSpace.find(".//" + qn("c:plotArea") + "/" + qn("c:layout") + "/" + qn("c:manualLayout"))
    x, y, w, h = (float(layout.find(qn(f"c:{k}")).get("val")) for k in "xywh")
    left, top, width, height = shape.left.pt, shape.top.pt, shape.width.pt, shape.height.pt
    return Box(left + x * width, top + y * height, left + (x + w) * width, top + (y + h) * height)


def find(words: list[tuple[Box, str]], text: str, inside: Box) -> list[Box]:
    """Every place where the words of ``text`` stand in a row inside ``inside``, as one box each."""
    tokens, found = text.split(), []
    for i in range(len(words) - len(tokens) + 1):
        run = words[i:i + len(tokens)]
        if [t for _, t in run] == tokens and all(b.overlaps(inside, slack=0) for b, _ in run):
            found.append(Box(min(b.left for b, _ in run), min(b.top for b, _ in run),
                             max(b.right for b, _ in run), max(b.bottom for b, _ in run)))
    return found


@dataclass
class Drawn:
    """One chart as drawn: its ticks, its labels (text, series name, box) and its lines' heights."""

    name: str
    ticks: list[tuple[float, float]]  # value, y of its centre
    labels: list[tuple[str, str, Box]]
    lines: list[tuple[str, float, float, float]]  # series name, y, x from, x to


def drawn_charts(rendered: Path) -> list[Drawn]:
    pages = words_of(rendered / "deck.pdf")
    found = []
    for page, slide in zip(pages, Presentation(rendered / "deck.pptx").slides):
        for shape in (s for s in slide.shapes if s.has_chart):
            found.append(_drawn(shape, page))
    return found


def _drawn(shape, page) -> Drawn:
    plot = plot_box(shape)
    frame = Box(shape.left.pt, shape.top.pt, shape.left.pt + shape.width.pt, shape.top.pt + shape.height.pt)
    ticks = sorted(((number(t), (b.top + b.bottom) / 2) for b, t in page
                    if number(t) is not None and b.right <= plot.left + 1 and b.overlaps(frame, 0)
                    and plot.top - 12 < b.top < plot.bottom), key=lambda tick: -tick[1])  # from the bottom up
    chart = shape.chart
    categories = list(chart.plots[0].categories)
    years = {t: (b.left + b.right) / 2 for b, t in page if t in categories and b.top >= plot.bottom - 2 and b.overlaps(frame, 0)}
    labels, lines = [], []
    for plot_ in chart.plots:
        for series in plot_.series:
            for category, point in zip(categories, series.points):
                label = point.data_label
                if label.has_text_frame and label.text_frame.text:
                    labels.append((label.text_frame.text, series.name, category))
            values = [v for v in series.values if v is not None]
            if HARD.match(series.name) and values and len(set(values)) == 1 and len(ticks) >= 2:
                lines.append((series.name, values[0]))
    (v0, y0), (v1, y1) = ticks[0], ticks[-1]
    to_y = (lambda v: y0 + (v - v0) * (y1 - y0) / (v1 - v0)) if v1 != v0 else (lambda v: y0)
    wide = Box(plot.left, frame.top, frame.right, frame.bottom)
    boxes = {(text, series, box) for text, series, _ in labels for box in find(page, text, wide)}
    xs = sorted(years.values())
    return Drawn(chart.plots[0].series[0].name, ticks, sorted(boxes, key=lambda b: (b[2].left, b[2].top)),
                 [(name, to_y(value), xs[0] if xs else plot.left, xs[-1] if xs else plot.right) for name, value in lines])


def test_every_slide_and_page_is_drawn(rendered):
    slides = sorted(rendered.glob("deck-*.png"))
    pages = sorted(rendered.glob("report-*.png"))
    assert len(slides) == 21  # title + 16 group slides + 3 quotas slides (issue 19) + summary
    assert len(pages) >= 4
    for png in slides + pages:
        with Image.open(png) as image:
            colours = image.convert("L").getextrema()
        assert colours[0] < 100 < colours[1], png  # dark text on a light page: something was drawn
    with Image.open(slides[0]) as first:
        assert first.width / first.height == pytest.approx(16 / 9, rel=0.02)


def test_the_deck_is_drawn_with_arials_widths(rendered):
    """LibreOffice draws Arial with Liberation Sans; without it, a wider font wraps what PowerPoint keeps
    on one line and the check below would not be PowerPoint's layout."""
    fonts = subprocess.run(["pdffonts", str(rendered / "deck.pdf")], capture_output=True, text=True).stdout
    assert "LiberationSans" in fonts, "run ./scripts/test once: it fetches Debian's fonts-liberation2 into .cache/fonts"


def test_every_axis_shows_its_numbers(rendered):
    charts = drawn_charts(rendered)
    assert len(charts) == 27
    for chart in charts:
        values = [v for v, _ in chart.ticks]
        assert len(values) >= 3 and values == sorted(values), (chart.name, chart.ticks)
        heights = [y for _, y in chart.ticks]
        assert heights == sorted(heights, reverse=True)  # higher values higher up
    words = [t for b, t in words_of(rendered / "deck.pdf")[1]]
    assert {"50.000", "100.000", "150.000"} <= set(words)  # the members axis, Vietnamese thousands


def test_no_label_covers_another_or_a_target_line(rendered):
    charts = drawn_charts(rendered)
    assert sum(len(c.labels) for c in charts) >= 60
    for chart in charts:
        for i, (text, _, box) in enumerate(chart.labels):
            for other, _, other_box in chart.labels[i + 1:]:
                assert not box.overlaps(other_box), (text, other)
            for name, y, start, end in chart.lines:
                if text == name or box.right <= start or box.left >= end:
                    continue
                assert not box.top - 1 < y < box.bottom + 1, (text, name)
