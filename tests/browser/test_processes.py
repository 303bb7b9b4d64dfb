"""Two dashboard processes on one PostgreSQL database behind HAProxy (deploy/), driven through the proxy in
Chromium: a sign-in made in one process holds in the other, and a write made in one process shows in the
other's pages on their next run (issue 18)."""

from __future__ import annotations

import secrets

import pytest

from deploy import stack
from tests.browser.conftest import ARTIFACTS, DRAWN, assert_no_error, sign_in, wait_rendered
from tests.helpers import PASSWORD, add_user

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

BACKEND_COOKIE, BACKEND_HEADER = "KPI_BACKEND", "x-kpi-backend"


def opened(page, url: str) -> str:
    """Open ``url``, wait until its script has finished; the name of the process that served it."""
    response = page.goto(url)
    assert response is not None and response.ok
    wait_rendered(page)
    assert_no_error(page)
    return response.headers[BACKEND_HEADER]


def shown(page) -> list[str]:
    """The lines of the page's main area that hold a figure, once its script has finished (sorted: the page's
    columns may flow in another order from one browser to the next)."""
    page.get_by_role("heading", name="Chỉ tiêu chính").wait_for(timeout=120_000)  # the overview's last part
    page.wait_for_function(DRAWN, timeout=120_000)
    lines = page.locator('[data-testid="stMain"]').inner_text().splitlines()
    return sorted({line.strip() for line in lines if any(c.isdigit() for c in line)})


def test_a_sign_in_and_an_import_in_one_process_hold_in_the_other(postgres_demo_url, browser, tmp_path):
    add_user(postgres_demo_url, "lan", "analyst")
    env = {"KPI_COOKIE_KEY": secrets.token_urlsafe(32), "KPI_PUBLIC": "1"}  # the leaders' pages need no sign-in
    contexts = []

    def context():
        made = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="vi-VN")
        made.set_default_timeout(60_000)
        contexts.append(made)
        return made

    with stack.running(2, postgres_demo_url, tmp_path / "logs", env=env) as running:
        try:
            analyst = context().new_page()
            writer = opened(analyst, f"{running.url}/import")
            sign_in(analyst, "lan", PASSWORD)
            analyst.get_by_role("heading", name="Nhập dữ liệu").wait_for()

            viewer, reader = None, writer  # a leader's browser, sent by the proxy to the other process
            for _ in range(4):
                viewer = context().new_page()
                reader = opened(viewer, running.url)
                if reader != writer:
                    break
            assert viewer is not None and reader != writer, "the proxy sent every browser to one process"
            assert {c["name"]: c["value"] for c in viewer.context.cookies()}[BACKEND_COOKIE] == reader
            before = shown(viewer)  # the other process has built its caches on the data before the write

            values = tmp_path / "bao-cao-2026.csv"  # the province's members of 2026 (111.258 in the demo)
            values.write_text("Đơn vị,Chỉ tiêu,Năm,Giá trị\nAG-2025,members,2026,130000\n", encoding="utf-8")
            analyst.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(values))
            analyst.get_by_role("button", name="Kiểm tra tệp").click()
            analyst.get_by_text("Tệp hợp lệ").wait_for()
            analyst.get_by_role("button", name="Xác nhận nhập 1 giá trị").click()
            analyst.get_by_text("Đã nhập đợt #").wait_for()
            assert_no_error(analyst)

            viewer.reload()  # a new run in the other process, whose caches hold the old figures
            after = shown(viewer)
            assert after != before and any("130.000" in line for line in after)
            writers_view = context()  # the same page from the process that wrote: the same figures
            writers_view.add_cookies([{"name": BACKEND_COOKIE, "value": writer, "url": running.url}])
            check = writers_view.new_page()
            assert opened(check, running.url) == writer
            assert shown(check) == after

            # the analyst's browser moved to the other process (as when its own stops): still signed in there
            analyst.context.add_cookies([{"name": BACKEND_COOKIE, "value": reader, "url": running.url}])
            assert opened(analyst, f"{running.url}/import") == reader
            analyst.get_by_role("heading", name="Nhập dữ liệu").wait_for()
            analyst.get_by_text("Đang đăng nhập: Lan").wait_for()
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            for number, made in enumerate(contexts):
                for page in made.pages:
                    page.screenshot(path=str(ARTIFACTS / f"two-processes-{number}.png"), full_page=True)
                made.close()
