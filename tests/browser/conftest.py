"""Real-browser fixtures: a real ``streamlit run`` server on a free port and Debian's Chromium.

Screenshots land in ``test-artifacts/`` (kept by CI as artefacts, looked at by people).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy import stack
from tests.helpers import copy_database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RENDERED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ERROR_SELECTORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'

PUBLIC = {"KPI_PUBLIC": "1"}

HERE = Path(__file__).resolve().parent


# A page is drawn: the script has finished, nothing stale is left, every chart is painted and placed.
DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every((c) => c.querySelector('.js-plotly-plot[data-kpi-decluttered]'));
}"""
# Nothing left to paint before a screenshot: a page drawn, or no dashboard page at all (a blank or an error page).
SETTLED = f"""() => !document.querySelector('[data-testid="stApp"]') || ({DRAWN})()"""


def pytest_collection_modifyitems(items) -> None:
    """Every test in this folder drives Chromium: marked ``browser`` (a ``pytestmark`` in a conftest has no
    effect), so ``-m "not browser"`` leaves them all out."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(db_path: Path, extra_env: dict | None = None, root: Path = ROOT,
                     launcher: tuple[str, ...] = ("-m", "streamlit")):
    """Start ``streamlit run dashboard.py`` on a free port against ``db_path``; yield its base URL. ``root``:
    the checkout whose dashboard is served, ``launcher``: what runs Streamlit (a benchmark compares another
    checkout with this one and times each script run, benchmarks/timed_server.py)."""
    port = free_port()
    env = {**os.environ, "KPI_DB": str(db_path), **(extra_env or {})}
    log_path = db_path.with_suffix(".server.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, *launcher, "run", "dashboard.py", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            stack.wait_healthy(url, process, log_path, wait=60)  # (a server that exits says so at once)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, demo_template) -> Path:
    """The demo database of the browser session: a copy of the one the whole suite builds once."""
    return copy_database(demo_template, tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def server(demo_db):
    """One read-only demo server for the whole session, public (``KPI_PUBLIC=1``): the leaders' pages open
    without signing in. Tests that write, or that sign in, start their own."""
    with streamlit_server(demo_db, extra_env=PUBLIC) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), "Debian chromium is needed: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser page (1280×900); a screenshot of it is saved after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):  # the last widgets painted before the picture is taken (a page that
        page.wait_for_function(SETTLED, timeout=2_000)  # never settles is pictured as it is after 2 s)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def wait_rendered(page, charts: bool = False) -> None:
    """Wait until the script has finished (and Plotly has painted, when asked)."""
    page.wait_for_selector(RENDERED, timeout=60_000)
    if charts:
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)


def assert_no_error(page) -> None:
    errors = page.locator(ERROR_SELECTORS)
    assert errors.count() == 0, errors.first.inner_text()


def sign_in(page, username: str, password: str, succeeds: bool = True) -> None:
    """Fill in the sign-in form on screen and submit it, as a person does; when it succeeds, wait until
    the server has set the sign-in cookie and the page it leads back to has settled."""
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    if succeeds:
        deadline = time.time() + 30
        while not sign_in_cookie(page.context):
            assert time.time() < deadline, "no sign-in cookie after 30 s"
            page.wait_for_timeout(200)
        page.get_by_label("Mật khẩu").wait_for(state="detached")
        wait_rendered(page)


def sign_in_cookie(context) -> dict | None:
    """The sign-in cookie as the browser keeps it (with its flags), or None."""
    return next((c for c in context.cookies() if c["name"] == "kpi_sign_in"), None)
