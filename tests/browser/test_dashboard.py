"""The leaders' pages in a real browser: render, switch language, share a link, keep the view."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DRAWN, assert_no_error, wait_rendered

PAGES = [("overview", "Tổng quan", False), ("target", "Chỉ tiêu", True), ("units", "Đơn vị", True),
         ("about", "Về số liệu", False)]


def sidebar_values(page) -> list[str]:
    """The values shown in the sidebar's selectors (plan, year, unit …)."""
    boxes = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input[role="combobox"]')
    return [boxes.nth(i).input_value() for i in range(boxes.count())]


@pytest.mark.parametrize("path, title, charts", PAGES)
def test_each_page_renders_without_error(server, page, path, title, charts):
    page.goto(f"{server}/{path}")
    wait_rendered(page, charts=charts)
    assert_no_error(page)
    page.get_by_role("link", name=title, exact=True).wait_for()  # the app draws its links, a moment after the run
    assert "year=" in page.url and "plan=" in page.url  # the view is in the address bar


def test_overview_shows_every_target_and_vietnamese_numbers(server, page):
    page.goto(server)
    wait_rendered(page)
    for code in ("NK1a", "NK2a", "NK3b", "HN1a", "HN9b"):
        expect(page.get_by_text(code, exact=True).first).to_be_visible()
    page.get_by_text("118.046").first.wait_for(state="visible")  # members 2026, Vietnamese separators
    expect(page.get_by_text("số liệu minh họa").first).to_be_visible()


def test_language_switch_to_english(server, page):
    page.goto(server)
    wait_rendered(page)
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    page.wait_for_selector('h1:has-text("Overview")')
    wait_rendered(page)
    assert_no_error(page)
    page.get_by_text("118,046").first.wait_for(state="visible")
    assert "lang=en" in page.url


def test_shared_link_opens_the_same_view(server, page):
    page.goto(f"{server}/target?lang=en&year=2024&unit=883&target=HN1a")
    wait_rendered(page, charts=True)
    assert_no_error(page)
    assert page.locator("h1").first.inner_text().startswith("HN1a")
    values = sidebar_values(page)
    assert "2024" in values
    assert any("Long Xuyen" in v for v in values)


def test_view_persists_while_navigating(server, page):
    page.goto(f"{server}/?year=2024&unit=883")
    wait_rendered(page)
    for name in ("Đơn vị", "Chỉ tiêu", "Về số liệu", "Tổng quan"):
        page.get_by_role("link", name=name, exact=True).click()
        page.wait_for_timeout(500)
        wait_rendered(page)
        assert_no_error(page)
        assert "year=2024" in page.url and "unit=883" in page.url, (name, page.url)
        assert "2024" in sidebar_values(page)


def test_phone_width_is_readable(browser, server, request):
    from tests.browser.conftest import ARTIFACTS
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(server)
    wait_rendered(phone)
    assert_no_error(phone)
    overflow = phone.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert overflow <= 400  # nothing forces sideways scrolling
    ARTIFACTS.mkdir(exist_ok=True)
    phone.wait_for_timeout(800)
    phone.screenshot(path=str(ARTIFACTS / "phone-overview.png"))
    context.close()


# The overview's status badges, column by column, top to bottom: the space between one and the next.
BADGE_GAPS = """() => {
  const boxes = [...document.querySelectorAll('.st-key-scorecard .stMarkdownBadge')].map((b) => b.getBoundingClientRect());
  const columns = {};
  for (const b of boxes) (columns[Math.round(b.left / 50)] ??= []).push(b);
  return Object.values(columns).flatMap((c) => c.sort((a, b) => a.top - b.top).slice(1)
    .map((b, i) => b.top - c[i].bottom));
}"""
BADGES_DRAWN = f"""() => ({DRAWN})() && document.querySelectorAll('.st-key-scorecard .stMarkdownBadge').length > 20"""


def test_the_overview_badges_of_one_line_rows_do_not_touch(server, page):
    """At 1440 px the one-line rows' badges stood edge to edge, one coloured block of several statuses."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server}/?lang=vi")
    # Measured while the script was still writing the scorecard, it saw 3 badges (CI, stop 28): wait for the
    # page to be drawn with the whole scorecard in it.
    page.wait_for_function(BADGES_DRAWN, timeout=60_000)
    gaps = page.evaluate(BADGE_GAPS)
    assert len(gaps) > 20 and min(gaps) >= 2, sorted(gaps)[:5]
