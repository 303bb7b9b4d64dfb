"""Chỉ tiêu — one target: its series against the target, pace, projection, units and sources."""

import pandas as pd
import streamlit as st

from metrics.domain.judgement import ANNUAL_TYPES, BAND_TYPES, CUMULATIVE, band_position
from metrics.judging import charts, quotas, wording
from metrics.vocabulary import fmt, statuses
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.i18n import PROVENANCE_LABELS, PROVISIONAL_MARK, TARGET_TYPE_LABELS, name, pick
from ui import auth, figures, layout, state, widgets
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
    trend = figures.trend(view.card, row, view.year, view.lang)
    widgets.plotly(trend, view.lang, key=f"trend-{code}")  # the chart before the figures
    with st.container(key="figures"):
        figures_row(row, view.lang)
    if target["type"] in ANNUAL_TYPES:
        years_met(row, view)
    as_was(row, view)
    if not quota_section(target, unit, view):
        breakdown(target, unit, view)
    allocation_section(target, unit, view)
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
        # (the symbol alone in a label a phone cuts short: the notice above the figures says it in words)
        (t("col_actual", lang) + (f" {v.actual_year}" if v.actual_year else "") + (f" {PROVISIONAL_MARK}" if row.provisional else ""),
         fmt.shown(v.actual, row.indicator, lang)),
        (t("col_target_value", lang), widgets.goal_text(row, lang), *rebased(row, lang)),
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


def rebased(row, lang: str) -> list[str]:
    """``tính lại theo đơn vị sau hợp nhất`` under a target the merged unit carries scaled (none otherwise)."""
    return [wording.REBASED[lang]] if row.rebase is not None and row.rebase.scaled else []


def as_was(row, view: layout.View) -> None:
    """Beside the reconstructed years, each unit before the merger with its own figure, and their total."""
    lang, found = view.lang, {y: r for y, r in sorted(row.reconstructions.items())}
    if not any(r.figure is not None for r in found.values()):
        return  # nothing added up (a unit before the merger has no figures at all): the sentence says why
    codes = list(dict.fromkeys(code for r in found.values() for code in r.parts))
    frame = pd.DataFrame([{
        t("year", lang): year,
        **{row.name_of(code, lang): figure_text(r.parts.get(code), row.indicator, lang) for code in codes},
        t("as_was_total", lang): figure_text(r.figure, row.indicator, lang) if r.figure is not None else
        t("not_reconstructed", lang).format(units="; ".join(row.name_of(c, lang) for c in r.missing)),
    } for year, r in found.items()])
    st.subheader(t("as_was_title", lang))
    st.caption(widgets.safe(t("as_was_help", lang).format(unit=row.unit.name(lang))))
    widgets.table(frame, lang, "as-was", f"truoc-hop-nhat_{row.target['code']}", hide_index=True)


def figure_text(figure, indicator: dict, lang: str) -> str:
    """``57,78% (130/225)`` for a ratio with its parts, ``39.400`` for a count; ``—`` for none."""
    if figure is None or figure.value is None:
        return "—"
    text = fmt.shown(figure.value, indicator, lang)
    if indicator["kind"] in ("ratio", "rate") and figure.numerator is not None and figure.denominator is not None:
        text += f" ({fmt.number(figure.numerator, lang)}/{fmt.number(figure.denominator, lang)})"
    return text


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
    rows, judged = figures.breakdown_rows(view.card, target, unit, view.year)
    if not rows:
        return
    st.subheader(widgets.safe(t("breakdown", view.lang).format(unit=unit.name(view.lang), year=view.year)))
    if not judged:
        st.caption(t("contributions", view.lang))
    if any(r.verdict.actual is not None for r in rows):
        shown = widgets.page_of(rows, "breakdown_page")
        ranked = figures.ranking(view.card, target, unit, view.year, view.lang, judged, shown)
        widgets.plotly(ranked, view.lang, key=f"breakdown-{target['code']}")
    missing = [r.unit.name(view.lang) for r in rows if r.verdict.actual is None]
    if missing:
        st.caption(widgets.safe(t("not_reported", view.lang).format(units="; ".join(missing))))


def quota_section(target, unit, view: layout.View) -> bool:
    """On the province's view of a target divided among its units: the quotas reconciled with the target, who
    carries the gap (a chart, largest part first) and each unit judged against its own quota. False: the
    target has no quotas (or another unit is shown), and the usual breakdown is shown instead."""
    root = view.card.root(view.plan, view.year)
    if root is None or unit.code != root.code:
        return False
    found = figures.quotas_of(view.card, target, view.year)
    if found is None:
        return False
    lang = view.lang
    st.subheader(widgets.safe(t("quotas_title", lang).format(year=view.year)))
    st.markdown(widgets.safe(quotas.reconciliation_sentence(found, lang)))
    st.markdown(widgets.safe(quotas.carriers_sentence(found, lang)))
    if found.shortfall:
        st.caption(t("quotas_chart_help", lang))
        widgets.plotly(figures.shortfall(view.card, found, lang), lang, key=f"shortfall-{target['code']}")
    if ahead := quotas.ahead_sentence(found, lang):
        st.markdown(widgets.safe(ahead))
    ind = found.indicator
    frame = pd.DataFrame([{
        t("unit", lang): c.unit.name(lang),
        t("quota", lang): fmt.shown(c.quota, ind, lang),
        t("col_actual", lang): fmt.shown(c.row.verdict.actual, ind, lang),
        t("col_achievement", lang): fmt.percent(c.row.verdict.achievement_pct, lang),
        t("quota_status", lang): c.row.badge(lang),
        t("quota_remaining", lang): _part(c.remaining, found, lang),
        t("quota_behind", lang): _part(c.behind, found, lang),
    } for c in found.carriers])
    widgets.table(frame, lang, "quotas", f"chi-tieu-giao_{target['code']}", hide_index=True)
    return True


