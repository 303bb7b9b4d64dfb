"""Tổng quan — every target of the plan for the selected year: what is met, on track or behind, and why.

First one compact scorecard (every target's status, name and value on one laptop screen, each a link to
its page), then the headline cards; the card of every target and the table are there on demand.
"""

import pandas as pd
import streamlit as st

from metrics.domain.judgement import ANNUAL_TYPES
from metrics.judging import wording
from metrics.vocabulary import fmt, statuses
from metrics.vocabulary.i18n import name, pick
from ui import layout, widgets
from ui.texts import t


def render(view: layout.View) -> None:
    root = view.card.root(view.plan, view.year)
    unit = (view.card.org.unit(view.unit, view.year) if view.unit else None) or root
    plan = view.card.plans[view.plan]
    st.title(t("page_overview", view.lang))
    st.caption(widgets.safe(f"{pick((plan['name_vi'], plan['name_en']), view.lang)} · "
                            f"{unit.name(view.lang) if unit else '—'} · {view.year}"))
    rows = [] if unit is None else view.card.plan_rows(view.plan, view.year) if root and unit.code == root.code \
        else view.card.evaluate(view.plan, view.year, units=[unit.code])
    widgets.notices(view, rows, unit)
    if not rows:
        st.info(t("no_targets_for_unit", view.lang))
        return
    st.markdown(f"#### {widgets.safe(wording.summary(rows, view.year, view.lang))}")
    scorecard(rows, view)
    headlines(rows, view)
    details(rows, view)


def scorecard(rows, view: layout.View) -> None:
    """Every target on one line: its status (symbol, word, colour), code and name, value against the target;
    the line is the link to the target's page. Two columns on a laptop, one on a phone."""
    half = -(-len(rows) // 2)
    with st.container(key="scorecard"):
        for column, part in zip(st.columns(2, gap="medium"), (rows[:half], rows[half:])):
            with column:
                for row in part:
                    st.page_link("views/target.py", label=score_line(row, view.lang),
                                 query_params={**link_params(view), "target": row.target["code"]})


def score_line(row, lang: str) -> str:
    """``:blue-badge[✔ Đã đạt] **NK1a** Phát triển thêm 28.000 đoàn viên · 8.120 / ≥ 28.000`` (data escaped)."""
    status = statuses.status(row.status)
    value = fmt.shown(row.verdict.actual, row.indicator, lang)
    goal = widgets.goal_text(row, lang).replace("≥ ", NBSP_AFTER["≥"]).replace("≤ ", NBSP_AFTER["≤"])
    return (f":{status.badge}-badge[{status.badge_text(lang)}] **{widgets.safe(row.target['code'])}** "
            f"{widgets.safe(name(row.target, 'label', lang))} · {widgets.safe(value)} / {widgets.safe(goal)}"
            f"{widgets.provisional_label(row, lang)}")


# A line that wraps never leaves "≥" at the end of one line and the number on the next.
NBSP_AFTER = {"≥": "≥\u00a0", "≤": "≤\u00a0"}


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


DETAIL = "overview_detail"  # the details asked for: every target's card, or the table


def details(rows, view: layout.View) -> None:
    """Every target's card, or the table, when asked for (the page stays short otherwise)."""
    options = {"cards": t("detail_cards", view.lang), "table": t("table_view", view.lang)}
    shown = st.segmented_control(t("detail_title", view.lang), list(options), format_func=options.get, key=DETAIL)
    if shown == "table":
        widgets.table(table(rows, view.lang), view.lang, "overview-table", f"chi-tieu_{view.plan}_{view.year}",
                      hide_index=True, height="content", column_config={
            t("col_trend", view.lang): st.column_config.LineChartColumn(t("col_trend", view.lang), width="small")})
    elif shown == "cards":
        for term, title_key in ((False, "term_targets"), (True, "annual_targets")):
            group_rows = [r for r in rows if (r.target["type"] in ANNUAL_TYPES) == term]
            if group_rows:
                st.header(t(title_key, view.lang), divider="gray")
                groups(group_rows, view)


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
    """One row per target: both bounds of a band, the pace only where a term target needs one, the
    years met of an annual target in a column of their own."""
    return pd.DataFrame([{
        t("col_group", lang): r.target["group_code"],
        t("col_target", lang): f"{r.target['code']} · {name(r.target, 'label', lang)}",
        t("col_actual", lang): fmt.shown(r.verdict.actual, r.indicator, lang) + widgets.provisional_label(r, lang),
        t("col_target_value", lang): widgets.goal_text(r, lang),
        t("col_achievement", lang): widgets.standing(r, lang) or fmt.MISSING,
        t("col_status", lang): r.badge(lang),
        t("col_pace", lang): widgets.pace_text(r, lang) or fmt.MISSING,
        t("years_met_short", lang): (f"{r.verdict.years_met or 0}/{r.verdict.years_assessed}"
                                     if r.target["type"] in ANNUAL_TYPES and r.verdict.years_assessed else ""),
        t("col_trend", lang): [r.series[y].value for y in sorted(r.series)],
        t("col_year", lang): r.verdict.actual_year,
    } for r in rows])


layout.run(render, "page_overview", role="viewer")
