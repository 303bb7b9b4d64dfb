"""Which pages a visitor gets, by role, and the links to them in the sidebar.

Every address the dashboard knows always leads somewhere: to the page, to the sign-in form (nobody
signed in), or to a sentence saying which role the page needs. Only the pages one may open are linked.
Each page still checks the role itself (``layout.run``), so no address can skip the check.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import streamlit as st

from ui import auth, client, layout, state
from ui.texts import t
from ui.widgets import safe


@dataclass(frozen=True)
class Entry:
    script: str
    url: str
    title_key: str
    icon: str
    role: str


PAGES = [
    Entry("views/overview.py", "overview", "page_overview", ":material/dashboard:", "viewer"),
    Entry("views/target.py", "target", "page_target", ":material/flag:", "viewer"),
    Entry("views/units.py", "units", "page_units", ":material/account_tree:", "viewer"),
    Entry("views/about.py", "about", "page_about", ":material/info:", "viewer"),
    Entry("views/present.py", "present", "page_present", ":material/slideshow:", "viewer"),
    Entry("views/import.py", "import", "page_intake", ":material/upload_file:", "analyst"),
    Entry("views/admin.py", "admin", "page_admin", ":material/admin_panel_settings:", "admin"),
]
SIGN_IN_URL = "sign-in"
# The home page ("/") is the overview drawn by a page of its own, so that "/overview" (the README's
# address) is a page too: Streamlit serves its default page only at "/". The name is never linked.
HOME_URL = "_home"


def run(lang: str) -> None:
    """Sign the visitor in (or not), build the navigation of their role, link it, run the page asked for."""
    user, found = auth.restore()
    pages, linked = [], []
    for entry in PAGES:
        page = _page(entry, user, found, lang)
        pages.append(page)
        if auth.may(user, entry.role):
            linked.append(page)
    pages.append(_page(PAGES[0], user, found, lang, HOME_URL, default=True))  # "/"
    if user is None:
        sign_in = _sign_in(found, lang, SIGN_IN_URL, False)
        pages.append(sign_in)
        if auth.public():
            linked.append(sign_in)
    else:  # signed in at /sign-in: go on to the overview
        pages.append(st.Page(lambda: st.switch_page(pages[0]), title=t("sign_in_title", lang), url_path=SIGN_IN_URL))
    unknown = _unknown_address({p.url_path for p in pages} | {HOME_URL})
    if unknown:
        open_to = user is not None or auth.public()
        pages.append(st.Page(lambda: not_found(unknown, linked, lang) if open_to else
                             sign_in_page(found, lang),
                             title=t("not_found_title", lang), url_path=unknown))
    current = st.navigation(pages, position="hidden")
    if linked and (user is not None or auth.public()):
        for page in linked:
            st.sidebar.page_link(page)
    if user is not None:
        auth.signed_in_box(user, lang)
    client.inject(lang)
    current.run()


def _page(entry: Entry, user, found, lang: str, url: str | None = None, default: bool = False):
    """The page at ``url`` (else the entry's own): the page itself, the sign-in form (nobody signed in),
    or why not."""
    url = url or entry.url
    if auth.may(user, entry.role):
        return st.Page(entry.script, title=t(entry.title_key, lang), icon=entry.icon, url_path=url, default=default)
    if user is None:
        return _sign_in(found, lang, url, default)
    return st.Page(lambda e=entry: auth.denied(user, e.role, e.title_key, lang), title=t(entry.title_key, lang),
                   icon=":material/lock:", url_path=url, default=default)


def _unknown_address(known: set[str]) -> str | None:
    """The page name of an address the dashboard does not know (``/overveiw``), else None.

    Streamlit would run the home page under an English "Page not found" dialog; a page registered at
    that very name shows our own message instead. Only a one-level name can be a page name: an address
    with more levels (``/a/b``) never reaches the app (Streamlit cannot even load its scripts there).
    """
    url = st.context.url or ""
    name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    base = st.get_option("server.baseUrlPath").strip("/")
    if not name or name in known or name == base.rsplit("/", 1)[-1]:
        return None
    return name


def not_found(address: str, linked: list, lang: str) -> None:
    """An address the dashboard does not know: say so, and link every page this visitor may open."""
    st.set_page_config(page_title=t("not_found_title", lang))
    st.title(t("not_found_title", lang))
    st.warning(safe(t("not_found_text", lang).format(address=f"/{address}")), icon=":material/link_off:")
    st.markdown(t("not_found_pages", lang))
    for page in linked:
        st.page_link(page)


def _sign_in(found, lang: str, url: str, default: bool):
    """The sign-in form at ``url``, with this run's authenticator (built now if the run has none yet)."""
    return st.Page(lambda: sign_in_page(found, lang), title=t("sign_in_title", lang), icon=":material/login:",
                   url_path=url, default=default)


def sign_in_page(found, lang: str) -> None:
    """The language first (the sidebar, with its switch, is not shown to a visitor not signed in), then the form."""
    st.session_state["_widget_sign_in_lang"] = lang
    st.segmented_control(t("language", lang), ["vi", "en"], required=True, format_func=layout.LANGUAGE_NAMES.get,
                         key="_widget_sign_in_lang", on_change=lambda: st.session_state.update(
                             {state.LANG: st.session_state["_widget_sign_in_lang"]}))
    auth.sign_in_page(found or auth.authenticator(), lang)

