"""A deck chart (``deck_charts.ChartSpec``) drawn as a native, editable PowerPoint chart where
``chart_layout`` put its parts.

python-pptx draws one plot type per chart; an annual target's chart is its column plot plus a line
plot (the floor) or an area plot (the band, stacked on an invisible base) sharing its axes, added
here in the chart's XML. The workbook behind the chart keeps every series, so it stays editable.
"""

from __future__ import annotations

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from metrics.exports import chart_labels, chart_layout
from metrics.exports.chart_layout import AXIS_PT, GAP_WIDTH, Layout
from metrics.exports.deck_charts import BLUE, FONT, GREY, ORANGE, SKY, TEXT, VERMILLION, ChartSpec, SeriesSpec, add_runs

MUTED = "555555"
BAND_EDGE = "2C7FB8"  # a darker shade of the band's sky
PLACES = {chart_labels.ABOVE: XL_LABEL_POSITION.ABOVE, chart_labels.BELOW: XL_LABEL_POSITION.BELOW,
          chart_labels.RIGHT: XL_LABEL_POSITION.RIGHT, chart_labels.LEFT: XL_LABEL_POSITION.LEFT,
          chart_labels.OUTSIDE_END: XL_LABEL_POSITION.OUTSIDE_END,
          chart_labels.INSIDE_END: XL_LABEL_POSITION.INSIDE_END,
          chart_labels.INSIDE_BASE: XL_LABEL_POSITION.INSIDE_BASE}
SINGLE_YEAR_DASH = 36  # points: a dash as wide as a third of the column, as thick as the line
LINES = {  # role: colour, width in points, dash
    "actual": (BLUE, 4.0, None), "cumulative": (BLUE, 4.0, None),
    "target": (VERMILLION, 2.5, MSO_LINE_DASH_STYLE.DASH),
    "path": (GREY, 2.5, MSO_LINE_DASH_STYLE.ROUND_DOT),
    "projection": (ORANGE, 2.5, MSO_LINE_DASH_STYLE.DASH),
    "band_edge": (BAND_EDGE, 1.5, MSO_LINE_DASH_STYLE.DASH),
}
BAND_ALPHA = 35  # % opacity of the band's shade
#: A line's name in a darker shade of its colour, legible on white (contrast ≥ 4.5 : 1).
INK = {"target": "B34700", "path": "595959", "projection": "8A5F00"}


def _sub(parent, tag: str, val=None):
    element = etree.SubElement(parent, qn(tag))
    if val is not None:
        element.set("val", str(val))
    return element


def add_chart(slide, spec: ChartSpec, x, y, cx, cy):
    """Draw the chart on a slide; return the python-pptx chart."""
    layout = chart_layout.plan(spec, Emu(cx).pt, Emu(cy).pt)
    data = CategoryChartData()
    data.categories = spec.categories
    for s in spec.series:
        data.add_series(s.name, s.values)
    kind = XL_CHART_TYPE.COLUMN_CLUSTERED if spec.kind == "column" else XL_CHART_TYPE.LINE_MARKERS
    chart = slide.shapes.add_chart(kind, x, y, cx, cy, data).chart
    chart.font.name, chart.font.size = FONT, Pt(AXIS_PT)
    if spec.kind == "column":
        _combine(chart, spec)
    numbers = _renumber(chart)
    _axes(chart, layout)
    _legend(chart, layout, numbers)
    _note(chart, layout)
    _manual_layout(chart._chartSpace.find(".//" + qn("c:plotArea")), layout.fraction(layout.plot), inner=True)
    drawn = {s.index: s for plot in chart.plots for s in plot.series}
    for index, wanted in enumerate(spec.series):
        _style(drawn[numbers[index]], wanted)
    for index, placed in layout.labels.items():
        _labels(drawn[numbers[index]], spec.series[index], placed)
    return chart


def _renumber(chart) -> dict[int, int]:
    """Number the series in the order they are drawn (the band's area first), as legends count them;
    return the series' new numbers by their first ones (the spec's order)."""
    numbers = {}
    for position, ser in enumerate(chart._chartSpace.iter(qn("c:ser"))):
        numbers[int(ser.find(qn("c:idx")).get("val"))] = position
        ser.find(qn("c:idx")).set("val", str(position))
        ser.find(qn("c:order")).set("val", str(position))
    return numbers


