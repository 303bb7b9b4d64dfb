"""Tổng quan — every target of the plan for the selected year: what is met, on track or behind, and why."""

import pandas as pd
import streamlit as st

from metrics import fmt, statuses, wording
from metrics.i18n import name, pick
from metrics.judgement import ANNUAL_TYPES
from ui import layout, widgets
from ui.texts import t


def render(view: layout.View) -> None:
    root = view.card.root(view.plan, view.year)
    unit = (view.card.org.unit(view.unit, view.year) if view.unit else None) or root
    plan = view.card.plans[view.plan]
    st.title(t("page_overview", view.lang))
    st.caption(widgets.safe(f"{pick((plan['name_vi'], plan['name_en']), view.lang)} · "
                            f"{unit.name(view.lang) if unit else '—'} · {view.year}"))
    rows = view.card.evaluate(view.plan, view.year, units=[unit.code]) if unit else []
    widgets.as_of_banner(view.as_of, view.lang)
    widgets.illustrative_banner(rows, view.lang)
    breaks = sorted({y for r in rows for y in r.break_years})
    if breaks:
        st.info(widgets.safe(t("break_banner", view.lang).format(unit=unit.name(view.lang),
                                                                 years=", ".join(map(str, breaks)))))
    if not rows:
        st.info(t("no_targets_for_unit", view.lang))
        return
    st.markdown(f"#### {widgets.safe(wording.summary(rows, view.year, view.lang))}")
    counts_row(rows, view.lang)
    status_strip(rows, view.lang)
    headlines(rows, view)
    if st.toggle(t("table_view", view.lang), key="overview_table"):
        widgets.table(table(rows, view.lang), view.lang, "overview-table", f"chi-tieu_{view.plan}_{view.year}",
                      hide_index=True, column_config={
            t("col_trend", view.lang): st.column_config.LineChartColumn(t("col_trend", view.lang), width="small")})
        return
    for term, title_key in ((False, "term_targets"), (True, "annual_targets")):
        group_rows = [r for r in rows if (r.target["type"] in ANNUAL_TYPES) == term]
        if group_rows:
            st.header(t(title_key, view.lang), divider="gray")
            groups(group_rows, view)


def status_strip(rows, lang: str) -> None:
    """Every target as one coloured chip with its symbol: the whole resolution on one line."""
    with st.container(horizontal=True, gap="small"):
        for row in rows:
            st.badge(f"{row.symbol} {widgets.safe(row.target['code'])}", color=statuses.status(row.status).badge,
                     help=widgets.safe(f"{name(row.target, 'label', lang)} — {row.badge(lang)}"))


def counts_row(rows, lang: str) -> None:
    """One count per status that occurs, in the one table's symbol and words."""
    with st.container(horizontal=True):  # four in a row on a laptop, two on a phone
        for status, count in wording.status_counts(rows):
            st.metric(status.badge_text(lang), f"{count}/{len(rows)}", border=True, width=140)


def headlines(rows, view: layout.View) -> None:
    """The targets the plan names as its headline (``plans.csv``, column ``headline``): the figures its
    leaders ask for first, in the plan's order."""
    named = (view.card.plans[view.plan].get("headline") or "").split("|")
    chosen = [r for code in named for r in rows if r.target["code"] == code][:4]
    if not chosen:
        return
    st.subheader(t("headlines", view.lang))
    for column, row in zip(st.columns(len(chosen)), chosen):
        with column:
            widgets.target_card(row, view.lang, link_params(view))


def groups(rows, view: layout.View) -> None:
    """The resolution's own groups (NK1 … NK3, HN1 … HN9), cards three to a row."""
    by_group: dict[str, list] = {}
    for row in rows:
        by_group.setdefault(row.target["group_code"], []).append(row)
    for code, members in by_group.items():
        st.subheader(f"{widgets.safe(code)} · {widgets.safe(name(members[0].target, 'group', view.lang))}")
        for start in range(0, len(members), 3):
            for column, row in zip(st.columns(3), members[start:start + 3]):
                with column:
                    widgets.target_card(row, view.lang, link_params(view))


def link_params(view: layout.View) -> dict:
    params = {"plan": view.plan, "year": str(view.year), "lang": view.lang}
    if view.as_of is not None:
        params["as_of"] = str(view.as_of)
    return params


def table(rows, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        t("col_group", lang): r.target["group_code"],
        t("col_target", lang): f"{r.target['code']} · {name(r.target, 'label', lang)}",
        t("col_actual", lang): fmt.measure(r.verdict.actual, r.indicator["kind"], lang),
        t("col_target_value", lang): fmt.measure(r.verdict.target_value, r.indicator["kind"], lang),
        t("col_achievement", lang): widgets.standing(r, lang) or fmt.MISSING,
        t("col_status", lang): r.badge(lang),
        t("col_pace", lang): widgets.target_facts(r, lang).split(" · ")[-1],
        t("col_trend", lang): [r.series[y].value for y in sorted(r.series)],
        t("col_year", lang): r.verdict.actual_year,
    } for r in rows])


layout.run(render, "page_overview", role="viewer")
