"""Each role sees exactly its pages and actions (AppTest): nobody, a public visitor, viewer, analyst, admin.
Sign-in through the form, failures and the brake on guessing, sign-out, locked accounts, the admin page,
the startup check on a database that cannot be opened, and user text that is never rendered as markup."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
import streamlit as st
from starlette.requests import Request
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from metrics.storage import audit, users
from metrics.storage.db import DATA_DIR
from metrics.storage.store import Store
from tests.helpers import PASSWORD, add_user, copy_database, sign_in
from ui import auth_routes
from ui.auth import TOKEN
from ui.navigation import PAGES

VIEWER_PAGES = ["Tổng quan", "Chỉ tiêu", "Đơn vị", "Về số liệu", "Trình chiếu"]
LINKS = {"viewer": VIEWER_PAGES, "analyst": [*VIEWER_PAGES, "Nhập dữ liệu"],
         "approver": [*VIEWER_PAGES, "Nhập dữ liệu"], "admin": [*VIEWER_PAGES, "Nhập dữ liệu", "Quản trị"]}
PEOPLE = {"viewer": "minh", "analyst": "lan", "approver": "duyet", "admin": "boss"}


@pytest.fixture(scope="module")
def template(demo_template, tmp_path_factory):
    path = copy_database(demo_template, tmp_path_factory.mktemp("roles"), "kpi.duckdb")
    for role, name in PEOPLE.items():
        add_user(path, name, role)
    return path


@pytest.fixture
def db(template, tmp_path, monkeypatch):
    path = copy_database(template, tmp_path)
    monkeypatch.setenv("KPI_DB", str(path))
    monkeypatch.delenv("KPI_PUBLIC", raising=False)
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()  # releases the DuckDB file lock


def start(who: str | None = None) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    if who:
        sign_in(at, who)
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def open_url(at: AppTest, url: str) -> AppTest:
    """Open an address the way a deep link does (``switch_page`` takes files only, not callable pages)."""
    at._page_hash = calc_hash(url)
    return ok(at.run())


def links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link") if link.proto.label in LINKS["admin"] + ["Đăng nhập"]]


def only_the_sign_in_form(at: AppTest) -> None:
    assert [t.value for t in at.title] == ["Đăng nhập"]
    assert [i.label for i in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    assert not links(at) and not at.sidebar.children.get(0)
    for kind in ("metric", "dataframe", "selectbox", "tabs", "file_uploader", "plotly_chart"):
        assert not at.get(kind), kind


def test_nobody_signed_in_gets_the_sign_in_form_and_nothing_else_at_every_address(db):
    at = start()
    only_the_sign_in_form(at)
    for entry in PAGES:
        only_the_sign_in_form(open_url(at, entry.url))


def test_a_public_deployment_opens_the_leaders_pages_but_not_import_or_admin(db, monkeypatch):
    monkeypatch.setenv("KPI_PUBLIC", "1")
    at = start()
    assert at.title[0].value == "Tổng quan" and links(at) == [*VIEWER_PAGES, "Đăng nhập"]
    for url in ("import", "admin"):
        assert [t.value for t in open_url(at, url).title] == ["Đăng nhập"]
        assert not at.get("file_uploader") and not at.get("tabs")


@pytest.mark.parametrize("role", ["viewer", "analyst", "approver", "admin"])
def test_each_role_sees_exactly_its_pages(db, role):
    at = start(PEOPLE[role])
    assert at.title[0].value == "Tổng quan"
    assert links(at) == LINKS[role]
    assert [b.label for b in at.button if b.key == "sign_out"] == ["Đăng xuất"]
    assert any(PEOPLE[role].title() in str(c.value) for c in at.sidebar.caption)
    for entry in PAGES:
        open_url(at, entry.url)
        allowed = users.allows(role, entry.role)
        title = [t.value for t in at.title]
        if allowed:
            assert title and not [w for w in at.warning if "dành cho" in str(w.value)], entry.url
        else:  # a sentence that says which role the page needs, and none of its actions
            assert not title and "dành cho" in at.warning[0].value, entry.url
            assert not at.get("file_uploader") and not at.get("tabs") and not at.get("download_button")


def test_the_analyst_imports_and_undoes_as_themselves(db):
    at = start("lan")
    open_url(at, "import")
    assert [t.label for t in at.tabs] == ["Tải tệp lên", "Lịch sử nhập", "Tệp mẫu"]
    assert at.file_uploader and not [b for b in at.button if b.key in ("intake_undo", "intake_approve")]
    assert any("chỉ người duyệt số liệu hoặc quản trị viên hoàn tác được" in c.value for c in at.caption)
    _provisional_batch(db)  # an import not yet approved: its analyst may undo it, not approve it
    at = open_url(start("lan"), "import")
    assert [b for b in at.button if b.key == "intake_undo"] and not [b for b in at.button if b.key == "intake_approve"]
    assert any("Đợt #3 đang tạm tính" in c.value for c in at.caption)


def test_the_approver_approves_a_batch_on_the_import_page_and_the_log_says_who(db):
    _provisional_batch(db)
    at = open_url(start("duyet"), "import")
    assert any("◐ Tạm tính" in str(v) for v in at.dataframe[0].value.iloc[0])
    [button] = [b for b in at.button if b.key == "intake_approve"]
    ok(button.click().run())
    assert any("Đã duyệt đợt #3" in s.value for s in at.success)
    store = Store.open(db, read_only=True)
    try:
        [row] = audit.entries(store, actions=["approve"]).to_dict("records")
        approved = store.rows("SELECT approved_by FROM batches WHERE id = 3")[0][0]
    finally:
        store.close()
    assert (row["user_name"], row["source"], approved) == ("duyet", "web", "duyet")


def _provisional_batch(path) -> None:
    import pandas as pd

    from metrics.storage.store import write_batch

    store = Store.open(path)
    try:
        with store.transaction() as cur:
            write_batch(cur, pd.DataFrame([{"unit": "CD-KKT-2025", "indicator": "members", "year": 2026,
                                            "value": 13655.0}]), "import", file_name="members.csv", user="lan",
                        provisional=True)
    finally:
        store.close()
    st.cache_resource.clear()


def test_every_page_checks_the_role_itself_even_without_the_navigation(db):
    """A page script run on its own, without dashboard.py's navigation, refuses an unsigned visitor."""
    for script, shown in (("../views/import.py", "file_uploader"), ("../views/admin.py", "tabs")):
        at = ok(AppTest.from_file(script, default_timeout=60).run())
        assert not at.get(shown) and "đăng nhập" in at.warning[0].value
        viewer = AppTest.from_file(script, default_timeout=60)
        sign_in(viewer, "minh")
        ok(viewer.run())
        assert not viewer.get(shown) and "dành cho" in viewer.warning[0].value


