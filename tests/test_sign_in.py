"""The sign-in's ticket and token (``metrics.storage.sign_in``) on a real database, and the server routes that set
and delete the HttpOnly cookie (``ui.auth_routes``), called with the requests Starlette hands them."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from starlette.requests import Request

from metrics.storage import audit, sign_in, users
from ui import auth_routes

PASSWORD = "mật khẩu đủ dài"
KEY = "a key of the tests, long enough for HS256 and for HS512 too: sixty-four bytes at least"


@pytest.fixture
def lan(mini_store):
    users.add(mini_store, "lan", "Lan", "analyst", PASSWORD, by="root")
    return users.get(mini_store, "lan")


@pytest.fixture
def served(mini_store, lan, monkeypatch):
    """The routes open ``$KPI_DB`` themselves, as on the server; the test's own connection shares the file."""
    monkeypatch.setenv("KPI_DB", str(mini_store.path))
    monkeypatch.setenv("KPI_COOKIE_KEY", KEY)
    monkeypatch.delenv("KPI_COOKIE_SECURE", raising=False)
    return mini_store


def request(path: str, query: str = "", headers: dict | None = None, scheme: str = "http") -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request({"type": "http", "method": "GET", "scheme": scheme, "server": ("127.0.0.1", 8501), "path": path,
                    "query_string": query.encode(), "headers": raw})


def test_a_ticket_works_once_and_is_kept_only_as_its_hash(mini_store, lan):
    ticket = sign_in.issue_ticket(mini_store, lan, "/import?year=2025")
    assert len(ticket) >= 40
    assert mini_store.rows("SELECT count(*) FROM sign_in_tickets WHERE ticket_sha256 LIKE ?", [f"%{ticket}%"]) == [(0,)]
    found = sign_in.redeem_ticket(mini_store, ticket)
    assert found == sign_in.Redeemed(lan, "/import?year=2025")
    assert sign_in.redeem_ticket(mini_store, ticket) is None
    assert mini_store.rows("SELECT count(*) FROM sign_in_tickets") == [(0,)]


def test_a_ticket_expires(mini_store, lan):
    ticket = sign_in.issue_ticket(mini_store, lan, "/", seconds=1)
    time.sleep(1.5)
    assert sign_in.redeem_ticket(mini_store, ticket) is None
    assert sign_in.TICKET_SECONDS <= 30


def test_a_ticket_of_a_user_locked_or_signed_out_meanwhile_is_worth_nothing(mini_store, lan):
    users.add(mini_store, "boss", "", "admin", PASSWORD, by="root")
    first = sign_in.issue_ticket(mini_store, lan, "/")
    users.end_sessions(mini_store, "lan")
    assert sign_in.redeem_ticket(mini_store, first) is None
    second = sign_in.issue_ticket(mini_store, users.get(mini_store, "lan"), "/")
    users.deactivate(mini_store, "lan", by="boss")
    assert sign_in.redeem_ticket(mini_store, second) is None
    for unknown in (None, "", "not-a-ticket", "x" * 10_000):
        assert sign_in.redeem_ticket(mini_store, unknown) is None


@pytest.mark.parametrize("address", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x",
                                     "evil.example", "/x\r\nSet-Cookie: a=b", ""])
def test_after_signing_in_or_out_the_browser_goes_nowhere_but_this_site(address):
    assert sign_in.local_path(address) == "/"
    assert sign_in.local_path("/units?year=2024&unit=883") == "/units?year=2024&unit=883"


def test_a_token_signs_in_until_the_session_ends(mini_store, lan):
    value = sign_in.token(lan, KEY)
    assert sign_in.holder(mini_store, KEY, value) == lan
    assert sign_in.holder(mini_store, "another key of the same length, or any other", value) is None
    users.end_sessions(mini_store, "lan")
    assert sign_in.holder(mini_store, KEY, value) is None


