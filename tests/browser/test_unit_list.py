"""A phone's unit list (the matrix's stand-in at 390 px): every line as wide as the list. Each line hugged
its own name, so the list's right edge ran ragged from 140 to 330 px."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_rendered

pytestmark = pytest.mark.browser

WIDTHS = """() => [...document.querySelectorAll('.st-key-narrow-only [data-testid="stPageLink"] a')]
  .map((a) => a.getBoundingClientRect().width)"""


def test_the_phone_unit_list_lines_are_all_as_wide_as_the_list(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/units")
        wait_rendered(page)
        page.locator('.st-key-narrow-only [data-testid="stPageLink"] a').first.wait_for()
        widths = page.evaluate(WIDTHS)
        list_width = page.evaluate("document.querySelector('.st-key-narrow-only').getBoundingClientRect().width")
        assert len(widths) > 10
        assert all(abs(w - list_width) <= 2 for w in widths), (list_width, sorted(set(round(w) for w in widths)))
    finally:
        context.close()