def sign_in_with(at: AppTest, name: str, password: str) -> AppTest:
    """Fill in and submit the sign-in form of the page on screen (AppTest beside a ``pages/`` folder dropped
    the click unless its private ``_finished_page_script_hash`` was reset: no such folder now)."""
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return ok(at.button[0].click().run())


def ticket_link(at: AppTest) -> str:
    """The address the page sends the browser to after a right password (its fallback link shows it)."""
    links = [b.proto.url for b in at.get("link_button")]
    assert len(links) == 1 and links[0].startswith("/auth/sign-in?t="), links
    return links[0]


def server_request(address: str, cookies: dict | None = None) -> Request:
    """The request a browser makes for ``address`` on the dashboard's server, as Starlette hands it over."""
    path, _, query = address.partition("?")
    headers = [(b"cookie", "; ".join(f"{k}={v}" for k, v in (cookies or {}).items()).encode())] if cookies else []
    return Request({"type": "http", "method": "GET", "scheme": "http", "server": ("127.0.0.1", 8501), "path": path,
                    "query_string": query.encode(), "headers": headers})


@pytest.mark.slow
def test_signing_in_through_the_form_then_out_is_audited(db):
    """A right password gives a one-time ticket (its SHA-256 alone is stored), not a sign-in: the server
    route takes the ticket, sets the HttpOnly cookie, audits the sign-in; the cookie signs in later runs;
    signing out ends it at once and for good."""
    at = start()
    sign_in_with(at, "Lan", PASSWORD)  # names are not case-sensitive
    address = ticket_link(at)
    assert "thành công" in at.success[0].value and not links(at)  # no sign-in in this session: the cookie does it
    ticket = address.split("t=", 1)[1]
    store = Store.open(db)
    try:
        stored = store.rows("SELECT ticket_sha256, username FROM sign_in_tickets")
    finally:
        store.close()
    assert stored == [(hashlib.sha256(ticket.encode()).hexdigest(), "lan")]
    response = auth_routes.finish_sign_in(server_request(address))
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("kpi_sign_in=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain HTTP here
    assert auth_routes.finish_sign_in(server_request(address)).status_code == 400  # once only
    token = cookie.split(";")[0].split("=", 1)[1]
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state[TOKEN] = token
    ok(at.run())
    assert links(at) == LINKS["analyst"]
    at.button(key="sign_out").click().run()
    ok(at.run())
    only_the_sign_in_form(at)
    again = AppTest.from_file("../dashboard.py", default_timeout=60)
    again.session_state[TOKEN] = token  # a copy of the cookie, kept from before the sign-out
    only_the_sign_in_form(ok(again.run()))
    store = Store.open(db)  # read-write, like the page's own connection: DuckDB shares one file per process
    try:
        assert list(audit.entries(store, user="lan")["action"]) == ["sign-out", "sign-in"]
    finally:
        store.close()


@pytest.mark.slow
def test_a_wrong_password_is_refused_audited_and_guessing_is_braked(db):
    at = start()
    sign_in_with(at, "lan", "not the password")
    assert "không đúng" in at.error[0].value and not at.get("link_button")
    for _ in range(9):
        sign_in_with(at, "lan", "still not it")
    sign_in_with(at, "lan", PASSWORD)  # the right password, too late: wait
    assert "quá nhiều lần" in at.error[0].value and not at.get("link_button")
    store = Store.open(db)  # read-write, like the page's own connection: DuckDB shares one file per process
    try:
        assert audit.recent_failures(store, "lan", 15) == 11
        assert store.rows("SELECT count(*) FROM sign_in_tickets")[0][0] == 0
    finally:
        store.close()


def test_a_role_change_or_a_locked_account_takes_effect_at_the_next_click(db):
    """A new role ends the sign-in (the person signs in again and gets the new role's pages); so does a
    locked account."""
    at = start("lan")
    store = Store.open(db)
    try:
        users.set_role(store, "lan", "viewer", by="boss")
    finally:
        store.close()
    st.cache_resource.clear()
    only_the_sign_in_form(ok(at.run()))
    at = start("lan")
    assert links(at) == LINKS["viewer"]
    store = Store.open(db)
    try:
        users.deactivate(store, "lan", by="boss")
    finally:
        store.close()
    st.cache_resource.clear()
    only_the_sign_in_form(ok(at.run()))


def test_the_admin_adds_a_user_changes_roles_and_cannot_remove_the_last_admin(db):
    at = open_url(start("boss"), "admin")
    assert [t.label for t in at.tabs] == ["Người dùng", "Nhật ký", "Kế hoạch và chỉ tiêu", "Hạn báo cáo", "Sao lưu"]
    at.text_input(key="admin_new_username").input("thu.ha")
    at.text_input(key="admin_new_name").input("Trần Thu Hà")
    at.selectbox(key="admin_new_role").set_value("analyst")
    at.text_input(key="admin_new_password").input(PASSWORD)
    at.text_input(key="admin_new_password2").input(PASSWORD)
    ok(at.button[0].click().run())
    assert at.success[0].value.startswith("Đã thêm thu\\.ha")
    assert "thu.ha" in list(at.dataframe[0].value["Tên đăng nhập"])
    ok(at.selectbox(key="admin_user").set_value("boss").run())
    ok(at.button(key="admin_deactivate").click().run())
    assert "quản trị viên cuối cùng" in at.error[0].value
    store = Store.open(db)  # read-write, like the page's own connection: DuckDB shares one file per process
    try:
        assert users.get(store, "thu.ha").role == "analyst" and users.get(store, "boss").active
        log = audit.entries(store)
        assert list(zip(log["user_name"], log["action"], log["source"]))[0] == ("boss", "user-add", "web")
    finally:
        store.close()


def test_the_admin_loads_targets_after_a_preview(db):
    at = open_url(start("boss"), "admin")
    content = (DATA_DIR / "targets.csv").read_bytes().replace(b"28000", b"29000", 1)
    at.file_uploader(key="admin_targets_files").upload("targets.csv", content, "text/csv")
    ok(at.run())
    ok(at.button(key="admin_targets_check").click().run())
    assert "hợp lệ" in at.success[0].value and "cập nhật: 1" in at.text[0].value
    ok(at.button(key="admin_targets_confirm").click().run())
    assert at.success[0].value.startswith("Đã ghi kế hoạch và chỉ tiêu")
    store = Store.open(db)  # read-write, like the page's own connection: DuckDB shares one file per process
    try:
        assert store.rows("SELECT value FROM targets WHERE code = 'NK1a' AND plan = 'DH-XI-2023-2028'")[0][0] == 29000
        assert audit.entries(store, actions=["targets-load"])["user_name"].tolist() == ["boss"]
    finally:
        store.close()


def test_the_audit_log_and_the_backup_are_offered_to_the_admin(db):
    at = open_url(start("boss"), "admin")
    assert [b.proto.label for b in at.get("download_button")][-1] == "Tải bản sao lưu (.zip)"
    log = at.dataframe[1].value
    assert list(log.columns) == ["Thời điểm", "Người thực hiện", "Thao tác", "Chi tiết", "Thực hiện trên"]
    assert "Thêm người dùng" in set(log["Thao tác"]) and "dòng lệnh" in set(log["Thực hiện trên"])
    added = log[log["Thao tác"] == "Thêm người dùng"]["Chi tiết"].iloc[0]
    assert added.startswith("tài khoản ") and "vai trò" in added and "{" not in added  # words, not JSON


def test_a_database_that_cannot_be_opened_is_reported_and_left_alone(tmp_path, monkeypatch):
    path = tmp_path / "kpi.duckdb"
    path.write_bytes(b"this is not a database, but someone's file" * 100)
    before = path.read_bytes()
    monkeypatch.setenv("KPI_DB", str(path))
    monkeypatch.setenv("KPI_PUBLIC", "1")
    st.cache_resource.clear()
    at = ok(AppTest.from_file("../dashboard.py", default_timeout=60).run())
    st.cache_resource.clear()
    shown = " ".join(e.value for e in at.error)
    assert "không mở được cơ sở dữ liệu" in shown and "python -m metrics restore" in shown.replace("\\", "")
    assert not at.title and not at.get("page_link")
    assert path.read_bytes() == before


def test_names_and_notes_are_shown_as_plain_text_never_as_markup(db, monkeypatch):
    """A unit named with HTML and Markdown: every element that renders Markdown gets it escaped."""
    hostile = "<b>Công đoàn</b> **đậm** [x](javascript:alert(1))"
    store = Store.open(db)
    try:
        with store.transaction() as cur:  # a test-only shortcut
            cur.execute("UPDATE units SET name_vi = ? WHERE code = '883'", [hostile])
    finally:
        store.close()
    monkeypatch.setenv("KPI_PUBLIC", "1")
    st.cache_resource.clear()
    for script, session in (("views/overview.py", {"unit": "883", "year": 2024}),
                            ("views/units.py", {"unit": "883", "year": 2024}),
                            ("views/target.py", {"unit": "AG", "target": "NK1b", "year": 2024})):
        at = AppTest.from_file("../dashboard.py", default_timeout=60)
        for key, value in session.items():
            at.session_state[key] = value
        ok(at.run())
        ok(at.switch_page(script).run())
        rendered = [str(e.value) for kind in ("markdown", "caption", "title", "header", "subheader", "info",
                                              "warning", "error", "success") for e in getattr(at, kind)]
        assert not [r for r in rendered if "<b>Công đoàn</b>" in r or "**đậm**" in r], script
        html = [e for e in at.markdown if e.proto.allow_html and "<style>" not in e.value]
        assert not html, script


@pytest.mark.slow
def test_a_database_held_by_a_command_line_import_is_reported_in_the_dashboards_words(template, tmp_path,
                                                                                      monkeypatch):
    """The message names the holder (not always "the dashboard": here a command-line import) and says
    what to do here: wait and reload; no --db, which means nothing on a page."""
    path = copy_database(template, tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(path), "metrics", "import", "x.csv"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("KPI_DB", str(path))
        monkeypatch.setenv("KPI_PUBLIC", "1")
        st.cache_resource.clear()
        at = ok(AppTest.from_file("../dashboard.py", default_timeout=60).run())
        st.cache_resource.clear()
    finally:
        holder.kill()
        holder.wait()
    shown = " ".join(e.value for e in at.error).replace("\\", "")
    assert "python -m metrics import x.csv" in shown and "tải lại trang" in shown and "--db" not in shown
