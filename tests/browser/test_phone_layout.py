"""What a phone (390 × 844, touch, nothing hovers) showed broken, found by looking at scripts/screens.py's
pictures: the unit list's lines each as wide as its name (a ragged right edge), a table's always-shown
toolbar over the heading above it, a figure's note cut to "…", a slide's title filling the screen and its
last line out of reach under the slideshow's footer."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import DRAWN, wait_rendered

pytestmark = pytest.mark.browser

LINES = '.st-key-narrow-only [data-testid="stPageLink"] a'
WIDTHS = f"""() => [...document.querySelectorAll('{LINES}')].map((a) => a.getBoundingClientRect().width)"""
# The whole list is there: the script has finished and more than ten lines are drawn. Under CI's load the
# list was measured while the script was still writing it (4 lines of the demo's 20-odd).
LIST_DRAWN = f"""() => ({DRAWN})() && document.querySelectorAll('{LINES}').length > 10"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                  has_touch=True)
    yield context.new_page()
    context.close()


def test_the_phone_unit_list_lines_are_all_as_wide_as_the_list(phone, server):
    page = phone
    page.goto(f"{server}/units")
    wait_rendered(page)
    with contextlib.suppress(PlaywrightTimeout):  # the count is asserted below, with what was seen
        page.wait_for_function(LIST_DRAWN, timeout=60_000)
    widths = page.evaluate(WIDTHS)
    list_width = page.evaluate("document.querySelector('.st-key-narrow-only').getBoundingClientRect().width")
    assert len(widths) > 10
    assert all(abs(w - list_width) <= 2 for w in widths), (list_width, sorted(set(round(w) for w in widths)))


# Each table's toolbar and the element just before the table (its heading): they must not overlap.
TOOLBARS = """() => [...document.querySelectorAll('[data-testid="stElementToolbar"]')].map((bar) => {
  const container = bar.closest('[data-testid="stElementContainer"]');
  let before = container.previousElementSibling;
  while (before && !before.getBoundingClientRect().height) before = before.previousElementSibling;
  const b = bar.getBoundingClientRect(), h = before ? before.getBoundingClientRect() : null;
  return { shown: getComputedStyle(bar).opacity !== '0', before: h ? h.bottom : null, top: b.top };
})"""
# A figure's note under its value: all of its text shown (no "…").
CUT = """() => [...document.querySelectorAll('[data-testid="stMetricDelta"] p')]
  .filter((p) => p.scrollWidth > p.clientWidth + 1 || p.parentElement.scrollWidth > p.parentElement.clientWidth + 1)
  .map((p) => p.innerText)"""


def test_a_phone_shows_tables_toolbars_clear_of_headings_and_figures_notes_whole(phone, server):
    page = phone
    page.goto(f"{server}/target?target=HN1a")
    page.locator('[data-testid="stElementToolbar"]').first.wait_for(state="attached")
    page.locator('[data-testid="stMetricDelta"]').first.wait_for()
    page.wait_for_function(DRAWN, timeout=60_000)  # the first of each is there: then the whole page, measured once
    bars = page.evaluate(TOOLBARS)  # the script has written all of it (not a page still being written)
    assert bars and all(b["shown"] for b in bars)  # nothing hovers on a phone: always there
    assert all(b["before"] is None or b["top"] >= b["before"] - 1 for b in bars), bars
    assert page.evaluate(CUT) == []


# Scrolled to the end: the slide's last line above the footer; the title's size.
SLIDE = """() => {
  document.querySelector('[data-testid="stMain"]').scrollTo(0, 1e6);
  window.scrollTo(0, 1e6);
  const parts = [...document.querySelectorAll('.st-key-slide [data-testid="stElementContainer"]')]
    .filter((e) => e.getBoundingClientRect().height > 0);
  const last = parts[parts.length - 1].getBoundingClientRect();
  const footer = document.querySelector('.st-key-slide-footer').getBoundingClientRect();
  return { lastBottom: last.bottom, footerTop: footer.top,
           title: parseFloat(getComputedStyle(document.querySelector('.st-key-slide h1')).fontSize) };
}"""


def test_a_phone_slide_can_be_read_to_its_last_line(phone, server):
    page = phone
    page.goto(f"{server}/present")
    wait_rendered(page)
    page.locator(".st-key-present_go button").click()
    page.locator(".st-key-slide h1").wait_for()
    wait_rendered(page)
    page.wait_for_timeout(300)
    found = page.evaluate(SLIDE)
    assert found["title"] <= 32, found  # 51 px: four words to a screen
    assert found["lastBottom"] <= found["footerTop"] + 1, found


def test_a_phone_page_title_is_not_smaller_than_its_sections(phone, server):
    page = phone
    page.goto(f"{server}/about")
    page.locator('[data-testid="stMain"] h2').first.wait_for()
    page.wait_for_function(DRAWN, timeout=60_000)  # every section written, not the first one only
    sizes = page.evaluate("""() => ['h1', 'h2'].map((tag) => [...document.querySelectorAll(
      `[data-testid="stMain"] ${tag}`)].map((h) => parseFloat(getComputedStyle(h).fontSize)))""")
    title, sections = sizes
    assert title and sections and max(sections) < title[0], sizes