def forged(lan: users.User) -> list[str]:
    claims = {"sub": lan.username, "ver": lan.session_version, "exp": int(time.time()) + 3600}
    good = jwt.encode(claims, KEY, algorithm="HS256")
    header, _, signature = good.split(".")
    boss = base64.urlsafe_b64encode(json.dumps({**claims, "sub": "boss"}).encode()).rstrip(b"=").decode()
    return [jwt.encode(claims, KEY, algorithm="HS512"), jwt.encode(claims, None, algorithm="none"),
            f"{header}.{boss}.{signature}", good[:-3] + "abc", "not a token", "a.b.c",
            jwt.encode({**claims, "exp": int(time.time()) - 10}, KEY, algorithm="HS256"),
            jwt.encode({"sub": lan.username, "exp": claims["exp"]}, KEY, algorithm="HS256"),
            jwt.encode({**claims, "ver": 7}, KEY, algorithm="HS256")]


def test_a_forged_edited_expired_or_incomplete_token_is_no_sign_in(mini_store, lan):
    users.add(mini_store, "boss", "", "admin", PASSWORD, by="root")
    for value in forged(lan):
        assert sign_in.holder(mini_store, KEY, value) is None, value


def test_the_route_takes_the_ticket_once_and_sets_an_httponly_strict_cookie(served, lan):
    ticket = sign_in.issue_ticket(served, lan, "/units?year=2024")
    response = auth_routes.finish_sign_in(request("/auth/sign-in", f"t={ticket}"))
    assert response.status_code == 303 and response.headers["location"] == "/units?year=2024"
    assert response.headers["cache-control"] == "no-store"
    cookie = response.headers["set-cookie"]
    value = cookie.split(";")[0].removeprefix("kpi_sign_in=")
    assert sign_in.holder(served, KEY, value) == lan
    flags = [f.strip() for f in cookie.split(";")[1:]]
    assert "HttpOnly" in flags and "SameSite=strict" in flags and "Path=/" in flags and "Secure" not in flags
    assert f"Max-Age={7 * 86400}" in flags
    assert list(audit.entries(served, user="lan")["action"])[:1] == ["sign-in"]
    again = auth_routes.finish_sign_in(request("/auth/sign-in", f"t={ticket}"))
    assert again.status_code == 400 and "set-cookie" not in again.headers
    assert "đã được dùng hoặc đã hết hạn" in again.body.decode()


@pytest.mark.parametrize("how", ["scheme", "proxy", "setting"])
def test_behind_https_the_cookie_is_secure(served, lan, monkeypatch, how):
    if how == "setting":
        monkeypatch.setenv("KPI_COOKIE_SECURE", "1")
    ticket = sign_in.issue_ticket(served, lan, "/")
    response = auth_routes.finish_sign_in(request("/auth/sign-in", f"t={ticket}", scheme="https" if how == "scheme"
                                                  else "http", headers={"X-Forwarded-Proto": "https"} if how == "proxy"
                                                  else None))
    assert "Secure" in [f.strip() for f in response.headers["set-cookie"].split(";")]


def test_the_sign_out_route_deletes_the_cookie_and_ends_the_sign_in_it_carries(served, lan):
    value = sign_in.token(lan, KEY)
    response = auth_routes.finish_sign_out(request("/auth/sign-out", "next=%2Funits%3Fyear%3D2024",
                                                   {"Cookie": f"kpi_sign_in={value}"}))
    assert response.status_code == 303 and response.headers["location"] == "/units?year=2024"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith('kpi_sign_in="";') and "Max-Age=0" in cookie and "HttpOnly" in cookie
    assert sign_in.holder(served, KEY, value) is None  # a copy of it is worth nothing now
    assert list(audit.entries(served, user="lan")["action"])[:1] == ["sign-out"]
    elsewhere = auth_routes.finish_sign_out(request("/auth/sign-out", "next=https%3A%2F%2Fevil.example%2F"))
    assert elsewhere.headers["location"] == "/"
