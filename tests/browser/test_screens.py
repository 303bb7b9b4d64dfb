"""Every page on a phone (390 × 844), a laptop (1440 × 900) and a hall screen (1920 × 1080), in Vietnamese
and in English: nothing sideways, nothing over a chart's plot, no chart label on another or on a line,
no English word of Streamlit's or Plotly's own on a Vietnamese page, ``<html lang>`` as the session.

One server for the module, signed in as an administrator (so that Nhập dữ liệu and Quản trị are there
too); one browser page per size and language, moving from page to page by its links as a person does.
A screenshot of every page lands in ``test-artifacts/screens/``.
"""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, DRAWN, PUBLIC, assert_no_error, sign_in, streamlit_server, wait_rendered
from tests.helpers import PASSWORD, add_user
from ui import client

pytestmark = pytest.mark.browser
SIZES = {"phone": (390, 844), "laptop": (1440, 900), "hall": (1920, 1080)}
PAGES = {  # address: its link in Vietnamese and in English
    "overview": ("Tổng quan", "Overview"), "target": ("Chỉ tiêu", "Target"), "units": ("Đơn vị", "Units"),
    "about": ("Về số liệu", "About the data"), "present": ("Trình chiếu", "Presentation"),
    "import": ("Nhập dữ liệu", "Import data"), "admin": ("Quản trị", "Administration"),
}
SHOTS = ARTIFACTS / "screens"
# Streamlit's and Plotly's own English: none of it may show on a Vietnamese page (text or tooltip).
ENGLISH = sorted({*client.STREAMLIT_VI, *client.PLOTLY_VI, "Drag and drop", "per file", "Browse files",
                  "Choose an option", "Choose options", "Download plot", "Produced with Plotly"} - {"Open", "Close"})


