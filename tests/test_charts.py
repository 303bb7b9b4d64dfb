"""Figure builders, tested on the go.Figure they return."""

import pytest

from metrics.judging import charts
from metrics.judging.scorecard import Scorecard
from metrics.vocabulary import statuses

PLAN = "T-2023-2028"


@pytest.fixture
def card(mini_store):
    return Scorecard(mini_store)


def province_row(card, target, year=2025):
    return next(r for r in card.evaluate(PLAN, year, targets=[target]) if r.unit.level == "province")


def test_level_trend_has_target_line_path_projection_and_break(card):
    fig = charts.trend(province_row(card, "L1"), "vi")
    names = [t.name for t in fig.data]
    assert any(n and n.startswith("Chỉ tiêu 2028: 200") for n in names)
    assert "Lộ trình (đường thẳng)" in names and "Dự báo theo tốc độ hiện tại" in names
    assert any(s.type == "line" and s.y0 == 200 for s in fig.layout.shapes)  # the target line
    assert "⚡ Đổi đơn vị 2025" in names  # in the legend: a note printed in the plot sat on the bars
    assert not [a for a in fig.layout.annotations if "Đổi đơn vị" in (a.text or "")]
    assert any(s.type == "line" and s.x0 == 2024.5 for s in fig.layout.shapes)


def test_the_year_axis_ends_at_the_target_year_in_whole_years(card):
    """A phone showed ticks cut to "20" and an axis running to 2030 past a 2028 plan."""
    row = province_row(card, "L1")
    fig = charts.trend(row, "vi")
    first = min(row.series)
    assert list(fig.layout.xaxis.range) == [first - 0.5, 2028.5]
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.tickformat == "d" and fig.layout.xaxis.tickangle == 0
    assert fig.layout.xaxis.fixedrange and fig.layout.yaxis.fixedrange  # a finger scrolls the page, not the plot
    annual = charts.trend(province_row(card, "F1", 2024), "vi")
    assert annual.layout.xaxis.range[1] == 2024.5  # nothing to draw after the judged year


def test_a_label_goes_below_its_point_when_a_line_runs_just_above_it():
    lines = lambda year: [100.0]  # noqa: E731
    assert charts.label_sides([(2024, 99.0), (2025, 60.0), (2026, 101.0)], lines, 100) == [
        "bottom center", "top center", "top center"]
    assert charts.bar_label_sides([98.0, 50.0, 100.0], 100.0, 112) == ["inside", "outside", "inside"]
    assert charts.bar_label_sides([98.0], None, 112) == ["outside"]  # a band has no line to clear


def test_separators_and_tick_formats_follow_the_language(card):
    row = province_row(card, "L1")
    vi, en = charts.trend(row, "vi"), charts.trend(row, "en")
    assert vi.layout.separators == ",." and en.layout.separators == ".,"
    assert vi.layout.yaxis.tickformat == ",.0f"  # never "100k"
    actual = next(t for t in vi.data if t.name == "Thực hiện")
    assert list(actual.text) == ["100", "120", "130"]


def test_ratio_hover_shows_numerator_denominator_in_vietnamese(card):
    fig = charts.trend(province_row(card, "R1", 2024), "vi")
    actual = next(t for t in fig.data if t.name == "Thực hiện")
    assert "88,71%" in actual.hovertext[0] and "55 / 62" in actual.hovertext[0]
    assert fig.layout.yaxis.ticksuffix == "%"


def test_annual_bars_are_marked_met_or_not_with_a_symbol(card):
    fig = charts.trend(province_row(card, "F1", 2024), "vi")
    bars = fig.data[0]
    assert list(bars.text) == ["✖ 88,71%"]  # 55/62 is below the 90 % floor
    assert "Chỉ tiêu: 90%" in {t.name for t in fig.data if t.name}  # no ",00" on a round target
    assert list(bars.marker.color) == [statuses.colour("not_achieved")]
    assert "✖ Chưa đạt" in {t.name for t in fig.data if t.name}  # the legend names the table's status


def test_cumulative_shows_running_sum_against_the_straight_line(card):
    row = province_row(card, "C1")
    fig = charts.trend(row, "vi")
    running = next(t for t in fig.data if t.name == "Lũy kế")
    assert list(running.y) == [10, 18]
    path = next(t for t in fig.data if t.name == "Lộ trình (đường thẳng)")
    assert list(path.x) == [2023, 2028] and list(path.y) == [0, 50]
    # the projection the "Dự báo 2028" card gives, drawn too (NK3a drew none)
    projection = next(t for t in fig.data if t.name == "Dự báo theo tốc độ hiện tại")
    assert row.verdict.projection is not None
    assert list(projection.x) == [2025, 2028] and list(projection.y) == [18, row.verdict.projection]
    assert list(fig.layout.xaxis.range) == [2022.5, 2028.5]


