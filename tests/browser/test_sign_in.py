"""Sign-in in a real browser: a deep link to a protected page on a freshly started server shows the
sign-in form and nothing else; signing in through the form sets an HttpOnly, SameSite=Strict cookie from
the server (Secure behind HTTPS) that no script in the page can read; it survives a reload and a
restart; signing out deletes it and ends it for every copy; a ticket works once; a forged or edited
cookie is no sign-in."""

from __future__ import annotations

import base64
import json
import shutil
import time
from pathlib import Path

import jwt
import pytest
from playwright.sync_api import expect

from metrics.storage.store import Store
from tests.browser.conftest import ARTIFACTS, assert_no_error, sign_in, sign_in_cookie, streamlit_server, wait_rendered
from tests.helpers import PASSWORD, add_user

pytestmark = pytest.mark.browser
PAGE_NAMES = ["Tổng quan", "Chỉ tiêu", "Đơn vị", "Về số liệu", "Trình chiếu", "Nhập dữ liệu", "Quản trị"]
DATA = '[data-testid="stMetric"], [data-testid="stPlotlyChart"], [data-testid="stDataFrame"], [data-testid="stTable"]'


@pytest.fixture(scope="module")
def people_db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("sign-in") / "kpi.duckdb"
    shutil.copy(demo_db, path)
    add_user(path, "lan", "analyst")
    return path


def only_the_sign_in_form(page) -> None:
    """The form, and once the page has settled (the elements of a previous page fade out at the end of a
    run), no data, no link to any page, no sidebar."""
    page.get_by_label("Tên đăng nhập").first.wait_for()
    page.locator('[data-testid="stSidebar"]').wait_for(state="hidden")
    wait_rendered(page)
    expect(page.get_by_label("Mật khẩu")).to_be_visible()
    assert page.get_by_label("Tên đăng nhập").count() == 1
    assert page.locator(DATA).count() == 0
    for name in PAGE_NAMES:
        assert page.get_by_role("link", name=name, exact=True).count() == 0, name
    assert page.locator('[data-testid="stFileUploader"]').count() == 0


@pytest.mark.parametrize("path", ["import", "admin"])
def test_a_deep_link_on_a_fresh_server_shows_only_the_sign_in_form(people_db, tmp_path, page, path):
    fresh = tmp_path / "kpi.duckdb"  # a server of its own, started for this one request
    shutil.copy(people_db, fresh)
    with streamlit_server(fresh) as url:
        page.goto(f"{url}/{path}")
        only_the_sign_in_form(page)
        assert_no_error(page)


