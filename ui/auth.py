"""Sign-in, sign-out and roles for the dashboard: streamlit-authenticator 0.4.2 over ``metrics.users``.

The package keeps the sign-in in a signed cookie (7 days), so a reload or a new tab stays signed in; it
reads the cookie from the request and sets or deletes it through a small component that must reach the
browser: nothing may rerun the app before that component has run (it reruns the app itself).
The role is read from the database on every run, never from the session: a role change or a locked
account takes effect at the next click.

The cookie carries the user's session version (``metrics.users``) beside the package's name and expiry;
every run compares the session's version with the database's, so signing out, a new password, a new role
or a locked account ends every sign-in of that user, on every device, at its next click. A cookie the
package cannot trust (another algorithm, ``alg=none``, a bad signature, a missing field) is no sign-in.
Every name costs one bcrypt check of the same cost, known or not: the time taken tells nothing.
"""

from __future__ import annotations

import os

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities.exceptions import LoginError

from metrics import audit, users
from ui import data
from ui.texts import t
from ui.widgets import safe

COOKIE_NAME = "kpi_sign_in"
COOKIE_DAYS = 7
LOCK_FAILURES, LOCK_MINUTES = 10, 15  # failed sign-ins of one name before the form refuses it for a while
SIGN_OUT = "_auth_sign_out"
SESSION = "_auth_session_version"  # the version this session signed in with (users.session_version)
STATUS, USERNAME = "authentication_status", "username"  # streamlit-authenticator's own session keys
ALGORITHM = "HS256"


def public() -> bool:
    """``KPI_PUBLIC=1``: the leaders' pages open without signing in (a public deployment)."""
    return os.environ.get("KPI_PUBLIC", "").strip().lower() in ("1", "true", "yes", "on")


def current_user() -> users.User | None:
    """The signed-in user as the database says now (None: nobody, an account locked meanwhile, or a
    sign-in ended since: signed out elsewhere, new password, new role)."""
    if not st.session_state.get(STATUS):
        return None
    user = users.get(data.store(), st.session_state.get(USERNAME))
    valid = user is not None and user.active and user.session_version == st.session_state.get(SESSION)
    return user if valid else None


def still_may(username: str, version: str | None, role: str) -> bool:
    """Checked again when work outlives the run that offered it (a download made when it is clicked):
    the same sign-in, still active, still with ``role``."""
    user = users.get(data.store(), username)
    return user is not None and user.may(role) and user.session_version == version


def may(user: users.User | None, role: str) -> bool:
    """Whether this visitor may open a page of ``role``: signed in with that role, or a public viewer page."""
    return user.may(role) if user is not None else role == "viewer" and public()


def authenticator() -> stauth.Authenticate:
    """This run's authenticator over the active users (hashes only); sign-ins are audited and braked, and
    the cookie carries the session version."""
    store = data.store()
    found = stauth.Authenticate(users.credentials(store), COOKIE_NAME, users.cookie_key(store), COOKIE_DAYS,
                                auto_hash=False, login_sleep_time=0)
    controller = found.authentication_controller
    controller.login = _login(store, controller.login)
    _versioned_cookie(found.cookie_controller.cookie_model)
    return found


def _login(store, check):
    """The package's login with our checks: a cookie counts only with the user's current session version;
    a password is checked by ``users.verify`` (the same bcrypt cost for every name), then the package
    records the sign-in in the session as it does for a cookie."""
    def login(username=None, password=None, *args, token=None, **kwargs):
        if not username:  # the cookie of a sign-in already recorded
            user = users.get(store, token.get("username")) if token else None
            if token and (user is None or not user.active or user.session_version != token.get("session")):
                raise LoginError("revoked")
            st.session_state[SESSION] = token.get("session") if token else None
            return check(username, password, *args, token=token, **kwargs)
        name = str(username).strip().lower()[:64]
        if audit.recent_failures(store, name, LOCK_MINUTES) >= LOCK_FAILURES:
            audit.record(store, name, "sign-in-failed", {"reason": "too many failures"})
            raise LoginError("locked")
        user = users.verify(store, name, str(password or "").strip())  # the form trims, as the package does
        audit.record(store, name, "sign-in" if user else "sign-in-failed", None if user else {"reason": "password"})
        if user is None:
            st.session_state[STATUS] = False
            return False
        st.session_state[SESSION] = user.session_version
        check(None, None, token={"username": user.username})
        return True
    return login


