"""Plotly's code is loaded and its first drawing warmed while the overview is read (ui/client.js's
``preload`` and ``warmPlotly``): the first click on Chỉ tiêu then draws no chart for the first time. The
warm-up reaches into Streamlit's frontend (the name of its lazily loaded PlotlyChart chunk, ``window.Plotly``
once that chunk is loaded): if a Streamlit upgrade breaks either, this test fails."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_rendered
from tests.browser.test_screens import DRAWN

pytestmark = pytest.mark.browser

# Every element Plotly draws into: whether it was inside one of Streamlit's charts, whether it was drawn
# (afterplot), and the element itself (to ask later whether it is still in the page).
RECORD_DRAWINGS = """window.kpiDrawn = [];
Object.defineProperty(HTMLElement.prototype, '_ev', {
  configurable: true,
  get() { return undefined; },
  set(events) {
    Object.defineProperty(this, '_ev', {value: events, writable: true, configurable: true});
    const record = {element: this, inChart: !!this.closest('[data-testid="stPlotlyChart"]'), drawn: false,
                    modebar: false};
    window.kpiDrawn.push(record);
    events.on('plotly_afterplot', () => { record.drawn = true; record.modebar ||= !!this.querySelector('.modebar'); });
  },
});"""

WARM_UP = "() => window.kpiDrawn.filter((r) => !r.inChart && r.drawn).length"
LEFT_BEHIND = """() => ({
  warmUps: window.kpiDrawn.filter((r) => !r.inChart).map((r) => ({connected: r.element.isConnected,
                                                                   modebar: r.modebar})),
  plots: [...document.querySelectorAll('.js-plotly-plot')].filter((p) => !p.closest('[data-testid="stPlotlyChart"]')).length,
  charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
  plotlyCode: performance.getEntriesByType('resource').some((e) => /PlotlyChart\\.[^/]*\\.js$/.test(e.name)),
})"""


def test_the_overview_warms_plotly_and_leaves_nothing_behind(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
    context.add_init_script(RECORD_DRAWINGS)
    page = context.new_page()
    try:
        page.goto(server)
        wait_rendered(page)
        # while the overview is read: Plotly's code loaded, one chart drawn out of sight when the browser idles
        page.wait_for_function(WARM_UP, timeout=30_000)
        page.wait_for_timeout(300)
        found = page.evaluate(LEFT_BEHIND)
        assert found["plotlyCode"], "Streamlit's PlotlyChart chunk was not loaded on the overview"
        assert found["charts"] == 0, "the overview shows no chart: the warm-up must not add one"
        assert found["warmUps"] == [{"connected": False, "modebar": True}], found  # one, with the pages' toolbar
        assert found["plots"] == 0, "the warm-up chart was left in the page"

        # The first click on Chỉ tiêu draws its charts, and the warm-up does not run again there.
        page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Chỉ tiêu", exact=True).click()
        page.wait_for_selector('[data-testid="stPlotlyChart"] .js-plotly-plot', state="attached", timeout=60_000)
        page.wait_for_function(DRAWN, timeout=60_000)
        page.wait_for_timeout(1500)
        after = page.evaluate(LEFT_BEHIND)
        assert after["charts"] > 0 and after["plots"] == 0
        assert len(after["warmUps"]) == 1, after
    finally:
        context.close()