def test_heatmap_cells_carry_symbols_not_only_colours(card):
    rows = card.evaluate(PLAN, 2024)
    fig = charts.heatmap(rows, "vi")
    marks = fig.data[1]
    by_cell = {(r.target["code"], r.unit.name("vi")): r for r in rows}
    shown = [by_cell[(x, y)] for x, y in zip(marks.x, marks.y)]
    assert len(shown) == len(rows)
    assert list(marks.text) == [r.symbol for r in shown]
    assert list(marks.textfont.color) == [statuses.status(r.status).ink for r in shown]  # readable on its cell
    assert len(set(fig.data[0].y)) == len({r.unit.code for r in rows})


def test_ranking_is_sorted_and_unjudged_contributions_have_no_target_line(card):
    rows = [r for r in card.evaluate(PLAN, 2024, targets=["R1"]) if r.unit.level == "upper"]
    fig = charts.ranking(rows, "vi")
    assert list(fig.data[0].x) == sorted(fig.data[0].x, reverse=True)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert lines and all(s.layer == "below" for s in lines)  # never across the values at the bars' ends
    plain = charts.ranking(rows, "vi", judged=False)
    assert not plain.layout.shapes and all(not t.startswith(("✔", "✖", "▲")) for t in plain.data[0].text)


def test_hover_never_lets_data_inject_markup(card):
    row = province_row(card, "L1", 2024)
    row.series[2024] = row.series[2024].__class__(120.0, sources=("<img src=x onerror=alert(1)>",),
                                                  provenance=frozenset({"imported"}))
    fig = charts.trend(row, "vi")
    hover = " ".join(next(t for t in fig.data if t.name == "Thực hiện").hovertext)
    assert "<img" not in hover and "&lt;img" in hover


def test_a_figure_carries_its_own_look_and_no_template(card):
    """Streamlit hands Plotly a copy of a chart once drawn, and Plotly compares a template by identity: a
    figure with a template (plotly_white's, 7 KB of it in every chart) was drawn a second time, whole."""
    rows = card.evaluate(PLAN, 2024)
    ranked = [r for r in card.evaluate(PLAN, 2024, targets=["R1"]) if r.unit.level == "upper"]
    figures = [charts.trend(province_row(card, "L1"), "vi"), charts.trend(province_row(card, "F1", 2024), "vi"),
               charts.heatmap(rows, "vi"), charts.ranking(ranked, "vi"),
               charts.for_hall(charts.trend(province_row(card, "L1"), "vi"), province_row(card, "L1"))]
    for fig in figures:
        layout = fig.to_dict()["layout"]
        assert "template" not in layout
        assert layout["plot_bgcolor"] == "white" and layout["font"]["color"] == charts.INK  # plotly_white's look
        assert layout["xaxis"]["gridcolor"] == layout["yaxis"]["gridcolor"] == charts.GRID
        assert all(t.marker.line.color == "white" for t in fig.data if t.type == "bar")


def test_the_data_revision_changes_with_the_figure_only(card):
    """Without a revision Plotly takes the copied lists for new data and draws again; a revision that
    stayed the same for new data would keep the old chart on screen."""
    row = province_row(card, "L1")
    first, again = charts.trend(row, "vi"), charts.trend(row, "vi")
    assert first.layout.datarevision and first.layout.datarevision == again.layout.datarevision
    assert charts.trend(province_row(card, "L1", 2024), "vi").layout.datarevision != first.layout.datarevision
    assert charts.trend(row, "en").layout.datarevision != first.layout.datarevision


def test_the_margins_hold_the_axes_words_before_the_browser_measures_them(card):
    """Plotly draws, measures the tick labels and draws the chart again when they do not fit (the units
    matrix four times): the room is reserved from the words themselves, in the widest fallback font."""
    rows = card.evaluate(PLAN, 2024)
    matrix = charts.heatmap(rows, "vi")
    longest = max((r.unit.name("vi") for r in rows), key=lambda n: charts.text_px(n, charts.MATRIX_TYPE))
    assert matrix.layout.margin.l >= charts.text_px(longest, charts.MATRIX_TYPE) + 11  # Plotly's own padding
    row = province_row(card, "L1")
    trend = charts.trend(row, "vi")
    top = max(f.value for f in row.series.values())
    assert trend.layout.margin.l >= charts.text_px(charts.tick_text(top, "stock"), 14) + 11
    assert trend.layout.margin.b >= 16 + 8 + 12  # a line of 14 px years, 8 px from the axis, Plotly's padding
    hall = charts.for_hall(charts.trend(row, "vi"), row)
    assert hall.layout.margin.l > trend.layout.margin.l and hall.layout.margin.b > trend.layout.margin.b