def _versioned_cookie(model) -> None:
    """The package's cookie, with the session version in it, and decoded so that no token can raise."""
    key = model.cookie_key

    def encode() -> str:
        return jwt.encode({"username": st.session_state[USERNAME], "exp_date": model.exp_date,
                           "session": st.session_state.get(SESSION)}, key, algorithm=ALGORITHM)

    def decode():
        try:
            claims = jwt.decode(model.token, key, algorithms=[ALGORITHM])
        except jwt.InvalidTokenError:  # alg=none, HS512, a bad signature, not a token at all
            return False
        fields = {"username": str, "exp_date": (int, float), "session": str}
        if not isinstance(claims, dict) or not all(isinstance(claims.get(k), t) for k, t in fields.items()):
            return False
        return claims

    model._token_encode, model._token_decode = encode, decode
    model.cookie_manager.set = _secure(model.cookie_manager.set)


def _secure(set_cookie):
    """Behind HTTPS (the request came over it, or ``KPI_COOKIE_SECURE=1``) the cookie is ``Secure``: the
    browser never sends it over plain HTTP. SameSite=Strict as the package sets it."""
    def secure_set(*args, **kwargs):
        return set_cookie(*args, **{**kwargs, "secure": https(), "same_site": "strict"})
    return secure_set


def https() -> bool:
    if os.environ.get("KPI_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    headers = st.context.headers
    return (headers.get("X-Forwarded-Proto") or "").lower() == "https" or \
        str(st.context.url or "").lower().startswith("https://")


def restore() -> tuple[users.User | None, stauth.Authenticate | None]:
    """At the start of every run: finish a sign-out, take a sign-in from the cookie.

    The authenticator (and its cookie component, which costs the browser a rerun) is built only when
    there is cookie work to do: a sign-out to finish, a cookie to read for a visitor who is not signed in
    yet, or one to delete. Returns the user and the authenticator, if one was built.
    """
    signed_in = bool(st.session_state.get(STATUS))
    user = current_user()
    cookie = COOKIE_NAME in st.context.cookies  # as the browser sent it when this session began
    signed_out = bool(st.session_state.get("logout"))  # the package's own flag: this session signed out
    if not signed_in:
        st.session_state.pop(SIGN_OUT, None)  # asked for by a session that has ended meanwhile
    if not ((signed_in and (st.session_state.get(SIGN_OUT) or user is None)) or (not signed_in and cookie)):
        return user, None
    found = authenticator()
    if st.session_state.pop(SIGN_OUT, False):
        audit.record(data.store(), st.session_state.get(USERNAME), "sign-out")
        users.end_sessions(data.store(), st.session_state.get(USERNAME))  # a copy of the cookie is worth nothing
        found.logout(location="unrendered")  # also deletes the cookie
    elif signed_out and not signed_in:
        found.cookie_controller.delete_cookie()  # again each run: a rerun may have cut the last one short
    else:
        try:
            found.login(location="unrendered")
        except LoginError:  # the cookie of an account that was locked or removed meanwhile
            st.session_state[STATUS] = None
            st.session_state["logout"] = True
    user = current_user()
    if user is None and st.session_state.get(STATUS):  # locked while signed in: end the session now
        found.logout(location="unrendered")
    return user, found


def sign_in_page(found: stauth.Authenticate, lang: str) -> None:
    """The sign-in form and nothing else: no data, no navigation.

    On success the package's cookie component, drawn with the form, stores the sign-in in the browser
    and reruns the app, which then opens the address asked for with the pages of the user's role. No
    ``st.rerun`` here: it would remove the component before the browser has run it.
    """
    st.set_page_config(page_title=t("sign_in_title", lang), layout="centered")
    st.title(t("sign_in_title", lang))
    st.caption(t("sign_in_public" if public() else "sign_in_intro", lang))
    if users.count(data.store()) == 0:
        st.info(t("sign_in_no_users", lang))
    fields = {"Form name": t("sign_in_form", lang), "Username": t("sign_in_username", lang),
              "Password": t("sign_in_password", lang), "Login": t("sign_in_button", lang)}
    try:
        found.login(location="main", fields=fields, key="sign_in")
    except LoginError:
        st.error(t("sign_in_locked", lang).format(minutes=LOCK_MINUTES))
        return
    if st.session_state.get(STATUS):
        st.success(t("sign_in_done", lang))
        st.button(t("sign_in_continue", lang), key="sign_in_continue")  # for a browser that does not rerun
    elif st.session_state.get(STATUS) is False:
        st.error(t("sign_in_failed", lang))
        st.session_state[STATUS] = None  # said once; the next attempt starts afresh


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
