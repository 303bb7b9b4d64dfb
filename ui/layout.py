"""The frame every page shares: page setup, language, plan/year/unit selectors, banner, error boundary.

Pages in ``pages/`` can be run directly by a deep link on a fresh server (stack-notes.md), so each
page calls ``run`` itself instead of relying on the entry script.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from metrics.errors import UserError
from metrics.i18n import pick
from metrics.scorecard import Scorecard
from ui import data, state
from ui.texts import t

log = logging.getLogger("dashboard")
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


@dataclass(frozen=True)
class View:
    """What the user is looking at."""

    lang: str
    plan: str
    year: int
    unit: str | None
    card: Scorecard


def run(render: Callable[[View], None], title_key: str) -> None:
    """Set up the page, draw the common frame, then the page; show errors as messages, never traces."""
    st.set_page_config(page_title=t("app_title", state.lang()), layout="wide", initial_sidebar_state="auto")
    lang = language_switch()
    try:
        view = selectors(lang)
        if view is None:
            st.info(t("no_plan", lang))
            return
        render(view)
    except UserError as exc:
        st.error(exc.message(lang))
    except Exception:
        log.exception("Page %s failed", title_key)
        st.error(t("error_generic", lang))


def language_switch() -> str:
    st.sidebar.segmented_control(
        t("language", state.lang()), ["vi", "en"], default="vi", required=True,
        format_func=LANGUAGE_NAMES.get, key=state.LANG, bind="query-params")
    return state.lang()


def selectors(lang: str) -> View | None:
    """Plan, year and unit in the sidebar, bound to the URL; None when there is no plan at all."""
    card = data.scorecard()
    plans = list(card.plans)
    if not plans:
        return None
    plan = st.sidebar.selectbox(
        t("plan", lang), plans, format_func=lambda code: pick(
            (card.plans[code]["name_vi"], card.plans[code]["name_en"]), lang),
        key=state.PLAN, bind="query-params")
    years = year_options(card, plan)
    year = st.sidebar.selectbox(t("year", lang), years, index=len(years) - 1,
                                key=state.YEAR, bind="query-params")
    return View(lang, plan, int(year), state.get(state.UNIT), card)


def year_options(card: Scorecard, plan: str) -> list[int]:
    """Every year of the plan up to the latest year with data (and at least the baseline year)."""
    info = card.plans[plan]
    last = max(card.latest_year(plan), int(info["start_year"]))
    return list(range(int(info["start_year"]), min(last, int(info["end_year"])) + 1))
