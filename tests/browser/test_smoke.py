"""The dashboard starts in a real browser and keeps the view in the URL."""

from tests.browser.conftest import assert_no_error, wait_rendered


def test_overview_renders_without_error(server, page):
    page.goto(server)
    wait_rendered(page)
    assert_no_error(page)
    assert page.get_by_role("heading", name="Tổng quan").is_visible()
    assert page.locator('[data-testid="stDataFrame"]').count() == 1


def test_year_in_a_shared_link_is_applied(server, page):
    page.goto(f"{server}/overview?year=2024")
    wait_rendered(page)
    assert_no_error(page)
    assert "year=2024" in page.url
