"""Click-to-drawn times of every page in a real Chromium, at a laptop's and a phone's size.

    .venv/bin/python benchmarks/browser_bench.py                 # its own server on a copy of the demo data
    .venv/bin/python benchmarks/browser_bench.py --rounds 5 --json out.json
    .venv/bin/python benchmarks/browser_bench.py --against ../main --breakdown   # old and new, same run

For each size it opens the dashboard, signs in as an administrator (so that Nhập dữ liệu and Quản trị
are there too), then clicks each page's link in turn, ``--rounds`` times. A page is *drawn* when the
script has finished, no element is left over from the page before, and every chart has been painted
and its labels placed (``data-kpi-decluttered``, set by ``ui/client.js`` after Plotly's ``afterplot``).
The time is measured in the page itself, from the click to the first animation frame where all that
holds; each click comes 1,5 s after the page before was drawn (a person reads before clicking). The first
round is the first visit of each page in the session (nothing cached in the browser for it); later rounds
are visits again. Opening each page by its address (a new tab) is timed too.

``--against DIR`` serves a second checkout (another worktree, e.g. the main branch) beside this one, each
on its own copy of the data, and takes turns between them round by round, so that both meet the same load
on a shared machine. ``--breakdown`` says, per page, where a click's time went: when the server's first
and last message arrived (its run and the transfer), how many bytes, how long Plotly drew (each chart from
its ``beforeplot`` to its ``afterplot``) and how long our label placement took (``kpiClient.spent``).
The load average is printed before and after: figures taken under load are upper bounds.
This is a benchmark, not a test: it prints figures, it asserts nothing. Results: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from metrics.catalogue.loading import init_database  # noqa: E402
from metrics.storage import users  # noqa: E402
from metrics.storage.store import Store  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

SIZES = {"laptop": (1440, 900), "phone": (390, 844)}
PAGES = [("overview", "Tổng quan"), ("target", "Chỉ tiêu"), ("units", "Đơn vị"), ("about", "Về số liệu"),
         ("present", "Trình chiếu"), ("import", "Nhập dữ liệu"), ("admin", "Quản trị")]
PASSWORD = "mật khẩu đo thời gian"

# Before a click: from now on, wait for the server's "script finished" (a quick page's run can start and
# finish within one rendering of the page, so its "running" state is never drawn and cannot be waited for).
ARM = """() => { window.kpiBench.finished = false; }"""

# Resolves with the milliseconds from `start` to the first frame where the page is drawn.
DRAWN = """([start, path]) => new Promise((resolve) => {
  const done = () => {
    if (path && !location.pathname.endsWith('/' + path)) return false;
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    if (path && !window.kpiBench.finished) return false;  // after a click: the new page's run has finished
    if (state !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.every((c) => c.querySelector('.js-plotly-plot[data-kpi-decluttered]'));
  };
  const tick = () => { if (done()) resolve(performance.now() - start); else requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})"""

# In every page of the benchmark: the server's messages as the page receives them (and whether one was
# Streamlit's "script finished": field 6 of a ForwardMsg), and each chart's drawing, from Plotly's beforeplot
# (caught the moment Plotly gives the chart its events) to its afterplot.
WATCH = """(() => {
  window.kpiBench = { messages: [], plotly: 0, drawings: 0, finished: true };
  const finishes = (buffer) => {  // the ForwardMsg's top-level fields, read until field 6
    const bytes = new Uint8Array(buffer);
    let at = 0;
    const varint = () => { let value = 0, shift = 0, b; do { b = bytes[at++]; value += (b & 127) * 2 ** shift; shift += 7; } while (b & 128 && at < bytes.length); return value; };
    while (at < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (field === 6) return true;
      if (wire === 0) varint(); else if (wire === 2) at += varint(); else if (wire === 1) at += 8; else if (wire === 5) at += 4; else return false;
    }
    return false;
  };
  const Socket = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Socket(...args);
    socket.addEventListener('message', (event) => {
      const data = event.data;
      window.kpiBench.messages.push([performance.now(), data.byteLength ?? data.size ?? data.length]);
      if (data instanceof ArrayBuffer && finishes(data)) window.kpiBench.finished = true;
    });
    return socket;
  };
  window.WebSocket.prototype = Socket.prototype;
  Object.assign(window.WebSocket, Socket);
  Object.defineProperty(HTMLElement.prototype, '_ev', {
    configurable: true,
    get() { return undefined; },
    set(events) {
      Object.defineProperty(this, '_ev', { value: events, writable: true, configurable: true });
      let began = null;
      events.on('plotly_beforeplot', () => { window.kpiBench.drawings += 1; if (began === null) began = performance.now(); });
      events.on('plotly_afterplot', () => { if (began !== null) window.kpiBench.plotly += performance.now() - began; began = null; });
    },
  });
})();"""
SPENT = "(window.kpiClient && window.kpiClient.spent ? window.kpiClient.spent.declutter : null)"  # null: older client.js
RESET = """() => { window.kpiBench.messages = []; window.kpiBench.plotly = 0; window.kpiBench.drawings = 0;
  return SPENT; }""".replace("SPENT", SPENT)
TAKE = """([start, declutteredBefore]) => {
  const m = window.kpiBench.messages;
  return { messages: m.length, kib: m.reduce((s, x) => s + x[1], 0) / 1024,
           first: m.length ? m[0][0] - start : null, last: m.length ? m[m.length - 1][0] - start : null,
           plotly: window.kpiBench.plotly, drawings: window.kpiBench.drawings,
           declutter: declutteredBefore === null ? null : SPENT - declutteredBefore };
}""".replace("SPENT", SPENT)


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


def click_to_drawn(page, path: str, name: str, breakdown: bool = False) -> tuple[float, dict | None]:
    """Click the sidebar link ``name`` (hidden in a phone's collapsed sidebar: clicked all the same) and time it."""
    link = page.locator('[data-testid="stSidebar"]').get_by_role("link", name=name, exact=True)
    page.wait_for_timeout(THINK)
    before = page.evaluate(RESET) if breakdown else None
    page.evaluate(ARM)
    clicked = time.time()
    start = page.evaluate("performance.now()")
    link.dispatch_event("click")
    drawn = page.evaluate(f"([start, path]) => Promise.race([({DRAWN})([start, path]), "
                          "new Promise((resolve) => setTimeout(() => resolve(-1), 60000))])", [start, path])
    if drawn < 0:
        raise RuntimeError(f"{path} not drawn after 60 s: {page.evaluate(STATE)}")
    return drawn, (page.evaluate(TAKE, [start, before]) | {"clicked": clicked} if breakdown else None)


STATE = """() => ({ path: location.pathname, script: document.querySelector('[data-testid="stApp"]')
  ?.getAttribute('data-test-script-state'), stale: document.querySelectorAll('[data-stale="true"]').length,
  skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
  charts: [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map((c) => ({
    drawn: !!c.querySelector('.main-svg'), placed: !!c.querySelector('[data-kpi-decluttered]') })) })"""


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


class Session:
    """One signed-in browser session on one server, at one size."""

    def __init__(self, browser, url: str, size: str, runs: Path | None, name: str = ""):
        width, height = SIZES[size]
        self.url, self.runs, self.breakdown, self.label = url, runs, runs is not None, f"{size} {name}".strip()
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                           is_mobile=size == "phone", has_touch=size == "phone")
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        sign_in(self.page, url)
        self.clicks: dict[str, list[float]] = {path: [] for path, _ in PAGES}
        self.parts: dict[str, list[dict]] = {path: [] for path, _ in PAGES}

    def round(self) -> None:
        for path, name in PAGES:
            drawn, parts = click_to_drawn(self.page, path, name, self.breakdown)
            print(f"  {self.label} {path} {drawn / 1000:.2f}s", file=sys.stderr, flush=True)
            self.clicks[path].append(drawn)
            if parts is not None:
                self.parts[path].append(parts | self.server_runs(parts["clicked"]))

    def server_runs(self, since: float) -> dict:
        """The script runs the server finished since ``since`` (the click's own, and a rerun if any)."""
        time.sleep(0.05)  # the run's line is written just after its last message
        lines = [line.split("\t") for line in self.runs.read_text().splitlines()] if self.runs.exists() else []
        runs = [(float(ms), float(gc)) for ended, ms, gc in lines if float(ended) >= since]
        return {"server": sum(ms for ms, _ in runs), "gc": sum(gc for _, gc in runs), "runs": len(runs)}

    def finish(self) -> dict:
        addresses = {path: open_by_address(self.context, f"{self.url}/{path}") for path, _ in PAGES}
        self.context.close()
        return {"clicks": self.clicks, "addresses": addresses, "parts": self.parts}


def measure(browser, urls: dict[str, str], size: str, rounds: int, runs: dict[str, Path | None]) -> dict[str, dict]:
    """Every server's session at ``size``, round by round, taking turns (who goes first alternates).
    ``runs``: each server's file of timed script runs (--breakdown), else None."""
    sessions = {name: Session(browser, url, size, runs[name], name if len(urls) > 1 else "")
                for name, url in urls.items()}
    order = list(sessions)
    for number in range(rounds):
        for name in (order if number % 2 == 0 else order[::-1]):
            sessions[name].round()
    return {name: session.finish() for name, session in sessions.items()}


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(results: dict, label: str = "") -> None:
    if label:
        print(f"\n{label}")
    print(f"{'size':7} {'page':9} {'first click':>12} {'again (median)':>15} {'again (max)':>12} {'by address':>11}")
    for size, found in results.items():
        for path, _ in PAGES:
            times = found["clicks"][path]
            again = times[1:] or times
            print(f"{size:7} {path:9} {times[0] / 1000:11.2f}s {statistics.median(again) / 1000:14.2f}s "
                  f"{max(again) / 1000:11.2f}s {found['addresses'][path] / 1000:10.2f}s")


def report_parts(results: dict, label: str = "") -> None:
    """Medians over the rounds (the first visit apart) of where a click's time went, in ms."""
    print(f"\nwhere the time went{' (' + label + ')' if label else ''}: medians of the visits again, ms; "
          "first visit in brackets")
    print(f"{'size':7} {'page':9} {'drawn':>12} {'server run':>12} {'of it GC':>10} {'runs':>6} {'1st message':>12} "
          f"{'last message':>13} {'KiB':>10} {'Plotly':>12} {'drawings':>9} {'labels':>10}")
    for size, found in results.items():
        for path, _ in PAGES:
            parts, clicks = found["parts"][path], found["clicks"][path]
            if not parts:
                continue
            drawn = f"{statistics.median(clicks[1:] or clicks):.0f} ({clicks[0]:.0f})".rjust(12)
            print(f"{size:7} {path:9} {drawn} {_cell(parts, 'server')} {_cell(parts, 'gc', width=10)} "
                  f"{_cell(parts, 'runs', width=6)} {_cell(parts, 'first')} {_cell(parts, 'last', width=13)} "
                  f"{_cell(parts, 'kib', 1, 10)} {_cell(parts, 'plotly')} {_cell(parts, 'drawings', width=9)} "
                  f"{_cell(parts, 'declutter', width=10)}")


def _cell(parts: list[dict], key: str, digits: int = 0, width: int = 12) -> str:
    """The median of the visits again, the first visit in brackets."""
    values = [p[key] for p in parts[1:] or parts if p[key] is not None]
    again = statistics.median(values) if values else float("nan")
    first = parts[0][key]
    return (f"{again:.{digits}f} ({first:.{digits}f})" if first is not None else "—").rjust(width)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="clicks on each page (the first is the first visit)")
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--json", type=Path, help="also write the raw times (ms) here")
    parser.add_argument("--against", type=Path, help="another checkout to serve beside this one, in turns")
    parser.add_argument("--breakdown", action="store_true", help="where each click's time went")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, {load()}", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="kpi-browser-bench-"))
    checkouts = {"this": ROOT} | ({"against": args.against.resolve()} if args.against else {})
    results: dict[str, dict] = {name: {} for name in checkouts}
    try:
        data = demo_copy(folder)
        with contextlib.ExitStack() as servers, sync_playwright() as playwright:
            runs = {name: folder / f"{name}.runs" if args.breakdown else None for name in checkouts}
            urls = {name: servers.enter_context(serve(folder, data, name, root, runs[name]))
                    for name, root in checkouts.items()}
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size in args.sizes:
                for name, found in measure(browser, urls, size, args.rounds, runs).items():
                    results[name][size] = found
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"done, {load()}")
    for name, root in checkouts.items():
        label = f"{name}: {root}" if args.against else ""
        report(results[name], label)
        if args.breakdown:
            report_parts(results[name], name if args.against else "")
    if args.json:
        args.json.write_text(json.dumps(results if args.against else results["this"], indent=1))


def serve(folder: Path, data: Path, name: str, root: Path, runs: Path | None = None):
    """A ``streamlit run`` of the checkout ``root`` on its own copy of ``data``; another checkout writes no
    bytecode into its folder (it may be someone else's). With ``runs``, each script run is timed into that
    file (benchmarks/timed_server.py)."""
    copy = folder / name / "kpi.duckdb"
    copy.parent.mkdir()
    shutil.copy(data, copy)
    env = {"PYTHONDONTWRITEBYTECODE": "1"} if root != ROOT else {}
    if runs is None:
        return streamlit_server(copy, extra_env=env, root=root)
    return streamlit_server(copy, extra_env={**env, "KPI_BENCH_RUNS": str(runs)}, root=root,
                            launcher=(str(ROOT / "benchmarks" / "timed_server.py"),))


if __name__ == "__main__":
    main()
