"""Typed columns for the catalogue files (units, plans, indicators, targets).

A file is read as text, headers are matched ignoring case and diacritics, and every cell is
converted by its column's kind; every problem is collected, none raised.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.ingest import reading
from metrics.problems import Problem
from metrics.text import CONTROL, header_key, visible

FIRST_DATA_ROW = 2  # the header is row 1 as people see a spreadsheet
GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}([.,]\d{3})+")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    kind: str = "text"  # text | int | number | date | choice | choices
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


def read_text_table(path: str | Path) -> pd.DataFrame:
    """A CSV or the first sheet of an .xlsx, every cell as text.

    The CSV's encoding (UTF-8 with or without BOM, UTF-16, Windows code pages) and delimiter (, ; tab |)
    are detected the way the values import detects them.
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=str, engine="calamine")
    else:
        sniffed = reading.sniff(path)
        encoding = "utf-8-sig" if sniffed.encoding == "utf-8" else sniffed.encoding
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, sep=sniffed.delimiter)
    return frame.fillna("").astype(str).apply(lambda col: col.str.strip())


def match_columns(headers: list[str], columns: list[Column]) -> tuple[dict[str, str], list[Problem]]:
    """Map each known column to the file's header; report required columns that are missing."""
    keys = {header_key(h): h for h in headers}
    found, problems = {}, []
    for col in columns:
        for candidate in (col.name, *col.aliases):
            if header_key(candidate) in keys:
                found[col.name] = keys[header_key(candidate)]
                break
        else:
            if col.required:
                problems.append(Problem(
                    None, col.name, None, "missing-column",
                    f"Thiếu cột bắt buộc “{col.name}”. Hãy thêm cột này vào dòng tiêu đề.",
                    f"The required column “{col.name}” is missing. Add it to the header row.",
                ))
    return found, problems


def parse_rows(frame: pd.DataFrame, columns: list[Column]) -> tuple[list[dict], list[Problem]]:
    """Convert every row to a dict of typed values (None for empty cells), collecting problems."""
    found, problems = match_columns(list(frame.columns), columns)
    if problems:
        return [], problems
    records = []
    for index, raw in enumerate(frame.to_dict("records")):
        row_number = index + FIRST_DATA_ROW
        record = {"_row": row_number}
        for col in columns:
            text = raw.get(found.get(col.name, ""), "") if col.name in found else ""
            value, problem = convert(text, col, row_number)
            record[col.name] = value
            if problem:
                problems.append(problem)
        records.append(record)
    return records, problems


def convert(text: str, col: Column, row: int) -> tuple[object, Problem | None]:
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
    """Catalogue numbers are plain (dot decimal, no thousands separator) so none can be misread."""
    if GROUPED.fullmatch(text):  # 139.258 or 139,258: thousands or decimals? never guess
        raise ValueError(f"“{text}” có thể là số có dấu phân cách hàng nghìn hoặc số thập phân; hãy viết số không "
                         "có dấu phân cách hàng nghìn (139258), số thập phân dùng dấu chấm (92.14).",
                         f"“{text}” may have a thousands separator or a decimal point; write it without thousands "
                         "separators (139258), with a decimal point for decimals (92.14).")
    try:
        number = float(text)
        if not math.isfinite(number):  # inf, nan, 1e309: no figure a target can be
            raise ValueError(text)
        return number
    except ValueError:
        raise ValueError(f"“{text}” không phải số; hãy viết số không có dấu phân cách hàng nghìn, "
                         "dùng dấu chấm thập phân (ví dụ 139258 hoặc 92.14).",
                         f"“{text}” is not a number; write it without thousands separators and "
                         "with a decimal point (e.g. 139258 or 92.14).") from None


def _date(text: str, col: Column) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{text}” không phải ngày dạng NNNN-TT-NN (ví dụ 2025-07-01).",
                         f"“{text}” is not a date as YYYY-MM-DD (e.g. 2025-07-01).") from None


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
    "choice": _choice,
    "choices": _choices,
}
