"""The view everyone shares by link: language, plan, year, unit, target and data version.

The values live in the session (widget keys) and are written to the URL at the end of every run, so
the address bar always holds the current view. A value that arrives in the URL (a shared link, a link
on a card) and differs from what was last written is taken as the user's choice. Streamlit's own
``bind="query-params"`` is not used: it puts the *displayed label* in the URL, which changes with the
language and makes links unreadable.
"""

from __future__ import annotations

import streamlit as st

LANG, PLAN, YEAR, UNIT, TARGET, AS_OF = "lang", "plan", "year", "unit", "target", "as_of"
SLIDE, PIN = "slide", "pin"  # the presentation: slide on screen, import batch the slides are pinned to
APPROVED = "approved"  # "1": approved figures only (the batches not yet approved left out)
SHARED = (LANG, PLAN, YEAR, UNIT, TARGET, AS_OF, SLIDE, PIN, APPROVED)
_WRITTEN = "_url_written"


def read_url() -> None:
    """Take into the session every URL parameter that changed since this session last wrote the URL."""
    written = st.session_state.get(_WRITTEN, {})
    for key in SHARED:
        value = st.query_params.get(key)
        if value is not None and value != written.get(key):
            st.session_state[key] = int(value) if key == YEAR and is_number(value) else value


def is_number(text) -> bool:
    """ASCII digits only: ``str.isdigit`` also takes ``²`` and ``①``, which ``int`` refuses."""
    return isinstance(text, str) and text.isascii() and text.isdigit()


def write_url() -> None:
    """Show the current view in the address bar (Streamlit clears it when the page changes)."""
    wanted = {k: str(st.session_state[k]) for k in SHARED if st.session_state.get(k) not in (None, "", "latest")}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
    st.session_state[_WRITTEN] = wanted


def keep_valid(key: str, options: list, fallback=None) -> None:
    """Before drawing a selector: drop a remembered value that is not among its options any more."""
    if key in st.session_state and st.session_state[key] not in options:
        if fallback in options:
            st.session_state[key] = fallback
        else:
            del st.session_state[key]


def lang() -> str:
    return "en" if st.session_state.get(LANG) == "en" else "vi"


def get(key: str, default=None):
    value = st.session_state.get(key)
    return default if value in (None, "") else value
