"""What the deck's chart of one target shows (``ChartSpec``), as on the dashboard (``metrics.judging.charts``):

- level target: the yearly values, the target as a line, the straight path from the baseline to the
  target, and the projection to the target year at the pace observed so far;
- cumulative target: the running sum, the straight path from zero to the target, the target, the
  projection;
- annual target: one column per year in the colour of its status (``metrics.vocabulary.statuses``: achieved or not
  achieved) against the floor as a line, or a band as a shaded range with thin edges (the shade is
  drawn behind the columns, the edges over them).

Values are labelled as a person writes them (``111.258``, ``92,14%``, ``100%``): PowerPoint would
format numbers by the viewer's locale, so every label is set point by point. The value axis starts at
zero, except a percentage target's line chart, which starts just below its values and says so on the
chart. Drawing is ``chart_draw``; where things go is ``chart_layout``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pptx.dml.color import RGBColor
from pptx.util import Pt

from metrics.domain.judgement import ANNUAL_TYPES, BAND_TYPES, CUMULATIVE
from metrics.exports.words import w
from metrics.judging.scorecard import StatusRow
from metrics.vocabulary import fmt, statuses
from metrics.vocabulary.kinds import IndicatorKind, TargetType

BLUE, SKY, GREEN, VERMILLION, ORANGE, GREY = "0072B2", "56B4E9", "009E73", "D55E00", "E69F00", "8C8C8C"
TEXT = "1A1A1A"
#: Percentage charts whose values all lie above this start their axis just below them (and say so).
ZOOM_FROM = 50.0

#: Status marks that Arial lacks and LibreOffice would not find on its own (it picks the colour-emoji
#: font and draws nothing): they get a font that has them. PowerPoint on Windows substitutes a font
#: with the glyph when DejaVu Sans is not installed.
SYMBOL_FONT = "DejaVu Sans"
SYMBOLS = frozenset("✔✖◄⚡↗↘◐")
FONT = "Arial"


@dataclass
class SeriesSpec:
    name: str
    values: list[float | None]
    labels: list[str | None]  # the text of each point's data label (None: no label)
    role: str  # actual | cumulative | target | path | projection | band_base | band | band_edge
    colours: list[str | None] | None = None  # per point (annual columns: achieved / not achieved)

    @property
    def labelled(self) -> bool:
        return self.role in ("actual", "cumulative")


@dataclass
class ChartSpec:
    kind: str  # line | column
    categories: list[str]
    series: list[SeriesSpec]
    measure: str  # the indicator's kind: ratio | rate | stock | flow (how the axis writes numbers)
    zero: bool  # whether the value axis starts at zero
    lang: str = "vi"

    def values(self) -> list[float]:
        """Every value drawn (a band's top included), for the axis."""
        found = [v for s in self.series if s.role != "band" for v in s.values if v is not None]
        bases = {i: v for s in self.series if s.role == "band_base" for i, v in enumerate(s.values)}
        return found + [bases.get(i, 0) + v for s in self.series if s.role == "band"
                        for i, v in enumerate(s.values) if v is not None]


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
    if row.target.type == CUMULATIVE:
        return _cumulative(row, lang)
    if row.target.type in ANNUAL_TYPES:
        return _annual(row, lang)
    return _level(row, lang)


def label(row: StatusRow, value, lang: str) -> str | None:
    """A value as a person writes it: ``111.258``, ``92,14%``, ``100%``."""
    return None if value is None else fmt.short(value, row.indicator.kind, lang, fmt.decimals_of(row.indicator))


def _line(years: list[int], start: tuple[int, float], end: tuple[int, float]) -> list[float | None]:
    """The straight line from ``start`` to ``end`` (year, value) at each year, None outside it."""
    (y0, v0), (y1, v1) = start, end
    return [v0 + (v1 - v0) * (y - y0) / (y1 - y0) if y0 <= y <= y1 and y1 != y0 else None for y in years]


def _references(row: StatusRow, years: list[int], start: tuple[int, float] | None, lang: str) -> list[SeriesSpec]:
    """The target, the straight path from ``start`` to it and the projection, as on the dashboard."""
    v, end = row.verdict, int(row.target.target_year)
    target, high = v.target_value, row.target.value_high
    goal = fmt.span(row.target.value, high, row.indicator.kind, lang) if _present(high) else label(row, target, lang)
    found = [SeriesSpec(f"{w('target', lang)} {end}: {goal}", [target] * len(years),
                        [None] * len(years), "target")]
    if start is not None and start[0] < end:
        found.append(SeriesSpec(w("path", lang), _line(years, start, (end, target)), [None] * len(years), "path"))
    if _present(v.projection) and v.actual_year is not None and v.actual_year < end:
        name = f"{w('projection', lang)} {end}: {label(row, v.projection, lang)}"
        found.append(SeriesSpec(name, _line(years, (v.actual_year, v.actual), (end, v.projection)),
                                [None] * len(years), "projection"))
    return found


def _level(row: StatusRow, lang: str) -> ChartSpec:
    start, end = int(row.target.base_year), int(row.target.target_year)
    a = row.verdict.assessment
    base = (int(a.base_year), a.base_value) if a is not None and a.base_year is not None else None
    first = min([y for y in row.series if y >= start] + ([base[0]] if base else []), default=start)
    years = list(range(min(start, first), end + 1))
    values = [row.series[y].value if y in row.series else None for y in years]
    if base is not None and base[0] not in row.series:  # the baseline stated in targets.csv
        values[years.index(base[0])] = base[1]
    actual = SeriesSpec(w("actual", lang), values, [label(row, v, lang) for v in values], "actual")
    series = [actual, *_references(row, years, base, lang)]
    kind = row.indicator.kind
    lowest = min((x for s in series for x in s.values if x is not None), default=0.0)
    return ChartSpec("line", [str(y) for y in years], series, kind, kind != IndicatorKind.RATIO or lowest < ZOOM_FROM, lang)


def _cumulative(row: StatusRow, lang: str) -> ChartSpec:
    base, end = int(row.target.base_year), int(row.target.target_year)
    years = list(range(base, end + 1))
    last = max((y for y in row.series if base < y <= end), default=None)
    running, total = [], 0.0
    for y in years:
        total += row.series[y].value if base < y and y in row.series else 0.0
        running.append(total if last is not None and base < y <= last else None)
    done = SeriesSpec(w("cumulative", lang), running, [label(row, v, lang) for v in running], "cumulative")
    return ChartSpec("line", [str(y) for y in years], [done, *_references(row, years, (base, 0.0), lang)],
                     row.indicator.kind, True, lang)


def _annual(row: StatusRow, lang: str) -> ChartSpec:
    v = row.verdict
    base, end = int(row.target.base_year), int(row.target.target_year)
    # The years judged so far (future years of an annual target hold nothing to draw).
    last = max([y for y in row.series if base < y <= end] + [v.actual_year or base + 1, base + 1])
    years = list(range(base + 1, last + 1))
    values = [row.series[y].value if y in row.series else None for y in years]
    codes = [statuses.year_code(v.met_by_year[y]) if y in v.met_by_year else None for y in years]
    marks = [statuses.status(c).symbol + " " if c else "" for c in codes]
    actual = SeriesSpec(w("actual", lang), values,
                        [None if x is None else m + label(row, x, lang) for x, m in zip(values, marks)], "actual",
                        [statuses.colour(c).lstrip("#") if c else GREY for c in codes])
    low, high = row.target.value, row.target.value_high
    kind, count = row.indicator.kind, len(years)
    if row.target.type in BAND_TYPES and _present(high):
        name = f"{w('band', lang)}: {fmt.span(low, high, kind, lang)}"
        lines = [SeriesSpec(" ", [low] * count, [None] * count, "band_base"),
                 SeriesSpec(name, [high - low] * count, [None] * count, "band"),
                 *(SeriesSpec(f"{w('band', lang)}: {label(row, edge, lang)}", [edge] * count, [None] * count,
                              "band_edge") for edge in (low, high))]
    else:
        sign = "≤" if row.target.type == TargetType.ANNUAL_CEILING else "≥"
        name = f"{w('target', lang)}: {sign} {label(row, v.target_value, lang)}"
        lines = [SeriesSpec(name, [v.target_value] * count, [None] * count, "target")]
    return ChartSpec("column", [str(y) for y in years], [actual, *lines], kind, True, lang)
