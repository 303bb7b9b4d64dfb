"""Chỉ tiêu — one target: its series against the target, pace, projection, units and sources."""

import pandas as pd
import streamlit as st

from metrics import charts, fmt, statuses, wording
from metrics.i18n import PROVENANCE_LABELS, TARGET_TYPE_LABELS, name, pick
from metrics.judgement import ANNUAL_TYPES, BAND_TYPES, CUMULATIVE, band_position
from ui import figures, layout, state, widgets
from ui.texts import t


def render(view: layout.View) -> None:
    targets = {tg["code"]: tg for tg in view.card.targets(view.plan)}
    code = layout.choose(state.TARGET, list(targets), next(iter(targets)), lambda key, changed: st.selectbox(
        t("page_target", view.lang), list(targets), key=key, on_change=changed,
        format_func=lambda c: f"{c} · {name(targets[c], 'label', view.lang)}"))
    target = targets[code]
    unit = target_unit(target, view)
    if unit is None:
        st.info(t("no_units", view.lang))
        return
    row = view.card.row(target, unit, view.year)
    header(row, view)
    trend = figures.figure(view.card, ("trend", target["plan"], code, unit.code, view.year, view.lang),
                           lambda: charts.trend(row, view.lang))
    widgets.plotly(trend, view.lang, key=f"trend-{code}")  # the chart before the figures
    with st.container(key="figures"):
        figures_row(row, view.lang)
    if target["type"] in ANNUAL_TYPES:
        years_met(row, view)
    breakdown(target, unit, view)
    provenance(row, view)


def target_unit(target, view: layout.View):
    """The sidebar's unit when the target applies to it, else the plan's unit (the province)."""
    unit = view.card.org.unit(view.unit, view.year) if view.unit else None
    if unit is not None and view.card.applies(target, unit):
        return unit
    root = view.card.root(view.plan, view.year)
    if unit is not None and root is not None and unit.code != root.code:
        st.caption(widgets.safe(t("not_for_unit", view.lang).format(unit=unit.name(view.lang),
                                                                     root=root.name(view.lang))))
    return root


def header(row, view: layout.View) -> None:
    st.title(f"{widgets.safe(row.target['code'])} · {widgets.safe(name(row.target, 'label', view.lang))}")
    st.caption(widgets.safe(f"{row.target['group_code']} · {name(row.target, 'group', view.lang)} · "
                            f"{pick(TARGET_TYPE_LABELS[row.target['type']], view.lang)}"))
    widgets.notices(view, [row], row.unit)
    widgets.badge(row, view.lang)
    st.markdown(widgets.safe(wording.sentence(row, view.lang)))


def figures_row(row, lang: str) -> None:
    """Actual, target, achievement, straight-line expectation, pace and projection."""
    v, kind = row.verdict, row.indicator["kind"]
    cells = [
        (t("col_actual", lang) + (f" {v.actual_year}" if v.actual_year else ""), fmt.shown(v.actual, row.indicator, lang)),
        (t("col_target_value", lang), widgets.goal_text(row, lang)),
        (t("band", lang), widgets.standing(row, lang)) if v.band_position else
        (t("col_achievement", lang), fmt.percent(v.achievement_pct, lang)),
    ]
    if row.target["type"] in ANNUAL_TYPES:
        cells.append((t("years_met_title", lang), f"{v.years_met or 0}/{v.years_assessed or 0}",
                      wording.trend_words(row, lang)))
    else:
        gap = None if v.gap is None else (fmt.points(v.gap, lang) if kind == "ratio"
                                          else fmt.shown(v.gap, row.indicator, lang, signed=True))
        cells.append((t("expected_now", lang), fmt.shown(v.expected, row.indicator, lang), gap))
        pace = None
        if v.pace_per_year is not None:
            pace = fmt.points(v.pace_per_year, lang) if kind == "ratio" else fmt.shown(v.pace_per_year, row.indicator, lang)
        rate = f"{fmt.percent(v.pace_rate * 100, lang)}/{t('per_year', lang)}" if v.pace_rate is not None else None
        cells.append((t("pace_per_year", lang), pace or "—", rate))
        if row.target["type"] != CUMULATIVE or v.projection is not None:
            cells.append((t("projection", lang).format(year=row.target["target_year"]),
                          fmt.shown(v.projection, row.indicator, lang)))
    for start in range(0, len(cells), 3):
        for column, cell in zip(st.columns(3), cells[start:start + 3]):
            label, value, *delta = cell
            column.metric(label, value, delta[0] if delta else None, delta_color="off", delta_arrow="off", border=True)


