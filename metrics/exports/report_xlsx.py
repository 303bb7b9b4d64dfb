"""The Excel report: one row per target (the PDF's numbered list as a table), the values behind it
with their sources, and a sheet saying which data it was built on. Numbers stay numbers; every text
cell passes through ``safe_cell`` (formula injection)."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from metrics.exports import facts
from metrics.exports.data import workbook_bytes, write_sheet
from metrics.exports.report import Report
from metrics.exports.words import w
from metrics.judging import wording
from metrics.judging.quotas import TargetQuotas, ahead_sentence, carriers_sentence, reconciliation_sentence
from metrics.vocabulary.i18n import name
from metrics.vocabulary.kinds import IndicatorKind
from metrics.vocabulary.shared import number_or_none


def report_frame(report: Report) -> pd.DataFrame:
    """One row per target, in the report's order."""
    lang = report.deck.lang
    records = []
    for section_no, section in enumerate(report.sections, start=1):
        for item in section.items:
            row, v = item.row, item.row.verdict
            base_value, base_year = facts.baseline(row)
            high = row.target.value_high
            records.append({
                w("col_no", lang): f"2.{section_no}.{item.number}",
                w("col_group", lang): row.target.group_code,
                w("col_code", lang): row.target.code,
                w("col_label", lang): name(row.target, "label", lang),
                w("col_wording", lang): row.target.wording_vi,
                w("col_type", lang): facts.target_type(row, lang),
                w("col_measure", lang): name(row.indicator, "measure", lang),
                w("col_baseline", lang): number_or_none(base_value),
                w("col_base_year", lang): base_year,
                w("col_actual", lang): number_or_none(v.actual),
                w("col_actual_year", lang): v.actual_year,
                w("col_target", lang): number_or_none(v.target_value),
                w("col_target_high", lang): number_or_none(high),
                w("col_target_year", lang): int(row.target.target_year),
                w("col_achievement", lang): number_or_none(v.achievement_pct),
                w("col_band_position", lang): facts.achievement(row, lang) if v.band_position else None,
                w("col_years_met", lang): v.years_met,
                w("col_years_assessed", lang): v.years_assessed,
                w("col_expected", lang): number_or_none(v.expected),
                w("col_pace", lang): number_or_none(v.pace_per_year),
                w("col_trend", lang): wording.trend_words(row, lang),
                w("col_status_code", lang): row.status,
                w("col_status", lang): facts.badge(row, lang),
                w("col_sentence", lang): facts.wording_sentence(row, lang),
                w("col_sources", lang): "; ".join(f"[{n}] {report.sources[n - 1]}" for n in item.notes),
                w("col_notes", lang): " ".join(facts.notes(row, lang, short=True)),
                w("col_reconciliation", lang): _reconciled(report.quotas_of(row.target.code), lang),
            })
    return pd.DataFrame(records)


def _reconciled(quotas: TargetQuotas | None, lang: str) -> str | None:
    """The target's quotas against it and who carries its gap, in the words of the target page."""
    if quotas is None:
        return None
    return " ".join(s for s in (reconciliation_sentence(quotas, lang), carriers_sentence(quotas, lang),
                                ahead_sentence(quotas, lang)) if s)


QUOTA_NUMBERS = ("col_quota", "col_actual", "col_remaining", "col_behind")


def quotas_frame(report: Report) -> pd.DataFrame:
    """One row per unit given a quota, target by target (most of the gap first, as the target page): its quota,
    its figure and its status against the quota, what it still has to do and how far behind its pace it is
    (a ratio's two in points of the province's rate)."""
    lang = report.deck.lang
    records = [{
        w("col_code", lang): q.target.code, w("col_label", lang): name(q.target, "label", lang),
        w("col_unit_code", lang): c.unit.code, w("col_unit", lang): c.unit.name(lang),
        w("col_quota", lang): number_or_none(c.quota), w("col_actual", lang): number_or_none(c.row.verdict.actual),
        w("col_achievement", lang): number_or_none(c.row.verdict.achievement_pct),
        w("col_status_code", lang): c.row.status, w("col_quota_status", lang): facts.badge(c.row, lang),
        w("col_remaining", lang): number_or_none(c.remaining), w("col_behind", lang): number_or_none(c.behind),
    } for q in report.quotas for c in q.carriers]
    columns = [w(k, lang) for k in ("col_code", "col_label", "col_unit_code", "col_unit", "col_quota", "col_actual",
                                    "col_achievement", "col_status_code", "col_quota_status", "col_remaining",
                                    "col_behind")]
    return pd.DataFrame(records, columns=columns)


