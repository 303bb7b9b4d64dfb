"""Load: many viewers browsing while an analyst imports, against a real local server. Not a test.

Starts ``streamlit run dashboard.py`` on a demo database of its own (public viewing on, one analyst
account). Two kinds of viewer browse the five leaders' pages at once, round after round:

- *sessions* speak the server's own WebSocket protocol (``benchmarks/stream_session.py``): the server does
  all the work of a browser tab, the client almost none, so a two-core machine can load the server with
  dozens of them;
- *browser viewers* are real headless Chromium pages clicking the sidebar links; each costs a renderer,
  so there are few of them, to prove that what the sessions measure is what a browser gets.

Meanwhile one analyst signs in through the form in the browser, uploads a values file on the import page,
checks it and confirms. The script prints the errors (exceptions and error boxes on a page, pages not
found or never finished, JavaScript errors, HTTP responses >= 400, tracebacks in the server log; all must
be 0), the page latencies (request -> the page's script has finished) and the import's times.

    .venv/bin/python benchmarks/load.py                                 # 30 sessions + 3 browsers x 3 rounds, 10 s reading
    .venv/bin/python benchmarks/load.py --sessions 80 --viewers 0 --rounds 2 --think 0   # clicking without pause

``--scale`` measures instead how page views a second grow with dashboard processes (issue 18): the demo on a
throwaway PostgreSQL server with 1, 2 and 4 processes behind HAProxy (``deploy/``), and on DuckDB with 1 (a
DuckDB file has one process), in the same run. ``--sessions`` protocol sessions click through the leaders' five
pages without pause; after one untimed round each (every process builds its caches), every page run finished
in ``--seconds`` counts. Printed per setup: page views a second, latency p50/p95, the dashboard processes' CPU
seconds a page view, and the load average.

    .venv/bin/python benchmarks/load.py --scale                         # 16 sessions, 30 s each setup
    .venv/bin/python benchmarks/load.py --scale --sessions 8 --seconds 20 --setups postgresql:1,postgresql:2
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.stream_session import StreamSession  # noqa: E402
from metrics.catalogue.loading import init_database  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, RENDERED, streamlit_server  # noqa: E402
from tests.helpers import PASSWORD, add_user  # noqa: E402

PAGES = [("Tổng quan", "Tổng quan", ""), ("Chỉ tiêu", None, "target"), ("Đơn vị", "Đơn vị", "units"),
         ("Về số liệu", "Về số liệu", "about"), ("Trình chiếu", "Trình chiếu", "present")]
# (sidebar link, heading shown — None: the target's own title —, address: the home page has none)
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
CLOCK = os.sysconf("SC_CLK_TCK")
BASE_PROBE = re.compile(r"/[\w-]+/_stcore/(host-config|health)$")


class Tally:
    def __init__(self):
        self.latencies: dict[str, list[float]] = {name: [] for name, *_ in PAGES}
        self.browser: dict[str, list[float]] = {name: [] for name, *_ in PAGES}
        self.errors: list[str] = []
        self.probes = 0


def watch(page, tally: Tally, who: str) -> None:
    page.on("pageerror", lambda exc: tally.errors.append(f"{who}: JavaScript error {exc}"))
    page.on("response", lambda r: _response(r, tally, who))


def _response(response, tally: Tally, who: str) -> None:
    if response.status < 400:
        return
    if response.status == 404 and BASE_PROBE.search(response.url):
        tally.probes += 1  # Streamlit's page opened at /import looks for its server under /import/ first
        return
    tally.errors.append(f"{who}: HTTP {response.status} {response.url}")


async def settled(page, heading: str | None) -> None:
    """The script has finished and the page's heading is on screen."""
    if heading:
        await page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=120_000)
    await page.wait_for_selector(RENDERED, timeout=120_000)


async def viewer(context, url: str, number: int, rounds: int, tally: Tally, think: float) -> None:
    await pause(think)
    page = await context.new_page()
    watch(page, tally, f"viewer {number}")
    await page.goto(url)
    await settled(page, "Tổng quan")
    for _ in range(rounds):
        for link, heading, _ in PAGES[number % len(PAGES):] + PAGES[:number % len(PAGES)]:
            started = time.perf_counter()
            await page.locator('[data-testid="stSidebar"]').get_by_role("link", name=link, exact=True).click()
            await page.wait_for_timeout(50)  # the click starts a run
            await settled(page, heading)
            tally.browser[link].append(time.perf_counter() - started)
            await pause(think)
            if await page.locator(ERRORS).count():
                tally.errors.append(f"viewer {number} on {link}: {await page.locator(ERRORS).first.inner_text()}")
    await page.close()