def test_signing_in_through_the_form_survives_a_reload_and_signing_out_too(people_db, browser):
    """The cookie comes from the server with HttpOnly and SameSite=Strict, not Secure over plain HTTP;
    the page's scripts never see it; the ticket that brought it works once."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    tickets = []
    page.on("request", lambda request: tickets.append(request.url) if "/auth/sign-in?" in request.url else None)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with streamlit_server(people_db) as url:
            page.goto(f"{url}/units?year=2024")
            only_the_sign_in_form(page)
            sign_in(page, "lan", "a wrong password", succeeds=False)
            page.get_by_text("không đúng").wait_for()
            assert sign_in_cookie(context) is None and tickets == []
            sign_in(page, "lan", PASSWORD)
            page.get_by_role("link", name="Nhập dữ liệu", exact=True).wait_for()
            assert page.get_by_role("link", name="Quản trị", exact=True).count() == 0  # an analyst
            assert page.url.startswith(f"{url}/units?") and "year=2024" in page.url  # back on the page signed in on
            cookie = sign_in_cookie(context)
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]
            assert cookie["path"] == "/" and cookie["expires"] > time.time() + 6 * 86400
            assert "kpi_sign_in" not in page.evaluate("document.cookie") and cookie["value"] not in page.content()
            replay = context.request.get(tickets[0], max_redirects=0)  # the same ticket again
            assert replay.status == 400 and "set-cookie" not in replay.headers
            page.screenshot(path=str(ARTIFACTS / "signed-in.png"), full_page=True)
            page.reload()
            page.get_by_role("link", name="Nhập dữ liệu", exact=True).wait_for()
            wait_rendered(page)
            assert page.get_by_label("Mật khẩu").count() == 0
            page.get_by_text("Đang đăng nhập: Lan").wait_for()
            page.get_by_role("button", name="Đăng xuất").click()
            only_the_sign_in_form(page)
            assert sign_in_cookie(context) is None
            page.reload()
            only_the_sign_in_form(page)
    finally:
        context.close()


def test_behind_https_the_cookie_is_secure(people_db, browser):
    """A proxy that ends HTTPS says so with X-Forwarded-Proto: the cookie is then Secure (never sent over
    plain HTTP)."""
    context = browser.new_context(locale="vi-VN", extra_http_headers={"X-Forwarded-Proto": "https"})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        with streamlit_server(people_db) as url:
            page.goto(url)
            sign_in(page, "lan", PASSWORD)
            cookie = sign_in_cookie(context)
            assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    finally:
        context.close()


def test_a_copied_cookie_survives_a_restart_but_not_a_sign_out_and_a_forged_one_is_no_sign_in(people_db, tmp_path,
                                                                                                 browser):
    """The cookie is signed with the key beside the database (never in it) and carries the session version:
    a restart keeps the sign-in; signing out ends it everywhere, also for a copy taken before; a cookie
    signed with another algorithm (alg=none, HS512 with the right key) shows the form, never an error."""
    db = tmp_path / "kpi.duckdb"
    shutil.copy(people_db, db)
    first = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = first.new_page()
    page.set_default_timeout(30_000)
    try:
        with streamlit_server(db) as url:
            page.goto(url)
            sign_in(page, "lan", PASSWORD)
            copied = [c for c in first.cookies() if c["name"] == "kpi_sign_in"]
        assert oct(Path(str(db) + ".cookie-key").stat().st_mode & 0o777) == "0o600"
        assert b"cookie_key" not in db.read_bytes()
        with streamlit_server(db) as url:  # a restart: the key is read again from its file
            page.goto(url)
            page.get_by_role("link", name="Nhập dữ liệu", exact=True).wait_for()
            page.get_by_role("button", name="Đăng xuất").click()
            only_the_sign_in_form(page)
            key = Path(str(db) + ".cookie-key").read_text(encoding="ascii")
            claims = jwt.decode(copied[0]["value"], key, algorithms=["HS256"])
            forged = [jwt.encode(claims, key, algorithm="HS512"), jwt.encode(claims, None, algorithm="none"),
                      edited(copied[0]["value"], {**claims, "sub": "boss"}), copied[0]["value"][:-2] + "xx"]
            for value in [copied[0]["value"], *forged]:
                other = browser.new_context(locale="vi-VN")
                other.add_cookies([{**copied[0], "value": value}])
                replay = other.new_page()
                replay.goto(url)
                only_the_sign_in_form(replay)
                assert_no_error(replay)
                other.close()
    finally:
        first.close()


def edited(token: str, claims: dict) -> str:
    """The token with other claims and its original signature: what a person editing the cookie gets."""
    header, _, signature = token.split(".")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


def test_the_backup_is_made_for_the_administrator_signed_in_when_it_is_clicked(people_db, tmp_path, browser):
    """The zip holds every password hash: it is made when clicked, for an administrator still signed in
    then, and audited under their name (it was ``?``). A sign-out in another tab ends the first tab's right."""
    db = tmp_path / "kpi.duckdb"
    shutil.copy(people_db, db)
    add_user(db, "boss", "admin")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    try:
        with streamlit_server(db) as url:
            page.goto(url)
            sign_in(page, "boss", PASSWORD)
            page.goto(f"{url}/admin")
            wait_rendered(page)  # a tab clicked while the page is still being drawn is drawn again unselected
            page.get_by_role("tab", name="Sao lưu").click()
            button = page.get_by_role("button", name="Tải bản sao lưu (.zip)")
            with page.expect_download() as done:
                button.click()
            assert done.value.suggested_filename.endswith(".zip")
            other = context.new_page()
            other.goto(url)
            other.get_by_role("button", name="Đăng xuất").click()
            only_the_sign_in_form(other)
            button.click()  # the first tab still shows the button of a sign-in that has ended
            page.wait_for_timeout(5_000)
            assert len(downloads) == 1
    finally:
        context.close()
    store = Store.open(db, read_only=True)
    try:
        logged = store.rows("SELECT user_name, source FROM audit WHERE action = 'backup'")
    finally:
        store.close()
    assert logged == [("boss", "web")]