def years_met(row, view: layout.View) -> None:
    v, lang = row.verdict, view.lang
    spec = view.card.spec(row.target)
    frame = pd.DataFrame([{
        t("year", lang): year, t("col_actual", lang): fmt.shown(row.series[year].value, row.indicator, lang),
        t("col_status", lang): statuses.badge(statuses.year_code(met), lang),
        **({t("band", lang): charts.band_label(band_position(spec, row.series[year].value), lang)}
           if v.band_position or row.target["type"] in BAND_TYPES else {}),
    } for year, met in sorted(v.met_by_year.items())])
    if not frame.empty:
        st.subheader(t("years_met_title", lang))
        widgets.table(frame, lang, "years-met", f"so-nam-dat_{row.target['code']}", hide_index=True)


def breakdown(target, unit, view: layout.View) -> None:
    """The units just below the selected one, on this target, in the selected year.

    When the target is not set for those units (the province's 139.258 members), the chart shows
    their contributions without judging them against the province's target.
    """
    tree = view.card.org.tree(view.year)
    children = tree[unit.code].children

    def rows_below():
        view.card.prefetch(target["plan"], children, [target["indicator"]])  # two queries, not two per unit
        return [view.card.row(target, tree[c], view.year) for c in children]

    rows = view.card.memo(("breakdown", target["plan"], target["code"], unit.code, view.year), rows_below)
    judged = any(view.card.applies(target, r.unit) for r in rows)
    rows = [r for r in rows if view.card.applies(target, r.unit) or r.verdict.actual is not None]
    if not rows:
        return
    st.subheader(widgets.safe(t("breakdown", view.lang).format(unit=unit.name(view.lang), year=view.year)))
    if not judged:
        st.caption(t("contributions", view.lang))
    if any(r.verdict.actual is not None for r in rows):
        shown = widgets.page_of(rows, "breakdown_page")
        ranked = figures.figure(view.card, ("breakdown", target["plan"], target["code"], unit.code, view.year,
                                            view.lang, judged, tuple(r.unit.code for r in shown)),
                                lambda: charts.ranking(shown, view.lang, judged=judged))
        widgets.plotly(ranked, view.lang, key=f"breakdown-{target['code']}")
    missing = [r.unit.name(view.lang) for r in rows if r.verdict.actual is None]
    if missing:
        st.caption(widgets.safe(t("not_reported", view.lang).format(units="; ".join(missing))))


def provenance(row, view: layout.View) -> None:
    """The resolution's words, the definition, and the source of every value."""
    lang, ind = view.lang, row.indicator
    st.subheader(t("about_target", lang))
    st.markdown(f"> {widgets.safe(row.target['wording_vi'])}")
    st.caption(widgets.safe(f"{t('source', lang)}: {row.target['source']}"))
    st.markdown(f"**{widgets.safe(name(ind, 'name', lang))}** — {widgets.safe(name(ind, 'definition', lang))}")
    if ind["kind"] in ("ratio", "rate"):
        st.caption(widgets.safe(f"{t('numerator', lang)}: {name(ind, 'numerator', lang)} · "
                                f"{t('denominator', lang)}: {name(ind, 'denominator', lang)}"))
    widgets.table(values_table(row, view), lang, "values", f"so-lieu_{row.target['code']}", hide_index=True)
    totals = view.card.period_totals_for(ind["code"])
    for total in totals:
        st.caption(widgets.safe(t("period_total", lang).format(
            start=total["from_year"], end=total["to_year"], value=fmt.shown(total["value"], ind, lang),
            source=total["source"])))


def values_table(row, view: layout.View) -> pd.DataFrame:
    lang, org = view.lang, view.card.org
    return pd.DataFrame([{
        t("year", lang): year,
        t("col_unit", lang): org.any_period(row.units_by_year[year]).name(lang) if year in row.units_by_year else "",
        t("col_actual", lang): fmt.shown(f.value, row.indicator, lang),
        t("numerator", lang): fmt.number(f.numerator, lang) if f.numerator is not None else "",
        t("denominator", lang): fmt.number(f.denominator, lang) if f.denominator is not None else "",
        t("reported", lang): "" if f.own else f"{f.reported}/{f.expected}",
        t("provenance", lang): ", ".join(pick(PROVENANCE_LABELS.get(p, (p, p)), lang) for p in sorted(f.provenance)),
        t("source", lang): "; ".join(f.sources),
    } for year, f in sorted(row.series.items())])


layout.run(render, "page_target", role="viewer")
