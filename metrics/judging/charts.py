"""Figure builders: data in, ``plotly.graph_objects.Figure`` out. No Streamlit, no I/O.

Every figure uses the language's separators (``111.258`` in Vietnamese), an explicit tick format (so
axes never read ``100k``), colour-blind-safe colours, and a symbol or a label beside every colour. A
status (a year met or not, a matrix cell, a ranked unit) takes its symbol, word and colour from the one
table, ``metrics.vocabulary.statuses``. Hover texts are formatted here, with babel, not by Plotly.
"""

from __future__ import annotations

import hashlib
import math
from functools import cache
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont

from metrics.domain.judgement import ANNUAL_TYPES, BAND_TYPES, CUMULATIVE, has_band
from metrics.judging.scorecard import StatusRow
from metrics.vocabulary import fmt, statuses
from metrics.vocabulary.i18n import BAND_LABELS, PROVENANCE_LABELS, PROVISIONAL_MARK, name, pick, provisional_mark
from metrics.vocabulary.kinds import PART_KINDS, IndicatorKind, TargetType

BLUE, ORANGE, GREEN, VERMILLION, GREY, SKY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#999999", "#56B4E9"
FONT = "Source Sans Pro, Noto Sans, DejaVu Sans, sans-serif"

WORDS = {
    "actual": ("Thực hiện", "Actual"),
    "cumulative": ("Lũy kế", "Cumulative"),
    "yearly": ("Trong năm", "In the year"),
    "target": ("Chỉ tiêu", "Target"),
    "path": ("Lộ trình (đường thẳng)", "Straight-line path"),
    "projection": ("Dự báo theo tốc độ hiện tại", "Projection at the current pace"),
    "break": ("Đổi đơn vị", "Unit changed"),
    "reconstructed": ("Tái lập: cộng các đơn vị trước hợp nhất", "Reconstructed: sum of the units before the merger"),
    "band": ("Khung chỉ tiêu", "Target band"),
    "source": ("Nguồn", "Source"),
    "no_data": ("Chưa đủ dữ liệu", "Not enough data"),
    "year": ("Năm", "Year"),
    "against_quota": ("so với chỉ tiêu giao", "against its quota"),
}


def word(key: str, lang: str) -> str:
    return pick(WORDS[key], lang)


# --- the look of every figure, written into the figure itself ------------------------------------------
# Plotly's "plotly_white" look, without its template. A template object in a figure costs the browser a
# whole second drawing of the chart: Streamlit's chart copies the figure once drawn and hands the copy to
# Plotly, which compares a template by identity and redraws everything. So no figure carries one (the
# process-wide default template is none), and each says what plotly_white said about what it draws.
pio.templates.default = None
INK = "#2a3f5f"  # plotly_white's text and line colour
GRID = "#EBF0F8"
LOOK = dict(paper_bgcolor="white", plot_bgcolor="white", hovermode="closest", autotypenumbers="strict",
            colorway=["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880",
                      "#FF97FF", "#FECB52"],
            shapedefaults=dict(line=dict(color=INK)),
            annotationdefaults=dict(arrowcolor=INK, arrowhead=0, arrowwidth=1))
AXIS_LOOK = dict(gridcolor=GRID, linecolor=GRID, ticks="", zerolinecolor=GRID, zerolinewidth=2, automargin=True,
                 title=dict(standoff=15))
BAR_EDGE = dict(color="white", width=0.5)


def look(fig: go.Figure, font_size: int) -> go.Figure:
    """plotly_white's colours, our type."""
    fig.update_layout(**LOOK, font=dict(family=FONT, size=font_size, color=INK),
                      hoverlabel=dict(font=dict(family=FONT), align="left"))
    fig.update_xaxes(**AXIS_LOOK)
    fig.update_yaxes(**AXIS_LOOK)
    return fig


# --- room for the axes' words, reserved before the browser draws ---------------------------------------
# Plotly draws a chart, then measures its tick labels and, when the margins are too small for them
# (``automargin``), draws the whole chart again, once or twice: the units matrix was drawn four times
# (plotly.js issue 2704). Margins wide enough from the start make one drawing. The words are measured
# here in DejaVu Sans, the widest of the fonts a browser falls back to for ``FONT`` (Arial, Roboto, Noto
# Sans and Helvetica are narrower: a few pixels to spare there); a wider font still gets its room, from
# the same automargin, at the cost of the second drawing.
MEASURE_FONT = Path(__file__).parent.parent / "exports" / "fonts" / "DejaVuSans.ttf"
TICK_GAP = 16  # px between a y tick label's room and the edge: Plotly's own padding and a little more
X_LABEL_GAP = 18  # px below an x tick label (standoff excluded)
ROTATED_GAP = 26  # px above codes written upwards at the matrix's top


@cache
def _measure_font() -> str:
    registerFont(TTFont("KpiChartSans", str(MEASURE_FONT)))
    return "KpiChartSans"


