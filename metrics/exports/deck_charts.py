"""Native, editable PowerPoint charts of one target: the data first (``ChartSpec``), then the drawing.

- level target: a line of the yearly values and a flat line at the target value;
- cumulative target: the running sum against the straight-line path to the target;
- annual target: one column per year in the colour of its status (``metrics.statuses``: achieved or not
  achieved) and the floor (or the band's two ends) as a line.

PowerPoint formats numbers by the viewer's locale, so every data label is set point by point to the
babel-formatted text (``111.258``, ``92,14%``). Axis numbers show only where no separator is needed
(percentages, small counts); elsewhere the data labels carry the values.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from metrics import fmt, statuses, wording
from metrics.exports.words import w
from metrics.judgement import ANNUAL_TYPES, CUMULATIVE
from metrics.scorecard import StatusRow

BLUE, SKY, GREEN, VERMILLION, GREY = "0072B2", "56B4E9", "009E73", "D55E00", "999999"
TEXT = "1A1A1A"
LABEL_PT, AXIS_PT = 16, 14


@dataclass
class SeriesSpec:
    name: str
    values: list[float | None]
    labels: list[str | None]  # the text of each point's data label (None: no label)
    role: str  # actual | cumulative | target | path | band
    colours: list[str | None] | None = None  # per point (annual columns: met / not met)


@dataclass
class ChartSpec:
    kind: str  # line | column
    categories: list[str]
    series: list[SeriesSpec]
    value_min: float
    value_max: float
    number_format: str | None  # axis numbers; None = no axis numbers (the labels carry them)


#: Status marks that Arial lacks and LibreOffice would not find on its own (it picks the colour-emoji
#: font and draws nothing): they get a font that has them. PowerPoint on Windows substitutes a font
#: with the glyph when DejaVu Sans is not installed.
SYMBOL_FONT = "DejaVu Sans"
SYMBOLS = frozenset("✔✖◄⚡↗↘")
FONT = "Arial"


def add_runs(paragraph, text: str, size: float, bold: bool = False, colour: str = TEXT) -> None:
    """Text in Arial, with status marks in ``SYMBOL_FONT``, as runs of one paragraph."""
    pieces: list[list] = []
    for char in text:
        symbol = char in SYMBOLS
        if pieces and pieces[-1][0] == symbol:
            pieces[-1][1] += char
        else:
            pieces.append([symbol, char])
    for symbol, chunk in pieces:
        run = paragraph.add_run()
        run.text = chunk
        run.font.name = SYMBOL_FONT if symbol else FONT
        run.font.size, run.font.bold = Pt(size), bold
        run.font.color.rgb = RGBColor.from_string(colour)


def _present(value) -> bool:
    return value is not None and value == value


def spec(row: StatusRow, lang: str = "vi") -> ChartSpec:
    if row.target["type"] == CUMULATIVE:
        return _cumulative(row, lang)
    if row.target["type"] in ANNUAL_TYPES:
        return _annual(row, lang)
    return _level(row, lang)


def _fmt(row: StatusRow, value, lang: str) -> str:
    return fmt.shown(value, row.indicator, lang)


def _goal(row: StatusRow, value, lang: str) -> str:
    """A target value as the resolution writes it: ``96%``, ``100%``, ``139.258``."""
    return wording.pct(value, lang) if row.indicator["kind"] == "ratio" else _fmt(row, value, lang)


def _level(row: StatusRow, lang: str) -> ChartSpec:
    start, end = int(row.target["base_year"]), int(row.target["target_year"])
    first = min([y for y in row.series if y >= start], default=start)
    years = list(range(min(start, first), end + 1))
    values = [row.series[y].value if y in row.series else None for y in years]
    target = row.verdict.target_value
    actual = SeriesSpec(w("actual", lang), values, [None if v is None else _fmt(row, v, lang) for v in values],
                        "actual")
    name = f"{w('target', lang)} {end}: {_goal(row, target, lang)}"
    goal = SeriesSpec(name, [target] * len(years), _none(len(years)), "target")
    return _finish(row, "line", years, [actual, goal])


def _cumulative(row: StatusRow, lang: str) -> ChartSpec:
    base, end = int(row.target["base_year"]), int(row.target["target_year"])
    years = list(range(base + 1, end + 1))
    running, total = [], 0.0
    last = max((y for y in row.series if base < y <= end), default=None)
    for y in years:
        if y in row.series:
            total += row.series[y].value
        running.append(total if last is not None and y <= last else None)
    target = row.verdict.target_value
    path = [target * (y - base) / (end - base) for y in years]
    done = SeriesSpec(w("cumulative", lang), running, [None if v is None else _fmt(row, v, lang) for v in running],
                      "cumulative")
    name = f"{w('target', lang)} {end}: {_goal(row, target, lang)}"
    line = SeriesSpec(f"{w('path', lang)} → {name}", path, _none(len(years)), "path")
    return _finish(row, "line", years, [done, line])


def _annual(row: StatusRow, lang: str) -> ChartSpec:
    v = row.verdict
    base, end = int(row.target["base_year"]), int(row.target["target_year"])
    # The years judged so far (future years of an annual target hold nothing to draw).
    last = max([y for y in row.series if base < y <= end] + [v.actual_year or base + 1, base + 1])
    years = list(range(base + 1, last + 1))
    values = [row.series[y].value if y in row.series else None for y in years]
    codes = [statuses.year_code(v.met_by_year[y]) if y in v.met_by_year else None for y in years]
    marks = [statuses.status(c).symbol + " " if c else "" for c in codes]
    actual = SeriesSpec(w("actual", lang), values,
                        [None if x is None else m + _fmt(row, x, lang) for x, m in zip(values, marks)], "actual",
                        [statuses.colour(c).lstrip("#") if c else GREY for c in codes])
    low, high = row.target["value"], row.target.get("value_high")
    if row.target["type"] in ("annual_band", "unit_band") and _present(high):
        band = f"{w('band', lang)}: {_goal(row, low, lang)}–{_goal(row, high, lang)}"
        lines = [SeriesSpec(band if i == 0 else " ", [end_] * len(years), _none(len(years)), "band")
                 for i, end_ in enumerate((low, high))]
    else:
        sign = "≤" if row.target["type"] == "annual_ceiling" else "≥"
        name = f"{w('target', lang)}: {sign} {_goal(row, v.target_value, lang)}"
        lines = [SeriesSpec(name, [v.target_value] * len(years), _none(len(years)), "target")]
    return _finish(row, "column", years, [actual, *lines])


def _none(count: int) -> list[None]:
    return [None] * count


def _finish(row: StatusRow, kind: str, years: list[int], series: list[SeriesSpec]) -> ChartSpec:
    numbers = [x for s in series for x in s.values if x is not None]
    top = max(numbers, default=1.0) or 1.0
    bottom = min(numbers, default=0.0)
    indicator_kind = row.indicator["kind"]
    if kind == "column" or row.target["type"] == CUMULATIVE:
        low = 0.0
    elif indicator_kind == "ratio":
        low = max(0.0, math.floor((bottom - 5) / 10) * 10)
    else:
        step = 10 ** max(0, int(math.log10(max(top - bottom, 1))))
        low = max(0.0, math.floor((bottom - (top - bottom) * 0.3) / step) * step)
    high = top + (top - low) * 0.18  # room for the labels above the highest point
    if indicator_kind == "ratio":
        axis = '0"%"'
    elif indicator_kind != "rate" and top < 1000:
        axis = "0"
    else:
        axis = None
    return ChartSpec(kind, [str(y) for y in years], series, low, high, axis)


def add_chart(slide, chart_spec: ChartSpec, x, y, cx, cy):
    """Draw the chart on a slide; return the python-pptx chart."""
    data = CategoryChartData()
    data.categories = chart_spec.categories
    for s in chart_spec.series:
        data.add_series(s.name, s.values)
    chart_type = XL_CHART_TYPE.COLUMN_CLUSTERED if chart_spec.kind == "column" else XL_CHART_TYPE.LINE_MARKERS
    chart = slide.shapes.add_chart(chart_type, x, y, cx, cy, data).chart
    if chart_spec.kind == "column":
        _lines_over_columns(chart)
    _style_axes(chart, chart_spec)
    _legend(chart, chart_spec)
    chart.font.name = FONT
    all_series = [s for plot in chart.plots for s in plot.series]
    crowded = _crowded(chart_spec, cx)
    for series, wanted in zip(all_series, chart_spec.series):
        _style_series(series, wanted, crowded)
    return chart


def _legend(chart, chart_spec: ChartSpec) -> None:
    """A legend above the plot naming the reference lines only (target, band, path).

    The values are labelled on the points; a label at the end of the target line would collide
    with them, so the line is named in the legend instead.
    """
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(AXIS_PT)
    legend = chart._chartSpace.find(".//" + qn("c:legend"))
    position = legend.find(qn("c:legendPos"))
    for index, series in enumerate(chart_spec.series):
        if series.role in ("actual", "cumulative") or not series.name.strip():
            entry = etree.Element(qn("c:legendEntry"))
            etree.SubElement(entry, qn("c:idx")).set("val", str(index))
            etree.SubElement(entry, qn("c:delete")).set("val", "1")
            position.addnext(entry)


def _crowded(chart_spec: ChartSpec, cx) -> bool:
    """Whether value labels on every point would overlap (then only the first and last are labelled)."""
    spacing = Emu(cx).pt * 0.85 / max(1, len(chart_spec.categories))
    widest = max((len(t) for t in chart_spec.series[0].labels if t), default=0)
    return widest * LABEL_PT * 0.62 > spacing


def _lines_over_columns(chart) -> None:
    """Move every series but the first out of the column plot into a line plot on the same axes.

    python-pptx draws one plot type per chart; a combo chart is the column plot plus a ``c:lineChart``
    sharing its axes. The workbook behind the chart keeps every series, so it stays editable.
    """
    bar = chart._chartSpace.find(".//" + qn("c:barChart"))
    moving = bar.findall(qn("c:ser"))[1:]
    line = etree.SubElement(bar.getparent(), qn("c:lineChart"))
    bar.addnext(line)
    etree.SubElement(line, qn("c:grouping")).set("val", "standard")
    etree.SubElement(line, qn("c:varyColors")).set("val", "0")
    for ser in moving:
        for child in ser.findall(qn("c:invertIfNegative")):
            ser.remove(child)
        line.append(ser)
    etree.SubElement(line, qn("c:marker")).set("val", "1")
    for ax_id in bar.findall(qn("c:axId")):
        line.append(copy.deepcopy(ax_id))
    gap = bar.find(qn("c:gapWidth"))
    if gap is not None:
        gap.set("val", "60")


def _style_axes(chart, chart_spec: ChartSpec) -> None:
    value_axis, category_axis = chart.value_axis, chart.category_axis
    value_axis.minimum_scale = chart_spec.value_min
    value_axis.maximum_scale = chart_spec.value_max
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("DDDDDD")
    value_axis.format.line.fill.background()
    if chart_spec.number_format:
        value_axis.tick_labels.number_format = chart_spec.number_format
        value_axis.tick_labels.number_format_is_linked = False
        value_axis.tick_labels.font.size = Pt(AXIS_PT)
    else:
        value_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    category_axis.tick_labels.font.size = Pt(AXIS_PT)
    category_axis.format.line.color.rgb = RGBColor.from_string("888888")


def _style_series(series, wanted: SeriesSpec, crowded: bool = False) -> None:
    colour = {"actual": BLUE, "cumulative": BLUE, "target": VERMILLION, "path": GREY, "band": GREEN}[wanted.role]
    if wanted.role in ("actual", "cumulative") and wanted.colours:  # columns
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(SKY)
        for i, point_colour in enumerate(wanted.colours):
            if point_colour and wanted.values[i] is not None:
                point = series.points[i]
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = RGBColor.from_string(point_colour)
    else:
        line = series.format.line
        line.color.rgb = RGBColor.from_string(colour)
        line.width = Pt(4 if wanted.role in ("actual", "cumulative") else 2.5)
        if wanted.role in ("target", "path", "band"):
            line.dash_style = MSO_LINE_DASH_STYLE.DASH
            series.marker.style = XL_MARKER_STYLE.NONE
        else:
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 9
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = RGBColor.from_string(colour)
        series.smooth = False
    shown = [i for i, v in enumerate(wanted.values) if v is not None]
    for i, text in enumerate(wanted.labels):
        if text is None or wanted.values[i] is None:
            continue
        if crowded and wanted.role in ("actual", "cumulative") and i not in (shown[0], shown[-1]):
            continue
        label = series.points[i].data_label
        label.position = XL_LABEL_POSITION.OUTSIDE_END if wanted.colours else XL_LABEL_POSITION.ABOVE
        frame = label.text_frame
        frame._txBody.bodyPr.set("wrap", "none")  # LibreOffice wraps custom labels otherwise: "111.\n258"
        add_runs(frame.paragraphs[0], text, LABEL_PT, bold=True, colour=TEXT)
        # A white ground keeps a label readable where it crosses the target line.
        fill = etree.SubElement(label._dLbl.get_or_add_spPr(), qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr")).set("val", "FFFFFF")
