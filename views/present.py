"""Trình chiếu — a full-screen slideshow for conferences, pinned to one import batch, and its files.

The slides are ``metrics.exports.slides`` (the same model as the PowerPoint deck); this page only
draws them. The slide shown and the pinned batch live in the session and the URL (``?slide=3&pin=12``),
so reloading or sharing the address shows the same slide on the same data.
"""

import time

import pandas as pd
import streamlit as st

from metrics.exports import bundle, facts
from metrics.exports.pinned import batches, pin
from metrics.exports.slides import GROUP, QUOTAS, SUMMARY, TITLE, Deck, build_deck, quota_lines
from metrics.exports.words import w
from metrics.judging import charts
from metrics.judging.quotas import ahead_sentence, carriers_sentence, reconciliation_sentence
from metrics.vocabulary.i18n import provisional_mark
from ui import data, layout, state, widgets
from ui.texts import t

AUTO, SHOWN = "present_auto", "_present_shown"  # auto-advance seconds; (slide, time) of the slide on screen
PROVISIONAL = "present_provisional"  # include the batches not yet approved (default: approved figures only)
AUTO_CHOICES = [0, 10, 15, 20, 30, 60]

# Our own CSS (no data in it): hide the app's frame and enlarge the slide's type for a projector.
SLIDESHOW_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2.5rem 0.5rem !important; max-width: 100% !important; }
.st-key-slide p, .st-key-slide li { font-size: 1.5rem !important; line-height: 1.35 !important; }
.st-key-slide h1 { font-size: 3.2rem !important; }
.st-key-slide h2 { font-size: 2.5rem !important; }
.st-key-slide [data-testid="stMetricValue"], .st-key-slide [data-testid="stMetricValue"] * {
  font-size: 3.5rem !important; line-height: 1.15 !important; }