def text_px(text: str, size: float) -> float:
    """The width of ``text`` at ``size`` px in DejaVu Sans, a little stretched (renderers differ)."""
    return stringWidth(text, _measure_font(), size) * 1.03


def widest(texts, size: float) -> float:
    return max((text_px(t, size) for t in texts), default=0.0)


def tick_text(value: float, kind: str) -> str:
    """A tick label as Plotly writes it with ``plotly_tickformat`` (widths only: the grouping mark is a
    dot in Vietnamese and a comma in English, both as wide in DejaVu Sans)."""
    decimals = 1 if fmt.plotly_tickformat(kind).endswith(".1f") else 0
    return f"{value:,.{decimals}f}" + ("%" if kind == IndicatorKind.RATIO else "")


def value_labels(values, kind: str, axis_range=None) -> list[str]:
    """The widest tick labels a value axis can show: its ends, or, left to Plotly, the data's ends with
    room for the padding Plotly adds (labels above the points) and a rounder top tick."""
    numbers = [v for v in values if v is not None and isinstance(v, (int, float)) and math.isfinite(v)]
    if axis_range is not None:
        ends = list(axis_range)
    elif numbers:
        ends = [min(0.0, min(numbers)) * 1.3, max(0.0, max(numbers)) * 1.3]
    else:
        ends = [0.0, 1.0]
    return [tick_text(v, kind) for v in ends]


def reserve(fig: go.Figure, *, left: float = 0, right: float = 0, top: float = 0, bottom: float = 0) -> go.Figure:
    """Margins at least as wide as asked (px, rounded up), never narrower than the figure's own."""
    margin = fig.layout.margin
    fig.update_layout(margin=dict(
        l=max(margin.l or 0, math.ceil(left)), r=max(margin.r or 0, math.ceil(right)),
        t=max(margin.t or 0, math.ceil(top)), b=max(margin.b or 0, math.ceil(bottom))))
    return fig


def x_label_room(size: float, standoff: float) -> float:
    """Below the plot: one line of x tick labels at ``size`` px, ``standoff`` px from the axis."""
    return math.ceil(size * 1.2) + standoff + X_LABEL_GAP


def _numbers(fig: go.Figure, axis: str) -> list[float]:
    """Every value the figure puts on its ``axis`` ("x" or "y"): traces and lines across the plot."""
    found: list = []
    for trace in fig.data:
        found += list(getattr(trace, axis, None) or [])
    for shape in fig.layout.shapes:
        if shape[f"{axis}ref"] == axis:
            found += [shape[f"{axis}0"], shape[f"{axis}1"]]
    return [v for v in found if isinstance(v, (int, float)) and not isinstance(v, bool)]


def fit_year_chart(fig: go.Figure, kind: str, size: float, standoff: float) -> go.Figure:
    """Room for a chart of years (x) and values (y): the value labels on the left, the years below and
    half a year's label past the right end."""
    labels = value_labels(_numbers(fig, "y"), kind, fig.layout.yaxis.range)
    year = text_px("2028", size)
    return reserve(fig, left=widest(labels, size) + TICK_GAP, right=year / 2 + 2,
                   bottom=x_label_room(size, standoff))


def revision(fig: go.Figure) -> go.Figure:
    """``datarevision``: a digest of the figure. Streamlit gives Plotly a copy of the figure once drawn;
    without a revision Plotly takes every copied list for new data and draws the chart again. The digest
    changes with any change of the figure, so new data are always drawn."""
    digest = hashlib.blake2b(fig.to_json(validate=False).encode(), digest_size=8).hexdigest()
    fig.update_layout(datarevision=digest)
    return fig


STANDOFF = 8  # px between the year axis and its labels
PLOT_HEIGHT = 380  # px of a page's chart; label placement below assumes the plot area this leaves
LABEL_PX = 24  # a data label's height and its gap to the point or bar, at the default 14 px type


def base_layout(fig: go.Figure, kind: str, lang: str, height: int = PLOT_HEIGHT) -> go.Figure:
    """Separators, tick formats, fonts and margins shared by every figure.

    No zoom or pan (``fixedrange``): on a phone a finger scrolls the page, not the plot. Years are whole
    years, one tick each; where they would not fit side by side the browser drops every other one
    (``ui/client.js``), never turning them sideways.
    """
    look(fig, 14)
    fig.update_layout(
        separators=fmt.PLOTLY_SEPARATORS[lang], height=height, margin=dict(l=10, r=10, t=30, b=10),
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, xanchor="left", x=0),
        dragmode=False,
    )
    fig.update_yaxes(tickformat=fmt.plotly_tickformat(kind), ticksuffix="%" if kind == IndicatorKind.RATIO else "",
                     rangemode="tozero" if kind != IndicatorKind.RATIO else "normal", fixedrange=True)
    # Years a little below the axis: on a phone the first year reaches left under the value axis's "0".
    fig.update_xaxes(dtick=1, tickformat="d", tickangle=0, fixedrange=True, ticklabelstandoff=STANDOFF)
    return fig


