"""Where everything of a deck chart goes, in points, before it is drawn.

The chart's parts are placed by hand (a manual layout, which PowerPoint and LibreOffice both follow):
a line saying where the axis starts when it is not zero, the legend, the plot area, the axes. Knowing
the plot area, the value axis and the text sizes, the value labels are put where they cover no line
and no other label (``chart_labels``).
"""

from __future__ import annotations

from dataclasses import dataclass

from metrics.exports import chart_labels
from metrics.exports.chart_labels import ABOVE, BELOW, COLUMN_PLACES, MARKER, VALUES, Box, Label, Obstacles, Plot, Style
from metrics.exports.chart_scale import Scale, scale
from metrics.exports.deck_charts import ChartSpec
from metrics.exports.textfit import text_width
from metrics.exports.words import w
from metrics.vocabulary import fmt

AXIS_PT = 14
LEGEND_PT = 14
REF_PT = 14  # the name of a line written beside it (``Chỉ tiêu 2028: 139.258``)
LINE = AXIS_PT * 1.3
LEGEND_SYMBOL = 50.0  # the line or swatch before a legend entry's words, with its spacing
EDGE = 4.0  # the chart's own margin
GAP_WIDTH = 40  # columns: the gap between two columns, in % of a column's width
REFERENCE_ROLES = ("target", "path", "projection")
LINE_ROLES = ("actual", "cumulative", "target", "path", "projection", "band_edge")
HARD_ROLES = ("target", "band_edge")  # lines no label may cover
NAMES = Style((ABOVE, BELOW), REF_PT, bold=False, gap=chart_labels.PLAIN_GAP)
MOST_ROOM = 0.4  # the share of a (small) plot's height kept free above the values for their labels


