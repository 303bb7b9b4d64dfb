"""A report as plain text, for the command line (the page draws the same report as tables)."""

from __future__ import annotations

import pandas as pd

from metrics.ingest.report import Report
from metrics.vocabulary import fmt
from metrics.vocabulary.problems import Problem
from metrics.vocabulary.shared import number_or_none
from metrics.vocabulary.statuses import label as status_label
from metrics.vocabulary.text import visible

CONVENTION_NAMES = {
    "vi": {"vi": "kiểu Việt Nam (111.258; 92,14)", "en": "kiểu Anh (111,258; 92.14)",
           "mixed": "lẫn hai kiểu", "none": "chưa rõ kiểu, số mơ hồ được đọc theo loại chỉ số"},
    "en": {"vi": "Vietnamese (111.258; 92,14)", "en": "English (111,258; 92.14)",
           "mixed": "mixed", "none": "in no clear convention, ambiguous numbers read by the indicator's type"},
}
DELIMITER_NAMES = {",": ",", ";": ";", "\t": "tab", "|": "|"}


def describe(report: Report, lang: str = "vi") -> str:
    """What was read: the file, its format, its layout and number convention (only what is known: a file
    that could not be read has no layout, encoding or convention to speak of). Names are ``visible``."""
    return visible(_describe(report, lang))


def _describe(report: Report, lang: str) -> str:
    if not report.headers:
        return (f"Tệp {report.file_name}: không đọc được nội dung (xem lỗi bên dưới)." if lang == "vi" else
                f"File {report.file_name}: its content could not be read (see the problem below).")
    if report.kind == "excel":
        form = f"Excel, {'trang tính' if lang == 'vi' else 'sheet'} “{report.sheet}”"
    else:
        encoding = f"{report.encoding}, " if report.encoding else ""
        form = f"CSV, {encoding}{'dấu phân cách' if lang == 'vi' else 'delimiter'} " \
               f"“{DELIMITER_NAMES.get(report.delimiter or ',', report.delimiter)}”"
    layout = {"long": ("mỗi dòng một số liệu", "one figure per row"),
              "wide": ("mỗi năm một cột", "one column per year")}[report.layout]
    numbers = CONVENTION_NAMES[lang][report.convention]
    rows = fmt.number(report.rows, lang)
    if lang == "vi":
        return (f"Tệp {report.file_name} ({form}; {layout[0]}; số viết {numbers}): {rows} dòng số liệu, "
                f"kế hoạch {report.plan}.")
    return (f"File {report.file_name} ({form}; {layout[1]}; numbers written {numbers}): {rows} data rows, "
            f"plan {report.plan}.")


def summary(report: Report, lang: str = "vi") -> str:
    c = report.counts
    if lang == "vi":
        skipped = f" · Dòng trống số liệu, bỏ qua: {c['skipped']}" if c.get("skipped") else ""
        return (f"Tạo mới: {c['created']} · Cập nhật số liệu: {c['updated']} · Chỉ đổi nguồn/ghi chú: "
                f"{c['annotated']} · Không đổi: {c['unchanged']} · Dòng bị từ chối: {c['rejected']}{skipped}")
    skipped = f" · Rows without a figure, skipped: {c['skipped']}" if c.get("skipped") else ""
    return (f"Created: {c['created']} · Figures updated: {c['updated']} · Source/note only: {c['annotated']} · "
            f"Unchanged: {c['unchanged']} · Rejected rows: {c['rejected']}{skipped}")


def _as_written(value, kind: str, lang: str) -> str:
    """A figure in a preview: an amount's decimals kept (5,43 tỷ đồng), a count as a whole number."""
    whole = value is None or value != value or float(value).is_integer()
    return fmt.measure(value, kind, lang, decimals=0 if whole else 2)


def problem_lines(report: Report, lang: str = "vi", severity: str | None = None) -> list[str]:
    """One line per problem: row, column, value, code, message."""
    return listed([p for p in report.problems if not severity or p.severity == severity], lang)


def listed(problems: list[Problem], lang: str = "vi") -> list[str]:
    """One line per problem: row, column, value, code, message (values and catalogue files alike)."""
    row_word = "dòng" if lang == "vi" else "row"
    found = []
    for p in problems:
        where = [f"{row_word} {p.row}" if p.row is not None else ("cả tệp" if lang == "vi" else "whole file")]
        if p.unit or p.indicator:
            where[0] += f" ({' · '.join(x for x in (p.unit, p.indicator) if x)})"
        if p.column:
            where.append(p.column)
        if p.value:
            where.append(f"“{p.value_in(lang)}”")
        found.append(visible(f"{' · '.join(where)} · {p.code} · {p.message(lang)}"))  # a cell is never echoed raw
    return found