def _combine(chart, spec: ChartSpec) -> None:
    """Move the floor into a line plot and the band into a stacked area plot, on the columns' axes."""
    chart.plots[0].gap_width = GAP_WIDTH
    bar = chart._chartSpace.find(".//" + qn("c:barChart"))
    axes = [a.get("val") for a in bar.findall(qn("c:axId"))]
    sers = bar.findall(qn("c:ser"))
    for roles, tag, grouping, before in ((("target", "band_edge"), "c:lineChart", "standard", False),
                                         (("band_base", "band"), "c:areaChart", "stacked", True)):
        moving = [ser for ser, s in zip(sers, spec.series) if s.role in roles]
        if not moving:
            continue
        plot = etree.Element(qn(tag))
        _sub(plot, "c:grouping", grouping)
        _sub(plot, "c:varyColors", 0)
        for ser in moving:
            for child in ser.findall(qn("c:invertIfNegative")):
                ser.remove(child)
            plot.append(ser)
        if tag == "c:lineChart":
            _sub(plot, "c:marker", 1)
        for ax in axes:
            _sub(plot, "c:axId", ax)
        (bar.addprevious if before else bar.addnext)(plot)  # the band behind the columns


def _axes(chart, layout: Layout) -> None:
    value_axis, category_axis = chart.value_axis, chart.category_axis
    scale = layout.scale
    value_axis.minimum_scale, value_axis.maximum_scale = scale.low, scale.high
    value_axis.major_unit = scale.step
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("DDDDDD")
    value_axis.format.line.fill.background()
    value_axis.tick_labels.number_format = scale.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.tick_labels.font.size = Pt(AXIS_PT)
    # Columns and points sit between the year ticks (also when an area plot shares the axes).
    _sub(value_axis._element, "c:crossBetween", "between")
    value_axis._element.find(qn("c:crosses")).addnext(value_axis._element.find(qn("c:crossBetween")))
    category_axis.tick_labels.font.size = Pt(AXIS_PT)
    category_axis.format.line.color.rgb = RGBColor.from_string("888888")


def _manual_layout(parent, box: tuple[float, ...], inner: bool = False, after: tuple[str, ...] = ()):
    """Place a chart part (plot area, legend, title) by hand, in shares of the chart's frame: x, y and,
    when given, w and h. ``after``: the tags the layout element follows in ``parent`` (schema order)."""
    old = parent.find(qn("c:layout"))
    if old is not None:
        parent.remove(old)
    holder = etree.Element(qn("c:layout"))
    manual = _sub(holder, "c:manualLayout")
    if inner:
        _sub(manual, "c:layoutTarget", "inner")
    _sub(manual, "c:xMode", "edge")
    _sub(manual, "c:yMode", "edge")
    for name, value in zip(("x", "y", "w", "h"), box):
        _sub(manual, f"c:{name}", f"{value:.4f}")
    anchors = [e for tag in after for e in parent.findall(qn(tag))]
    if anchors:
        anchors[-1].addnext(holder)
    else:
        parent.insert(0, holder)
    return holder


def _legend(chart, layout: Layout, numbers: dict[int, int]) -> None:
    """A legend above the plot for what is not named on the chart itself (a band, a crowded line)."""
    if layout.legend is None:
        chart.has_legend = False
        return
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(chart_layout.LEGEND_PT)
    legend = chart._chartSpace.find(".//" + qn("c:legend"))
    position = legend.find(qn("c:legendPos"))
    shown = {numbers[i] for i in layout.legend_series}
    for number in sorted(set(numbers.values()) - shown, reverse=True):
        entry = etree.Element(qn("c:legendEntry"))
        _sub(entry, "c:idx", number)
        _sub(entry, "c:delete", 1)
        position.addnext(entry)
    _manual_layout(legend, layout.fraction(layout.legend), after=("c:legendPos", "c:legendEntry"))