# The words a person can read or hear on the page: text, tooltips, accessible names (not our style sheet).
WORDS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (parent && !parent.closest('style, script') && node.nodeValue.trim()) out.push(node.nodeValue.trim());
  }
  for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], [data-title]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'data-title']) {
      const value = element.getAttribute(name);
      if (value) out.push(value.trim());
    }
  }
  return out;
}"""

# Every chart's collisions, measured independently of ui/client.js: visible data labels, annotations and
# tick labels against each other; data labels against the stroked lines (target lines, paths, series) and
# the bars and markers they do not belong to; the legend against the plot area.
COLLISIONS = """() => {
  const found = [];
  const rect = (e) => e.getBoundingClientRect();
  const visible = (e) => { const r = rect(e); return r.width > 0 && r.height > 0 &&
    getComputedStyle(e).visibility !== 'hidden' && !e.closest('[style*="display: none"]'); };
  const meet = (a, b, pad = 1) => a.left < b.right - pad && b.left < a.right - pad &&
    a.top < b.bottom - pad && b.top < a.bottom - pad;
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (!gd.offsetParent) continue;  // a chart the page hides at this width (the matrix on a phone)
    const name = (gd.closest('[data-testid="stPlotlyChart"]') || gd).parentElement.className.slice(0, 40);
    const labels = [...gd.querySelectorAll('.textpoint text, text.bartext-outside, .annotation-text')].filter(visible);
    const ticks = [...gd.querySelectorAll('.xtick text, .ytick text')].filter(visible);
    const texts = [...labels, ...ticks];
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      if (meet(rect(texts[i]), rect(texts[j]))) found.push(`${name}: "${texts[i].textContent}" on "${texts[j].textContent}"`);
    }
    const lines = [...gd.querySelectorAll('.shapelayer path, .scatterlayer .js-line')].filter((p) => {
      const s = getComputedStyle(p);
      return s.stroke !== 'none' && parseFloat(s.strokeWidth) > 0 && (s.fill === 'none' || s.fillOpacity === '0');
    });
    const dataLabels = labels.filter((t) => !t.classList.contains('annotation-text'));
    for (const line of lines) {
      const m = line.getScreenCTM(), length = line.getTotalLength();
      for (let at = 0; at <= length; at += 2) {
        const p = new DOMPoint(line.getPointAtLength(at).x, line.getPointAtLength(at).y).matrixTransform(m);
        for (const t of dataLabels) {
          const r = rect(t);
          if (p.x > r.left + 1 && p.x < r.right - 1 && p.y > r.top + 1 && p.y < r.bottom - 1) {
            found.push(`${name}: "${t.textContent}" on a line`); break;
          }
        }
      }
    }
    const legend = gd.querySelector('.legend'), plot = gd.querySelector('.nsewdrag');
    if (legend && plot && visible(legend) && meet(rect(legend), rect(plot), 2)) found.push(`${name}: legend on the plot`);
    for (const tick of legend && visible(legend) ? ticks : []) {
      if (meet(rect(tick), rect(legend))) found.push(`${name}: legend on "${tick.textContent}"`);
    }
  }
  return [...new Set(found)];
}"""

# What is on top of each chart's plot area, sampled on a grid: it must be the chart itself.
COVERED = """() => {
  const found = [];
  // the page's fixed header covers whatever scrolls under it: a chart taller than a phone's screen (the shortfall
  // chart's 18 units) reaches under it when centred, which is no overlap of the page's own
  const header = document.querySelector('[data-testid="stHeader"]');
  const below = header ? header.getBoundingClientRect().bottom : 0;
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (!gd.offsetParent) continue;
    const plot = gd.querySelector('.nsewdrag');
    if (!plot) continue;
    plot.scrollIntoView({ block: 'center' });
    const r = plot.getBoundingClientRect();
    for (let i = 1; i < 6; i++) for (let j = 1; j < 6; j++) {
      const x = r.left + r.width * i / 6, y = r.top + r.height * j / 6;
      if (y < below || y > innerHeight || x < 0 || x > innerWidth) continue;
      const top = document.elementFromPoint(x, y);
      if (top && !gd.contains(top)) {
        found.push(`${top.tagName}.${String(top.className).slice(0, 40)} [${top.getAttribute('data-testid')}]`);
      }
    }
  }
  return [...new Set(found)];
}"""


@pytest.fixture(scope="module")
def admin_server(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("screens") / "kpi.duckdb"
    shutil.copy(demo_db, path)
    add_user(path, "lan", "admin")
    with streamlit_server(path) as url:
        yield url


@pytest.fixture(scope="module", params=[(s, lang) for s in SIZES for lang in ("vi", "en")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def screen(request, browser, admin_server):
    """A signed-in administrator's page at one size, in one language."""
    size, lang = request.param
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                  is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(admin_server)
    sign_in(page, "lan", PASSWORD)
    if lang == "en":
        page.goto(f"{admin_server}/?lang=en")
        wait_rendered(page)
    yield page, size, lang
    context.close()


def open_page(page, path: str, lang: str) -> None:
    """Click the page's link in the sidebar (on a phone the sidebar is folded away: clicked all the same)."""
    name = PAGES[path][0 if lang == "vi" else 1]
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=name, exact=True).dispatch_event("click")
    page.wait_for_url(re.compile(rf"/{path}(\?|$)"))
    page.wait_for_function(DRAWN, timeout=60_000)
    page.wait_for_timeout(300)  # the last labels are placed in the animation frame after Plotly's


def english_words(page) -> list[str]:
    words = page.evaluate(WORDS)
    return sorted({w for w in words for phrase in ENGLISH if w == phrase or (len(phrase) > 12 and phrase in w)})


