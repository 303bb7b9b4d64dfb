"""Excel workbooks (.xlsx): one chosen sheet, every cell as the text a person would type.

Cells that Excel stores as numbers are exact, so they are never read by a number convention: a
whole number becomes its digits (``883``, ``2024``), any other number is marked with ``NATIVE`` so the
number parser takes it as it is. A cell formatted as a percentage shows ``92,14%`` but holds 0.9214;
it is read as ``92.14%``, what the person saw.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import python_calamine

from metrics.storage.files import guard
from metrics.storage.files.csv_reader import Loaded
from metrics.storage.files.progress import Progress
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.messages import FileRejected

NATIVE = "\x01"  # marks a number Excel stored as a number (never typed text)
FORMULA_ERROR = "\x02"  # marks a formula whose stored result is an error (#DIV/0!, #N/A …)
FORMULA_UNCACHED = "\x03"  # marks a formula saved without its result (a program that does not calculate)
_ERROR_CELL = re.compile(rb'<c\b[^>]*\st="e"')
_NO_RESULT = re.compile(rb"(?:</f>|<f\b[^>]*/>)(?:<v\s*/>|<v></v>)?</c>")


@dataclass(frozen=True)
class Sheet:
    name: str
    hidden: bool  # hidden or very hidden in Excel: never read unless asked for by name


def sheets(path: str | Path) -> list[Sheet]:
    """The sheets of a workbook, in order, each with whether Excel hides it. The zip is checked first
    (``guard``): no Excel reader opens a workbook that would unfold into far more than its size."""
    guard.check_workbook(Path(path))
    try:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
            return [Sheet(m.name, m.visible != python_calamine.SheetVisibleEnum.Visible) for m in book.sheets_metadata]
    except Exception as exc:  # calamine raises several kinds for a damaged or foreign file
        raise unreadable(exc) from exc


def sheet_names(path: str | Path) -> list[str]:
    return [s.name for s in sheets(path)]


def unreadable(exc: Exception) -> UserError:
    return FileRejected("unreadable-file", f"Excel: {exc}"[:200])


def pick_sheet(found: list[Sheet], sheet: str | int | None) -> str:
    """The sheet asked for, by name (case and spaces ignored) or position (0 = first); by default the first
    sheet Excel shows (a hidden first sheet is a template's notes or old figures, never read silently)."""
    names = [s.name for s in found]
    if sheet is None or sheet == "":
        return next((s.name for s in found if not s.hidden), names[0])
    if isinstance(sheet, int) or (isinstance(sheet, str) and re.fullmatch("[0-9]+", sheet) and sheet not in names):
        index = int(sheet)
        if 0 <= index < len(names):
            return names[index]
    else:
        wanted = str(sheet).strip().casefold()
        for name in names:
            if name.strip().casefold() == wanted:
                return name
    listed = ", ".join(f"“{n}”" for n in names)
    raise UserError("unknown-sheet", f"Tệp không có trang tính “{sheet}”. Các trang tính: {listed}.",
                    f"The workbook has no sheet “{sheet}”. Its sheets: {listed}.")


def load_excel(cur, path: Path, sheet: str | int | None, progress: Progress | None = None) -> tuple[Loaded, str]:
    """Fill the cursor's ``raw`` view from one sheet; return what was loaded and the sheet's name."""
    name = pick_sheet(sheets(path), sheet)
    if progress:
        progress(0.05, "reading")
    try:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
            found = book.get_sheet_by_name(name)
            if found.width > guard.MAX_COLUMNS:
                raise FileRejected("too-many-columns", f"{found.width}")
            cells = found.to_python(skip_empty_area=False)
    except FileRejected:
        raise
    except Exception as exc:
        raise unreadable(exc) from exc
    percent = _percent_cells(path, name) if _may_hold_percentages(cells) else set()
    marks = _formula_marks(path, name) if _without_results(path) else {}
    width = max([len(r) for r in cells] + [col for _, col in marks], default=1) or 1
    rows = []
    for number, record in enumerate(cells, start=1):
        texts = [_text(v, (number, col) in percent) for col, v in enumerate(record, start=1)]
        texts = _marked(texts, number, marks)
        if any(t is not None for t in texts):
            rows.append([number, *texts, *([None] * (width - len(texts)))])
    frame = pd.DataFrame(rows, columns=["row", *(f"c{i}" for i in range(width))])
    frame = frame.astype({"row": "int32", **{f"c{i}": "object" for i in range(width)}})
    cur.register("sheet_rows", frame)
    cur.execute("CREATE OR REPLACE TEMP TABLE raw_table AS SELECT * FROM sheet_rows")
    cur.unregister("sheet_rows")
    cur.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_table")
    if progress:
        progress(0.45, "reading")
    return Loaded(width, len(rows), path="excel"), name


def _text(value, percent: bool) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if percent:
            return f"{NATIVE}{value * 100:.12g}%"
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{NATIVE}{value!r}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _marked(texts: list, number: int, marks: dict[tuple[int, int], str]) -> list:
    """The row's cells with each formula that has no usable result in place of its empty cell."""
    for (row, col), text in marks.items():
        if row == number:
            texts += [None] * (col - len(texts))
            texts[col - 1] = text
    return texts


def _without_results(path: Path) -> bool:
    """Whether any sheet holds a formula saved without its result, or one whose result is an error
    (calamine reads both as empty cells): a look at the sheets' XML, so that the slow reader runs only then."""
    with zipfile.ZipFile(path) as book:
        for entry in book.infolist():
            if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                tail = b""
                with book.open(entry) as data:
                    while chunk := data.read(1 << 22):
                        text = tail + chunk
                        if _ERROR_CELL.search(text) or _NO_RESULT.search(text):
                            return True
                        tail = text[-256:]
    return False


def _formula_marks(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """(row, column) -> marked text of each formula without a usable result: its error, or the formula."""
    results = openpyxl.load_workbook(path, read_only=True, data_only=True)
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        marks = {}
        for shown, written in zip(results[sheet].iter_rows(), formulas[sheet].iter_rows()):
            for cell, formula in zip(shown, written):
                if getattr(cell, "data_type", None) == "e":
                    marks[(cell.row, cell.column)] = FORMULA_ERROR + str(cell.value)
                elif getattr(formula, "data_type", None) == "f" and cell.value is None:
                    marks[(formula.row, formula.column)] = FORMULA_UNCACHED + str(formula.value)
        return marks
    finally:
        results.close()
        formulas.close()


def _may_hold_percentages(cells: list[list]) -> bool:
    """Only a number that is not whole, or 1, can be a percentage cell that matters (0,9214 → 92,14%)."""
    return any(isinstance(v, float) and not isinstance(v, bool) and (not v.is_integer() or v == 1)
               for row in cells for v in row)


def _percent_cells(path: Path, sheet: str) -> set[tuple[int, int]]:
    """(row, column) of the numeric cells shown as percentages (calamine cannot see number formats)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        found = set()
        for row in book[sheet].iter_rows():
            for cell in row:
                value = getattr(cell, "value", None)
                if isinstance(value, int | float) and "%" in (getattr(cell, "number_format", "") or ""):
                    found.add((cell.row, cell.column))
        return found
    finally:
        book.close()
