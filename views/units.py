"""Đơn vị — units × targets, ranking of units on one target, and one unit's own page."""

import pandas as pd
import streamlit as st

from metrics.judging import charts
from metrics.vocabulary import fmt, statuses
from metrics.vocabulary.i18n import LEVEL_LABELS, SECTOR_LABELS, name, pick, provisional_mark
from ui import figures, layout, state, widgets
from ui.texts import t


def render(view: layout.View) -> None:
    st.title(t("page_units", view.lang))
    unit = selected(view)
    if unit is None:
        st.info(t("no_units", view.lang))
        return
    below = view.card.children(unit.code, view.year)
    st.caption(widgets.safe(t("units_below", view.lang).format(unit=unit.name(view.lang), count=len(below),
                                                                year=view.year)))
    views = {"matrix": t("tab_matrix", view.lang), "ranking": t("tab_ranking", view.lang),
             "unit": t("tab_unit", view.lang)}
    # One view at a time (tabs drew all three, charts included, on every visit: a second of the browser's time)
    shown = layout.choose(VIEW, list(views), "matrix", lambda key, changed: st.segmented_control(
        t("units_view", view.lang), list(views), format_func=views.get, required=True, key=key, on_change=changed,
        label_visibility="collapsed"))
    if shown == "ranking":
        ranking_tab(below, view)
    elif shown == "unit":
        unit_tab(view)
    else:
        matrix_tab(unit, below, view)


VIEW = "units_view"  # which of the three the page shows; kept while moving between pages


def selected(view: layout.View):
    """The sidebar's unit; its children are the rows of the matrix and the bars of the ranking."""
    return (view.card.org.unit(view.unit, view.year) if view.unit else None) or view.card.root(view.plan, view.year)


def matrix_tab(unit, below, view: layout.View) -> None:
    """The unit and the units directly below it × every target, 40 units to a page."""
    legend = ", ".join(statuses.badge(s.code, view.lang) for s in statuses.TABLE)
    st.caption(t("matrix_help", view.lang).format(legend=legend))
    shown = [unit, *widgets.page_of(below, "matrix_page")]
    rows = view.card.evaluate(view.plan, view.year, units=[u.code for u in shown])
    widgets.notices(view, rows)
    as_was(rows, below, view)
    if not rows:
        st.info(t("no_targets_for_unit", view.lang))
        return
    if any(r.against_quota for r in rows):
        st.caption(t("quota_cells", view.lang))
    with st.container(key="wide-only"):
        matrix = figures.matrix(view.card, view.plan, view.year, view.lang, shown, rows)
        widgets.plotly(matrix, view.lang, key="units-matrix")
    with st.container(key="narrow-only"):  # a phone cannot show 27 columns: one line per unit instead
        unit_list(shown, rows, view)


def as_was(rows, below, view: layout.View) -> None:
    """In a year before the plan's unit was formed by merging several, those units as they were: each with its
    own figure of every target's indicator (their sum is the merged unit's reconstructed figure)."""
    parts = [u for u in below if u.code in view.card.stand_ins(view.plan)]
    judged = [r for r in rows if r.unit.code == view.card.owner(view.plan)]
    if not parts or not judged:
        return
    lang = view.lang
    frame = pd.DataFrame([{
        t("col_unit", lang): u.name(lang),
        **{f"{r.target['code']} · {name(r.indicator, 'name', lang)}": fmt.shown(
            figure.value if (figure := view.card.figure(r.target["indicator"], u.code, view.year, sectors(r))) else None,
            r.indicator, lang) for r in judged if not isinstance(r.target.get("basis"), str)},
    } for u in parts])
    st.subheader(t("as_was_title", lang))
    st.caption(widgets.safe(t("as_was_help", lang).format(unit=judged[0].unit.name(lang))))
    widgets.table(frame, lang, "as-was-units", f"truoc-hop-nhat_{view.year}", hide_index=True)


def sectors(row) -> tuple[str, ...]:
    sector = row.target.get("sector")
    return tuple(sector.split("|")) if isinstance(sector, str) and sector else ()


def unit_list(units, rows, view: layout.View) -> None:
    """Each unit with how many of its targets have each status; the name opens that unit's view."""
    by_unit: dict[str, list] = {}
    for row in rows:
        by_unit.setdefault(row.unit.code, []).append(row)
    for unit in units:
        found = by_unit.get(unit.code, [])
        counts = " ".join(f":{s.badge}-badge[{s.symbol} {n}]" for s, n in statuses.counts([r.status for r in found]))
        if any(r.provisional for r in found):
            counts += f" {provisional_mark(view.lang)}"
        st.page_link("views/units.py", label=f"**{widgets.safe(unit.name(view.lang))}**  \n{counts}",
                     query_params={"unit": unit.code, "year": str(view.year), "plan": view.plan},
                     width="stretch")  # one width down the list, not each hugging its name


