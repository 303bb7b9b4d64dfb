"""Về số liệu — which figures are published, illustrative or imported; who has reported, who is late; the method."""

import datetime as dt

import pandas as pd
import streamlit as st

from metrics.domain.judgement import ANNUAL_TYPES, CUMULATIVE, LEVEL
from metrics.exports import reminders
from metrics.judging.overdue import overdue
from metrics.vocabulary import fmt
from metrics.vocabulary.i18n import PROVENANCE_LABELS, name, pick
from ui import layout, widgets
from ui.texts import t


def render(view: layout.View) -> None:
    st.title(t("page_about", view.lang))
    widgets.notices(view)
    kinds(view)
    reporting(view)
    late(view)
    published(view)
    st.header(t("method_title", view.lang), divider="gray")
    st.markdown(t("method_text", view.lang).format(**method_examples(view)))


def method_examples(view: layout.View) -> dict[str, str]:
    """An example of each kind of target from the plan on screen (nothing when it has none of that kind)."""
    examples = {}
    for kind, types in (("level", {LEVEL}), ("cumulative", {CUMULATIVE}), ("annual", ANNUAL_TYPES)):
        found = next((t_ for t_ in view.card.targets(view.plan) if t_["type"] in types), None)
        examples[kind] = "" if found is None else t("example", view.lang).format(
            code=widgets.safe(found["code"]), label=widgets.safe(name(found, "label", view.lang)))
    return examples


def kinds(view: layout.View) -> None:
    """How many values of each kind (published, illustrative, imported) there are, by year."""
    found = view.card.provenance_counts()
    st.header(t("kinds_title", view.lang), divider="gray")
    if found.empty:
        st.info(t("no_values", view.lang))
        return
    counts = found.pivot_table(index="year", columns="provenance", values="n", fill_value=0)
    counts.columns = [pick(PROVENANCE_LABELS.get(c, (c, c)), view.lang) for c in counts.columns]
    counts.index.name = t("year", view.lang)
    widgets.table(counts, view.lang, "kinds", "loai-so-lieu")
    if "illustrative" in set(found["provenance"]):
        st.warning(t("illustrative_banner", view.lang), icon=":material/science:")


def reporting(view: layout.View) -> None:
    """Completeness by unit and year, and the list of who has not reported in the selected year."""
    st.header(t("completeness_title", view.lang), divider="gray")
    years = [y for y in view.card.years(view.plan) if y > int(view.card.plans[view.plan]["start_year"])]
    parent = view.unit or view.card.plans[view.plan]["unit"]
    frame = view.card.completeness(view.plan, years, parent)
    unit = view.card.org.any_period(parent)
    if unit is not None:
        st.caption(widgets.safe(t("completeness_of", view.lang).format(unit=unit.name(view.lang))))
    if frame.empty:
        st.info(t("no_values", view.lang))
        return
    names = "unit_name_vi" if view.lang == "vi" else "unit_name_en"
    frame = frame.sort_values(["rank", "year"])
    share = frame.assign(pct=frame["reported"] / frame["expected"] * 100).pivot_table(
        index=names, columns="year", values="pct", sort=False)
    share.index.name = t("col_unit", view.lang)
    widgets.table(share.map(lambda v: "" if pd.isna(v) else fmt.percent(v, view.lang, 0)), view.lang, "completeness",
                  "muc-do-day-du")
    now = frame[(frame["year"] == view.year) & (frame["reported"] < frame["expected"])]
    if now.empty:
        st.success(t("all_reported", view.lang).format(year=view.year))
        return
    indicators = {i: name(v, "name", view.lang) for i, v in view.card.indicators.items()}
    st.subheader(t("missing_title", view.lang).format(year=view.year))
    widgets.table(pd.DataFrame({
        t("col_unit", view.lang): now[names],
        t("missing_count", view.lang): now["expected"] - now["reported"],
        t("missing_list", view.lang): now["missing"].map(lambda ms: "; ".join(indicators.get(m, m) for m in ms)),
    }), view.lang, "missing", f"chua-bao-cao_{view.year}", hide_index=True)


ON_SCREEN = ("unit", "days_late", "contact_name", "contact_phone", "contact_email", "missing_count", "missing")


def late(view: layout.View) -> None:
    """The units still missing figures of the year after its reporting deadline: how late, whom to call; the list as
    Excel and a reminder letter per unit as PDF."""
    st.subheader(t("overdue_title", view.lang).format(year=view.year))
    on = st.date_input(t("overdue_on", view.lang), dt.date.today(), key="about_overdue_on", format="DD/MM/YYYY",
                       width=220)
    found = overdue(view.card, view.plan, view.year, on if isinstance(on, dt.date) else None, view.unit, view.lang)
    if not found.units:
        st.info(widgets.safe(found.headline(view.lang)))
        return
    st.warning(widgets.safe(found.headline(view.lang)), icon=":material/schedule:")
    frame = reminders.overdue_frame(found, view.lang)
    columns = [reminders.header(key, view.lang) for key in ON_SCREEN]  # how late and whom to call first; the
    # deadline, the same on every row, is in the sentence above; the downloads are this table, as every table's
    widgets.table(frame[columns], view.lang, "overdue", f"{t('overdue_file', view.lang)}_{found.year}", hide_index=True)
    st.download_button(t("overdue_download_pdf", view.lang),
                       data=lambda: reminders.reminder_pdf(found, reminders.Letter.for_list(found)),
                       file_name=f"{t('overdue_letters_file', view.lang)}_{found.year}.pdf", mime="application/pdf",
                       icon=":material/mail:", key="overdue-pdf", on_click="ignore")


def published(view: layout.View) -> None:
    """The published figures and their documents, and figures published for a whole earlier term."""
    shown = view.card.published_values()
    st.header(t("published_title", view.lang), divider="gray")
    indicators = view.card.indicators
    table = pd.DataFrame({
        t("col_unit", view.lang): shown["unit"].map(lambda c: view.card.org.any_period(c).name(view.lang)),
        t("indicator", view.lang): shown["indicator"].map(lambda i: name(indicators[i], "name", view.lang)),
        t("year", view.lang): shown["year"],
        t("col_actual", view.lang): [fmt.shown(v, indicators[i], view.lang)
                                     for v, i in zip(shown["value"], shown["indicator"])],
        t("source", view.lang): shown["source"],
        t("note", view.lang): shown["note"],
    })
    widgets.table(table, view.lang, "published", "so-lieu-cong-bo", hide_index=True)
    totals = pd.DataFrame(view.card.period_totals)
    if not totals.empty:
        st.subheader(t("period_totals_title", view.lang))
        widgets.table(pd.DataFrame({
            t("indicator", view.lang): totals["indicator"].map(lambda i: name(indicators[i], "name", view.lang)),
            t("period", view.lang): totals["from_year"].astype(str) + "–" + totals["to_year"].astype(str),
            t("col_actual", view.lang): [fmt.shown(v, indicators[i], view.lang)
                                         for v, i in zip(totals["value"], totals["indicator"])],
            t("source", view.lang): totals["source"], t("note", view.lang): totals["note"],
        }), view.lang, "period-totals", "so-lieu-ca-nhiem-ky", hide_index=True)


layout.run(render, "page_about", role="viewer")