def _note(chart, layout: Layout) -> None:
    """Say on the chart where its value axis starts when that is not zero."""
    if layout.note is None:
        chart.has_title = False
        chart._chartSpace.find(".//" + qn("c:autoTitleDeleted")).set("val", "1")
        return
    chart.has_title = True
    frame = chart.chart_title.text_frame
    add_runs(frame.paragraphs[0], layout.note, AXIS_PT, colour=MUTED)
    title = chart._chartSpace.find(".//" + qn("c:title"))
    holder = _manual_layout(title, (chart_layout.EDGE / layout.width, chart_layout.EDGE / layout.height),
                            after=("c:tx",))
    overlay = title.find(qn("c:overlay"))
    if overlay is None:
        overlay = etree.Element(qn("c:overlay"))
        holder.addnext(overlay)
    overlay.set("val", "1")


def _style(series, wanted: SeriesSpec) -> None:
    if wanted.role in ("band_base", "band"):
        _shade(series, SKY if wanted.role == "band" else None)
        return
    if wanted.colours:  # columns, each in the colour of its year's status
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(SKY)
        for i, colour in enumerate(wanted.colours):
            if colour and wanted.values[i] is not None:
                series.points[i].format.fill.solid()
                series.points[i].format.fill.fore_color.rgb = RGBColor.from_string(colour)
        return
    colour, width, dash = LINES[wanted.role]
    line = series.format.line
    line.color.rgb, line.width = RGBColor.from_string(colour), Pt(width)
    if dash is not None:
        line.dash_style = dash
    series.smooth = False
    series.marker.style = XL_MARKER_STYLE.CIRCLE if wanted.labelled else XL_MARKER_STYLE.NONE
    if wanted.labelled:
        _marker(series.marker, colour, chart_labels.MARKER)
    elif wanted.role in ("target", "band_edge") and sum(v is not None for v in wanted.values) == 1:
        # a line through one year is a single point, which draws nothing: a wide dash marks the level
        series.marker.style = XL_MARKER_STYLE.DASH
        _marker(series.marker, colour, SINGLE_YEAR_DASH)
    elif wanted.role == "projection":  # a diamond where the projection ends, as on the dashboard
        last = max(i for i, v in enumerate(wanted.values) if v is not None)
        series.points[last].marker.style = XL_MARKER_STYLE.DIAMOND
        _marker(series.points[last].marker, colour, chart_labels.MARKER + 2)


def _marker(marker, colour: str, size: float) -> None:
    marker.size = int(size)
    marker.format.fill.solid()
    marker.format.fill.fore_color.rgb = RGBColor.from_string(colour)
    marker.format.line.color.rgb = RGBColor.from_string(colour)


def _shade(series, colour: str | None) -> None:
    """An area without an outline: the band's shade, or nothing (the invisible base it stands on)."""
    sp = series._element.get_or_add_spPr()
    for child in list(sp):
        sp.remove(child)
    if colour is None:
        _sub(sp, "a:noFill")
    else:
        fill = _sub(_sub(sp, "a:solidFill"), "a:srgbClr", colour)
        _sub(fill, "a:alpha", BAND_ALPHA * 1000)
    _sub(_sub(sp, "a:ln"), "a:noFill")


def _labels(series, wanted: SeriesSpec, placed: list[chart_labels.Label]) -> None:
    """Labels where ``chart_layout`` placed them, each on a white ground: the values in bold, a line's
    name in its colour; no label elsewhere."""
    size, bold, colour = (chart_labels.LABEL_PT, True, TEXT) if wanted.labelled else \
        (chart_layout.REF_PT, False, INK.get(wanted.role, TEXT))
    for label in placed:
        data_label = series.points[label.index].data_label
        data_label.position = PLACES[label.place]
        frame = data_label.text_frame
        frame._txBody.bodyPr.set("wrap", "none")  # LibreOffice wraps custom labels otherwise: "111.\n258"
        add_runs(frame.paragraphs[0], label.text, size, bold=bold, colour=colour)
        fill = _sub(data_label._dLbl.get_or_add_spPr(), "a:solidFill")
        _sub(fill, "a:srgbClr", "FFFFFF")