def ranking_tab(below, view: layout.View) -> None:
    """The units directly below the sidebar's unit on one target, best first."""
    targets = {tg["code"]: tg for tg in view.card.targets(view.plan)}
    ranked = [c for c, tg in targets.items() if any(view.card.applies(tg, u) for u in below)]
    if not ranked:
        st.info(t("no_units", view.lang))
        return
    chosen = state.get(state.TARGET)
    code = layout.choose_among(state.TARGET, ranked, lambda key, changed: st.selectbox(
        t("page_target", view.lang), ranked, key=key, on_change=changed,
        format_func=lambda c: f"{c} · {name(targets[c], 'label', view.lang)}"))
    if chosen in targets and chosen != code:  # the target chosen elsewhere stays chosen; say why it is not here
        st.caption(widgets.safe(t("not_ranked", view.lang).format(target=chosen, shown=code)))
    on_target = view.card.evaluate(view.plan, view.year, units=[u.code for u in below], targets=[code])
    with_data = sorted((r for r in on_target if r.verdict.actual is not None), key=lambda r: r.verdict.actual,
                       reverse=on_target[0].indicator["direction"] == "up") if on_target else []
    if any(r.against_quota for r in on_target):
        st.caption(t("quota_ranking", view.lang))
    if with_data:
        shown = widgets.page_of(with_data, "ranking_page")
        ranked = figures.figure(view.card, ("ranking", view.plan, code, view.year, view.lang,
                                            tuple(r.unit.code for r in shown)),
                                lambda: charts.ranking(shown, view.lang))
        widgets.plotly(ranked, view.lang, key=f"ranking-{code}")
    missing = [r.unit.name(view.lang) for r in on_target if r.verdict.actual is None]
    if missing:
        shown = "; ".join(missing[:30]) + (f" (+{len(missing) - 30})" if len(missing) > 30 else "")
        st.caption(widgets.safe(t("not_reported", view.lang).format(units=shown)))


def unit_tab(view: layout.View) -> None:
    """One unit as it was in the selected year: where it sits, and every target that applies to it."""
    unit = selected(view)
    if unit is None:
        st.info(t("no_units", view.lang))
        return
    st.subheader(widgets.safe(unit.name(view.lang)))
    code = unit.code
    unit_facts(unit, view)
    rows = view.card.evaluate(view.plan, view.year, units=[code])
    if not rows:
        st.info(t("no_targets_for_unit", view.lang))
        return
    widgets.table(unit_table(rows, view.lang), view.lang, "unit-table", f"don-vi_{code}_{view.year}", hide_index=True,
                  column_config={
        t("col_trend", view.lang): st.column_config.LineChartColumn(t("col_trend", view.lang), width="small")})
    breaks = sorted({y for r in rows for y in r.break_years})
    if breaks:
        st.warning(t("break_note", view.lang).format(years=", ".join(map(str, breaks))))


def unit_facts(unit, view: layout.View) -> None:
    lang, org = view.lang, view.card.org
    parent = org.unit(unit.parent, view.year) if unit.parent else None
    facts = [pick(LEVEL_LABELS[unit.level], lang)]
    if unit.sector:
        facts.append(pick(SECTOR_LABELS[unit.sector], lang))
    if unit.official_code:
        facts.append(f"{t('official_code', lang)} {unit.official_code}")
    if parent:
        facts.append(f"{t('parent', lang)}: {parent.name(lang)}")
    st.caption(widgets.safe(" · ".join(facts)))
    valid = t("valid_from", lang).format(start=fmt.date(unit.valid_from, lang))
    if unit.valid_to:
        valid += " " + t("valid_to", lang).format(end=fmt.date(unit.valid_to, lang))
    successor = org.any_period(unit.successor) if unit.successor else None
    if successor:
        valid += " · " + t("successor", lang).format(unit=successor.name(lang))
    predecessors = [org.any_period(p).name(lang) for p in org.predecessors.get(unit.code, [])]
    if predecessors:
        valid += " · " + t("predecessors", lang).format(units="; ".join(predecessors))
    st.caption(widgets.safe(valid))
    children = view.card.children(unit.code, view.year)  # (before a merger: the units it was formed from)
    if children:
        with st.expander(t("children", lang).format(count=len(children), year=view.year)):
            names = sorted(children, key=lambda u: u.sort_key(lang))
            st.markdown("\n".join(f"- {widgets.safe(u.name(lang))}" for u in names))


def unit_table(rows, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        t("col_target", lang): f"{r.target['code']} · {name(r.target, 'label', lang)}",
        t("col_actual", lang): fmt.shown(r.verdict.actual, r.indicator, lang),
        t("col_target_value", lang): fmt.shown(r.verdict.target_value, r.indicator, lang),
        t("judged_against", lang): t("quota_given" if r.against_quota else "plan_target", lang),
        t("col_status", lang): r.badge(lang),
        t("col_trend", lang): [r.series[y].value for y in sorted(r.series)],
        t("col_year", lang): r.verdict.actual_year,
        t("series_break", lang): "⚡ " + ", ".join(map(str, r.break_years)) if r.break_years else "",
    } for r in rows])


layout.run(render, "page_units", role="viewer")