async def pause(think: float) -> None:
    """A person reads the page before the next click: ``think`` seconds on average (0: click on at once)."""
    if think:
        await asyncio.sleep(random.uniform(0.5, 1.5) * think)


async def session(url: str, number: int, rounds: int, tally: Tally, think: float) -> None:
    """A viewer over the WebSocket protocol: the same pages in the same order as a browser viewer."""
    await pause(think)  # people arrive one after another, not all in the same second
    async with StreamSession(url) as stream:
        for _ in range(rounds):
            for link, heading, address in PAGES[number % len(PAGES):] + PAGES[:number % len(PAGES)]:
                run = await stream.open(address)
                tally.latencies[link].append(run.seconds)
                await pause(think)
                tally.errors += [f"session {number} on {link}: {error}" for error in run.errors]
                if not run.headings or (heading and heading not in run.headings):
                    tally.errors.append(f"session {number} on {link}: no heading {heading!r} in {run.headings}")


async def analyst(context, url: str, values: Path, delay: float, tally: Tally, times: dict) -> None:
    await asyncio.sleep(delay)  # the viewers are browsing by now
    page = await context.new_page()
    watch(page, tally, "analyst")
    await page.goto(f"{url}/import")
    await page.get_by_label("Tên đăng nhập").wait_for(timeout=120_000)
    await page.get_by_label("Tên đăng nhập").fill("lan")
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    started = time.perf_counter()
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.get_by_role("heading", name="Nhập dữ liệu").wait_for(timeout=120_000)
    await page.wait_for_selector(RENDERED, timeout=120_000)
    times["sign-in"] = time.perf_counter() - started
    await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(values), timeout=120_000)
    await page.get_by_role("button", name="Kiểm tra tệp").wait_for(timeout=120_000)
    await page.wait_for_selector(RENDERED, timeout=120_000)
    started = time.perf_counter()
    await page.get_by_role("button", name="Kiểm tra tệp").click()
    await page.get_by_text("Tệp hợp lệ").wait_for(timeout=300_000)
    await page.wait_for_selector(RENDERED, timeout=120_000)
    times["check"] = time.perf_counter() - started
    started = time.perf_counter()
    await page.get_by_role("button", name="Xác nhận nhập").click()
    await page.get_by_text("Đã nhập đợt").wait_for(timeout=300_000)
    times["confirm"] = time.perf_counter() - started
    if await page.locator(ERRORS).count():
        tally.errors.append(f"analyst: {await page.locator(ERRORS).first.inner_text()}")
    await page.close()


async def analyst_recorded(context, url: str, values: Path, delay: float, tally: Tally, times: dict) -> None:
    """The analyst's run; a step that never happens is an error, with a screenshot beside the database."""
    try:
        await analyst(context, url, values, delay, tally, times)
    except Exception as exc:  # playwright's TimeoutError and anything else the page does to the script
        shot = values.with_name("analyst-failed.png")
        for page in context.pages:
            await page.screenshot(path=str(shot), full_page=True)
        tally.errors.append(f"analyst: {type(exc).__name__}: {str(exc).splitlines()[0]} (screenshot {shot})")


def values_file(db: Path, path: Path) -> None:
    """A yearly report of every grassroots union on every counted indicator, 2025 and 2026: checks clean."""
    from metrics.storage.store import Store
    store = Store.open(db, read_only=True)
    try:
        units = store.frame("SELECT DISTINCT code FROM units WHERE kind = 'grassroots' AND valid_to IS NULL")["code"]
        counted = store.frame("SELECT code FROM indicators WHERE kind IN ('stock', 'flow')")["code"]
    finally:
        store.close()
    pd.DataFrame([{"unit": u, "indicator": i, "year": y, "value": 40 + (n % 7) + (y - 2025)}
                  for n, (u, i) in enumerate((u, i) for u in units for i in counted) for y in (2025, 2026)]
                 ).to_csv(path, index=False)


async def drive(url: str, args, values: Path, tally: Tally, times: dict) -> None:
    from playwright.async_api import async_playwright
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [await browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
                    for _ in range(args.viewers + 1)]
        started = time.perf_counter()
        work = [viewer(contexts[i], url, i, args.rounds, tally, args.think) for i in range(args.viewers)]
        work += [session(url, i, args.rounds, tally, args.think) for i in range(args.sessions)]
        if not args.no_analyst:
            work.append(analyst_recorded(contexts[-1], url, values, args.analyst_delay, tally, times))
        await asyncio.gather(*work)
        times["wall"] = time.perf_counter() - started
        await browser.close()


