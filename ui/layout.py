"""The frame every page shares: page setup, language, plan/year/unit selectors, banner, error boundary.

Pages in ``pages/`` can be run directly by a deep link on a fresh server (stack-notes.md), so each
page calls ``run`` itself instead of relying on the entry script.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from metrics import fmt
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
    as_of: int | None = None  # an import batch: the data as they were right after it


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
    as_of = as_of_selector(lang)
    card = data.scorecard(as_of)
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
    return View(lang, plan, int(year), state.get(state.UNIT), card, as_of)


LATEST = "latest"


def as_of_selector(lang: str) -> int | None:
    """Which state of the data to show: the latest, or as right after a chosen import batch."""
    batches = data.store().batches()
    live = batches[batches["kind"] != "rollback"].sort_values("id", ascending=False)
    labels = {LATEST: t("as_of_latest", lang)}
    for b in live.itertuples():
        labels[str(b.id)] = f"#{b.id} · {fmt.date(b.created_at, lang)} · {b.file_name or b.kind}"
    with st.sidebar.expander(t("as_of", lang), expanded=state.get(state.AS_OF) not in (None, LATEST)):
        choice = st.selectbox(t("as_of", lang), list(labels), format_func=labels.get,
                              key=state.AS_OF, bind="query-params", label_visibility="collapsed")
    return None if choice in (None, LATEST) else int(choice)


def year_options(card: Scorecard, plan: str) -> list[int]:
    """Every year of the plan up to the latest year with data (and at least the baseline year)."""
    info = card.plans[plan]
    last = max(card.latest_year(plan), int(info["start_year"]))
    return list(range(int(info["start_year"]), min(last, int(info["end_year"])) + 1))
