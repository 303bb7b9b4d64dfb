"""Limits that keep a hostile or broken file from hurting the server: size, binary content, zip bombs,
sheets that unfold into billions of cells, thousands of columns, giant cells.

Each limit rejects the file with a problem that says what to do (``messages.py``); nothing is read past
it. An .xlsx is a zip: its directory and the actual size of every entry are checked before any Excel
reader opens it, because those readers unpack shared strings into memory and lay a sheet out as a full
rectangle (a 5 KB file with cells in A1 and GR1048576 asks for 200 million cells).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from metrics.vocabulary.messages import FileRejected

MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_ZIP_ENTRIES = 2_000
MAX_UNZIPPED_BYTES = 512 << 20
MAX_RATIO = 100  # deflated XML is 5–20 times smaller; a bomb is hundreds of times
RATIO_FROM_BYTES = 1 << 20  # small entries may compress very well without harm
MAX_SHEET_CELLS = 25_000_000  # rows × columns of the rectangle a reader lays out (a full Excel sheet of 24 columns)
CONTROL = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x7f"
_TEXT_TABLE = bytes.maketrans(CONTROL, b"\x00" * len(CONTROL))
_CELL_LETTERS = re.compile(rb'\sr="([A-Z]{1,3})[0-9]')  # the column of every cell that names its place
_ROW_PLAIN = re.compile(rb'<row r="([0-9]{1,7})"')  # how nearly every writer starts a row
_ROW_ANY = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="([0-9]{1,7})"')
_CELL_TAGS = (b"<c ", b"<c>", b"<c/>")
_TAIL = 256  # bytes kept between chunks so that a tag cut in two is still seen


def binary_offset(sample: bytes) -> int | None:
    """Where a text file turns out to be binary (a NUL or another control byte a CSV never holds), or None.

    Call only for single-byte and UTF-8 encodings: UTF-16 text is full of zero bytes.
    """
    nul = sample.find(b"\x00")
    if nul >= 0:
        return nul
    controls = len(sample) - len(sample.translate(None, CONTROL))
    if controls > max(4, len(sample) // 200):  # a stray form feed is fine, a binary file has many
        return next(i for i, b in enumerate(sample) if b in CONTROL)
    return None


def check_csv_width(head: list[list[str]]) -> None:
    width = max((len(r) for r in head), default=0)
    if width > MAX_COLUMNS:
        raise FileRejected("too-many-columns", f"{width}")


def column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def check_workbook(path: Path) -> None:
    """Reject an .xlsx whose zip or sheets would unfold into far more than its size suggests.

    An old .xls (not a zip) is left to the reader: its format caps a sheet at 65,536 × 256 cells.
    """
    with open(path, "rb") as handle:
        if handle.read(2) != b"PK":
            return
    try:
        with zipfile.ZipFile(path) as book:
            entries = book.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise FileRejected("suspicious-workbook", f"{len(entries)} zip entries")
            declared = sum(e.file_size for e in entries)
            if declared > MAX_UNZIPPED_BYTES:
                raise FileRejected("suspicious-workbook", f"unzips to {declared / 2**20:,.0f} MB")
            for entry in entries:
                if entry.file_size > RATIO_FROM_BYTES and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                    raise FileRejected("suspicious-workbook",
                                       f"{entry.filename}: {entry.file_size / max(entry.compress_size, 1):,.0f}× compressed")
            for entry in entries:
                _check_entry(book, entry)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError) as exc:
        raise FileRejected("unreadable-file", f"{type(exc).__name__}: {exc}"[:200]) from exc


def _check_entry(book: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Read the entry for real (Python checks its length and CRC against the directory); for a sheet,
    find the rectangle its cells span, which is what a reader allocates."""
    sheet = entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
    letters: set[bytes] = set()
    rows = row_tags = cells = placed = 0
    tail = b""
    with book.open(entry) as data:
        while chunk := data.read(1 << 22):
            if not sheet:
                continue
            text = tail + chunk
            found = _CELL_LETTERS.findall(text)
            placed += len(found)
            letters.update(found)
            tags = text.count(b"<row") + text.count(b":row ") - tail.count(b"<row") - tail.count(b":row ")
            numbers = _ROW_PLAIN.findall(text)
            if len(numbers) < tags:  # rows written some other way: the slower, general pattern
                numbers = _ROW_ANY.findall(text)
            rows = max([rows, *map(int, numbers)])
            row_tags += tags
            cells += sum(chunk.count(tag) for tag in _CELL_TAGS) + chunk.count(b":c ")
            tail = text[-_TAIL:]
            columns = max(map(column_number, letters), default=0)
            if columns > MAX_COLUMNS:
                raise FileRejected("too-many-columns", f"{columns}")
    if sheet and cells:
        # Cells that do not name their column are laid out one after another: assume the widest allowed.
        width = max(map(column_number, letters), default=0) if placed >= cells else MAX_COLUMNS
        height = max(rows, row_tags)
        if width * height > MAX_SHEET_CELLS or cells > MAX_SHEET_CELLS:
            raise FileRejected("suspicious-workbook", f"{entry.filename}: {height:,} rows × {width:,} columns")
