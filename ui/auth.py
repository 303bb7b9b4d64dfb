"""Sign-in, sign-out and roles for the dashboard: streamlit-authenticator 0.4.2 over ``metrics.users``.

The package keeps the sign-in in a signed cookie (7 days), so a reload or a new tab stays signed in; it
reads the cookie from the request and sets or deletes it through a small component that must reach the
browser: nothing may rerun the app before that component has run (it reruns the app itself).
The role is read from the database on every run, never from the session: a role change or a locked
account takes effect at the next click.
"""

from __future__ import annotations

import os

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
STATUS, USERNAME = "authentication_status", "username"  # streamlit-authenticator's own session keys


def public() -> bool:
    """``KPI_PUBLIC=1``: the leaders' pages open without signing in (a public deployment)."""
    return os.environ.get("KPI_PUBLIC", "").strip().lower() in ("1", "true", "yes", "on")


def current_user() -> users.User | None:
    """The signed-in user as the database says now (None: nobody, or an account locked meanwhile)."""
    if not st.session_state.get(STATUS):
        return None
    user = users.get(data.store(), st.session_state.get(USERNAME))
    return user if user is not None and user.active else None


def may(user: users.User | None, role: str) -> bool:
    """Whether this visitor may open a page of ``role``: signed in with that role, or a public viewer page."""
    return user.may(role) if user is not None else role == "viewer" and public()


def authenticator() -> stauth.Authenticate:
    """This run's authenticator over the active users (hashes only); sign-ins are audited and braked."""
    store = data.store()
    found = stauth.Authenticate(users.credentials(store), COOKIE_NAME, users.cookie_key(store), COOKIE_DAYS,
                                auto_hash=False, login_sleep_time=0)
    controller = found.authentication_controller
    check = controller.login

    def login(username=None, password=None, *args, **kwargs):
        if not username:  # the cookie of a sign-in already recorded
            return check(username, password, *args, **kwargs)
        name = str(username).strip().lower()[:64]
        if audit.recent_failures(store, name, LOCK_MINUTES) >= LOCK_FAILURES:
            audit.record(store, name, "sign-in-failed", {"reason": "too many failures"})
            raise LoginError("locked")
        done = check(username, password, *args, **kwargs)
        audit.record(store, name, "sign-in" if done else "sign-in-failed", None if done else {"reason": "password"})
        return done

    controller.login = login
    return found


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
