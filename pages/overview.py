"""Tổng quan — every target of the plan for the selected year, with its status."""

import pandas as pd
import streamlit as st

from metrics import fmt
from metrics.i18n import name, status_badge
from ui import layout
from ui.texts import t


def render(view: layout.View) -> None:
    st.title(t("page_overview", view.lang))
    root = view.card.root(view.plan, view.year)
    rows = [r for r in view.card.evaluate(view.plan, view.year) if root and r.unit.code == root.code]
    table = pd.DataFrame([{
        t("col_group", view.lang): r.target["group_code"],
        t("col_target", view.lang): f"{r.target['code']} · {name(r.target, 'label', view.lang)}",
        t("col_actual", view.lang): fmt.measure(r.verdict.actual, r.indicator["kind"], view.lang),
        t("col_target_value", view.lang): fmt.measure(r.verdict.target_value, r.indicator["kind"], view.lang),
        t("col_achievement", view.lang): fmt.percent(r.verdict.achievement_pct, view.lang),
        t("col_status", view.lang): status_badge(r.status, view.lang),
        t("col_year", view.lang): r.verdict.actual_year or "—",
    } for r in rows])
    st.dataframe(table, hide_index=True)


layout.run(render, "page_overview")