def values_frame(report: Report) -> pd.DataFrame:
    """The yearly values behind every target, with who carried them, their kind and their source."""
    lang = report.deck.lang
    records = []
    for item in report.items:
        row = item.row
        for year, figure in sorted(row.series.items()):
            carrier = row.units_by_year.get(year, row.unit.code)
            records.append({
                w("col_code", lang): row.target.code, w("col_unit", lang): carrier,
                w("col_year", lang): year, w("col_value", lang): number_or_none(figure.value),
                w("col_numerator", lang): number_or_none(figure.numerator),
                w("col_denominator", lang): number_or_none(figure.denominator),
                w("col_provenance", lang): facts.provenance_words(figure, lang),
                w("col_sources", lang): "; ".join(figure.sources),
                w("col_parts", lang): "; ".join(
                    f"{row.name_of(code, lang)}: {number_or_none(part.value)}" for code, part in
                    row.reconstructions[year].parts.items() if part is not None) if figure.parts else None,
            })
    columns = [w(k, lang) for k in ("col_code", "col_unit", "col_year", "col_value", "col_numerator",
                                    "col_denominator", "col_provenance", "col_sources", "col_parts")]
    return pd.DataFrame(records, columns=columns)  # the header stays when no target has values yet


def about_frame(report: Report) -> pd.DataFrame:
    deck, lang = report.deck, report.deck.lang
    facts_ = [(w("about_plan", lang), f"{deck.plan} · {deck.plan_name}"), (w("about_unit", lang), deck.unit_name),
              (w("about_year", lang), str(deck.year)), (w("about_pinned", lang), deck.pinned.line(lang)),
              (w("about_summary", lang), deck.summary())]
    if deck.illustrative:
        facts_.append(("", w("illustrative", lang)))
    facts_ += [("", note) for note, _ in deck.front_notes()]
    facts_.append(("", w("method_note", lang)))
    return pd.DataFrame(facts_, columns=[w("about_key", lang), w("about_value", lang)])


VALUE_COLUMNS = ("col_baseline", "col_actual", "col_target", "col_target_high", "col_expected", "col_pace")
#: Excel formats by indicator kind; Excel shows them with the reader's own separators.
FORMATS = {"ratio": "0.00", "rate": "0.00", "stock": "#,##0", "flow": "#,##0"}


def _by_kind(ws, frame: pd.DataFrame, columns: list[str], kinds: list[IndicatorKind]) -> None:
    """Number formats cell by cell: a percentage with two decimals, a count as a whole number."""
    for column in columns if kinds else []:
        index = list(frame.columns).index(column) + 1
        for offset, kind in enumerate(kinds):
            ws.cell(row=offset + 2, column=index).number_format = FORMATS.get(kind, "General")


def render(report: Report) -> bytes:
    """The .xlsx file of the report; the same report always gives the same bytes."""
    lang = report.deck.lang
    book = Workbook()
    table = report_frame(report)
    wide = {w(k, lang): 50 for k in ("col_wording", "col_sentence", "col_sources", "col_reconciliation")}
    write_sheet(book.active, table, w("sheet_report", lang), widths={**wide, w("col_label", lang): 36},
                number_formats={w("col_achievement", lang): "0.00"})
    kinds = [item.row.indicator.kind for item in report.items]
    _by_kind(book.active, table, [w(k, lang) for k in VALUE_COLUMNS], kinds)
    values = values_frame(report)
    write_sheet(book.create_sheet(), values, w("sheet_values", lang), widths={w("col_sources", lang): 60})
    by_code = {item.row.target.code: item.row.indicator.kind for item in report.items}
    _by_kind(book.worksheets[1], values, [w("col_value", lang)],
             [by_code[c] for c in values[w("col_code", lang)]] if not values.empty else [])
    if report.quotas:
        quotas = quotas_frame(report)
        write_sheet(book.create_sheet(), quotas, w("sheet_quotas", lang), widths={w("col_unit", lang): 44},
                    number_formats={w("col_achievement", lang): "0.00"})
        _by_kind(book.worksheets[-1], quotas, [w(k, lang) for k in QUOTA_NUMBERS],
                 [q.indicator.kind for q in report.quotas for _ in q.carriers])
    about = book.create_sheet()
    write_sheet(about, about_frame(report), w("sheet_about", lang), widths={w("about_key", lang): 16, w("about_value", lang): 110})
    return workbook_bytes(book, report.deck.pinned.timestamp())
