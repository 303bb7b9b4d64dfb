"""A CSV or Excel file read into a cursor's ``raw`` view with every guard, for the values intake and the
catalogue alike: size, binary content, encodings, delimiters, zip bombs, far-away cells, too many columns;
then the header search over the first rows and the cells too long to be a figure or a name.

``raw`` holds ``row`` (the line or row number as the spreadsheet shows it) and the text cells ``c0`` …. What
the columns mean is the caller's: each passes ``names``, whether a header text names one of its columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from metrics.storage.files import csv_reader as reading
from metrics.storage.files import guard, workbook
from metrics.storage.files.progress import Progress
from metrics.storage.store import file_sha256
from metrics.vocabulary.messages import FileRejected, problem
from metrics.vocabulary.problems import Problem

EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
HEADER_SEARCH_ROWS = 20
LONG_CELLS_LISTED = 100
BLANKS = " \t\u00a0\u202f"

Names = Callable[[str], bool]


@dataclass
class FileRead:
    """What reading learnt of the file, filled as far as reading got (the intake's report shows it)."""

    kind: str = "csv"  # csv | excel
    reader: str = ""  # fast (DuckDB's read_csv) | careful (Python's csv) | excel
    sha256: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    controls: bool = True  # the file may hold a control character (False: a CSV whose bytes were scanned, none)
    problems: list[Problem] = field(default_factory=list)  # of single rows: one with more cells than the header


def read(cur, path: Path, workdir: Path, names: Names, sheet: str | int | None = None, encoding: str | None = None,
         progress: Progress | None = None, max_bytes: int = reading.MAX_BYTES) -> tuple[list[Problem], FileRead]:
    """Load the file into ``raw``; return the problems that stop everything (unreadable, too large, hostile),
    and what was read. ``names`` finds a CSV's header before the rest is read (its width is the row's)."""
    found = FileRead()
    size = path.stat().st_size
    if size == 0:
        return [problem(None, None, None, "empty-file")], found
    if size > max_bytes:
        return [problem(None, None, None, "file-too-large", detail=f"{_size(size)} > {_size(max_bytes)}")], found
    try:
        return _load(cur, found, path, workdir, names, sheet, encoding, progress), found
    except FileRejected as exc:
        return [exc.problem], found


def is_excel(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) in EXCEL_MAGIC


def _size(count: int) -> str:
    return f"{count / 2**30:.1f} GB" if count >= 2**30 else f"{count / 2**20:.1f} MB" if count >= 2**20 \
        else f"{count / 1024:.0f} KB"


def _load(cur, found: FileRead, path: Path, workdir: Path, names: Names, sheet, encoding, progress) -> list[Problem]:
    if is_excel(path):
        found.kind = "excel"
        found.sha256 = file_sha256(path)
        loaded, found.sheet = workbook.load_excel(cur, path, sheet, progress)
    elif path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return [problem(None, None, None, "unreadable-file", detail="not an Excel workbook")]
    else:
        try:
            sniffed = reading.sniff(path, encoding)
            header_row, headers = find_header(reading.head_rows(sniffed), names)
            scanned, loaded = reading.scan_and_load(cur, path, sniffed, max(len(headers), 1), header_row, workdir,
                                                    progress)
            found.sha256, found.encoding, found.delimiter = scanned.sha256, sniffed.encoding, sniffed.delimiter
            found.controls = scanned.controls
        except (UnicodeDecodeError, LookupError) as exc:
            return [problem(None, None, None, "unreadable-file", detail=f"{type(exc).__name__}: {exc}"[:200])]
        except duckdb.Error as exc:
            return [problem(None, None, None, "unreadable-file", detail=str(exc).splitlines()[0][:200])]
    found.problems, found.reader = loaded.problems, loaded.path
    if loaded.rows == 0:
        return [*loaded.problems, problem(None, None, None, "empty-file")]
    return []


def find_header(head: list[tuple], names: Names) -> tuple[int, list[str]]:
    """(row number, header texts) of the first of ``head`` rows ``(row, c0, c1, …)`` with ≥ 2 texts that
    ``names`` knows; else the first row."""
    for record in head[:HEADER_SEARCH_ROWS]:
        texts = [clean(c) for c in record[1:]]
        if sum(1 for t in texts if t and names(t)) >= 2:
            return record[0], texts
    first = head[0] if head else (1,)
    return first[0], [clean(c) for c in first[1:]]


def clean(cell) -> str:
    """A header cell as text: no marker of a native Excel value, no blanks at either end."""
    return "" if cell is None else str(cell).replace(workbook.NATIVE, "").strip(BLANKS)


def long_cells(cur, headers: list[str]) -> list[Problem]:
    """A cell of ``raw`` over ``guard.MAX_CELL_CHARS`` characters (a lost quote, a pasted document): its row
    and column, at most ``LONG_CELLS_LISTED`` rows."""
    columns = [c for c in (r[0] for r in cur.execute("DESCRIBE raw").fetchall()) if c != "row"]
    if not columns:
        return []
    longest = ", ".join(f"coalesce(length({n}), 0)" for n in columns)
    rows = cur.execute(f"SELECT row, [{longest}] FROM raw WHERE greatest({longest}) > ? ORDER BY row LIMIT ?",
                       [guard.MAX_CELL_CHARS, LONG_CELLS_LISTED]).fetchall()
    problems = []
    for row, lengths in rows:
        for index, length in enumerate(lengths):
            if length > guard.MAX_CELL_CHARS:
                column = headers[index] if index < len(headers) and headers[index] else f"#{index + 1}"
                problems.append(problem(row, column, None, "cell-too-long", detail=str(length)))
    return problems
