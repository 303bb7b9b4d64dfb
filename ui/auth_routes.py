"""The sign-in's two server routes: they set and delete the sign-in cookie, which no page script can do
when the cookie is HttpOnly.

    GET /auth/sign-in?t=TICKET    the ticket of a checked password (once, 30 s) → the cookie, then the page
    GET /auth/sign-out?next=/x    the cookie deleted (and its sign-in ended, if still valid), then /x

``streamlit run dashboard.py`` serves them beside the dashboard (``st.App`` in ``dashboard.py``). The
cookie is HttpOnly (no script in the page can read it), SameSite=Strict (no other site's page or form
sends it), ``Secure`` behind HTTPS (a proxy's ``X-Forwarded-Proto: https``, or ``KPI_COOKIE_SECURE=1``),
and for the dashboard's own path. These run outside any page run: they open the database themselves.
"""

from __future__ import annotations

import html
import logging
import os

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from streamlit import config

from metrics.storage import audit, db, sign_in, users
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError

log = logging.getLogger("dashboard")
COOKIE_NAME = "kpi_sign_in"
SIGN_IN_PATH, SIGN_OUT_PATH = "/auth/sign-in", "/auth/sign-out"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the ticket stays in no cache or log


def base() -> str:
    """The dashboard's path prefix (``server.baseUrlPath``): ``""`` or ``/kpi``."""
    path = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{path}" if path else ""


def routes() -> list[Route]:
    return [Route(base() + SIGN_IN_PATH, finish_sign_in, methods=["GET"]),
            Route(base() + SIGN_OUT_PATH, finish_sign_out, methods=["GET"])]


def https(request: Request) -> bool:
    if os.environ.get("KPI_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return forwarded == "https" or request.url.scheme == "https"


def finish_sign_in(request: Request) -> Response:
    """Take the ticket once, set the cookie, and open the page the person signed in on."""
    try:
        found, value = _redeem(request.query_params.get("t"))
    except UserError as exc:  # the database or the key file cannot be read: say what to do, never a trace
        return _page(503, exc.vi, exc.en)
    if found is None:
        return _page(400, "Liên kết đăng nhập này đã được dùng hoặc đã hết hạn. Hãy đăng nhập lại.",
                     "This sign-in link has been used or has expired. Please sign in again.")
    response = RedirectResponse(found.next_path, status_code=303, headers=NO_STORE)
    response.set_cookie(COOKIE_NAME, value, max_age=sign_in.TOKEN_DAYS * 86400, path=base() + "/",
                        secure=https(request), httponly=True, samesite="strict")
    return response


def _redeem(ticket: str | None) -> tuple[sign_in.Redeemed | None, str | None]:
    store = Store.open(db.location())
    try:
        found = sign_in.redeem_ticket(store, ticket)
        if found is None:
            return None, None
        value = sign_in.token(found.user, users.cookie_key(store))
        audit.record(store, found.user.username, "sign-in")
        return found, value
    finally:
        store.close()


def finish_sign_out(request: Request) -> Response:
    """Delete the cookie; a sign-in it still carries ends here too (an address typed or bookmarked)."""
    value = request.cookies.get(COOKIE_NAME)
    if value:
        _end(value)
    response = RedirectResponse(sign_in.local_path(request.query_params.get("next"), base() + "/"),
                                status_code=303, headers=NO_STORE)
    response.delete_cookie(COOKIE_NAME, path=base() + "/", secure=https(request), httponly=True, samesite="strict")
    return response


def _end(value: str) -> None:
    try:
        store = Store.open(db.location())
    except UserError as exc:  # the cookie is deleted all the same; its session ends with the next one
        log.warning("Sign-out could not open the database: %s", exc.en)
        return
    try:
        user = sign_in.holder(store, users.cookie_key(store), value)
        if user is not None:
            audit.record(store, user.username, "sign-out")
            users.end_sessions(store, user.username)
    finally:
        store.close()


def _page(status: int, vi: str, en: str) -> HTMLResponse:
    """A short page of its own, in both languages (the route knows no language), with the way back."""
    home = html.escape(base() + "/")
    body = (f"<!doctype html><html lang='vi'><meta charset='utf-8'><title>Đăng nhập · Sign in</title>"
            f"<body style='font-family:sans-serif;max-width:40rem;margin:3rem auto'>"
            f"<p>{html.escape(vi)}</p><p lang='en'>{html.escape(en)}</p>"
            f"<p><a href='{home}'>Mở lại trang đăng nhập · Back to the sign-in form</a></p></body></html>")
    return HTMLResponse(body, status_code=status, headers=NO_STORE)
