"""Click-to-drawn times of every page in a real Chromium, at a laptop's and a phone's size.

    .venv/bin/python benchmarks/browser_bench.py                 # its own server on a copy of the demo data
    .venv/bin/python benchmarks/browser_bench.py --rounds 5 --json out.json

For each size it opens the dashboard, signs in as an administrator (so that Nhập dữ liệu and Quản trị
are there too), then clicks each page's link in turn, ``--rounds`` times. A page is *drawn* when the
script has finished, no element is left over from the page before, and every chart has been painted
and its labels placed (``data-kpi-decluttered``, set by ``ui/client.js`` after Plotly's ``afterplot``).
The time is measured in the page itself, from the click to the first animation frame where all that
holds; each click comes 1,5 s after the page before was drawn (a person reads before clicking). The first round is the first visit of each page in the session (nothing cached in the browser
for it); later rounds are visits again. Opening each page by its address (a new tab) is timed too.
This is a benchmark, not a test: it prints figures, it asserts nothing. Results: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from metrics import users  # noqa: E402
from metrics.loading import init_database  # noqa: E402
from metrics.store import Store  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

SIZES = {"laptop": (1440, 900), "phone": (390, 844)}
PAGES = [("overview", "Tổng quan"), ("target", "Chỉ tiêu"), ("units", "Đơn vị"), ("about", "Về số liệu"),
         ("present", "Trình chiếu"), ("import", "Nhập dữ liệu"), ("admin", "Quản trị")]
PASSWORD = "mật khẩu đo thời gian"

# Resolves with the milliseconds from `start` to the first frame where the page is drawn.
DRAWN = """([start, path]) => new Promise((resolve) => {
  let ran = !path;  // after a click, the new page's run must have been seen
  const done = () => {
    if (path && !location.pathname.endsWith('/' + path)) return false;
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    ran = ran || state === 'running';
    if (!ran || state !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.every((c) => c.querySelector('.js-plotly-plot[data-kpi-decluttered]'));
  };
  const tick = () => { if (done()) resolve(performance.now() - start); else requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})"""


def demo_copy(folder: Path) -> Path:
    path = folder / "kpi.duckdb"
    init_database(path, demo=True).close()
    store = Store.open(path)
    try:
        users.add(store, "bench", "Bench", "admin", PASSWORD, by="bench", source="cli")
    finally:
        store.close()
    return path


THINK = 1500  # ms between a page being drawn and the next click: a person reads before clicking


def click_to_drawn(page, path: str, name: str) -> float:
    """Click the sidebar link ``name`` (hidden in a phone's collapsed sidebar: clicked all the same) and time it."""
    link = page.locator('[data-testid="stSidebar"]').get_by_role("link", name=name, exact=True)
    page.wait_for_timeout(THINK)
    start = page.evaluate("performance.now()")
    link.dispatch_event("click")
    return page.evaluate(DRAWN, [start, path])


def open_by_address(context, url: str) -> float:
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        page.evaluate(DRAWN, [0, None])
        return (time.perf_counter() - start) * 1000
    finally:
        page.close()


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_label("Tên đăng nhập").fill("bench")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    deadline = time.time() + 60  # the cookie is HttpOnly: the browser keeps it, the page cannot read it
    while not any(c["name"] == "kpi_sign_in" for c in page.context.cookies()):
        assert time.time() < deadline, "no sign-in cookie after 60 s"
        page.wait_for_timeout(200)
    page.get_by_role("link", name="Quản trị", exact=True).wait_for(state="attached", timeout=60_000)
    page.evaluate(DRAWN, [0, None])


def measure(browser, url: str, size: str, rounds: int) -> dict:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                  is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    page.set_default_timeout(60_000)
    sign_in(page, url)
    clicks: dict[str, list[float]] = {path: [] for path, _ in PAGES}
    for _ in range(rounds):
        for path, name in PAGES:
            clicks[path].append(click_to_drawn(page, path, name))
    addresses = {path: open_by_address(context, f"{url}/{path}") for path, _ in PAGES}
    context.close()
    return {"clicks": clicks, "addresses": addresses}


def report(results: dict) -> None:
    print(f"{'size':7} {'page':9} {'first click':>12} {'again (median)':>15} {'again (max)':>12} {'by address':>11}")
    for size, found in results.items():
        for path, _ in PAGES:
            times = found["clicks"][path]
            again = times[1:] or times
            print(f"{size:7} {path:9} {times[0] / 1000:11.2f}s {statistics.median(again) / 1000:14.2f}s "
                  f"{max(again) / 1000:11.2f}s {found['addresses'][path] / 1000:10.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="clicks on each page (the first is the first visit)")
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--json", type=Path, help="also write the raw times (ms) here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="kpi-browser-bench-"))
    try:
        with streamlit_server(demo_copy(folder)) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            results = {size: measure(browser, url, size, args.rounds) for size in args.sizes}
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