RULE_LABELS = {"baseline": ("Theo số gốc của đơn vị", "By each unit's baseline"),
               "workers": ("Theo số người lao động", "By workers"), "equal": ("Chia đều", "Equal shares")}


def allocation_section(target, unit, view: layout.View) -> None:
    """For an analyst or an administrator, on the province's view of a plan's target: divide it among the
    upper-level unions by a rule, see the quotas first, then download them as a targets file to edit and load
    (Quản trị › Kế hoạch và chỉ tiêu, or ``targets import``). Nothing is written here."""
    root = view.card.root(view.plan, view.year)
    if target.unit or root is None or unit.code != root.code or not auth.may(auth.current_user(), "analyst"):
        return
    lang = view.lang
    with st.expander(t("allocate_title", lang), icon=":material/call_split:"):
        st.caption(t("allocate_help", lang))
        rule = st.segmented_control(t("allocate_rule", lang), list(RULE_LABELS), default="baseline",
                                    format_func=lambda r: pick(RULE_LABELS[r], lang), key=f"allocate-rule-{target.code}")
        try:
            allocation = quotas.allocate(view.card, target, rule or "baseline", view.year)
        except UserError as exc:
            st.warning(widgets.safe(exc.message(lang)))
            return
        for vi, en in allocation.notes:
            st.info(widgets.safe(vi if lang == "vi" else en))
        ind = allocation.indicator
        frame = pd.DataFrame([{
            t("unit", lang): s.unit.name(lang),
            t("allocate_weight", lang): "—" if s.weight is None else
            f"{fmt.short(s.weight, ind.kind, lang)}" + (f" ({s.weight_year})" if s.weight_year else ""),
            t("quota", lang): fmt.shown(s.quota, ind, lang),
        } for s in allocation.shares])
        st.dataframe(frame, hide_index=True)
        if ind.kind in ("stock", "flow"):
            st.caption(widgets.safe(t("allocate_total", lang).format(
                total=wording.amount(allocation.total, ind, lang), target=wording.amount(target.value, ind, lang))))
        stem = f"chi-tieu-giao_{target.code}_{rule}"
        st.download_button(t("allocate_download", lang), data=lambda: quotas.allocation_file(allocation).to_csv(
            index=False).encode("utf-8-sig"), file_name=f"{stem}.csv", mime="text/csv", icon=":material/download:",
            key=f"allocate-download-{target.code}", on_click="ignore")


def _part(value, found, lang: str) -> str:
    """A unit's part of the gap as written: ``462`` (a count), ``0,35 điểm %`` (a ratio's points); ``—``."""
    if value is None:
        return "—"
    return fmt.points(value, lang, signed=False) if found.ratio else fmt.shown(value, found.indicator, lang)


def provenance(row, view: layout.View) -> None:
    """The resolution's words, the definition, and the source of every value."""
    lang, ind = view.lang, row.indicator
    st.subheader(t("about_target", lang))
    st.caption(t("resolution_words", lang))  # an English reader is told the quote and its source are Vietnamese
    st.markdown(f"> {widgets.safe(row.target['wording_vi'])}")
    st.caption(widgets.safe(f"{t('source_document', lang)}: {row.target['source']}"))
    detail = wording.rebase_detail(row, lang)
    if detail:
        st.caption(widgets.safe(detail))
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
    """Every figure judged, with its unit, parts, kind and source; a reconstructed year says of which units, a
    year that could not be reconstructed which units lack a figure."""
    lang, org = view.lang, view.card.org
    missing = {y: r for y, r in row.reconstructions.items() if r.figure is None and y not in row.series
               and row.unit.code == r.unit}
    shown = sorted({**row.series, **missing}.items())
    frame = pd.DataFrame([{
        t("year", lang): year,
        t("col_unit", lang): org.any_period(row.units_by_year.get(year, row.unit.code)).name(lang),
        t("col_actual", lang): fmt.shown(f.value, row.indicator, lang) if year in row.series else "—",
        t("numerator", lang): fmt.number(f.numerator, lang) if year in row.series and f.numerator is not None else "",
        t("denominator", lang): fmt.number(f.denominator, lang) if year in row.series and f.denominator is not None
        else "",
        t("reported", lang): "" if year not in row.series or f.own else f"{f.reported}/{f.expected}",
        t("provenance", lang): ", ".join(pick(PROVENANCE_LABELS.get(p, (p, p)), lang) for p in sorted(f.provenance))
        if year in row.series else "",
        t("source", lang): "; ".join(f.sources) if year in row.series else "",
        t("reconstructed_col", lang): reconstructed_text(row, year, lang),
    } for year, f in shown])
    if not any(frame[t("reconstructed_col", lang)]):
        frame = frame.drop(columns=[t("reconstructed_col", lang)])
    return frame


def reconstructed_text(row, year: int, lang: str) -> str:
    """``Bến Tre + Trà Vinh + Vĩnh Long`` for a reconstructed year of the series, or which units lack a figure."""
    figure = row.series.get(year)
    if figure is not None and figure.parts:
        return " + ".join(row.name_of(code, lang) for code in figure.parts)
    found = row.reconstructions.get(year)
    if figure is None and found is not None and found.figure is None:
        return t("not_reconstructed", lang).format(units="; ".join(row.name_of(c, lang) for c in found.missing))
    return ""


layout.run(render, "page_target", role="viewer")
