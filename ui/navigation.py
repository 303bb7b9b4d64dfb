"""Which pages a visitor gets, by role, and the links to them in the sidebar.

Every address the dashboard knows always leads somewhere: to the page, to the sign-in form (nobody
signed in), or to a sentence saying which role the page needs. Only the pages one may open are linked.
Each page still checks the role itself (``layout.run``), so no address can skip the check.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from metrics import users
from ui import auth, client, layout
from ui.texts import t


@dataclass(frozen=True)
class Entry:
    script: str
    url: str
    title_key: str
    icon: str
    role: str


PAGES = [
    Entry("pages/overview.py", "overview", "page_overview", ":material/dashboard:", "viewer"),
    Entry("pages/target.py", "target", "page_target", ":material/flag:", "viewer"),
    Entry("pages/units.py", "units", "page_units", ":material/account_tree:", "viewer"),
    Entry("pages/about.py", "about", "page_about", ":material/info:", "viewer"),
    Entry("pages/present.py", "present", "page_present", ":material/slideshow:", "viewer"),
    Entry("pages/import.py", "import", "page_intake", ":material/upload_file:", "analyst"),
    Entry("pages/admin.py", "admin", "page_admin", ":material/admin_panel_settings:", "admin"),
]
SIGN_IN_URL = "sign-in"


def run(lang: str) -> None:
    """Sign the visitor in (or not), build the navigation of their role, link it, run the page asked for."""
    user, found = auth.restore()
    pages, linked = [], []
    for entry in PAGES:
        default = entry.url == "overview"
        if auth.may(user, entry.role):
            page = st.Page(entry.script, title=t(entry.title_key, lang), icon=entry.icon, url_path=entry.url,
                           default=default)
            linked.append(page)
        elif user is None:
            page = _sign_in(found, lang, entry.url, default)
        else:
            page = st.Page(lambda e=entry: auth.denied(user, e.role, e.title_key, lang), title=t(entry.title_key, lang),
                           icon=":material/lock:", url_path=entry.url, default=default)
        pages.append(page)
    if user is None and auth.public():
        sign_in = _sign_in(found, lang, SIGN_IN_URL, False)
        pages.append(sign_in)
        linked.append(sign_in)
    elif user is not None:  # signed in at /sign-in: go on to the overview
        pages.append(st.Page(lambda: st.switch_page(pages[0]), title=t("sign_in_title", lang), url_path=SIGN_IN_URL))
    current = st.navigation(pages, position="hidden")
    if linked and (user is not None or auth.public()):
        for page in linked:
            st.sidebar.page_link(page)
    if user is not None:
        auth.signed_in_box(user, lang)
    client.inject(lang)
    with layout.through_entry():
        current.run()


def _sign_in(found, lang: str, url: str, default: bool):
    """The sign-in form at ``url``, with this run's authenticator (built now if the run has none yet)."""
    return st.Page(lambda: auth.sign_in_page(found or auth.authenticator(), lang), title=t("sign_in_title", lang),
                   icon=":material/login:", url_path=url, default=default)


def roles_pages(role: str | None) -> list[str]:
    """The addresses linked for a role (None: a visitor of a public deployment): for tests and the README."""
    return [e.url for e in PAGES if (users.allows(role, e.role) if role else e.role == "viewer")]