def year_range(fig: go.Figure, first: int, last: int) -> go.Figure:
    """The x axis from the first year shown to ``last`` (the plan's end or the projection), half a year each side."""
    fig.update_xaxes(range=[first - 0.5, last + 0.5], tick0=first)
    return fig


def _hover(row: StatusRow, year: int, lang: str, value: float | None = None) -> str:
    """``2025 · 116.002 đoàn viên · Số liệu công bố · Nguồn: …``"""
    figure = row.series[year]
    kind = row.indicator.kind
    shown = fmt.shown(figure.value if value is None else value, row.indicator, lang)
    parts = [f"<b>{year}</b>: {shown}"]
    if kind in PART_KINDS and figure.numerator is not None:
        parts.append(f"{fmt.number(figure.numerator, lang)} / {fmt.number(figure.denominator, lang)}")
    parts.append(", ".join(pick(PROVENANCE_LABELS.get(p, (p, p)), lang) for p in sorted(figure.provenance)))
    if not figure.own:
        parts.append(f"{figure.reported}/{figure.expected} " + ("đơn vị báo cáo" if lang == "vi" else "units reported"))
    if figure.parts:
        parts.append(f"{word('reconstructed', lang)}: {_escape(' + '.join(row.name_of(p, lang) for p in figure.parts))}")
    for source in figure.sources[:2]:
        parts.append(f"{word('source', lang)}: {_escape(source)}")
    return "<br>".join(parts)


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in hover texts, tick labels and annotations: never let data inject tags."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def trend(row: StatusRow, lang: str = "vi") -> go.Figure:
    """The yearly series against the target, shaped by the target's type."""
    if row.target.type == CUMULATIVE:
        fig = _cumulative(row, lang)
    elif row.target.type in ANNUAL_TYPES:
        fig = _annual(row, lang)
    else:
        fig = _level(row, lang)
    _mark_breaks(fig, row, lang)
    _mark_reconstructed(fig, row, lang)
    if not row.series:
        fig.add_annotation(text=word("no_data", lang), showarrow=False, xref="paper", yref="paper",
                           x=0.5, y=0.5, font=dict(size=18, color=GREY))
    base_layout(fig, row.indicator.kind, lang)
    first, last = _span(row)
    if first is not None:
        year_range(fig, first, last)
    fit_year_chart(fig, row.indicator.kind, 14, STANDOFF)
    return revision(fig)


def _span(row: StatusRow) -> tuple[int | None, int | None]:
    """First and last year on the axis: the series, and for a term target up to its target year."""
    years = sorted(row.series)
    if row.target.type == CUMULATIVE:
        years = [y for y in years if y > int(row.target.base_year)] or years
    if not years:
        return None, None
    last = years[-1] if row.target.type in ANNUAL_TYPES else max(years[-1], int(row.target.target_year))
    first = min(years[0], int(row.target.base_year)) if row.target.type == CUMULATIVE else years[0]
    return first, last


PLOT_AREA_PX = 220  # the plot area of a PLOT_HEIGHT chart at its smallest (a phone's legend takes rows)


def label_sides(points: list[tuple[int, float]], lines, y_span: float) -> list[str]:
    """Above or below each point, so that its label clears the lines (target, path) drawn at that year.

    ``lines(year)`` gives the values of the lines at a year. A label goes below its point when a line
    runs just above it and not just below; the browser hides any label that still meets a line or
    another label at the width it is drawn (``ui/client.js``).
    """
    near = LABEL_PX / PLOT_AREA_PX * (y_span or 1)
    sides = []
    for year, value in points:
        above = any(value < line <= value + near for line in lines(year))
        below = any(value - near <= line < value for line in lines(year))
        sides.append("bottom center" if above and not below else "top center")
    return sides


def _actual_trace(row: StatusRow, lang: str, lines=lambda year: [], y_span: float = 0) -> go.Scatter:
    years = [y for y in sorted(row.series) if not row.series[y].parts]  # (reconstructed years: their own trace)
    own = [bool(row.series[y].provenance & {"published", "imported"}) for y in years]
    values = [row.series[y].value for y in years]
    return go.Scatter(
        x=years, y=values, mode="lines+markers+text", name=word("actual", lang),
        line=dict(color=BLUE, width=3),
        marker=dict(size=11, color=[BLUE if o else "white" for o in own], line=dict(color=BLUE, width=2),
                    symbol="circle"),
        text=[fmt.shown(v, row.indicator, lang) for v in values], cliponaxis=False,
        textposition=label_sides(list(zip(years, values)), lines, y_span),
        hovertext=[_hover(row, y, lang) for y in years], hoverinfo="text")


