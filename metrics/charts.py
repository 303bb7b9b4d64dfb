"""Figure builders: data in, ``plotly.graph_objects.Figure`` out. No Streamlit, no I/O.

Every figure uses the language's separators (``111.258`` in Vietnamese), an explicit tick format (so
axes never read ``100k``), colour-blind-safe colours, and a symbol or a label beside every colour. A
status (a year met or not, a matrix cell, a ranked unit) takes its symbol, word and colour from the one
table, ``metrics.statuses``. Hover texts are formatted here, with babel, not by Plotly.
"""

from __future__ import annotations

import plotly.graph_objects as go

from metrics import fmt, statuses
from metrics.i18n import BAND_LABELS, PROVENANCE_LABELS, name, pick
from metrics.judgement import ANNUAL_TYPES, CUMULATIVE, has_band
from metrics.scorecard import StatusRow

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
    "band": ("Khung chỉ tiêu", "Target band"),
    "source": ("Nguồn", "Source"),
    "no_data": ("Chưa đủ dữ liệu", "Not enough data"),
    "year": ("Năm", "Year"),
}


def word(key: str, lang: str) -> str:
    return pick(WORDS[key], lang)


def base_layout(fig: go.Figure, kind: str, lang: str, height: int = 380) -> go.Figure:
    """Separators, tick formats, fonts and margins shared by every figure."""
    fig.update_layout(
        separators=fmt.PLOTLY_SEPARATORS[lang], template="plotly_white", height=height,
        font=dict(family=FONT, size=14), margin=dict(l=10, r=10, t=30, b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
        hoverlabel=dict(font=dict(family=FONT)),
    )
    fig.update_yaxes(tickformat=fmt.plotly_tickformat(kind), ticksuffix="%" if kind == "ratio" else "",
                     rangemode="tozero" if kind != "ratio" else "normal")
    fig.update_xaxes(dtick=1, tickformat="d")
    return fig


def _hover(row: StatusRow, year: int, lang: str, value: float | None = None) -> str:
    """``2025 · 116.002 đoàn viên · Số liệu công bố · Nguồn: …``"""
    figure = row.series[year]
    kind = row.indicator["kind"]
    shown = fmt.shown(figure.value if value is None else value, row.indicator, lang)
    parts = [f"<b>{year}</b>: {shown}"]
    if kind in ("ratio", "rate") and figure.numerator is not None:
        parts.append(f"{fmt.number(figure.numerator, lang)} / {fmt.number(figure.denominator, lang)}")
    parts.append(", ".join(pick(PROVENANCE_LABELS.get(p, (p, p)), lang) for p in sorted(figure.provenance)))
    if not figure.own:
        parts.append(f"{figure.reported}/{figure.expected} " + ("đơn vị báo cáo" if lang == "vi" else "units reported"))
    for source in figure.sources[:2]:
        parts.append(f"{word('source', lang)}: {_escape(source)}")
    return "<br>".join(parts)


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in hover texts, tick labels and annotations: never let data inject tags."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def trend(row: StatusRow, lang: str = "vi") -> go.Figure:
    """The yearly series against the target, shaped by the target's type."""
    if row.target["type"] == CUMULATIVE:
        fig = _cumulative(row, lang)
    elif row.target["type"] in ANNUAL_TYPES:
        fig = _annual(row, lang)
    else:
        fig = _level(row, lang)
    _mark_breaks(fig, row, lang)
    if not row.series:
        fig.add_annotation(text=word("no_data", lang), showarrow=False, xref="paper", yref="paper",
                           x=0.5, y=0.5, font=dict(size=18, color=GREY))
    return base_layout(fig, row.indicator["kind"], lang)


def _actual_trace(row: StatusRow, lang: str) -> go.Scatter:
    years = sorted(row.series)
    own = [bool(row.series[y].provenance & {"published", "imported"}) for y in years]
    return go.Scatter(
        x=years, y=[row.series[y].value for y in years], mode="lines+markers+text", name=word("actual", lang),
        line=dict(color=BLUE, width=3),
        marker=dict(size=11, color=[BLUE if o else "white" for o in own], line=dict(color=BLUE, width=2),
                    symbol="circle"),
        text=[fmt.shown(row.series[y].value, row.indicator, lang) for y in years],
        textposition="top center", hovertext=[_hover(row, y, lang) for y in years], hoverinfo="text")


def _level(row: StatusRow, lang: str) -> go.Figure:
    fig = go.Figure(_actual_trace(row, lang))
    v, target_year = row.verdict, int(row.target["target_year"])
    a = v.assessment
    _target_line(fig, row, lang, target_year)
    if a is not None and a.base_year is not None and a.base_year < target_year:
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
    value = row.verdict.target_value
    high = row.target.get("value_high") if has_band(row.target["type"], row.target.get("value_high")) else None
    shown = fmt.shown(value, row.indicator, lang) if high is None else \
        f"{fmt.shown(row.target['value'], row.indicator, lang)}–{fmt.shown(high, row.indicator, lang)}"
    label = f"{word('target', lang)} {target_year}: {shown}"
    fig.add_trace(go.Scatter(
        x=[target_year], y=[value], mode="markers", name=label,
        marker=dict(symbol="star", size=16, color=VERMILLION), hovertext=[label], hoverinfo="text"))
    fig.add_hline(y=value, line=dict(color=VERMILLION, dash="dash", width=1.5))


def _cumulative(row: StatusRow, lang: str) -> go.Figure:
    """Yearly flows as bars, their running sum as a line, against the straight-line share."""
    base, target_year = int(row.target["base_year"]), int(row.target["target_year"])
    years = [y for y in sorted(row.series) if base < y <= target_year]
    running, total = [], 0.0
    for y in years:
        total += row.series[y].value
        running.append(total)
    fig = go.Figure([
        go.Bar(x=years, y=[row.series[y].value for y in years], name=word("yearly", lang), marker_color=SKY,
               hovertext=[_hover(row, y, lang) for y in years], hoverinfo="text"),
        go.Scatter(x=years, y=running, mode="lines+markers+text", name=word("cumulative", lang),
                   line=dict(color=BLUE, width=3), marker=dict(size=10),
                   text=[fmt.shown(r, row.indicator, lang) for r in running], textposition="top center",
                   hovertext=[f"{y}: {fmt.shown(r, row.indicator, lang)}" for y, r in zip(years, running)],
                   hoverinfo="text"),
        go.Scatter(x=[base, target_year], y=[0, row.verdict.target_value], mode="lines", name=word("path", lang),
                   line=dict(color=GREY, dash="dot", width=2), hoverinfo="skip"),
    ])
    _target_line(fig, row, lang, target_year)
    return fig


def _annual(row: StatusRow, lang: str) -> go.Figure:
    """One bar per year, each a status of the one table (✔ Đã đạt, ✖ Chưa đạt), against the bound or band."""
    v, kind = row.verdict, row.indicator["kind"]
    years = sorted(row.series)
    codes = [statuses.year_code(v.met_by_year.get(y)) if y in v.met_by_year else None for y in years]
    fig = go.Figure(go.Bar(
        x=years, y=[row.series[y].value for y in years], showlegend=False,
        marker_color=[statuses.colour(c) if c else GREY for c in codes],
        text=[(statuses.status(c).symbol + " " if c else "") + fmt.shown(row.series[y].value, row.indicator, lang)
              for c, y in zip(codes, years)],
        textposition="outside", cliponaxis=False, hovertext=[_hover(row, y, lang) for y in years],
        hoverinfo="text"))
    low, high = row.target["value"], row.target.get("value_high")
    if row.target["type"] in ("annual_band", "unit_band") and high == high and high is not None:
        fig.add_hrect(y0=low, y1=high, fillcolor=SKY, opacity=0.2, line_width=0)
        legend = f"{word('band', lang)} {fmt.shown(low, row.indicator, lang)}–{fmt.shown(high, row.indicator, lang)}"
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=legend,
                                 marker=dict(symbol="square", size=14, color=SKY, opacity=0.4)))
    else:
        fig.add_hline(y=low, line=dict(color=VERMILLION, dash="dash", width=2))
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=dict(color=VERMILLION, dash="dash"),
                                 name=f"{word('target', lang)}: {fmt.shown(low, row.indicator, lang)}"))
    for code in dict.fromkeys(c for c in codes if c):
        fig.add_trace(go.Bar(x=[None], y=[None], marker_color=statuses.colour(code),
                             name=statuses.badge(code, lang)))
    fig.update_layout(barmode="overlay")
    if kind == "ratio":
        fig.update_yaxes(range=[0, 112])
    return fig


