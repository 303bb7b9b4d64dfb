"""Sign-in, sign-out and roles for the dashboard, over ``metrics.storage.users`` and ``metrics.storage.sign_in``.

The sign-in lives in an HttpOnly cookie that only the server sets and deletes (``ui.auth_routes``): no
script in the page can read it. The form checks the password here, then sends the browser to the
server route with a one-time ticket; the route sets the cookie and opens the page the person was on.
Every run reads the cookie the page was opened with (``st.context.cookies``) and checks its signature
and the user's session version against the database, so signing out, a new password, a new role or a
locked account ends every sign-in of that user, on every device, at its next click. The role is read
from the database on every run, never from the session. Every name costs one bcrypt check of the same
cost, known or not: the time taken tells nothing.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

from metrics.storage import audit, sign_in, users
from metrics.storage.store import Store
from ui import data
from ui.auth_routes import COOKIE_NAME, SIGN_IN_PATH, SIGN_OUT_PATH, base
from ui.texts import t
from ui.widgets import safe

LOCK_FAILURES, LOCK_MINUTES = 10, 15  # failed sign-ins of one name before the form refuses it for a while
SIGN_OUT = "_auth_sign_out"
# A session may hold a token in its state instead of a cookie: AppTest sends no cookies, so the tests
# seed a real token there. It is checked exactly like the cookie; no widget can write this key.
TOKEN = "_auth_token"


@dataclass(frozen=True)
class Authenticator:
    """The database and the key that signs sign-in tokens, for one run."""
    store: Store
    key: str

    def holder(self, token: str | None) -> users.User | None:
        return sign_in.holder(self.store, self.key, token)


def public() -> bool:
    """``KPI_PUBLIC=1``: the leaders' pages open without signing in (a public deployment)."""
    return os.environ.get("KPI_PUBLIC", "").strip().lower() in ("1", "true", "yes", "on")


def authenticator() -> Authenticator:
    store = data.store()
    return Authenticator(store, users.cookie_key(store))


def _token() -> str | None:
    cookie = st.context.cookies.get(COOKIE_NAME)  # AppTest's stand-in client answers with a non-string
    return (cookie if isinstance(cookie, str) else None) or st.session_state.get(TOKEN)


def current_user() -> users.User | None:
    """The signed-in user as the database says now (None: nobody, a token that is not ours, an account
    locked meanwhile, or a sign-in ended since: signed out elsewhere, new password, new role)."""
    token = _token()
    return authenticator().holder(token) if token else None


def still_may(username: str, version: str | None, role: str) -> bool:
    """Checked again when work outlives the run that offered it (a download made when it is clicked):
    the same sign-in, still active, still with ``role``."""
    user = users.get(data.store(), username)
    return user is not None and user.may(role) and user.session_version == version


def may(user: users.User | None, role: str) -> bool:
    """Whether this visitor may open a page of ``role``: signed in with that role, or a public viewer page."""
    return user.may(role) if user is not None else role == "viewer" and public()


def restore() -> tuple[users.User | None, Authenticator | None]:
    """At the start of every run: the user of the cookie, and a sign-out asked for by the last click
    (the session ends in the database at once, then the server route deletes the cookie)."""
    token = _token()
    found = authenticator() if token else None
    user = found.holder(token) if found else None
    if st.session_state.pop(SIGN_OUT, False) and user is not None:
        audit.record(found.store, user.username, "sign-out")
        users.end_sessions(found.store, user.username)  # a copy of the cookie is worth nothing now
        st.session_state.pop(TOKEN, None)
        _go(f"{base()}{SIGN_OUT_PATH}?{urllib.parse.urlencode({'next': _here()})}")
        user = None
    return user, found


def _here() -> str:
    """The address of the page on screen, path and query (``st.context.url`` has no query), to come back to."""
    path = urllib.parse.urlsplit(st.context.url or "").path
    query = urllib.parse.urlencode({k: st.query_params.get_all(k) for k in st.query_params}, doseq=True)
    return sign_in.local_path(path + (f"?{query}" if query else ""), base() + "/")


def _go(url: str) -> None:
    """Send the browser to a server address (the frame's own redirect, which ``st.login`` uses too)."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        message = ForwardMsg()
        message.auth_redirect.url = url
        ctx.enqueue(message)


def check(found: Authenticator, username: str, password: str) -> users.User | None | bool:
    """The user, None (wrong name or password), or False (too many failures of this name: wait);
    every attempt is audited."""
    name = str(username or "").strip().lower()[:64]
    if audit.recent_failures(found.store, name, LOCK_MINUTES) >= LOCK_FAILURES:
        audit.record(found.store, name, "sign-in-failed", {"reason": "too many failures"})
        return False
    user = users.verify(found.store, name, str(password or "").strip())  # spaces at the ends never count
    if user is None:
        audit.record(found.store, name, "sign-in-failed", {"reason": "password"})
    return user


def sign_in_page(found: Authenticator, lang: str) -> None:
    """The sign-in form and nothing else: no data, no navigation."""
    st.set_page_config(page_title=t("sign_in_title", lang), layout="centered")
    st.title(t("sign_in_title", lang))
    st.caption(t("sign_in_public" if public() else "sign_in_intro", lang))
    if users.count(found.store) == 0:
        st.info(t("sign_in_no_users", lang))
    with st.form("sign_in"):
        st.subheader(t("sign_in_form", lang))
        name = st.text_input(t("sign_in_username", lang), autocomplete="username")
        password = st.text_input(t("sign_in_password", lang), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("sign_in_button", lang))
    if submitted:
        _submit(found, name, password, lang)


def _submit(found: Authenticator, name: str, password: str, lang: str) -> None:
    """A right password: a one-time ticket, and the browser goes to the route that sets the cookie."""
    user = check(found, name, password)
    if user is False:
        st.error(t("sign_in_locked", lang).format(minutes=LOCK_MINUTES))
        return
    if user is None:
        st.error(t("sign_in_failed", lang))
        return
    ticket = sign_in.issue_ticket(found.store, user, _here())
    url = f"{base()}{SIGN_IN_PATH}?{urllib.parse.urlencode({'t': ticket})}"
    _go(url)
    st.success(t("sign_in_done", lang))
    st.link_button(t("sign_in_continue", lang), url)  # for a browser that does not follow


def signed_in_box(user: users.User, lang: str) -> None:
    """The user's name and role, and the sign-out button, in the sidebar."""
    st.sidebar.caption(safe(t("signed_in_as", lang).format(name=user.display_name,
                                                          role=users.role_label(user.role, lang))))
    st.sidebar.button(t("sign_out", lang), key="sign_out", icon=":material/logout:",
                      on_click=lambda: st.session_state.update({SIGN_OUT: True}))


def denied(user: users.User | None, needed: str, page_key: str, lang: str) -> None:
    """Why this page is not shown, in words, never a trace."""
    if user is None:
        st.warning(t("denied_anonymous", lang), icon=":material/lock:")
        return
    st.warning(safe(t("denied", lang).format(page=t(page_key, lang), needed=users.role_label(needed, lang),
                                             role=users.role_label(user.role, lang))), icon=":material/lock:")