def _path_at(start: tuple[int, float], end: tuple[int, float], year: int) -> list[float]:
    """The straight line from ``start`` to ``end`` at ``year`` (nothing outside it)."""
    (x0, y0), (x1, y1) = start, end
    if not x0 <= year <= x1 or x1 == x0:
        return []
    return [y0 + (y1 - y0) * (year - x0) / (x1 - x0)]


def _y_span(row: StatusRow, *extra) -> float:
    values = [f.value for f in row.series.values()] + [v for v in extra if v is not None]
    if not values:
        return 0.0
    return max(values) - (min(values) if row.indicator.kind == IndicatorKind.RATIO else min(0.0, min(values)))


def _level(row: StatusRow, lang: str) -> go.Figure:
    v, target_year = row.verdict, int(row.target.target_year)
    a = v.assessment
    has_path = a is not None and a.base_year is not None and a.base_year < target_year
    path = ((a.base_year, a.base_value), (target_year, v.target_value)) if has_path else None

    def lines(year: int) -> list[float]:
        return [v.target_value, *(_path_at(*path, year) if path else [])]

    fig = go.Figure(_actual_trace(row, lang, lines, _y_span(row, v.target_value, v.projection)))
    _target_line(fig, row, lang, target_year)
    if path:
        fig.add_trace(go.Scatter(
            x=[a.base_year, target_year], y=[a.base_value, v.target_value], mode="lines",
            name=word("path", lang), line=dict(color=GREY, dash="dot", width=2), hoverinfo="skip"))
    if v.projection is not None and v.actual_year is not None and v.actual_year < target_year:
        fig.add_trace(go.Scatter(
            x=[v.actual_year, target_year], y=[v.actual, v.projection], mode="lines+markers",
            name=word("projection", lang), line=dict(color=ORANGE, dash="dash", width=2),
            marker=dict(symbol="diamond-open", size=10),
            hovertext=["", f"{target_year}: {fmt.shown(v.projection, row.indicator, lang)}"], hoverinfo="text"))
    return fig


def _target_line(fig: go.Figure, row: StatusRow, lang: str, target_year: int) -> None:
    kind, value = row.indicator.kind, row.verdict.target_value
    high = row.target.value_high if has_band(row.target.type, row.target.value_high) else None
    shown = fmt.short(value, kind, lang, fmt.decimals_of(row.indicator)) if high is None else \
        fmt.span(row.target.value, high, kind, lang, fmt.decimals_of(row.indicator))
    label = f"{word('target', lang)} {target_year}: {shown}"
    fig.add_trace(go.Scatter(
        x=[target_year], y=[value], mode="markers", name=label,
        marker=dict(symbol="star", size=16, color=VERMILLION), hovertext=[label], hoverinfo="text"))
    fig.add_hline(y=value, line=dict(color=VERMILLION, dash="dash", width=1.5))


def _cumulative(row: StatusRow, lang: str) -> go.Figure:
    """Yearly flows as bars, their running sum as a line, against the straight-line share, with the
    projection to the target year at the pace so far (the figure the "Dự báo" card gives)."""
    v, base, target_year = row.verdict, int(row.target.base_year), int(row.target.target_year)
    years = [y for y in sorted(row.series) if base < y <= target_year]
    running, total = [], 0.0
    for y in years:
        total += row.series[y].value
        running.append(total)
    kind = row.indicator.kind
    path = ((base, 0.0), (target_year, v.target_value))
    span = max([*running, v.target_value, v.projection or 0.0])
    sides = label_sides(list(zip(years, running)), lambda year: [v.target_value, *_path_at(*path, year)], span)
    fig = go.Figure([
        go.Bar(x=years, y=[row.series[y].value for y in years], name=word("yearly", lang), marker_color=SKY,
               marker_line=BAR_EDGE,
               hovertext=[_hover(row, y, lang) for y in years], hoverinfo="text"),
        go.Scatter(x=years, y=running, mode="lines+markers+text", name=word("cumulative", lang),
                   line=dict(color=BLUE, width=3), marker=dict(size=10), cliponaxis=False,
                   text=[fmt.shown(r, row.indicator, lang) for r in running], textposition=sides,
                   hovertext=[f"{y}: {fmt.shown(r, row.indicator, lang)}" for y, r in zip(years, running)],
                   hoverinfo="text"),
        go.Scatter(x=[base, target_year], y=[0, v.target_value], mode="lines", name=word("path", lang),
                   line=dict(color=GREY, dash="dot", width=2), hoverinfo="skip"),
    ])
    _target_line(fig, row, lang, target_year)
    if v.projection is not None and years and years[-1] < target_year:
        fig.add_trace(go.Scatter(
            x=[years[-1], target_year], y=[running[-1], v.projection], mode="lines+markers",
            name=word("projection", lang), line=dict(color=ORANGE, dash="dash", width=2),
            marker=dict(symbol="diamond-open", size=10),
            hovertext=["", f"{target_year}: {fmt.measure(v.projection, kind, lang)}"], hoverinfo="text"))
    return fig


