"""Small Streamlit renderers shared by the pages: badges, cards, banners, safe text, charts."""

from __future__ import annotations

import re

import streamlit as st

from metrics.domain.judgement import ANNUAL_TYPES, CUMULATIVE, has_band
from metrics.exports import data
from metrics.judging import wording
from metrics.judging.scorecard import StatusRow
from metrics.vocabulary import fmt, statuses
from metrics.vocabulary.i18n import BAND_LABELS, TARGET_TYPE_LABELS, name, pick, provisional_mark
from ui import client
from ui.texts import t

# Plotly's own words in the page's language (``client.PLOTLY_LOCALES``, inline: nothing fetched); charts do not
# zoom or pan (a finger on a phone scrolls the page), so the toolbar holds only the PNG download.
PLOTLY_CONFIG = client.PLOTLY_CONFIG

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def safe(text) -> str:
    """Data text (names, labels, notes) shown as plain text inside Markdown: nothing is interpreted."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text if text is not None else ""))


PAGE_SIZE = 40  # rows of a matrix or bars of a ranking at once: readable, and quick with thousands of units


def page_of(items: list, key: str, size: int = PAGE_SIZE) -> list:
    """A page of a long list, with a pagination control when there is more than one page."""
    pages = max(1, -(-len(items) // size))
    number = st.pagination(pages, key=key) if pages > 1 else 1
    return items[(number - 1) * size: number * size]


def badge(row: StatusRow, lang: str) -> None:
    """The status of a row as a coloured badge with its symbol and words (never colour alone)."""
    st.badge(row.badge(lang), color=statuses.status(row.status).badge)


def plotly(fig, lang: str, key: str | None = None, height="content") -> None:
    """A chart with the download-as-PNG button of the Plotly toolbar, Plotly's words in ``lang``; our own
    type sizes and colours (``theme=None``: Streamlit's theme would set every tick to 12 px)."""
    config = {**PLOTLY_CONFIG, "locale": "vi" if lang == "vi" else "en-US",
              "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": key or "bieu-do"}}
    st.plotly_chart(fig, config=config, key=key, theme=None, height=height)


