"""The presentation mode in a real browser, on its own demo server, with the network cut off.

Every request that does not go to the local server is aborted (and recorded): a conference hall
often has no internet, so the slideshow must need nothing from outside.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, PUBLIC, assert_no_error, streamlit_server, wait_rendered
from tests.browser.test_screens import COLLISIONS
from tests.helpers import copy_database
from ui import client

pytestmark = pytest.mark.browser
PNG_BUTTON = client.PLOTLY_VI["Download plot as a PNG"]  # Plotly's own tooltip, in Vietnamese
LOCAL = re.compile(r"^(http|ws)s?://(127\.0\.0\.1|localhost)(:\d+)?/")


@pytest.fixture(scope="module")
def present_server(demo_template, tmp_path_factory):
    path = copy_database(demo_template, tmp_path_factory.mktemp("present"))  # a copy: the demo is built once
    with streamlit_server(path, extra_env=PUBLIC) as url:
        yield url


@pytest.fixture
def offline(browser, request):
    """A 1280×800 laptop page that can reach only the local server; yields (page, blocked requests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    blocked: list[str] = []

    def route(r):
        if LOCAL.match(r.request.url) or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page, blocked
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()


def counter(page, text: str) -> None:
    page.locator(".st-key-slide-footer").get_by_text(text, exact=True).wait_for(timeout=30_000)


def test_slideshow_hides_the_frame_advances_and_needs_no_network(present_server, offline):
    page, blocked = offline
    page.goto(f"{present_server}/present")
    wait_rendered(page)
    assert_no_error(page)
    expect(page.get_by_text("Số liệu đến ngày").first).to_be_visible()  # the pinned data, stated
    page.get_by_role("button", name="Bắt đầu trình chiếu").click()
    counter(page, "1/21")
    wait_rendered(page)
    assert_no_error(page)
    # Full-screen layout: no sidebar, no header, the slide spans the window.
    page.locator('[data-testid="stSidebar"]').wait_for(state="hidden")  # its links are the app's: drawn each run
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    width = page.locator(".st-key-slide").bounding_box()["width"]
    assert width > 1100
    title_size = page.locator(".st-key-slide h1").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert title_size >= 48  # reads from the back of a hall
    page.get_by_role("button", name="Tiếp").click()
    counter(page, "2/21")
    page.wait_for_selector('.st-key-slide [data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    expect(page.locator(".st-key-slide").get_by_text("NK1a · Phát triển thêm 28.000 đoàn viên")).to_be_visible()
    # Plotly's own "download as PNG" button, client-side, offline.
    assert page.locator(f'.st-key-slide .modebar-btn[data-title="{PNG_BUTTON}"]').count() == 2
    page.keyboard.press("ArrowRight")  # the Next button's shortcut
    counter(page, "3/21")
    page.get_by_role("button", name="Tiếp").click()
    counter(page, "4/21")
    wait_rendered(page)
    assert_no_error(page)
    assert "slide=4" in page.url and "pin=" in page.url  # the address shows the same slide again
    page.get_by_role("button", name="Thoát").click()
    page.get_by_role("button", name="Bắt đầu trình chiếu").wait_for()
    wait_rendered(page)  # the slideshow's style goes with the rest of the old slide, at the end of the run
    page.locator('[data-testid="stSidebar"]').wait_for(state="visible", timeout=10_000)
    assert "slide=" not in page.url
    assert blocked == [], "\n".join(sorted(set(blocked)))


def test_auto_advance_moves_on_by_itself(present_server, offline):
    page, blocked = offline
    page.goto(f"{present_server}/present?slide=5")
    wait_rendered(page)
    counter(page, "5/21")
    page.get_by_role("button", name="Thoát").click()
    page.get_by_text("Tự động chuyển trang").wait_for()
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Tự động chuyển trang").click()
    page.get_by_role("option", name="Mỗi 10 giây").click()
    wait_rendered(page)
    page.get_by_role("button", name="Bắt đầu trình chiếu").click()
    counter(page, "1/21")
    counter(page, "2/21")  # within 30 s, nobody clicking
    assert_no_error(page)
    assert blocked == [], "\n".join(sorted(set(blocked)))


@pytest.mark.parametrize("path, charts", [("target?target=NK1b", 2), ("units", 1)])
def test_charts_of_the_pages_offer_a_png_download_offline(present_server, offline, path, charts):
    page, blocked = offline
    page.goto(f"{present_server}/{path}")
    wait_rendered(page, charts=True)
    assert_no_error(page)
    buttons = page.locator(f'.modebar-btn[data-title="{PNG_BUTTON}"]')
    assert buttons.count() >= charts
    assert blocked == [], "\n".join(sorted(set(blocked)))


# The slide's charts once Plotly has drawn them and ui/client.js has placed their labels.
SLIDE_DRAWN = """() => {
  const charts = [...document.querySelectorAll('.st-key-slide [data-testid="stPlotlyChart"]')];
  return charts.length > 0 && charts.every((c) => c.querySelector('.js-plotly-plot[data-kpi-decluttered]'));
}"""


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_the_start_button_enters_full_screen_and_the_charts_fill_the_slide(browser, present_server, width, height):
    """The slideshow only hid the sidebar: no real full screen, charts in the top half, the bottom third
    empty, axis type ~11 px, at the back of a hall."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{present_server}/present")
        wait_rendered(page)
        assert page.evaluate("document.fullscreenElement") is None
        page.get_by_role("button", name="Bắt đầu trình chiếu").click()
        page.wait_for_function("document.fullscreenElement !== null")
        counter(page, "1/21")
        page.get_by_role("button", name="Tiếp").click()
        counter(page, "2/21")
        page.wait_for_function(SLIDE_DRAWN, timeout=60_000)
        page.wait_for_timeout(300)
        assert page.evaluate("document.fullscreenElement !== null")  # still, from slide to slide
        footer = page.locator(".st-key-slide-footer").bounding_box()["y"]
        plots = [p.bounding_box() for p in page.locator(".st-key-slide .nsewdrag").all()]
        assert len(plots) == 2 and min(p["height"] for p in plots) >= 0.25 * height, plots  # was ~80 px at 720
        words = [w.bounding_box() for w in page.locator('.st-key-slide [data-testid="stMarkdownContainer"]').all()]
        assert max(w["y"] + w["height"] for w in words) >= footer - 0.1 * height, (words, footer)  # no empty bottom
        assert page.evaluate(COLLISIONS) == []  # the legend stood over the years below the plot
        sizes = page.locator(".st-key-slide .xtick text, .st-key-slide .ytick text").evaluate_all(
            "ts => ts.map((t) => parseFloat(getComputedStyle(t).fontSize))")
        assert sizes and min(sizes) >= 16, sizes  # axis numbers read from the back of the hall
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"slide-{width}x{height}.png"))
        page.get_by_role("button", name="Thoát").click()
        page.wait_for_function("document.fullscreenElement === null")
        page.get_by_role("button", name="Bắt đầu trình chiếu").wait_for()
    finally:
        context.close()


# Every plot of the slide at least 160 px wide and 220 px high (what a phone reader needs), once settled.
PHONE_READABLE = """() => {
  const plots = [...document.querySelectorAll('.st-key-slide .nsewdrag')].map((p) => p.getBoundingClientRect());
  return plots.length > 0 && plots.every((b) => b.width >= 160 && b.height >= 220);
}"""


@pytest.mark.parametrize("slide", [2, 3])
def test_a_slide_on_a_phone_keeps_its_charts_readable(browser, present_server, slide):
    """On a phone a slide's chart got what the screen left under a three-line title: its legend, beside
    the plot, took the whole width and the plot was a strip of ~60 px. The slide now scrolls there and
    each chart keeps its height, its legend under the plot."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{present_server}/present?slide={slide}")
        wait_rendered(page)
        page.wait_for_function(SLIDE_DRAWN, timeout=60_000)
        with contextlib.suppress(PlaywrightTimeout):  # under CI's load a chart was measured mid-resize
            page.wait_for_function(PHONE_READABLE, timeout=20_000)
        plots = [p.bounding_box() for p in page.locator(".st-key-slide .nsewdrag").all()]
        assert plots and min(p["height"] for p in plots) >= 220 and min(p["width"] for p in plots) >= 160, plots
        assert page.evaluate(COLLISIONS) == []
    finally:
        context.close()