def bar_label_sides(values: list[float], line: float | None, y_span: float) -> list[str]:
    """Each bar's label outside its end, or inside when the target line runs just beyond the end (the
    label would sit on the line); Plotly hides an inside label the bar cannot hold (``uniformtext``)."""
    near = LABEL_PX / PLOT_AREA_PX * (y_span or 1)
    return ["inside" if line is not None and value <= line <= value + near else "outside" for value in values]


def _annual(row: StatusRow, lang: str) -> go.Figure:
    """One bar per year, each a status of the one table (✔ Đã đạt, ✖ Chưa đạt), against the bound or band."""
    v, kind = row.verdict, row.indicator.kind
    years = sorted(row.series)
    values = [row.series[y].value for y in years]
    codes = [statuses.year_code(v.met_by_year.get(y)) if y in v.met_by_year else None for y in years]
    low, high = row.target.value, row.target.value_high
    band = row.target.type in BAND_TYPES and high == high and high is not None
    top = max([*values, low, high if band else 0]) * 1.1
    span = max(112, top) if kind == IndicatorKind.RATIO else top  # a share of plan goes past 100%: the axis follows it
    fig = go.Figure(go.Bar(
        x=years, y=values, showlegend=False,
        marker_color=[statuses.colour(c) if c else GREY for c in codes], marker_line=BAR_EDGE,
        text=[(statuses.status(c).symbol + " " if c else "") + fmt.short(value, kind, lang)
              for c, value in zip(codes, values)],
        textposition=bar_label_sides(values, None if band else low, span), insidetextanchor="end",
        cliponaxis=False, hovertext=[_hover(row, y, lang) for y in years], hoverinfo="text"))
    if band:
        fig.add_hrect(y0=low, y1=high, fillcolor=SKY, opacity=0.2, line_width=0)
        legend = f"{word('band', lang)} {fmt.span(low, high, kind, lang)}"
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=legend,
                                 marker=dict(symbol="square", size=14, color=SKY, opacity=0.4)))
    else:
        fig.add_hline(y=low, line=dict(color=VERMILLION, dash="dash", width=2))
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=dict(color=VERMILLION, dash="dash"),
                                 name=f"{word('target', lang)}: {fmt.short(low, kind, lang)}"))
    for code in dict.fromkeys(c for c in codes if c):
        fig.add_trace(go.Bar(x=[None], y=[None], marker_color=statuses.colour(code), marker_line=BAR_EDGE,
                             name=statuses.badge(code, lang)))
    fig.update_layout(barmode="overlay", uniformtext=dict(minsize=11, mode="hide"))
    if kind == IndicatorKind.RATIO:
        fig.update_yaxes(range=[0, span])
    return fig


def reconstructed_points(row: StatusRow) -> list[tuple[int, float]]:
    """Years before a merger as the merged unit stood, the sum of the units it was formed from: a merged unit's
    own years, or those a carried plan's latest years are compared with; joined to the unit's first own year."""
    points = {y: r.figure.value for y, r in row.reconstructions.items() if r.figure is not None}
    if not points:
        return []
    unit = row.reconstructions[max(points)].unit
    after = [y for y in sorted(row.series) if y > max(points) and row.footing.get(y) == unit]
    if after and not row.series[after[0]].parts:
        points[after[0]] = row.series[after[0]].value
    return sorted(points.items())


def _mark_reconstructed(fig: go.Figure, row: StatusRow, lang: str) -> None:
    """Reconstructed years as a dotted line with open squares, named in the legend; in a bar chart, the bars
    of reconstructed years hatched."""
    points = reconstructed_points(row)
    if not points:
        return
    if row.target.type in ANNUAL_TYPES or row.target.type == CUMULATIVE:
        for trace in fig.data:
            if isinstance(trace, go.Bar) and trace.x and None not in trace.x:
                trace.marker.pattern = dict(shape=["/" if row.series.get(x) and row.series[x].parts else ""
                                                   for x in trace.x], fgcolor=GREY, solidity=0.3)
        fig.add_trace(go.Bar(x=[None], y=[None], name=word("reconstructed", lang), marker_color="white",
                             marker_line=dict(color=GREY, width=1), marker_pattern=dict(shape="/", fgcolor=GREY)))
        return
    own = {y for y, r in row.reconstructions.items() if r.figure is not None}
    fig.add_trace(go.Scatter(
        x=[y for y, _ in points], y=[v for _, v in points], mode="lines+markers+text", name=word("reconstructed", lang),
        line=dict(color=GREEN, width=2, dash="dot"), cliponaxis=False,
        marker=dict(symbol="square-open", size=[11 if y in own else 0 for y, _ in points], color=GREEN,
                    line=dict(width=2)),  # (the year it joins is the unit's own: its own marker shows)
        text=[fmt.shown(v, row.indicator, lang) if y in own else "" for y, v in points], textposition="top center",
        hovertext=[_reconstructed_hover(row, y, lang) for y, _ in points], hoverinfo="text"))


