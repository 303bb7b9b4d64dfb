"""The view everyone shares by link: language, plan, year and unit.

The selectors are bound to the URL (``bind="query-params"``), so the address bar always holds the
current view and a shared link opens it again; their keys are the query parameter names.
"""

from __future__ import annotations

import streamlit as st

LANG, PLAN, YEAR, UNIT, TARGET, AS_OF = "lang", "plan", "year", "unit", "target", "as_of"


def lang() -> str:
    return "en" if st.session_state.get(LANG) == "en" else "vi"


def get(key: str, default=None):
    value = st.session_state.get(key)
    return default if value in (None, "") else value
