"""Typed columns for the catalogue files (units, plans, indicators, targets, period totals).

A file goes through the same guarded reader as a values file (``metrics.storage.files.guarded``): CSV in any
common encoding and delimiter, or the first sheet of an Excel workbook; size, binary content, zip bombs,
far-away cells and giant cells are refused before anything is read. Title rows above the header and blank
rows are skipped, and every row keeps the number the spreadsheet shows. Headers are matched in English or
Vietnamese, ignoring case and diacritics; every cell is converted by its column's kind; every problem is
collected, none raised.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from metrics.domain.deadlines import parse_day
from metrics.storage import db
from metrics.storage.files import guarded
from metrics.storage.files.workbook import NATIVE
from metrics.vocabulary.messages import problem
from metrics.vocabulary.problems import Problem
from metrics.vocabulary.text import CONTROL, header_key, visible

GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}([.,]\d{3})+")
MAX_ROWS = 1_000_000  # a nation's organisation is about 200,000 unit periods
READING_STOPS = {"unreadable-file", "empty-file", "file-too-large", "suspicious-workbook", "too-many-columns",
                 "cell-too-long"}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    kind: str = "text"  # text | int | number | date | day (dd/mm/yyyy) | choice | choices | codes (a |-list)
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other headers that mean this column (Vietnamese ones)

    def header_keys(self) -> set[str]:
        return {header_key(h) for h in (self.name, *self.aliases)}


@dataclass
class Table:
    """A file as read: its header, its rows ``(row number as the spreadsheet shows it, cells)`` without the
    blank ones, and the problems met while reading it (a file that could not be read has no header)."""

    name: str
    header_row: int = 1
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str | None]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not any(p.code in READING_STOPS for p in self.problems)

    def renamed(self, names: dict[str, str]) -> Table:
        """The same rows under other headers (``header key → new name``), the other columns unnamed."""
        headers = [names.get(header_key(h), "") if h else "" for h in self.headers]
        return Table(self.name, self.header_row, headers, self.rows)


def read_table(path: str | Path, known: set[str]) -> Table:
    """A CSV or Excel file through the guarded reader; the header is the first row naming two ``known``
    header keys. Reading never touches the database: it happens in a DuckDB of its own, in memory."""
    path = Path(path)
    if not path.is_file():
        return Table(path.name, problems=[problem(None, None, str(path), "unreadable-file", detail="no such file")])
    workdir = Path(tempfile.mkdtemp(prefix="kpi-catalogue-"))
    try:
        with duckdb.connect(config={**db.CONFIG, "memory_limit": db.MEMORY_LIMIT}) as con:
            return _read(con.cursor(), path, workdir, known)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _read(cur, path: Path, workdir: Path, known: set[str]) -> Table:
    def names(text: str) -> bool:
        return header_key(text) in known

    early, read = guarded.read(cur, path, workdir, names)
    if early:
        return Table(path.name, problems=[_reworded(p, path.name) for p in early])
    head = cur.execute("SELECT * FROM raw ORDER BY row LIMIT 30").fetchall()
    header_row, headers = guarded.find_header(head, names)
    found = read.problems + guarded.long_cells(cur, headers)
    table = Table(path.name, header_row, headers, problems=[_reworded(p, path.name) for p in found])
    count = cur.execute("SELECT count(*) FROM raw WHERE row > ?", [header_row]).fetchall()[0][0]
    if count > MAX_ROWS:
        table.problems.append(problem(None, None, None, "file-too-large", detail=f"{count:,} > {MAX_ROWS:,}"))
    if not table.readable:
        return table
    for record in cur.execute("SELECT * FROM raw WHERE row > ? ORDER BY row", [header_row]).fetchall():
        cells = [_cell(c) for c in record[1:]]
        if any(cells):
            table.rows.append((record[0], cells))
    if not table.rows and not table.problems:  # rows refused while reading are not an empty file
        table.problems.append(_reworded(problem(None, None, None, "empty-file"), path.name))
    return table


# Reading problems worded for a catalogue file (the values file's words speak of its own columns).
READING_WORDS = {
    "too-many-columns": ("Tệp {file} có quá nhiều cột (hơn 200). Tệp danh mục chỉ cần các cột trong "
                         "docs/data-files.md: hãy xóa các cột thừa.",
                         "{file} has too many columns (over 200). A catalogue file needs only the columns of "
                         "docs/data-files.md: delete the others."),
    "empty-file": ("Tệp {file} không có dòng nào dưới dòng tiêu đề. Hãy kiểm tra đã chọn đúng tệp.",
                   "{file} has no rows under its header. Check that you chose the right file."),
}
SHIFTED = (" Trong tệp danh mục, dấu phẩy trong một tên hay định nghĩa cũng làm các cột lệch nhau: hãy đặt ô đó "
           "trong ngoặc kép.",
           " In a catalogue file a comma in a name or a definition shifts the columns too: quote that cell.")


def _reworded(found: Problem, name: str) -> Problem:
    vi, en = found.message_vi, found.message_en
    if found.code in READING_WORDS:
        vi, en = (words.format(file=name) for words in READING_WORDS[found.code])
    elif found.code == "wrong-field-count":
        vi, en = vi + SHIFTED[0], en + SHIFTED[1]
    return Problem(found.row, found.column, found.value, found.code, vi, en, found.severity)


def _cell(value) -> str | None:
    text = "" if value is None else str(value).replace(NATIVE, "").strip(guarded.BLANKS)
    return text or None


def match_columns(table: Table, columns: list[Column]) -> tuple[dict[str, int], list[Problem]]:
    """Map each known column to its place in the header; report required columns that are missing and
    columns given twice."""
    found, problems = {}, []
    for col in columns:
        places = [i for i, h in enumerate(table.headers) if h and header_key(h) in col.header_keys()]
        if places:
            found[col.name] = places[0]
            problems += [_column_problem(table, "duplicate-column", table.headers[i], table.headers[places[0]])
                         for i in places[1:]]
        elif col.required:
            problems.append(_column_problem(table, "missing-column", col.name, ", ".join(col.aliases[:2])))
    return found, problems


def unknown_columns(table: Table, known: set[str]) -> list[Problem]:
    """A warning for every header that names no column of the file (it is ignored, and that is said)."""
    return [_column_problem(table, "unknown-column", h, "") for h in table.headers if h and header_key(h) not in known]


def _column_problem(table: Table, code: str, column: str, detail: str) -> Problem:
    vi, en = COLUMN_WORDS[code]
    return Problem(table.header_row if code != "missing-column" else None, column, column, code,
                   vi.format(column=column, detail=detail, file=table.name),
                   en.format(column=column, detail=detail, file=table.name),
                   "warning" if code == "unknown-column" else "error")


COLUMN_WORDS = {
    "missing-column": ("Tệp {file} thiếu cột bắt buộc “{column}” (tiếng Việt: {detail}). Hãy thêm cột này vào dòng "
                       "tiêu đề (xem docs/data-files.md).",
                       "{file} lacks the required column “{column}” (in Vietnamese: {detail}). Add it to the header "
                       "row (see docs/data-files.md)."),
    "duplicate-column": ("Cột “{column}” có cùng nghĩa với cột “{detail}”. Hãy xóa hoặc đổi tên một cột.",
                         "The column “{column}” means the same as “{detail}”. Remove or rename one of them."),
    "unknown-column": ("Không nhận ra cột “{column}” của tệp {file}; cột này được bỏ qua. Nếu cột này cần được nạp, "
                       "hãy đổi tên tiêu đề theo docs/data-files.md.",
                       "The column “{column}” of {file} is not recognised and is ignored. If it should be loaded, "
                       "rename it as docs/data-files.md says."),
}


def parse_rows(table: Table, columns: list[Column]) -> tuple[list[dict], list[Problem]]:
    """Convert every row to a dict of typed values (None for empty cells), collecting problems."""
    found, problems = match_columns(table, columns)
    if any(p.code == "missing-column" for p in problems):
        return [], problems
    records = []
    for number, cells in table.rows:
        record: dict[str, object] = {"_row": number}
        for col in columns:
            place = found.get(col.name)
            text = cells[place] if place is not None and place < len(cells) else None
            value, issue = convert(text, col, number)
            record[col.name] = value
            if issue:
                problems.append(issue)
        records.append(record)
    return records, problems


def convert(text: str | None, col: Column, row: int) -> tuple[object, Problem | None]:
    """One cell to its typed value, or a problem that says what was expected."""
    text = (text or "").strip()
    if text == "":
        if col.required:
            return None, _problem(row, col, text, "missing-value",
                                  "Ô trống; cột này bắt buộc phải có giá trị.",
                                  "Empty cell; this column needs a value.")
        return None, None
    try:
        return _CONVERTERS[col.kind](text, col), None
    except ValueError as exc:
        vi, en = exc.args if len(exc.args) == 2 else (str(exc), str(exc))
        return None, _problem(row, col, text, f"invalid-{col.kind}", vi, en)


def _problem(row, col, value, code, vi, en) -> Problem:
    return Problem(row, col.name, value, code, vi, en)


def _int(text: str, col: Column) -> int:
    if not re.fullmatch(r"-?[0-9]+", text):  # ASCII digits: str.isdigit() also takes ² and ①, int() does not
        raise ValueError(f"“{text}” không phải số nguyên (ví dụ: 2025).",
                         f"“{text}” is not a whole number (e.g. 2025).")
    return int(text)


def _number(text: str, col: Column) -> float:
    """Catalogue numbers are written so that none can be misread: a decimal point or a decimal comma, no
    thousands separator (``139.258`` could be either and is refused); a ``%`` after a percentage is allowed."""
    body = text[:-1].rstrip() if text.endswith("%") else text
    if GROUPED.fullmatch(body):  # 139.258 or 139,258: thousands or decimals? never guess
        raise ValueError(f"“{text}” có thể là số có dấu phân cách hàng nghìn hoặc số thập phân; hãy viết số không "
                         "có dấu phân cách hàng nghìn (139258), số thập phân dùng dấu chấm hoặc dấu phẩy (92.14).",
                         f"“{text}” may have a thousands separator or a decimal point; write it without thousands "
                         "separators (139258), with a decimal point or comma for decimals (92.14).")
    if body.count(",") == 1 and "." not in body:
        body = body.replace(",", ".")  # 120,44: a decimal comma, unambiguous once grouping is ruled out
    try:
        value = float(body)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"“{text}” không phải số; hãy viết số không có dấu phân cách hàng nghìn "
                         "(ví dụ 139258 hoặc 92,14).",
                         f"“{text}” is not a number; write it without thousands separators "
                         "(e.g. 139258 or 92.14).")
    return value


def _date(text: str, col: Column) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10] if re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00", text) else text)
    except ValueError:
        raise ValueError(f"“{text}” không phải ngày dạng NNNN-TT-NN (ví dụ 2025-07-01).",
                         f"“{text}” is not a date as YYYY-MM-DD (e.g. 2025-07-01).") from None


def _day(text: str, col: Column) -> dt.date:
    """A day as Vietnamese documents write it (``15/01/2026``), or ISO, or an Excel date."""
    return parse_day(text[:10] if re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00", text) else text)


def _choice(text: str, col: Column) -> str:
    if text not in col.choices:
        allowed = ", ".join(col.choices)
        raise ValueError(f"“{text}” không hợp lệ; chọn một trong: {allowed}.",
                         f"“{text}” is not allowed; use one of: {allowed}.")
    return text


def _choices(text: str, col: Column) -> tuple[str, ...]:
    items = tuple(item.strip() for item in text.split("|") if item.strip())
    for item in items:
        _choice(item, col)
    return items


def _text(text: str, col: Column) -> str:
    if CONTROL.search(text):  # a terminal escape in a name would be obeyed wherever the name is printed
        raise ValueError(f"“{visible(text)}” chứa ký tự điều khiển vô hình (hiện là \ufffd); hãy gõ lại ô này.",
                         f"“{visible(text)}” holds an invisible control character (shown as \ufffd); retype this cell.")
    return text


_CONVERTERS = {
    "text": _text,
    "int": _int,
    "number": _number,
    "date": _date,
    "day": _day,
    "choice": _choice,
    "choices": _choices,
    "codes": lambda text, col: tuple(dict.fromkeys(item.strip() for item in text.split("|") if item.strip())),
}