def _reconstructed_hover(row: StatusRow, year: int, lang: str) -> str:
    found = row.reconstructions.get(year)
    if found is None or found.figure is None:
        return _hover(row, year, lang)
    parts = [f"<b>{year}</b>: {fmt.shown(found.figure.value, row.indicator, lang)}",
             f"{word('reconstructed', lang)}:"]
    parts += [f"{_escape(row.name_of(code, lang))}: {fmt.shown(f.value, row.indicator, lang)}"
              for code, f in found.parts.items() if f is not None]
    return "<br>".join(parts)


def _mark_breaks(fig: go.Figure, row: StatusRow, lang: str) -> None:
    """A vertical line where the series passes to a successor unit (e.g. the 2025 merger), named in the
    legend (a note printed in the plot would sit on bars or labels)."""
    for year in row.break_years:
        fig.add_vline(x=year - 0.5, line=dict(color=GREY, width=2, dash="dashdot"))
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=f"⚡ {word('break', lang)} {year}",
                                 line=dict(color=GREY, width=2, dash="dashdot"), hoverinfo="skip"))


def heatmap(rows: list[StatusRow], lang: str = "vi") -> go.Figure:
    """Units × targets, each cell the status colour with its symbol in the ink that reads on it."""
    units = list(dict.fromkeys(r.unit.code for r in rows))
    targets = list(dict.fromkeys(r.target.code for r in rows))
    names = {r.unit.code: _escape(r.unit.name(lang)) for r in rows}
    cell = {(r.unit.code, r.target.code): r for r in rows}
    codes = list(statuses.CODES)
    z, hover = [], []
    for unit in units:
        found = [cell.get((unit, target)) for target in targets]
        z.append([codes.index(r.status) + 0.5 if r else None for r in found])  # the middle of its colour band
        hover.append([_cell_hover(r, lang) if r else "" for r in found])
    n = len(codes)
    scale = []
    for i, code in enumerate(codes):
        scale += [[i / n, statuses.colour(code)], [(i + 1) / n, statuses.colour(code)]]
    x = [_escape(c) for c in targets]
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=[names[u] for u in units], hovertext=hover, hoverinfo="text", colorscale=scale, zmin=0, zmax=n,
        showscale=False, xgap=2, ygap=2))
    marks = [(x[j], names[u], cell[(u, t)]) for u in units for j, t in enumerate(targets) if (u, t) in cell]
    fig.add_trace(go.Scatter(  # the symbols, each in the ink of its cell's colour (a heatmap has one text colour)
        x=[m[0] for m in marks], y=[m[1] for m in marks], mode="text",
        text=[m[2].symbol + (PROVISIONAL_MARK if m[2].provisional else "") for m in marks],  # ◐: not approved yet
        textfont=dict(size=[10 if m[2].provisional else 15 for m in marks],  # (two symbols fit a cell when smaller)
                      color=[statuses.status(m[2].status).ink for m in marks]), hoverinfo="skip",
        showlegend=False))
    look(fig, MATRIX_TYPE)
    fig.update_layout(separators=fmt.PLOTLY_SEPARATORS[lang], height=max(320, 28 * len(units) + 120),
                      margin=dict(l=10, r=10, t=10, b=10))
    fig.update_xaxes(side="top", type="category")
    fig.update_yaxes(autorange="reversed", type="category")
    # The units' names on the left; the codes on top, written upwards where they do not fit side by side.
    reserve(fig, left=widest(names.values(), MATRIX_TYPE) + TICK_GAP, top=widest(x, MATRIX_TYPE) + ROTATED_GAP)
    return revision(fig)


MATRIX_TYPE = 13  # px


def _cell_hover(row: StatusRow, lang: str) -> str:
    lines = [f"<b>{_escape(row.unit.name(lang))}</b>", f"{_escape(row.target.code)} · {_escape(name(row.target, 'label', lang))}",
             row.badge(lang)]
    if row.provisional:
        lines.append(provisional_mark(lang))
    if row.verdict.actual is not None:
        lines.append(f"{fmt.shown(row.verdict.actual, row.indicator, lang)} / {fmt.shown(row.verdict.target_value, row.indicator, lang)}")
    if row.against_quota:
        lines.append(word("against_quota", lang))
    return "<br>".join(lines)


NAME_LINE_PX, BAR_PX = 16, 24  # a ranked unit: its name on lines of their own, the bar below them
NAME_CHARS = 40  # a line of a unit's name: fits a phone's width at 12 px


def wrap(text: str, width: int = NAME_CHARS) -> list[str]:
    """Words on lines of at most ``width`` characters (a longer word keeps a line to itself)."""
    lines: list[str] = []
    for word_ in text.split():
        if lines and len(lines[-1]) + 1 + len(word_) <= width:
            lines[-1] += " " + word_
        else:
            lines.append(word_)
    return lines or [""]