def _mark_breaks(fig: go.Figure, row: StatusRow, lang: str) -> None:
    """A vertical line where the series passes to a successor unit (e.g. the 2025 merger)."""
    for year in row.break_years:
        fig.add_vline(x=year - 0.5, line=dict(color=GREY, width=2, dash="dashdot"),
                      annotation_text=f"⚡ {word('break', lang)} {year}", annotation_position="bottom right",
                      annotation_font=dict(color="#555555"))


def heatmap(rows: list[StatusRow], lang: str = "vi") -> go.Figure:
    """Units × targets, each cell the status colour with its symbol in the ink that reads on it."""
    units = list(dict.fromkeys(r.unit.code for r in rows))
    targets = list(dict.fromkeys(r.target["code"] for r in rows))
    names = {r.unit.code: _escape(r.unit.name(lang)) for r in rows}
    cell = {(r.unit.code, r.target["code"]): r for r in rows}
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
        x=[m[0] for m in marks], y=[m[1] for m in marks], mode="text", text=[m[2].symbol for m in marks],
        textfont=dict(size=15, color=[statuses.status(m[2].status).ink for m in marks]), hoverinfo="skip",
        showlegend=False))
    fig.update_layout(separators=fmt.PLOTLY_SEPARATORS[lang], template="plotly_white",
                      height=max(320, 28 * len(units) + 120), font=dict(family=FONT, size=13),
                      margin=dict(l=10, r=10, t=10, b=10))
    fig.update_xaxes(side="top", type="category")
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