def hover_the_toolbars(page) -> None:
    """Tooltips of tables and charts exist only while the mouse is on them."""
    for selector in ('[data-testid="stDataFrame"]', '[data-testid="stPlotlyChart"]'):
        found = page.locator(selector)
        if found.count() and found.first.is_visible():
            found.first.hover()
            page.wait_for_timeout(300)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_fits_the_screen_and_speaks_the_language(screen, path):
    page, size, lang = screen
    open_page(page, path, lang)
    assert_no_error(page)
    width = SIZES[size][0]
    sideways = page.evaluate("Math.max(document.documentElement.scrollWidth, "
                             "document.querySelector('[data-testid=stMain]').scrollWidth)")
    assert sideways <= width, f"{path} is {sideways} px wide on a {width} px screen"
    expect(page.locator("html")).to_have_attribute("lang", lang)
    hover_the_toolbars(page)
    if lang == "vi":
        assert english_words(page) == []
    assert page.evaluate(COLLISIONS) == []
    assert page.evaluate(COVERED) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.querySelector('h1')?.scrollIntoView()")  # the checks above scrolled to each chart
    page.screenshot(path=str(SHOTS / f"{size}-{lang}-{path}.png"))


def test_the_sign_in_page_has_its_language_switch_at_every_size(browser, admin_server):
    for size, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                      is_mobile=size == "phone")
        page = context.new_page()
        try:
            page.goto(f"{admin_server}/sign-in")
            page.get_by_label("Tên đăng nhập").wait_for()
            wait_rendered(page)
            expect(page.locator("html")).to_have_attribute("lang", "vi")  # set by our script, just after the page
            assert english_words(page) == []
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.get_by_text("English", exact=True).click()
            page.get_by_label("User name").wait_for()
            wait_rendered(page)
            expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.get_by_role("button", name="Sign in")).to_be_visible()
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{size}-sign-in.png"))
        finally:
            context.close()


@pytest.mark.parametrize("lang, title, text", [("vi", "Không có trang này", "Các trang bạn có thể mở"),
                                               ("en", "No such page", "The pages you can open")])
def test_an_unknown_address_says_so_and_lists_the_pages(server, page, lang, title, text):
    page.goto(f"{server}/overveiw?lang={lang}")
    page.get_by_role("heading", name=title).wait_for()
    wait_rendered(page)
    expect(page.get_by_text(text)).to_be_visible()
    assert page.get_by_text("Page not found").count() == 0  # not Streamlit's own English dialog
    expect(page.locator("html")).to_have_attribute("lang", lang)
    main = page.locator('[data-testid="stMain"]')
    for name in ("Tổng quan", "Chỉ tiêu", "Đơn vị") if lang == "vi" else ("Overview", "Target", "Units"):
        main.get_by_role("link", name=name, exact=True).wait_for()  # the links come after the heading


def test_an_unknown_address_on_a_fresh_server_shows_our_message_and_no_dialog(demo_db, tmp_path, page):
    """The first request of a fresh server (no session, no navigation run yet) for an unknown address: with
    the page scripts in ``pages/`` Streamlit answered with its English "Page not found" dialog, which a script
    of ours had to dismiss; from ``views/`` the navigation alone answers, with our own message."""
    fresh = tmp_path / "kpi.duckdb"
    shutil.copy(demo_db, fresh)
    with streamlit_server(fresh, extra_env=PUBLIC) as url:
        page.goto(f"{url}/overveiw?lang=en")
        page.get_by_role("heading", name="No such page").wait_for()
        wait_rendered(page)
        page.wait_for_timeout(500)  # a dialog of Streamlit's would be on screen by now
        expect(page.get_by_text("The pages you can open")).to_be_visible()
        assert page.locator('[role="dialog"]').count() == 0
        assert page.get_by_text("does not seem to exist").count() == 0
        assert_no_error(page)


def readme_addresses() -> list[str]:
    from tests.browser.conftest import ROOT
    return sorted(set(re.findall(r"\(`/([a-z-]+)[`?]", (ROOT / "README.md").read_text(encoding="utf-8"))))


