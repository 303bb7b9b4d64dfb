"""Data files people open in a spreadsheet: CSV and XLSX of any table, and the values in force.

Every writer passes text through ``safe_cell``: a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return) would be run as a formula by Excel or LibreOffice (formula injection), so it
is prefixed with ``'`` and stays text. Numbers stay numbers (a negative number is not text).
CSV files are UTF-8 with a byte-order mark, so Excel shows Vietnamese diacritics.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from metrics.storage.store import Store
from metrics.storage.values_export import COLUMNS as VALUE_COLUMNS
from metrics.storage.values_export import export_values
from metrics.vocabulary.text import DANGEROUS_START, safe_cell  # noqa: F401 (part of this module's interface)

if TYPE_CHECKING:  # openpyxl is imported by the functions that write a workbook: a deck needs none (~0.3 s)
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

BOM = "\ufeff"
TEXT_VALUE_COLUMNS = ("unit", "indicator", "source", "note", "provenance")


def _plain(value):
    """A table value as a file cell: lists joined, missing values empty, text neutralised."""
    if isinstance(value, (list, tuple)):
        value = "; ".join("" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in value)
    elif value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    elif hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalars become Python numbers
    return safe_cell(value)


def _with_index(frame: pd.DataFrame, index: bool) -> pd.DataFrame:
    return frame.reset_index() if index else frame


def table_csv(frame: pd.DataFrame, index: bool = False) -> bytes:
    """Any table as CSV (UTF-8 with BOM, comma-separated), neutralised."""
    frame = _with_index(frame, index)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow(["" if (v := _plain(x)) is None else v for x in row])
    return (BOM + out.getvalue()).encode("utf-8")


def table_xlsx(frame: pd.DataFrame, sheet: str = "Dữ liệu", index: bool = False) -> bytes:
    """Any table as a one-sheet workbook, neutralised."""
    from openpyxl import Workbook

    book = Workbook()
    write_sheet(book.active, _with_index(frame, index), sheet)
    return workbook_bytes(book)


def write_sheet(ws: Worksheet, frame: pd.DataFrame, title: str, widths: dict[str, int] | None = None,
                number_formats: dict[str, str] | None = None) -> None:
    """A header row in bold, one row per record, readable column widths, frozen header."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.title = _sheet_title(title)
    ws.append([safe_cell(str(c)) for c in frame.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False):
        ws.append([_plain(v) for v in row])
    for i, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        width = (widths or {}).get(column)
        if width is None:
            longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200) if v is not None])
            width = min(max(8, longest + 2), 60)
        ws.column_dimensions[letter].width = width
        fmt = (number_formats or {}).get(column)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
        if width >= 40:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]


def workbook_bytes(book: Workbook, when: dt.datetime | None = None) -> bytes:
    """Save a workbook to bytes; with ``when``, its metadata and zip entries carry that moment."""
    if when is not None:
        book.properties.created = when
        book.properties.modified = when
        book.properties.creator = "kpi-dashboard"
    out = io.BytesIO()
    book.save(out)
    return fixed_zip(out.getvalue(), when) if when is not None else out.getvalue()


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite an Office file (a zip) so that it depends only on its content and ``when``.

    Office writers stamp every zip entry, and the document's "modified" date, with the current
    time; a pinned presentation must give the same bytes every time it is built.
    """
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _STAMP.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            elif item.filename.endswith(".xlsx"):  # the workbook behind a chart of a deck
                content = fixed_zip(content, when)
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return out.getvalue()


def values_csv(store: Store, as_of: int | None = None, approved_only: bool = False, marked: bool = False) -> bytes:
    """Every value in force (or as of a batch) in the long layout of docs/interfaces.md, ready to import again.

    The rows come from ``metrics.storage.values_export`` (the import round trip uses the same writer); here
    the text columns are neutralised and a byte-order mark is added for Excel. ``approved_only``: the batches
    not yet approved left out; ``marked``: a last column ``approval`` (approved, provisional) tells them apart.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "values.csv"
        export_values(store, path, as_of, approved_only=approved_only, marked=marked)
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=VALUE_COLUMNS + (["approval"] if marked else []), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) if k in TEXT_VALUE_COLUMNS else v for k, v in row.items()})
    return (BOM + out.getvalue()).encode("utf-8")