def ranking(rows: list[StatusRow], lang: str = "vi", judged: bool = True) -> go.Figure:
    """Units on one target, best first, each name in full on its own line above its bar (a name beside
    the bar was cut at a phone's width), the value at the bar's end.

    ``judged``: each bar in its status colour with its symbol, and the target line. Otherwise (a
    target set for the province only) the bars show each unit's contribution, neutral and unjudged.
    """
    with_data = [r for r in rows if r.verdict.actual is not None]
    reverse = rows[0].indicator.direction == "up" if rows else True
    with_data.sort(key=lambda r: r.verdict.actual, reverse=reverse)
    indicator = rows[0].indicator if rows else None  # no rows: no label to format
    kind = indicator.kind if indicator else IndicatorKind.STOCK
    values = [r.verdict.actual for r in with_data]
    labels = [fmt.shown(v, indicator, lang) for v in values]
    own = any(r.against_quota for r in with_data)  # units given quotas: each against its own, no common line
    if own:
        labels = [f"{label} / {fmt.shown(r.verdict.target_value, indicator, lang)}" for r, label in zip(with_data, labels)]
    if judged:
        labels = [f"{r.symbol} {label}" for r, label in zip(with_data, labels)]
    names = [_escape(r.unit.name(lang)) for r in with_data]
    fig, row_px = _named_bars(
        names, values, [statuses.colour(r.status) for r in with_data] if judged else BLUE, labels,
        [_cell_hover(r, lang) if judged else f"{n}: {label}" for r, n, label in zip(with_data, names, labels)])
    right = max(values, default=0)
    if with_data and judged and not own:
        target = with_data[0].verdict.target_value
        right = max(right, target)
        # Behind the bars: drawn over them it crossed the values written at the bars' ends near the target.
        fig.add_vline(x=target, line=dict(color=VERMILLION, dash="dash", width=2), layer="below",
                      annotation_text=f"{word('target', lang)}: {fmt.short(target, kind, lang)}",
                      annotation_position="top", annotation_yanchor="bottom")
    base_layout(fig, kind, lang, height=max(200, row_px * len(with_data) + 90))
    fig.update_xaxes(tickformat=fmt.plotly_tickformat(kind), ticksuffix="%" if kind == IndicatorKind.RATIO else "",
                     dtick=None, range=[0, (right or 1) * 1.15])
    fig.update_yaxes(autorange="reversed", tickformat=None, ticksuffix="", type="category", showticklabels=False)
    fig.update_layout(showlegend=False, margin=dict(l=10, r=10, t=36, b=10))
    # Half of the first value label (0) past the left end and half of the last past the right, with Plotly's
    # padding (too little on the right and Plotly swings between two sets of ticks, drawing the chart again
    # each time), the labels below.
    first, last = value_labels([], kind, fig.layout.xaxis.range)
    reserve(fig, left=text_px(first, 14) / 2 + TICK_GAP - 4, right=text_px(last, 14) / 2 + TICK_GAP - 4,
            bottom=x_label_room(14, STANDOFF))
    return revision(fig)


def warm_up() -> None:
    """Build one figure of each kind, so that Plotly's validators and template are loaded (a third of a
    second, once per process) before a visitor's first chart needs them."""
    for kind in ("stock", "ratio"):
        fig = go.Figure([go.Scatter(x=[2024, 2025], y=[1, 2], mode="lines+markers+text", text=["1", "2"]),
                         go.Bar(x=[2024], y=[1], text=["1"]), go.Heatmap(z=[[1]])])
        fig.add_hline(y=1)
        fig.add_hrect(y0=0, y1=1)
        fig.update_layout(annotations=[dict(text="x", x=0, y=0)])
        revision(base_layout(fig, kind, "vi"))
    text_px("0", 14)


HALL_TYPE = {"ticks": 20, "labels": 20, "legend": 18}  # px: read from the back of a hall at 1280 × 720 too