.st-key-slide [data-testid="stMetricLabel"] p { font-size: 1.5rem !important; }
.st-key-slide .stMarkdownBadge { font-size: 1.45rem !important; padding: 0.2rem 0.7rem !important; }
.st-key-slide-footer { position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990; background: #ffffff;
  padding: 0.5rem 2.5rem; border-top: 1px solid #dddddd; }
.st-key-slide-footer p { font-size: 1rem !important; }
[data-testid="stMain"] { padding-bottom: 4.5rem; }
/* The slide fills the screen above the footer; its charts take every pixel its words leave. */
.st-key-slide { height: calc(100vh - 7rem) !important; flex: none !important; }
.st-key-slide > [data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"]) {
  flex: 1 1 0 !important; min-height: 0 !important; }
.st-key-slide [data-testid="stHorizontalBlock"] { height: 100% !important; }
.st-key-slide [data-testid="stColumn"] > [data-testid="stVerticalBlock"] { height: 100% !important; }
.st-key-slide [data-testid="stLayoutWrapper"]:has(> [class*="st-key-slide-chart"]) {
  flex: 1 1 0 !important; min-height: 200px !important; }
.st-key-slide [class*="st-key-slide-chart"] { height: 100% !important; }
/* A phone has no room for a whole slide on one screen: the slide scrolls, each chart keeps a readable height. */
@media (max-width: 640px) {
  .st-key-slide { height: auto !important; }
  /* The plan's name in 3.2rem took the whole first screen; the footer wraps to three rows: room to scroll
     the slide's last line above it. */
  .st-key-slide h1 { font-size: 2rem !important; }
  .st-key-slide-footer { padding: 0.4rem 1rem; }
  [data-testid="stMain"] { padding-bottom: 13rem; }
  .st-key-slide h2 { font-size: 1.75rem !important; }
  .st-key-slide [data-testid="stLayoutWrapper"]:has(> [class*="st-key-slide-chart"]) {
    flex: none !important; height: 480px !important; }
}
</style>"""


def render(view: layout.View) -> None:
    store, listed = data.store(), data.batches()  # read once per data version, not three times a run
    pinned = pin(store, pinned_batch(view, listed), provisional=bool(st.session_state.get(PROVISIONAL)), listed=listed)
    card = data.scorecard(pinned.batch, pinned.approved_only)  # approved figures only, unless asked otherwise
    deck = build_deck(card, view.plan, view.year, view.lang, pinned)
    if state.get(state.SLIDE) is None:
        start(view, deck)
    else:
        slideshow(deck)


def pinned_batch(view: layout.View, listed: pd.DataFrame) -> int | None:
    """The batch chosen here (one of ``listed``), else the sidebar's "as of", else None (the newest batch)."""
    chosen = state.get(state.PIN)
    known = set(listed["id"])
    if chosen is not None and state.is_number(str(chosen)) and int(chosen) in known:
        return int(chosen)
    st.session_state.pop(state.PIN, None)
    return view.as_of


# --- the start view -----------------------------------------------------------------------------

def start(view: layout.View, deck: Deck) -> None:
    lang = view.lang
    st.title(t("page_present", lang))
    st.caption(widgets.safe(f"{deck.plan_name} · {deck.unit_name} · {deck.year}"))
    left, right = st.columns([3, 2], gap="large")
    with left:
        pin_selector(deck, lang)
        if deck.pinned.provisional:  # batches not yet approved: left out by default, or shown marked
            st.toggle(t("present_provisional", lang), key=PROVISIONAL, help=t("present_provisional_help", lang))
        st.info(widgets.safe(deck.pinned.line(lang)), icon=":material/push_pin:")
        if deck.illustrative:
            st.warning(t("illustrative_banner", lang), icon=":material/science:")
        if deck.provisional:
            st.warning(widgets.safe(w("provisional", lang)))
        st.session_state["_widget_present_lang"] = lang  # the sidebar's switch may have changed it
        st.segmented_control(t("language", lang), ["vi", "en"], required=True, format_func=layout.LANGUAGE_NAMES.get,
                             key="_widget_present_lang", on_change=lambda: st.session_state.update(
                                 {state.LANG: st.session_state["_widget_present_lang"]}))
        layout.choose(AUTO, AUTO_CHOICES, 0, lambda key, changed: st.selectbox(
            t("present_auto", lang), AUTO_CHOICES, key=key, on_change=changed,
            format_func=lambda s: t("present_auto_off", lang) if s == 0 else t("present_seconds", lang).format(seconds=s)))
        st.button(t("present_start", lang), type="primary", icon=":material/slideshow:", key="present_go",
                  on_click=begin, args=(deck.pinned.batch,))
    with right:
        downloads(deck, lang)
        st.caption(t("present_contents", lang).format(count=len(deck.slides)))
        st.markdown("\n".join(f"{i}. {widgets.safe(_slide_name(deck, s))}" for i, s in enumerate(deck.slides, 1)))


def pin_selector(deck: Deck, lang: str) -> None:
    found = batches(data.store(), data.batches())
    if found.empty:
        return
    waiting = set(data.scorecard().provisional_batches())
    labels = {str(r.id): f"#{r.id} · {r.local_time:%d/%m/%Y %H:%M} · "
                         f"{r.file_name if isinstance(r.file_name, str) and r.file_name else r.kind}"
                         f"{' · ' + provisional_mark(lang) if r.id in waiting else ''}"
              for r in found.itertuples()}
    # Seeded every run from what is shown (the sidebar's "as of" until a batch is picked here).
    st.session_state["_widget_pin"] = str(deck.pinned.batch)
    st.selectbox(t("present_pin", lang), list(labels), key="_widget_pin", format_func=labels.get,
                 help=t("present_pin_help", lang),
                 on_change=lambda: st.session_state.update({state.PIN: st.session_state["_widget_pin"]}))


def begin(batch: int | None) -> None:
    st.session_state[state.SLIDE] = "1"
    if batch is not None:
        st.session_state[state.PIN] = str(batch)
    st.session_state.pop(SHOWN, None)


def downloads(deck: Deck, lang: str) -> None:
    """The deck and the report of exactly what is shown (same plan, year, language and batch)."""
    st.subheader(t("present_downloads", lang))
    choice = bundle.Choice("pptx", deck.plan, deck.year, deck.pinned.batch, lang,
                           provisional=not deck.pinned.approved_only)
    for fmt, label, icon in (("pptx", "download_pptx", ":material/slideshow:"),
                             ("pdf", "download_pdf", ":material/picture_as_pdf:"),
                             ("xlsx", "download_xlsx", ":material/table:"),
                             ("csv", "download_csv", ":material/dataset:")):
        name = bundle.file_name(bundle.Choice(fmt, deck.plan, deck.year), deck.pinned)
        st.download_button(t(label, lang), data=_maker(deck, fmt, choice), file_name=name,
                           mime=bundle.MIME_TYPES[fmt], icon=icon, key=f"present_download_{fmt}",
                           on_click="ignore", width="stretch")


def _maker(deck: Deck, fmt: str, choice: bundle.Choice):
    """Build the file only when it is asked for (the deck takes about half a second)."""
    if fmt == "csv":
        return lambda: bundle.build(data.store(), bundle.Choice("csv", as_of=choice.as_of,
                                                                provisional=choice.provisional))
    return lambda: bundle.render(deck, fmt)


def _slide_name(deck: Deck, slide) -> str:
    if slide.kind == TITLE:
        return t("present_title_slide", deck.lang)
    return f"{slide.title} {slide.part_label}".strip()


# --- the slideshow ------------------------------------------------------------------------------

def slideshow(deck: Deck) -> None:
    st.html(SLIDESHOW_CSS)
    auto = st.session_state.get(AUTO) or None
    st.fragment(lambda: guarded(deck), run_every=auto)()


def guarded(deck: Deck) -> None:
    """The page's error boundary for the fragment's own reruns (``layout.run`` only sees full runs)."""
    try:
        show(deck)
    except Exception:  # st.rerun and st.stop are not Exceptions: they pass
        layout.log.exception("Slide %s failed", state.get(state.SLIDE))
        st.error(t("error_generic", deck.lang))


def current(deck: Deck) -> int:
    value = str(state.get(state.SLIDE, "1"))
    number = int(value) if state.is_number(value) else 1
    return min(max(number, 1), len(deck.slides))


def go(number: int) -> None:
    st.session_state[state.SLIDE] = str(number)


def show(deck: Deck) -> None:
    """One slide and the controls; with auto-advance, runs again every few seconds and moves on."""
    if state.get(state.SLIDE) is None:  # "Exit" was pressed: back to the start view, with the sidebar
        st.rerun(scope="app")
    count, number = len(deck.slides), current(deck)
    auto = st.session_state.get(AUTO) or 0
    shown, now = st.session_state.get(SHOWN), time.monotonic()
    if shown is not None and shown[0] == number and auto and now - shown[1] >= auto - 0.5:
        number = number % count + 1  # after the summary, start again (a loop during breaks)
    if shown is None or shown[0] != number:
        st.session_state[SHOWN] = (number, now)
    go(number)
    state.write_url()
    with st.container(key="slide"):
        draw(deck, deck.slides[number - 1])
    controls(deck, number, count)


def draw(deck: Deck, slide) -> None:
    lang = deck.lang
    if slide.kind == TITLE:
        st.title(widgets.safe(slide.title))
        st.header(widgets.safe(deck.subtitle()))
        st.markdown(f"**{widgets.safe(deck.pinned.line(lang))}**")
        if deck.illustrative:
            st.warning(widgets.safe(w("illustrative", lang)), icon=":material/science:")
        if deck.provisional:
            st.warning(widgets.safe(w("provisional", lang)))
    elif slide.kind == GROUP:
        st.header(widgets.safe(f"{slide.title} {slide.part_label}".strip()), divider="blue")
        if len(slide.rows) == 1:
            chart, words = st.columns([3, 2], gap="large")
            with chart:
                hall_chart(slide.rows[0], lang)
            with words:
                target_words(slide.rows[0], lang)
        else:
            for column, row in zip(st.columns(len(slide.rows), gap="large"), slide.rows):
                with column:
                    target_words(row, lang, chart=True)
    elif slide.kind == QUOTAS:
        quotas_slide(deck, slide)
    elif slide.kind == SUMMARY:
        summary(deck)


def quotas_slide(deck: Deck, slide) -> None:
    """The quotas of a target against it, and the units carrying most of its gap (as the deck's slide)."""
    lang, q = deck.lang, slide.quotas
    st.header(widgets.safe(slide.title), divider="blue")
    st.markdown(f"**{widgets.safe(reconciliation_sentence(q, lang))}**")
    st.markdown(widgets.safe(carriers_sentence(q, lang, named=False)))
    if ahead := ahead_sentence(q, lang):  # the table lists those carrying the gap: the units ahead are named here
        st.markdown(widgets.safe(ahead))
    heads = w("quotas_columns", lang).split("|")
    st.dataframe(pd.DataFrame([dict(zip(heads, cells)) for _, cells in quota_lines(q, lang)]), hide_index=True)


def hall_chart(row, lang: str) -> None:
    """The target's chart, as tall as the slide leaves room for (``.st-key-slide-chart`` in the CSS above)."""
    with st.container(key=f"slide-chart-{row.target['code']}", height="stretch"):
        widgets.plotly(charts.for_hall(charts.trend(row, lang), row), lang, key=f"present-{row.target['code']}",
                       height="stretch")


def target_words(row, lang: str, chart: bool = False) -> None:
    st.markdown(f"**{widgets.safe(facts.headline(row, lang))}**")
    if chart:
        hall_chart(row, lang)
    widgets.badge(row, lang)
    st.markdown(widgets.safe(facts.statement(row, lang)))


def summary(deck: Deck) -> None:
    lang, counts, total = deck.lang, deck.counts(), len(deck.rows)
    st.header(widgets.safe(w("summary_title", lang)), divider="blue")
    for column, (status, count) in zip(st.columns(max(4, len(counts))), counts):
        column.metric(status.badge_text(lang), f"{count}/{total}", border=True)
    st.markdown(f"**{widgets.safe(deck.summary())}**")
    focus = deck.focus()
    if focus:
        st.markdown(f"**{widgets.safe(w('focus', lang))}:**")
        st.markdown("\n".join(f"- {widgets.safe(facts.badge(r, lang))} — {widgets.safe(facts.headline(r, lang))}"
                              for r in focus[:6]))


def controls(deck: Deck, number: int, count: int) -> None:
    lang = deck.lang
    with st.container(key="slide-footer", horizontal=True, vertical_alignment="center"):
        st.button(t("present_prev", lang), icon=":material/arrow_back:", key="present_prev", shortcut="Left",
                  disabled=number <= 1, on_click=go, args=(number - 1,))
        st.markdown(f"**{number}/{count}**")
        st.button(t("present_next", lang), icon=":material/arrow_forward:", key="present_next", shortcut="Right",
                  type="primary", disabled=number >= count, on_click=go, args=(number + 1,))
        st.caption(widgets.safe(deck.footer()))
        st.button(t("present_exit", lang), icon=":material/close:", key="present_exit", shortcut="Esc", on_click=leave)


def leave() -> None:
    st.session_state.pop(state.SLIDE, None)
    st.session_state.pop(SHOWN, None)


layout.run(render, "page_present", role="viewer")