def _cell_hover(row: StatusRow, lang: str) -> str:
    lines = [f"<b>{_escape(row.unit.name(lang))}</b>", f"{_escape(row.target['code'])} · {_escape(name(row.target, 'label', lang))}",
             row.badge(lang)]
    if row.verdict.actual is not None:
        lines.append(f"{fmt.shown(row.verdict.actual, row.indicator, lang)} / {fmt.shown(row.verdict.target_value, row.indicator, lang)}")
    return "<br>".join(lines)


def ranking(rows: list[StatusRow], lang: str = "vi", judged: bool = True) -> go.Figure:
    """Units on one target, best first.

    ``judged``: each bar in its status colour with its symbol, and the target line. Otherwise (a
    target set for the province only) the bars show each unit's contribution, neutral and unjudged.
    """
    with_data = [r for r in rows if r.verdict.actual is not None]
    reverse = rows[0].indicator["direction"] == "up" if rows else True
    with_data.sort(key=lambda r: r.verdict.actual, reverse=reverse)
    indicator = rows[0].indicator if rows else {"kind": "stock"}
    kind = indicator["kind"]
    values = [r.verdict.actual for r in with_data]
    labels = [fmt.shown(v, indicator, lang) for v in values]
    if judged:
        labels = [f"{r.symbol} {label}" for r, label in zip(with_data, labels)]
    fig = go.Figure(go.Bar(
        y=[_escape(r.unit.name(lang)) for r in with_data], x=values, orientation="h",
        marker_color=[statuses.colour(r.status) for r in with_data] if judged else BLUE,
        text=labels, textposition="outside", cliponaxis=False,
        hovertext=[_cell_hover(r, lang) if judged else f"{_escape(r.unit.name(lang))}: {label}"
                   for r, label in zip(with_data, labels)], hoverinfo="text"))
    right = max(values, default=0)
    if with_data and judged:
        target = with_data[0].verdict.target_value
        right = max(right, target)
        fig.add_vline(x=target, line=dict(color=VERMILLION, dash="dash", width=2),
                      annotation_text=f"{word('target', lang)}: {fmt.shown(target, indicator, lang)}",
                      annotation_position="top")
    base_layout(fig, kind, lang, height=max(300, 30 * len(with_data) + 100))
    fig.update_xaxes(tickformat=fmt.plotly_tickformat(kind), ticksuffix="%" if kind == "ratio" else "",
                     dtick=None, range=[0, (right or 1) * 1.2])
    fig.update_yaxes(autorange="reversed", tickformat=None, ticksuffix="", type="category")
    fig.update_layout(showlegend=False)
    return fig


def band_label(position: str | None, lang: str) -> str:
    return pick(BAND_LABELS[position], lang) if position else ""
