"""Full-page screenshots of every page, to look at them as a leader would (not a test: it checks nothing).

    .venv/bin/python scripts/screens.py --out /tmp/screens                 # every page, 3 sizes, vi and en
    .venv/bin/python scripts/screens.py --out /tmp/s --sizes phone --langs vi --pages overview target-NK1b

Serves the dashboard (``streamlit run``, as tests/browser/conftest.py starts it) on a fresh copy of the demo
data, signs in as an administrator (so that Nhập dữ liệu and Quản trị are there too), opens each page by its
address in Debian's Chromium and saves ``{size}-{lang}-{page}.png`` of the whole page once it is drawn
(script finished, every chart painted and its labels placed). ``present-slide`` is the slideshow after its
start button, ``present-chart`` its next slide (the first with a chart); ``admin-deadlines`` the admin page's tab of
reporting deadlines; ``sign-in`` is taken signed out. Prints the files written.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics.catalogue.loading import init_database  # noqa: E402
from metrics.storage import users  # noqa: E402
from metrics.storage.store import Store, write_batch  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DRAWN, streamlit_server  # noqa: E402

SIZES = {"phone": (390, 844), "laptop": (1440, 900), "hall": (1920, 1080)}
#: name: address (the language is added as ``lang=``)
PAGES = {
    "overview": "overview", "target-NK1b": "target?target=NK1b", "target-HN1a": "target?target=HN1a",
    "target-NK3a": "target?target=NK3a", "units": "units", "about": "about", "present": "present",
    "present-slide": "present", "present-chart": "present", "import": "import", "admin": "admin",
    "admin-deadlines": "admin", "sign-in": "sign-in",
    # the state right after the demo's third import (with --provisional: the import not yet approved)
    "overview-as-of": "overview?as_of=3", "target-NK1b-as-of": "target?target=NK1b&as_of=3",
}
TABS = {"admin-deadlines": ("Hạn báo cáo", "Reporting deadlines")}  # a page's tab to open: its label (vi, en)
USER, PASSWORD = "nguoi-xem", "ảnh chụp từng trang của bảng số"



def demo_copy(folder: Path, provisional: bool = False) -> Path:
    """The demo, with the administrator signed in; ``provisional``: and an import not yet approved (members of one
    upper-level union in 2026: NK1b and the province's figures are then marked ◐ tạm tính)."""
    path = folder / "kpi.duckdb"
    init_database(path, demo=True).close()
    store = Store.open(path)
    try:
        users.add(store, USER, "Xem ảnh", "admin", PASSWORD, by="screens", source="cli")
        if provisional:
            import pandas as pd

            with store.transaction() as cur:
                write_batch(cur, pd.DataFrame([{"unit": "CD-KKT-2025", "indicator": "members", "year": 2026,
                                                "value": 13655.0}]), "import", file_name="tam-tinh.csv",
                            user=USER, provisional=True)
    finally:
        store.close()
    return path


def drawn(page, opened: bool = True) -> None:
    """``opened``: just opened by its address (before its first run a page is "not running" too: its heading,
    which every page has, is waited for first); else after a click in the page."""
    if opened:
        page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
    page.wait_for_function(DRAWN, timeout=60_000)
    page.wait_for_timeout(600)  # the last labels are placed in the frame after Plotly's; widgets settle


def address(url: str, name: str, lang: str) -> str:
    path = PAGES[name]
    return f"{url}/{path}{'&' if '?' in path else '?'}lang={lang}"


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_label("Tên đăng nhập").fill(USER)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Mật khẩu").wait_for(state="detached", timeout=60_000)
    page.wait_for_timeout(500)  # the cookie is set by the page it leads back to
    drawn(page)


def shoot(browser, url: str, size: str, lang: str, names: list[str], out: Path) -> list[Path]:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                  is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    page.set_default_timeout(60_000)
    written = []
    try:
        if "sign-in" in names:  # signed out
            page.goto(address(url, "sign-in", lang))
            drawn(page)
            written.append(save(page, out / f"{size}-{lang}-sign-in.png"))
        sign_in(page, url)
        for name in names:
            if name == "sign-in":
                continue
            page.goto(address(url, name, lang))
            drawn(page)
            if name.startswith("present-"):  # the slideshow's first slide, or its second (the first chart)
                page.locator(".st-key-present_go button").click()
                page.locator(".st-key-slide").wait_for(timeout=60_000)
                drawn(page, opened=False)
                if name == "present-chart":
                    page.locator(".st-key-present_next button").click()
                    page.locator('.st-key-slide [data-testid="stPlotlyChart"]').first.wait_for(timeout=60_000)
                    drawn(page, opened=False)
            if name in TABS:
                page.get_by_role("tab", name=TABS[name][0 if lang == "vi" else 1]).click()
                drawn(page, opened=False)
            written.append(save(page, out / f"{size}-{lang}-{name}.png", whole=not name.startswith("present-")))
    finally:
        context.close()
    return written


# Streamlit scrolls its main area inside the window, so a "full page" screenshot is one screen: the window
# is made as tall as the page for the picture, then given back its height.
TALL = """() => Math.max(document.documentElement.scrollHeight,
  ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]
    .map((e) => e.scrollHeight))"""


def save(page, path: Path, whole: bool = True) -> Path:
    """The page as a person scrolls through it (``whole``), or the screen as it is (a slide)."""
    size = page.viewport_size
    tall = page.evaluate(TALL) if whole else size["height"]
    if tall > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(tall, 16_000)})
        page.wait_for_timeout(800)
        drawn(page, opened=False)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    print(path, flush=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNGs (made if missing)")
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--langs", nargs="+", default=["vi", "en"], choices=["vi", "en"])
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--provisional", action="store_true", help="with an import not yet approved (◐ tạm tính)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="kpi-screens-"))
    try:
        data = demo_copy(folder, args.provisional)
        with streamlit_server(data) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for size in args.sizes:
                    for lang in args.langs:
                        shoot(browser, url, size, lang, args.pages, args.out)
            finally:
                browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
