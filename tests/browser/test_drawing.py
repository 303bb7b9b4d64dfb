"""Each chart is drawn once. Plotly's own second, third and fourth drawings of the same chart were most of
the browser's time on Chỉ tiêu and Đơn vị (benchmarks/README.md): a template compared by identity in the
copy Streamlit hands over once drawn, copied data lists taken for new data, and margins widened only
after the tick labels had been drawn and measured (the units matrix, four times)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DRAWN

pytestmark = pytest.mark.browser

# Counts Plotly's drawings of each chart: every one of them (the first, the redraws for margins and the
# redraws for new figures) starts with the chart's "plotly_beforeplot" event, sent before a handler could
# be attached the usual way; so one is attached the moment Plotly gives the chart its events.
COUNT_DRAWINGS = """Object.defineProperty(HTMLElement.prototype, '_ev', {
  configurable: true,
  get() { return undefined; },
  set(events) {
    Object.defineProperty(this, '_ev', {value: events, writable: true, configurable: true});
    this.kpiDrawings = 0;
    events.on('plotly_beforeplot', () => { this.kpiDrawings += 1; });
  },
});"""

DRAWINGS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map((gd) => [
  (gd.closest('[class*="st-key-"]').className.match(/st-key-([^ ]+)/) || [])[1], gd.kpiDrawings])"""

SIZES = {"phone": (390, 844), "laptop": (1440, 900), "hall": (1920, 1080)}
ADDRESSES = ["target?target=NK1b", "target?target=NK3a", "target?target=HN9a", "target?target=HN1a", "units"]


@pytest.mark.parametrize("size", SIZES)
def test_each_chart_is_drawn_once(browser, server, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                  is_mobile=size == "phone", has_touch=size == "phone")
    context.add_init_script(COUNT_DRAWINGS)
    page = context.new_page()
    try:
        for address in ADDRESSES:
            page.goto(f"{server}/{address}")
            # every address here has charts: before its first run a page has none, and DRAWN holds vacuously
            page.wait_for_selector('[data-testid="stPlotlyChart"] .js-plotly-plot', state="attached", timeout=60_000)
            page.wait_for_function(DRAWN, timeout=60_000)
            page.wait_for_timeout(500)  # a late redraw (Streamlit's copy of the figure) would come by now
            drawings = page.evaluate(DRAWINGS)
            assert drawings, address
            for key, count in drawings:
                # A trend's legend sits under the plot in as many rows as the screen's width makes; Plotly
                # adds that height to the room the years take only once it has drawn them: one more drawing.
                allowed = 2 if key.startswith("trend-") else 1
                assert count <= allowed, (address, key, count)
    finally:
        context.close()
