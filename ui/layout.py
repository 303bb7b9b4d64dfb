"""The frame every page shares: page setup, language, plan/year/unit selectors, banner, error boundary.

The page scripts live in ``views/`` (not ``pages/``, which would switch Streamlit to its legacy multipage
mode, docs/stack.md) and are run only by ``dashboard.py``'s navigation; each page still calls ``run``
itself, which checks the visitor's role whatever brought them to the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from metrics.judging.scorecard import Scorecard
from metrics.vocabulary import fmt
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.i18n import pick
from ui import auth, data, state
from ui.texts import t
from ui.widgets import safe

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
    notes: tuple[str, ...] = ()  # what the page says first: a choice that had to change (the unit in that year)
    approved_only: bool = False  # the batches not yet approved are left out (the sidebar's toggle)


def run(render: Callable[[View], None], title_key: str, role: str = "viewer", frame: bool = True) -> None:
    """Check the role, set up the page, draw the common frame, then the page; errors are messages, never traces.

    ``role`` is the least role that may see the page (``viewer``, ``analyst``, ``admin``): the check is
    made here, by the page itself, whatever address or navigation brought the visitor. ``frame=False``
    leaves out the plan/year/unit selectors (the page gets a ``View`` with only the language).
    """
    st.set_page_config(page_title=t("app_title", state.lang()), layout="wide", initial_sidebar_state="auto")
    state.read_url()
    lang = language_switch()
    try:
        user = auth.current_user()
        if not auth.may(user, role):
            auth.denied(user, role, title_key, lang)
            return
        view = selectors(lang) if frame else View(lang, "", 0, None, None)
        if view is None:
            st.info(t("no_plan", lang))
            return
        render(view)
    except UserError as exc:
        st.error(safe(exc.message(lang)))
    except Exception:
        log.exception("Page %s failed", title_key)
        st.error(t("error_generic", lang))
    finally:
        state.write_url()


def choose(key: str, options: list, default, draw: Callable):
    """Draw a selector whose value lives in the session under ``key`` (and is shared in the URL).

    The widget gets its own key, re-seeded from ``key`` on every run: Streamlit forgets widget values
    when the page changes, the view must not.
    """
    state.keep_valid(key, options, default)
    if key not in st.session_state:
        st.session_state[key] = default
    widget_key = f"_widget_{key}"
    st.session_state[widget_key] = st.session_state[key]

    def changed() -> None:
        st.session_state[key] = st.session_state[widget_key]

    draw(widget_key, changed)
    return st.session_state[key]


def choose_among(key: str, options: list, draw: Callable):
    """A selector over some of the values ``key`` may hold (the ranking's targets are those set for the
    units below): shows the remembered value when it is among them, else the first, and remembers
    only what the user picks here, so a narrower list never replaces the choice made on another page."""
    remembered = st.session_state.get(key)
    shown = remembered if remembered in options else options[0]
    widget_key = f"_widget_{key}"
    st.session_state[widget_key] = shown

    def changed() -> None:
        st.session_state[key] = st.session_state[widget_key]

    draw(widget_key, changed)
    return shown


def language_switch() -> str:
    choose(state.LANG, ["vi", "en"], "vi", lambda key, changed: st.sidebar.segmented_control(
        t("language", state.lang()), ["vi", "en"], required=True, format_func=LANGUAGE_NAMES.get, key=key, on_change=changed))
    return state.lang()


def selectors(lang: str) -> View | None:
    """Plan, year, unit and data version in the sidebar; None when there is no plan at all."""
    as_of = as_of_selector(lang)
    approved_only = approved_toggle(lang, data.scorecard(as_of), as_of)
    card = data.scorecard(as_of, approved_only)
    plans = list(card.plans)
    if not plans:
        return None
    plan = choose(state.PLAN, plans, plans[0], lambda key, changed: st.sidebar.selectbox(
        t("plan", lang), plans, key=key, on_change=changed,
        format_func=lambda code: pick((card.plans[code]["name_vi"], card.plans[code]["name_en"]), lang)))
    years = year_options(card, plan)
    year = choose(state.YEAR, years, years[-1], lambda key, changed: st.sidebar.selectbox(
        t("year", lang), years, key=key, on_change=changed))
    unit, note = unit_selector(card, plan, int(year), lang)
    return View(lang, plan, int(year), unit, card, as_of, (note,) if note else (), approved_only)


def unit_selector(card: Scorecard, plan: str, year: int, lang: str) -> tuple[str | None, str | None]:
    """Drill down the organisation as it was in ``year``: the units above the chosen one, the chosen
    one and the units directly below it (a province holds about a hundred, the nation a few dozen
    provinces — never the 130,000 grassroots unions at once).

    The session keeps the unit the user chose; a year in which it did not exist shows the unit that
    carries its series then (its predecessor or successor), else the top, and says so (the second
    value returned); back in a year of its own, the chosen unit is shown again.
    """
    root = card.root(plan, year)
    if root is None:
        return None, None
    tree = {**card.org.tree(year), root.code: root}  # (before a merger of several: the merged unit as it stands)
    chosen = st.session_state.get(state.UNIT) or root.code
    shown = chosen if chosen in tree else card.org.lineage(chosen, year)
    if not shown or shown not in tree:
        shown = root.code
    current, above = tree[shown], []
    if shown != root.code:
        chain = [u.code for u in card.ancestors(shown, year)]
        if root.code in chain:
            above = [tree[c] for c in chain[chain.index(root.code):]]
        else:
            current = root  # a unit outside the plan's organisation: start again from the top
    options = [*above, current, *card.children(current.code, year)]
    by_code = {u.code: u for u in options}
    depth = {u.code: i for i, u in enumerate([*above, current])}

    def label(code: str) -> str:
        unit = by_code[code]
        if code in depth:
            return "· " * depth[code] + unit.name(lang)
        return "· " * (len(depth)) + "↳ " + unit.name(lang)

    st.session_state["_widget_unit"] = current.code
    st.sidebar.selectbox(t("unit", lang), list(by_code), key="_widget_unit", format_func=label,
                         help=t("unit_help", lang), on_change=lambda: st.session_state.update(
                             {state.UNIT: st.session_state["_widget_unit"]}))
    return current.code, None if current.code == chosen else unit_note(card, chosen, current, year, lang)


def unit_note(card: Scorecard, chosen: str, shown, year: int, lang: str) -> str:
    """Why the page shows another unit than the one chosen (it did not exist in ``year``)."""
    unit = card.org.any_period(chosen)
    if unit is None:
        return t("unit_unknown", lang).format(code=chosen, shown=shown.name(lang))
    return t("unit_elsewhere", lang).format(unit=unit.name(lang), year=year, shown=shown.name(lang))


def year_options(card: Scorecard, plan: str) -> list[int]:
    """Every year of the plan up to the latest year with data (and at least the baseline year)."""
    info = card.plans[plan]
    last = max(card.latest_year(plan), int(info["start_year"]))
    return list(range(int(info["start_year"]), min(last, int(info["end_year"])) + 1))


LATEST = "latest"


def approved_toggle(lang: str, card: Scorecard, as_of: int | None) -> bool:
    """"Chỉ số liệu đã duyệt": leave out the batches not yet approved. Shown while there are any (or while on);
    a state as of an earlier batch is that state, marks and all."""
    on = state.get(state.APPROVED) == "1"
    if as_of is not None or not (on or card.provisional_batches()):
        return False

    def changed() -> None:
        st.session_state[state.APPROVED] = "1" if st.session_state["_widget_approved"] else ""

    st.session_state["_widget_approved"] = on
    st.sidebar.toggle(t("approved_only", lang), key="_widget_approved", on_change=changed,
                      help=t("approved_only_help", lang))
    return on


def as_of_selector(lang: str) -> int | None:
    """Which state of the data to show: the latest, or as right after a chosen import batch."""
    batches = data.batches().sort_values("id", ascending=False)
    labels = {LATEST: t("as_of_latest", lang)}
    for b in batches.itertuples():
        what = t("undo_of", lang).format(batch=int(b.reverts)) if b.kind == "rollback" else b.file_name or b.kind
        labels[str(b.id)] = f"#{b.id} · {fmt.date(b.created_at, lang)} · {what}"
    with st.sidebar.expander(t("as_of", lang), expanded=state.get(state.AS_OF, LATEST) != LATEST):
        choice = choose(state.AS_OF, list(labels), LATEST, lambda key, changed: st.selectbox(
            t("as_of", lang), list(labels), format_func=labels.get, key=key, on_change=changed,
            label_visibility="collapsed"))
    return None if choice in (None, LATEST) else int(choice)