def test_every_address_in_the_readme_opens_its_page(server, page):
    """`/overview` showed Streamlit's English "Page not found" and ran the home page."""
    addresses = readme_addresses()
    assert {"overview", "target", "units", "about", "present", "import", "admin"} <= set(addresses)
    titles = {path: PAGES[path][0] for path in PAGES} | {"sign-in": "Đăng nhập"}
    for path in addresses:
        page.goto(f"{server}/{path}")
        wait_rendered(page)
        page.wait_for_timeout(300)
        assert page.get_by_text("Page not found").count() == 0, path
        assert page.get_by_text("Không có trang này").count() == 0, path
        heading = page.locator("h1").first.inner_text()
        assert path in ("import", "admin", "sign-in", "target") or heading == titles[path], (path, heading)
        if path in ("import", "admin"):  # a visitor not signed in is asked to sign in, at this very address
            page.get_by_label("Tên đăng nhập").wait_for()
        assert page.url.split("?")[0].endswith(f"/{path}"), page.url


def test_the_overview_table_shows_every_row(server, page):
    """The table view showed about 10 of its 27 rows in a scroll box of its own."""
    page.goto(server)
    wait_rendered(page)
    page.get_by_role("radio", name="Dạng bảng").click()
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for()
    wait_rendered(page)
    # The grid draws (for assistive technology too) only the rows inside its box: all of them, when it has
    # no scroll box of its own.
    page.wait_for_function("""() => { const grid = document.querySelector('[data-testid="stDataFrame"] table');
        return grid && grid.querySelectorAll('[role="row"]').length >= 28; }""")
    drawn, total = page.evaluate("""() => { const grid = document.querySelector('[data-testid="stDataFrame"] table');
        return [grid.querySelectorAll('[role="row"]').length, Number(grid.getAttribute('aria-rowcount'))]; }""")
    assert drawn == total == 28  # a heading and the 27 targets of the demo plan
    box = table.bounding_box()
    assert box["height"] >= 27 * 33, box  # every row drawn at its height: no inner scrolling


def test_a_phone_gets_a_unit_list_and_no_chart_toolbar(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{server}/units")
        wait_rendered(phone)
        phone.locator(".st-key-narrow-only").get_by_role("link").first.wait_for()
        phone.locator(".st-key-wide-only").wait_for(state="hidden", timeout=10_000)  # the matrix needs a wider screen
        phone.goto(f"{server}/target?target=NK1b")
        phone.wait_for_function(DRAWN, timeout=60_000)
        assert not phone.locator(".modebar-container").first.is_visible()
        ticks = phone.locator(".js-plotly-plot").first.locator(".xtick text").evaluate_all("ts => ts.filter(t => getComputedStyle(t).visibility "
                                                          "!== 'hidden').map(t => t.textContent)")
        assert ticks and all(re.fullmatch(r"20\d\d", t) for t in ticks), ticks  # whole years, never "20"
        assert ticks[-1] == "2028"  # the axis ends at the plan's end
        # The chart starts on the first screen (a four-line title and the notices pushed it below).
        plot_top = phone.locator(".js-plotly-plot .nsewdrag").first.evaluate("e => e.getBoundingClientRect().top")
        assert plot_top <= 844 - 120, plot_top
    finally:
        context.close()


def test_chart_labels_collide_without_the_browser_s_placement(browser, server):
    """The check above can fail: on a phone, with ui/client.js's placement undone, data labels meet the
    target line or the path and year ticks meet each other."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{server}/target?target=NK1b")
        phone.wait_for_function(DRAWN, timeout=60_000)
        assert phone.evaluate(COLLISIONS) == []
        phone.evaluate("""() => document.querySelectorAll('[data-kpi-hidden]').forEach((e) => {
            e.style.visibility = ''; e.style.transform = ''; })""")
        found = phone.evaluate(COLLISIONS)
        assert any(f.endswith("on a line") for f in found), found
        assert any('"2018" on "2019"' in f for f in found), found
    finally:
        context.close()