@dataclass(frozen=True)
class Rect:
    """A part of the chart, in points from the frame's top-left corner (y down)."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Layout:
    width: float  # the chart's frame, in points
    height: float
    note: str | None  # "the axis starts at 80%", above everything
    legend: Rect | None  # only what is not labelled on the chart (a band; a line with no room for its name)
    legend_series: list[int]  # indexes of the series named in the legend
    plot: Rect  # the inner plot area (inside the axes)
    scale: Scale
    labels: dict[int, list[Label]]  # series index -> its labels

    def fraction(self, rect: Rect) -> tuple[float, float, float, float]:
        """``rect`` as x, y, w, h shares of the frame (a manual layout)."""
        return rect.x / self.width, rect.y / self.height, rect.w / self.width, rect.h / self.height


def legend_rows(names: list[str], width: float) -> int:
    """How many rows the legend takes in ``width`` points: LibreOffice sets its entries in columns as
    wide as the widest (PowerPoint packs them tighter)."""
    if not names:
        return 0
    widest = max(text_width(name, LEGEND_PT) for name in names) + LEGEND_SYMBOL
    columns = max(1, int(width // widest))
    return -(-len(names) // columns)


def tick_text(value: float, spec: ChartSpec) -> str:
    if spec.measure == "ratio":
        return fmt.short(value, "ratio", spec.lang)
    return fmt.short(value, "rate" if value != int(value) else "stock", spec.lang)


def plan(spec: ChartSpec, width: float, height: float) -> Layout:
    """The layout of ``spec`` in a frame ``width`` × ``height`` points: the lines are named on the chart
    where there is room, in the legend where there is not (and a band always in the legend)."""
    legend = [i for i, s in enumerate(spec.series) if s.role == "band"]
    while True:  # each round names in the legend what found no room on the chart: it ends
        layout = _plan(spec, width, height, legend)
        unnamed = [i for i, s in enumerate(spec.series)
                   if s.role in REFERENCE_ROLES and i not in layout.labels and i not in legend]
        if not unnamed:
            return layout
        legend = sorted(legend + unnamed)


def _plan(spec: ChartSpec, width: float, height: float, legend: list[int]) -> Layout:
    names = [spec.series[i].name for i in legend]
    note_h = LINE if not spec.zero else 0.0
    legend_h = legend_rows(names, width - 2 * EDGE) * LINE
    top = EDGE + note_h + legend_h + (AXIS_PT * 0.6 if note_h or legend_h else AXIS_PT * 0.3)
    bottom = height - EDGE - AXIS_PT * 1.45
    room = min(MOST_ROOM, (chart_labels.size("0")[1] + chart_labels.GAP) / max(bottom - top, 1.0))
    values = spec.values() or [0.0]
    most = int((bottom - top) // (AXIS_PT * 1.4))  # tick numbers a line apart, or LibreOffice drops some
    axis = scale(min(values), max(values), spec.measure, spec.lang, spec.zero, room=room, most=most)
    left = EDGE + max(text_width(tick_text(t, spec), AXIS_PT) for t in axis.ticks()) + 6
    count = max(len(spec.categories), 1)
    texts = [chart_labels.size(t)[0] for t in spec.series[0].labels if t]
    texts += [chart_labels.size(s.name, REF_PT, False)[0] for i, s in enumerate(spec.series)
              if s.role in REFERENCE_ROLES and i not in legend]
    # A label centred on the last category may reach past the plot by half its width less half a
    # category (whose width depends on this margin: solved for it).
    reach = (max(texts, default=0.0) / 2 + EDGE - (width - left) / (2 * count)) / (1 - 1 / (2 * count))
    right_room = max(EDGE, reach)
    right = width - right_room
    plot = Plot(right - left, bottom - top, axis.low, axis.high, count, right_room - EDGE)
    note = w("axis_from", spec.lang).format(value=tick_text(axis.low, spec)) if not spec.zero else None
    return Layout(width, height, note, Rect(EDGE, EDGE + note_h, width - 2 * EDGE, legend_h) if legend else None,
                  legend, Rect(left, top, right - left, bottom - top), axis, _labels(spec, plot, legend))


def _obstacles(spec: ChartSpec, plot: Plot) -> tuple[Obstacles, dict[int, list]]:
    """The target is never covered; the values' own line, the path and the projection only when there
    is no other place; no marker ever. Also each series' line, by index."""
    found, lines = Obstacles([], [], []), {}
    for index, series in enumerate(spec.series):
        if series.role not in LINE_ROLES or (spec.kind == "column" and series.labelled):
            continue
        points = lines[index] = [plot.point(i, v) for i, v in enumerate(series.values) if v is not None]
        (found.lines if series.role in HARD_ROLES else found.soft).append(points)
        ends = points if series.labelled else points[-1:] if series.role == "projection" else []
        found.boxes += [Box(x - MARKER / 2, y - MARKER / 2, x + MARKER / 2, y + MARKER / 2) for x, y in ends]
    return found, lines


def _labels(spec: ChartSpec, plot: Plot, legend: list[int]) -> dict[int, list[Label]]:
    """The values' labels first, then the name of each line not in the legend, clear of one another."""
    obstacles, lines = _obstacles(spec, plot)
    first = spec.series[0]
    points = {i: (v, t) for i, (v, t) in enumerate(zip(first.values, first.labels)) if v is not None and t}
    style = Style(COLUMN_PLACES, column_width=plot.width / plot.count * 100 / (100 + GAP_WIDTH)) \
        if spec.kind == "column" else VALUES
    found = {0: chart_labels.place(plot, points, obstacles, style)}
    if spec.kind == "column":  # a line's name never covers a column
        base = plot.y(max(plot.low, 0.0))
        obstacles.boxes += [Box(plot.x(i) - style.column_width / 2, base, plot.x(i) + style.column_width / 2,
                                plot.y(v)) for i, (v, _) in points.items()]
    for index, series in enumerate(spec.series):
        if series.role not in REFERENCE_ROLES or index in legend:
            continue
        values = {i: v for i, v in enumerate(series.values) if v is not None}
        label = chart_labels.place_one(plot, values, series.name, _where(series.role, sorted(values)), obstacles,
                                       NAMES, lines.get(index))
        if label:
            found[index] = [label]
    return found


def _where(role: str, indexes: list[int]) -> list[int]:
    """Where a line's name goes first: the target and the projection at their end, the path midway."""
    if role == "path":
        middle = (indexes[0] + indexes[-1]) / 2
        return sorted(indexes, key=lambda i: abs(i - middle))
    return list(reversed(indexes))