def machine_busy() -> float:
    """CPU seconds every core of the machine has spent busy since boot (``/proc/stat``)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / CLOCK  # all but idle and iowait


def server_busy(port: str) -> float:
    """CPU seconds of the ``streamlit run`` process listening on ``port``."""
    for folder in Path("/proc").iterdir():
        try:
            command = (folder / "cmdline").read_bytes().split(b"\0")
            if b"streamlit" in b" ".join(command) and port.encode() in command:
                fields = (folder / "stat").read_text().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / CLOCK
        except (OSError, ValueError):
            continue
    return 0.0


def quantiles(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):5.2f} s · p95 {p95:5.2f} s · max {ordered[-1]:5.2f} s · n={len(ordered)}"


def report(args, tally: Tally, times: dict, imported: int, busy: tuple[float, float], log: Path) -> None:
    machine, server = busy
    print(f"{args.sessions} protocol sessions and {args.viewers} browser viewers × {args.rounds} rounds of "
          f"{len(PAGES)} pages, {args.think:g} s reading each on average, 1 analyst importing {imported} values; wall {times.get('wall', 0):.1f} s; "
          f"server log {log}")
    print(f"errors: {len(tally.errors)}  (not counted: {tally.probes} base-path probes of a deep link, "
          "Streamlit's own 404s on /import/_stcore/…)")
    for error in tally.errors[:20]:
        print(f"  {error}")
    for title, latencies in (("sessions", tally.latencies), ("browser viewers", tally.browser)):
        every = [v for found in latencies.values() for v in found]
        print(f"{title}: request → the page's script finished" + ("" if title == "sessions" else ", page drawn"))
        for name, found in latencies.items():
            print(f"  {name:<12} {quantiles(found)}")
        print(f"  {'all pages':<12} {quantiles(every)}")
    print("analyst: " + " · ".join(f"{k} {v:.2f} s" for k, v in times.items() if k != "wall"))
    views = sum(len(found) for latencies in (tally.latencies, tally.browser) for found in latencies.values())
    views += 0 if args.no_analyst else 3
    print(f"CPU: {machine:.0f} s busy on {os.cpu_count()} cores over {times.get('wall', 0):.0f} s; the server "
          f"{server:.0f} s ({server / max(views, 1):.2f} s a page view), the browsers and this script the rest "
          f"({machine - server:.0f} s)")


# --- --scale: page views a second against dashboard processes (issue 18) ----------------------------------------

SETUPS = "duckdb:1,postgresql:1,postgresql:2,postgresql:4"


def processes_busy(backends: tuple[str, ...]) -> float:
    return sum(server_busy(url.rsplit(":", 1)[1].split("/")[0]) for url in backends)


def database_busy(postmaster: int | None) -> float:
    """CPU seconds of a PostgreSQL server's processes (the postmaster's children: one backend per connection)."""
    if postmaster is None:
        return 0.0
    total = 0.0
    for folder in Path("/proc").iterdir():
        try:
            fields = (folder / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == postmaster or folder.name == str(postmaster):
                total += (int(fields[11]) + int(fields[12])) / CLOCK
        except (OSError, ValueError, IndexError):
            continue
    return total


async def measure(url: str, sessions: int, seconds: float, backends: tuple[str, ...], postmaster: int | None) -> dict:
    """Sessions warm up together, then every run that ends within the ``seconds`` after the last warm-up counts."""
    runs: list[tuple[float, float]] = []
    errors: list[str] = []
    await asyncio.gather(*(_warm(url, number) for number in range(sessions)))  # every process builds its caches
    until = time.monotonic() + seconds
    busy, database = processes_busy(backends), database_busy(postmaster)
    await asyncio.gather(*(_timed(url, number, until, runs, errors) for number in range(sessions)))
    busy, database = processes_busy(backends) - busy, database_busy(postmaster) - database
    counted = sorted(s for end, s in runs if end <= until)
    load = os.getloadavg()
    return {"views": len(counted), "per_second": len(counted) / seconds, "p50": _quantile(counted, 0.5),
            "p95": _quantile(counted, 0.95), "cpu_per_view": busy / max(len(counted), 1),
            "db_per_view": database / max(len(counted), 1), "errors": errors,
            "load": load}


async def _warm(url: str, number: int) -> None:
    order = PAGES[number % len(PAGES):] + PAGES[:number % len(PAGES)]
    async with StreamSession(url, timeout=300) as stream:
        for _, _, address in order:
            await stream.open(address)


async def _timed(url: str, number: int, until: float, runs: list, errors: list[str]) -> None:
    order = PAGES[number % len(PAGES):] + PAGES[:number % len(PAGES)]
    async with StreamSession(url, timeout=120) as stream:
        await stream.open(order[0][2])  # this connection's session: its first run is not timed
        turn = 1
        while time.monotonic() < until:
            run = await stream.open(order[turn % len(order)][2])
            turn += 1
            runs.append((time.monotonic(), run.seconds))
            errors += [f"session {number}: {error}" for error in run.errors]


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def scale(args) -> int:
    from deploy import stack
    from tests import postgres_server

    folder = Path(tempfile.mkdtemp(prefix="kpi-scale-"))
    setups = [(engine, int(count)) for engine, count in (s.split(":") for s in args.setups.split(","))]
    env = {"KPI_PUBLIC": "1", "KPI_COOKIE_KEY": "load-benchmark-key"}
    results = []
    with contextlib.ExitStack() as keep:
        server = keep.enter_context(postgres_server.running()) if any(e == "postgresql" for e, _ in setups) else None
        for number, (engine, count) in enumerate(setups):
            if engine == "postgresql":
                assert server is not None
                db = server.create_database(f"scale{number}")
                postmaster = int((server.folder / "data" / "postmaster.pid").read_text().split()[0])
            else:
                db, postmaster = str(folder / f"scale{number}.duckdb"), None
            init_database(db if engine == "postgresql" else Path(db), demo=True).close()
            with stack.running(count, db, folder / f"logs{number}", env=env) as running:
                found = asyncio.run(measure(running.url, args.sessions, args.seconds, running.backends, postmaster))
            results.append((engine, count, found))
            print(_line(engine, count, found), flush=True)
    print(f"\n{args.sessions} sessions clicking without pause through HAProxy, {args.seconds:g} s each setup, "
          f"{os.cpu_count()} cores; logs in {folder}")
    print("| engine | processes | page views/s | p50 (s) | p95 (s) | CPU s / view: dashboards + PostgreSQL "
          "| load (1 min) | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for engine, count, found in results:
        print(f"| {engine} | {count} | {found['per_second']:.2f} | {found['p50']:.2f} | {found['p95']:.2f} | "
              f"{found['cpu_per_view']:.3f} + {found['db_per_view']:.3f} | {found['load'][0]:.1f} | "
              f"{len(found['errors'])} |")
    every = [e for _, _, found in results for e in found["errors"]]
    for error in every[:10]:
        print(f"  {error}")
    return 1 if every else 0


def _line(engine: str, count: int, found: dict) -> str:
    return (f"{engine} × {count}: {found['views']} views, {found['per_second']:.2f}/s, p50 {found['p50']:.2f} s, "
            f"p95 {found['p95']:.2f} s, {found['cpu_per_view']:.3f} + {found['db_per_view']:.3f} CPU s/view, load {found['load'][0]:.1f}, "
            f"errors {len(found['errors'])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="store_true", help="page views a second against dashboard processes")
    parser.add_argument("--setups", default=SETUPS, help="with --scale: engine:processes, comma-separated")
    parser.add_argument("--seconds", type=float, default=30.0, help="with --scale: the timed window of each setup")
    parser.add_argument("--sessions", type=int, default=None,
                        help="viewers over the WebSocket protocol (30; with --scale 16)")
    parser.add_argument("--viewers", type=int, default=3, help="viewers in a real browser")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the five pages per viewer")
    parser.add_argument("--think", type=float, default=10.0,
                        help="seconds a viewer reads a page before the next click, on average (0: none)")
    parser.add_argument("--analyst-delay", type=float, default=5.0, help="seconds before the analyst starts")
    parser.add_argument("--no-analyst", action="store_true", help="viewers only")
    args = parser.parse_args()
    if args.scale:
        args.sessions = args.sessions or 16
        return scale(args)
    args.sessions = args.sessions or 30
    folder = Path(tempfile.mkdtemp(prefix="kpi-load-"))
    db = folder / "kpi.duckdb"
    init_database(db, demo=True).close()
    add_user(db, "lan", "analyst")
    values = folder / "so-lieu.csv"
    values_file(db, values)
    tally, times = Tally(), {}
    with streamlit_server(db, extra_env={"KPI_PUBLIC": "1"}) as url:
        port = url.rsplit(":", 1)[1]
        machine, server = machine_busy(), server_busy(port)
        asyncio.run(drive(url, args, values, tally, times))
        machine, server = machine_busy() - machine, server_busy(port) - server
    log = db.with_suffix(".server.log").read_text(encoding="utf-8", errors="replace")
    tally.errors += [f"server log: {line.strip()}" for line in log.splitlines() if "Traceback" in line]
    report(args, tally, times, len(pd.read_csv(values)), (machine, server), db.with_suffix(".server.log"))
    return 1 if tally.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
