"""Deck charts laid out before they are drawn (metrics/exports/chart_scale, chart_labels, chart_layout):
axes that show every value with Vietnamese numbers, and labels that cover no line and no other label,
for every target of the demo at the sizes the deck uses."""

from __future__ import annotations

import pytest

from metrics.exports import chart_layout, deck_charts
from metrics.exports.chart_labels import CLEARANCE, Box, Plot
from metrics.exports.chart_scale import scale
from metrics.judging.scorecard import Scorecard
from tests.helpers import open_copy

PLAN = "DH-XI-2023-2028"
#: Frame sizes (points) of the deck's charts: two on a slide (the shortest a little shorter than any), one on a slide.
SIZES = [(431, 160), (431, 193), (431, 217), (533, 404)]


@pytest.mark.parametrize("lowest, highest, kind, zero, first, fits", [
    (111258, 139258, "stock", True, 0, "150.000"),
    (5420, 28000, "flow", True, 0, "25.000"),
    (0, 100, "ratio", True, 0, "100%"),
    (86.67, 100, "ratio", False, 80, "100%"),
    (0.92, 2, "rate", True, 0, "2"),
])
def test_an_axis_shows_every_value_from_where_it_says(lowest, highest, kind, zero, first, fits):
    axis = scale(lowest, highest, kind, "vi", zero, room=0.1)
    ticks = axis.ticks()
    assert ticks[0] == first and ticks[0] <= lowest and ticks[-1] >= highest
    assert 3 <= len(ticks) <= 8
    assert all(float(t).is_integer() for t in ticks)  # whole steps: no decimals to write
    if kind in ("stock", "flow"):
        assert axis.number_format == '[>=1000000]#"."###"."##0;[>=1000]#"."##0;0'  # literal dots, any computer
    if kind == "ratio" and ticks[-1] > 100:
        assert axis.number_format.startswith('[>100.5]""')  # no "120%": the room for labels stays blank


def test_a_small_rate_writes_each_tick_itself():
    axis = scale(0.1, 0.4, "rate", "vi", True, room=0.1)
    assert len(axis.ticks()) <= 3
    assert axis.number_format == '[<0.125]"0";[<0.375]"0,25";"0,5"'
    assert scale(0.1, 0.4, "rate", "en", True, room=0.1).number_format.endswith('"0.25";"0.5"')


@pytest.fixture(scope="module")
def rows(demo_template, tmp_path_factory):
    store = open_copy(demo_template, tmp_path_factory.mktemp("layout"), "demo.duckdb")
    card = Scorecard(store)
    year = card.latest_year(PLAN)
    found = card.evaluate(PLAN, year, units=[card.root(PLAN, year).code])
    store.close()
    return found


def crossings(box: Box, line: list[tuple[float, float]]) -> bool:
    grown = box.grown(CLEARANCE - 0.01)
    return any(grown.crossed_by(a, b) for a, b in zip(line, line[1:]))


@pytest.mark.parametrize("width, height", SIZES)
def test_labels_cover_no_other_label_no_target_and_stay_in_the_chart(rows, width, height):
    placed = 0
    for row in rows:
        spec = deck_charts.spec(row, "vi")
        layout = chart_layout.plan(spec, width, height)
        plot = Plot(layout.plot.w, layout.plot.h, layout.scale.low, layout.scale.high, len(spec.categories))
        hard = {i: [plot.point(j, v) for j, v in enumerate(s.values) if v is not None]
                for i, s in enumerate(spec.series) if s.role in chart_layout.HARD_ROLES}
        boxes = [(i, label) for i, labels in layout.labels.items() for label in labels]
        placed += len(boxes)
        for n, (series, label) in enumerate(boxes):
            assert label.box.bottom >= 0 and label.box.top <= plot.height and label.box.left >= 0
            assert layout.plot.x + label.box.right <= width, (row.target["code"], label.text)
            for _, other in boxes[n + 1:]:
                assert not label.box.overlaps(other.box), (row.target["code"], label.text, other.text)
            for index, line in hard.items():
                assert index == series or not crossings(label.box, line), (row.target["code"], label.text)
        assert layout.labels.get(0), row.target["code"]  # the values are labelled, at least one of them
        named = {spec.series[i].name for i in layout.labels if i} | {spec.series[i].name for i in layout.legend_series}
        lines = {s.name for s in spec.series if s.role in chart_layout.REFERENCE_ROLES + ("band",)}
        assert lines <= named, row.target["code"]  # every line is named: on the chart or in the legend
    assert placed >= 2 * len(rows)


def test_a_share_of_plan_above_100_percent_writes_its_ticks_above_100():
    """Vĩnh Long's fees reached 120,44% of plan: the axis ran to 150% with nothing written above 100%,
    as if the bar were off the scale."""
    axis = scale(0, 120.44, "ratio", "vi", True, room=0.1)
    assert axis.ticks()[-1] >= 120.44
    assert axis.number_format == '0"%"'