def counts_of(problems: list[Problem], lang: str = "vi") -> str:
    """``Problems by kind: invalid-number: 2, unknown-indicator: 1``."""
    counts: dict[str, int] = {}
    for p in problems:
        counts[p.code] = counts.get(p.code, 0) + 1
    listed = ", ".join(f"{code}: {n}" for code, n in sorted(counts.items()))
    return f"Số vấn đề theo loại: {listed}" if lang == "vi" else f"Problems by kind: {listed}"


def counts_line(report: Report, lang: str = "vi") -> str:
    counts = ", ".join(f"{code}: {n}" for code, n in report.counts_by_code.items())
    total = sum(report.counts_by_code.values())
    note = ""
    if report.truncated:
        note = (f" (chỉ liệt kê {len(report.problems)} vấn đề đầu tiên trong {total})" if lang == "vi"
                else f" (only the first {len(report.problems)} of {total} problems are listed)")
    return (f"Số vấn đề theo loại: {counts}{note}" if lang == "vi" else f"Problems by kind: {counts}{note}")


def _where(c, lang: str) -> str:
    unit = c.unit_name_vi if lang == "vi" else (c.unit_name_en or c.unit_name_vi)
    indicator = c.indicator_name_vi if lang == "vi" else (c.indicator_name_en or c.indicator_name_vi)
    return f"{unit} ({c.unit}) · {indicator} · {c.year}"


def _changed(report: Report, figures: bool) -> list:
    if report.changes.empty:
        return []
    rows = report.changes.itertuples(index=False)
    return [c for c in rows if (c.change in ("created", "updated")) == figures and (figures or c.texts_changed)]


def change_lines(report: Report, lang: str = "vi") -> list[str]:
    """``unit · indicator · year: old → new`` for the cells whose figure changes."""
    lines = [f"{_where(c, lang)}: {_as_written(number_or_none(c.old), c.kind, lang)} → {_as_written(number_or_none(c.new), c.kind, lang)}"
             for c in _changed(report, figures=True)]
    return lines + _more(len(lines), report.counts["created"] + report.counts["updated"], lang)


def text_lines(report: Report, lang: str = "vi") -> list[str]:
    """``unit · indicator · year: source “old” → “new”`` for the cells whose source or note changes (the figure
    itself may change or not: it is listed above when it does)."""
    words = {"vi": ("nguồn", "ghi chú"), "en": ("source", "note")}[lang]
    lines = []
    for c in report.changes.itertuples(index=False) if not report.changes.empty else []:
        if not c.texts_changed:
            continue
        parts = [f"{word} “{_text(old)}” → “{_text(new)}”" for word, old, new in
                 ((words[0], c.old_source, c.new_source), (words[1], c.old_note, c.new_note)) if _text(old) != _text(new)]
        lines.append(f"{_where(c, lang)}: {'; '.join(parts)}")
    return lines


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _more(shown: int, total: int, lang: str) -> list[str]:
    if total <= shown:
        return []
    return [f"… và {total - shown} thay đổi khác" if lang == "vi" else f"… and {total - shown} more changes"]


NOT_JUDGED = ("Tệp quá lớn để đánh giá trước các chỉ tiêu; xem trang Tổng quan sau khi nhập.",
              "The file is too large to judge the targets beforehand; see the overview after the import.")


def status_lines(report: Report, lang: str = "vi") -> list[str]:
    """``NK2a Collective agreement coverage (2024): 95.8% → 96.3%, Needs acceleration → Target achieved``."""
    if not report.statuses_judged:
        return [NOT_JUDGED[0] if lang == "vi" else NOT_JUDGED[1]]
    return status_change_lines(report.status_changes, lang)


def status_change_lines(changes, lang: str = "vi") -> list[str]:
    """The lines of ``status_lines`` for a frame of status changes (an import's, an undo's)."""
    lines = []
    for s in changes.itertuples(index=False) if not changes.empty else []:
        label = s.label_vi if lang == "vi" else s.label_en
        values = f"{_as_written(number_or_none(s.old_value), s.kind, lang)} → {_as_written(number_or_none(s.new_value), s.kind, lang)}"
        statuses = f"{status_label(s.old_status, lang)} → {status_label(s.new_status, lang)}"
        lines.append(f"{s.target} {label} ({s.year}): {values}, {statuses}")
    return lines