def for_hall(fig: go.Figure, row: StatusRow | None = None) -> go.Figure:
    """A chart made for a projector: type for the back of the hall, no fixed height (the slide gives the
    chart all the room its words leave), the term only for a level target (baseline to target year)."""
    fig.update_layout(height=None, autosize=True, font=dict(size=HALL_TYPE["ticks"]),
                      legend=dict(font=dict(size=HALL_TYPE["legend"]), orientation="v", x=1.02, xanchor="left", yref="paper",
                                  y=1, yanchor="top"),
                      margin=dict(l=10, r=10, t=24, b=10))
    fig.update_xaxes(tickfont=dict(size=HALL_TYPE["ticks"]), ticklabelstandoff=HALL_TYPE["ticks"] // 2 + 2)
    fig.update_yaxes(tickfont=dict(size=HALL_TYPE["ticks"]))
    fig.update_traces(textfont=dict(size=HALL_TYPE["labels"]), selector=dict(type="scatter"))
    fig.update_traces(textfont=dict(size=HALL_TYPE["labels"]), selector=dict(type="bar"))
    if row is not None and row.target.type == TargetType.LEVEL:
        fig.update_xaxes(range=[int(row.target.base_year) - 0.5, int(row.target.target_year) + 0.5])
    kind = row.indicator.kind if row is not None else "stock"
    fit_year_chart(fig, kind, HALL_TYPE["ticks"], HALL_TYPE["ticks"] // 2 + 2)
    return revision(fig)


def band_label(position: str | None, lang: str) -> str:
    return pick(BAND_LABELS[position], lang) if position else ""


def _named_bars(names: list[str], values: list[float], colours, labels: list[str],
                hover: list[str], textposition: str = "auto") -> tuple[go.Figure, int]:
    """Horizontal bars, one a unit, each unit's name in full on its own line(s) above its bar (a name beside
    the bar was cut at a phone's width), the label at the bar's end (``textposition``: Plotly's, inside or
    past it); and the height of one row in pixels."""
    wrapped = [wrap(n) for n in names]
    lines = max((len(w) for w in wrapped), default=1)
    row_px = BAR_PX + NAME_LINE_PX * lines + 10
    fig = go.Figure(go.Bar(
        y=names, x=values, orientation="h", width=BAR_PX / row_px, marker_color=colours, marker_line=BAR_EDGE,
        text=labels, textposition=textposition, insidetextanchor="end", cliponaxis=False,
        hovertext=hover, hoverinfo="text"))
    fig.update_layout(annotations=[  # in one update: one add_annotation each cost a tenth of a second per chart
        dict(text="<br>".join(parts), x=0, xref="paper", xanchor="left", y=unit_name, yref="y", yanchor="bottom",
             yshift=BAR_PX / 2 + 1, showarrow=False, font=dict(size=12), align="left")
        for unit_name, parts in zip(names, wrapped)])
    return fig, row_px


#: The narrowest plot area a bar chart gets (a 390 px phone: the page's padding, the chart's margins and the
#: room for the axis's end labels taken): the shortfall chart leaves room for each value label past its bar there.
NARROW_PLOT_PX = 280
BAR_LABEL_GAP = 8  # px between a bar's end and its label past it (Plotly's 3 and a little more)


def shortfall(carriers: list, indicator, lang: str = "vi", ratio: bool = False) -> go.Figure:
    """Who carries the province's gap (``metrics.judging.quotas.Carrier``): the units behind the pace their
    quota asks, by how far (their part of the province's shortfall), largest first. Units ahead of their quota
    carry none of the gap and are not drawn (the sentence and the table beside the chart name them: one far
    ahead widened the axis and squeezed every bar behind). Each bar in the unit's status against its quota,
    its symbol and value past the bar's end, with room for the largest one's even on a phone (Plotly's
    ``auto`` dropped it there); the name in full on its own line above the bar (as ``ranking``)."""
    shown = [c for c in carriers if c.behind is not None and c.behind > 0]
    values = [c.behind for c in shown]
    kind = IndicatorKind.RATIO if ratio else indicator.kind
    size = (lambda v: fmt.points(v, lang, signed=False)) if ratio else (lambda v: fmt.shown(v, indicator, lang))
    labels = [f"{c.row.symbol} {size(v)}" for c, v in zip(shown, values)]
    names = [_escape(c.unit.name(lang)) for c in shown]
    fig, row_px = _named_bars(names, values, [statuses.colour(c.row.status) for c in shown], labels,
                              [f"{n}: {_cell_hover(c.row, lang)}" for c, n in zip(shown, names)], "outside")
    base_layout(fig, kind, lang, height=max(200, row_px * len(shown) + 90))
    fig.update_xaxes(tickformat=fmt.plotly_tickformat(kind), ticksuffix="", dtick=None,
                     range=[0, label_room(values, labels)], zeroline=True, zerolinecolor=GREY, zerolinewidth=1)
    fig.update_yaxes(autorange="reversed", tickformat=None, ticksuffix="", type="category", showticklabels=False)
    fig.update_layout(showlegend=False, margin=dict(l=10, r=10, t=10, b=10))
    first, last = value_labels([], kind, fig.layout.xaxis.range)
    reserve(fig, left=text_px(first, 14) / 2 + TICK_GAP - 4, right=text_px(last, 14) / 2 + TICK_GAP - 4,
            bottom=x_label_room(14, STANDOFF))
    return revision(fig)


def label_room(values: list[float], labels: list[str], plot_px: float = NARROW_PLOT_PX) -> float:
    """The right end of a bar axis from 0 at which every bar's label fits past its end in ``plot_px``."""
    end = max(values, default=0.0) or 1.0
    for value, label in zip(values, labels):
        free = plot_px - text_px(label, 14) - BAR_LABEL_GAP
        end = max(end, value * plot_px / max(free, plot_px / 4))
    return end