def table(frame, lang: str, key: str, file_name: str, **dataframe_args) -> None:
    """``st.dataframe`` with CSV and Excel downloads of the same table.

    The files are made on click, and their text passes ``safe_cell`` (no formula runs when they are
    opened in a spreadsheet). A table whose index is shown keeps it as the first column.
    """
    st.dataframe(frame, **dataframe_args)
    index = not dataframe_args.get("hide_index", False)
    with st.container(horizontal=True, gap="small"):
        st.download_button(t("download_table_csv", lang), data=lambda: data.table_csv(frame, index),
                           file_name=f"{file_name}.csv", mime="text/csv", icon=":material/download:",
                           key=f"{key}-csv", on_click="ignore", type="tertiary")
        st.download_button(t("download_table_xlsx", lang), data=lambda: data.table_xlsx(frame, index=index),
                           file_name=f"{file_name}.xlsx", icon=":material/download:", key=f"{key}-xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           on_click="ignore", type="tertiary")


def goal_text(row: StatusRow, lang: str) -> str:
    """What the target asks, as a person writes it: ``≥ 96%``, ``80–90%``, ``1–2 người/CĐCS``, ``≥ 139.258``."""
    kind, typ, high = row.indicator["kind"], row.target["type"], row.target.get("value_high")
    unit, decimals = (name(row.indicator, "measure", lang) if kind == "rate" else ""), fmt.decimals_of(row.indicator)
    if has_band(typ, high):
        return f"{fmt.span(row.target['value'], high, kind, lang, decimals)} {unit}".strip()
    sign = "≤ " if typ == "annual_ceiling" or row.indicator["direction"] == "down" else "≥ "
    return f"{sign}{fmt.short(row.verdict.target_value, kind, lang, decimals)} {unit}".strip()


def standing(row: StatusRow, lang: str) -> str | None:
    """How far the value is: ``đạt 92,14%`` (level, cumulative, floor, ceiling) or a band's ``trong khung``."""
    v = row.verdict
    if v.band_position:
        return pick(BAND_LABELS[v.band_position], lang)
    if v.achievement_pct is not None:
        return f"{t('achieved_share', lang)} {fmt.percent(v.achievement_pct, lang)}"
    return None


def target_facts(row: StatusRow, lang: str) -> str:
    """One line under a status: the target, how far it is, the trend or what is still needed."""
    typ = row.target["type"]
    goal = goal_text(row, lang)
    when = t("every_year", lang) if typ in ANNUAL_TYPES else str(row.target["target_year"])
    parts = [f"{t('col_target_value', lang)}: {goal} ({when}{wording.rebased_words(row, lang)})", standing(row, lang)]
    if typ in ANNUAL_TYPES:
        parts += [wording.trend_words(row, lang), wording.term_count(row, lang)]
    elif row.verdict.final:
        parts.append(t("deadline_passed", lang).format(year=row.target["target_year"]))
    else:
        parts.append(pace_text(row, lang))
    return " · ".join(p for p in parts if p)


def pace_text(row: StatusRow, lang: str) -> str | None:
    """``mỗi năm cần +10.606``: what each remaining year must add to a term target (None: nothing to add)."""
    v, kind = row.verdict, row.indicator["kind"]
    if row.target["type"] in ANNUAL_TYPES or v.final or not v.pace_per_year or v.pace_per_year <= 0:
        return None
    pace = fmt.points(v.pace_per_year, lang) if kind == "ratio" else fmt.measure(v.pace_per_year, kind, lang, signed=True)
    return t("pace_needed", lang).format(pace=pace)


def change_delta(row: StatusRow, lang: str) -> str | None:
    """The change on the previous year, formatted for ``st.metric``'s delta."""
    year = row.verdict.actual_year
    if year is None or year - 1 not in row.series or row.target["type"] == CUMULATIVE:
        return None
    if row.previous_value(year) is None:  # across a merger, with nothing like for like before it
        return NOT_COMPARABLE[lang]
    delta = row.series[year].value - row.previous_value(year)
    if round(delta, 0 if row.indicator["kind"] in ("stock", "flow") else 2) == 0:
        return UNCHANGED[lang]  # never "↑ +0,00 điểm %"
    if row.indicator["kind"] == "ratio":
        return fmt.points(delta, lang)
    return fmt.shown(delta, row.indicator, lang, signed=True)


UNCHANGED = {"vi": "không đổi", "en": "unchanged"}
NOT_COMPARABLE = {"vi": "⚡ không so sánh được", "en": "⚡ not comparable"}


def target_card(row: StatusRow, lang: str, link_params: dict) -> None:
    """A bordered card: label, value with its change and sparkline, status, facts, a link to the detail."""
    v = row.verdict
    with st.container(border=True):
        st.markdown(f"**{safe(row.target['code'])}** · {safe(name(row.target, 'label', lang))}")
        base = int(row.target["base_year"])
        spark = [row.series[y].value for y in sorted(row.series) if y >= base]
        if row.target["type"] == CUMULATIVE:
            spark = _running(row)
        label = pick(TARGET_TYPE_LABELS[row.target["type"]], lang)
        if v.actual_year:
            label += f" · {v.actual_year}"
        if row.break_years:
            label += " · ⚡"
        label += provisional_label(row, lang)
        # Sparkline and change take the status's colour: a card never says "good" in one colour and "behind" in words.
        delta = change_delta(row, lang)
        st.metric(label, fmt.shown(v.actual, row.indicator, lang), delta,
                  chart_data=spark if len(spark) > 1 else None, chart_type="line",
                  delta_color=statuses.status(row.status).badge,
                  delta_arrow="off" if delta in (UNCHANGED[lang], NOT_COMPARABLE[lang]) else "auto")
        badge(row, lang)
        st.caption(safe(target_facts(row, lang)))
        st.page_link("views/target.py", label=t("see_detail", lang), icon=":material/arrow_forward:",
                     query_params={**link_params, "target": row.target["code"]})


def _running(row: StatusRow) -> list[float]:
    base = int(row.target["base_year"])
    total, out = 0.0, []
    for year in sorted(row.series):
        if year > base:
            total += row.series[year].value
            out.append(total)
    return out


def reconstructed_notes(rows: list[StatusRow], lang: str) -> list[str]:
    """``Số liệu năm 2023, 2024 của … là tái lập: cộng các đơn vị trước hợp nhất (…)``, once per merged unit."""
    found: dict[str, tuple[str, set[int], dict[str, str]]] = {}
    for row in rows:
        for year in row.reconstructed_years:
            _, years, names = found.setdefault(row.unit.code, (row.unit.name(lang), set(), {}))
            years.add(year)
            names.update({code: row.name_of(code, lang) for code in row.reconstructions[year].parts})
    return [":material/add_circle: " + t("reconstructed_note", lang).format(
        years=", ".join(map(str, sorted(years))), unit=safe(unit), units=safe("; ".join(names.values())))
        for unit, years, names in found.values()]


def approval_notices(view, rows: list[StatusRow] = ()) -> list[str]:
    """``◐ Có số liệu tạm tính: đợt nhập #6 chưa được duyệt …`` when a row counts one (or, for a page without
    rows, when one is in force); ``Đang xem chỉ số liệu đã duyệt …`` when they are left out. A state as of an
    earlier import names the imports of that state not approved (its marks), without the sidebar's switch."""
    card = view.card
    if card is None:
        return []
    waiting = card.provisional_batches()
    batches = ", ".join(f"#{b}" for b in waiting)
    if getattr(view, "approved_only", False) and view.as_of is None:
        return [":material/verified: " + t("approved_only_banner", view.lang).format(batches=batches)] if waiting else []
    if waiting and (any(r.provisional for r in rows) or not rows):
        key = "provisional_banner" if view.as_of is None else "provisional_as_of_banner"
        return [t(key, view.lang).format(batches=batches)]
    return []


def provisional_label(row: StatusRow, lang: str) -> str:
    """`` · ◐ tạm tính`` after a figure that counts a value not yet approved (a word and a symbol, not a colour)."""
    return f" · {provisional_mark(lang)}" if row.provisional else ""


def notices(view, rows: list[StatusRow] = (), unit=None) -> None:
    """What the reader must know before the figures, in one compact block under the title (three boxes
    used to stack a screen's height on a phone): a choice that had to change, data as of an import,
    illustrative figures, a series that changes unit."""
    lines = [f":material/swap_horiz: {safe(note)}" for note in view.notes]
    ended = view.card.ended(view.plan) if view.card is not None and view.plan else None
    if ended is not None:
        lines.append(f":material/event_busy: {safe(ended.words(view.lang))}.")
    if view.as_of is not None:
        lines.append(":material/history: " + t("as_of_banner", view.lang).format(batch=view.as_of))
    if any("illustrative" in r.provenance for r in rows):
        lines.append(":material/science: " + t("illustrative_banner", view.lang))
    lines += approval_notices(view, rows)
    breaks = sorted({y for r in rows for y in r.break_years})
    if breaks and unit is not None:
        lines.append(safe(t("break_banner", view.lang).format(unit=unit.name(view.lang),
                                                               years=", ".join(map(str, breaks)))))
    lines += reconstructed_notes(rows, view.lang)
    if lines:
        with st.container(key="notices", gap="small"):
            for line in lines:
                st.markdown(line)
