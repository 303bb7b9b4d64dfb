"""The result of checking a file: its problems, what it would change, and the rows ready to write.

A report owns a temporary folder (the staged rows; for a rejected file, its rows and problems so the
file can be handed back with an error column). ``close()`` removes it; the commit closes it too.
"""

from __future__ import annotations

import csv
import io
import shutil
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from metrics.vocabulary.messages import WARNINGS, problem
from metrics.vocabulary.problems import Problem, errors
from metrics.vocabulary.text import safe_cell

MAX_DETAILED = 10_000
ERROR_COLUMN = {"vi": "lỗi", "en": "errors"}
EXCEL_CELL_CHARS = 32_767
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Report:
    """Everything the page and the command line show before an import is confirmed."""

    file_name: str
    sha256: str
    plan: str
    workdir: Path
    kind: str = "csv"  # csv | excel
    reader: str = ""  # fast (DuckDB's read_csv) | careful (Python's csv) | excel
    controls: bool = True  # the file may hold a control character (False: its bytes were scanned, none)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    layout: str = "long"  # long | wide
    convention: str = "none"  # vi | en | mixed | none
    rows: int = 0  # data rows read (blank rows left out)
    problems: list[Problem] = field(default_factory=list)  # in file order, at most MAX_DETAILED
    counts_by_code: dict[str, int] = field(default_factory=dict)  # every problem, counted
    counts: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "annotated": 0,
                                                             "unchanged": 0, "rejected": 0, "skipped": 0})
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # first changed cells, old beside new
    status_changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    statuses_judged: bool = True  # False: too many values to judge before the import (see preview.py)
    data_version: tuple = ()
    suggestions: dict[str, str] = field(default_factory=dict)  # unknown text -> close names
    headers: list[str] = field(default_factory=list)
    header_row: int = 1
    file_problems: list[Problem] = field(default_factory=list)  # found while reading and matching headers
    scope: str | None = None  # the unit whose subtree the rows had to stay in (None: the whole federation)

    @property
    def ok(self) -> bool:
        """No error: the file can be imported (warnings do not stop it)."""
        return not errors(self.problems) and all(code in WARNINGS for code in self.counts_by_code)

    @property
    def error_count(self) -> int:
        return sum(n for code, n in self.counts_by_code.items() if code not in WARNINGS)

    @property
    def truncated(self) -> bool:
        return sum(self.counts_by_code.values()) > len(self.problems)

    @property
    def to_write(self) -> int:
        return self.counts["created"] + self.counts["updated"] + self.counts["annotated"] if self.ok else 0

    @property
    def staged(self) -> Path:
        return self.workdir / "staged.parquet"

    @property
    def staged_texts(self) -> Path:
        return self.workdir / "staged-texts.parquet"

    @property
    def cells_path(self) -> Path:
        return self.workdir / "cells.parquet"

    @property
    def rows_path(self) -> Path:
        return self.workdir / "rows.parquet"

    @property
    def can_annotate(self) -> bool:
        """Whether the file's rows were read (an unreadable file cannot be handed back annotated)."""
        return self.rows_path.exists()

    def problem_table(self, lang: str = "vi") -> pd.DataFrame:
        """Problems as rows: row, the row's unit and indicator, column, value, code, severity, message."""
        columns = ["row", "unit", "indicator", "column", "value", "code", "severity", "message"]
        return pd.DataFrame([{"row": p.row, "unit": p.unit, "indicator": p.indicator, "column": p.column,
                              "value": p.value, "code": p.code, "severity": p.severity, "message": p.message(lang)}
                             for p in self.problems], columns=columns)

    def __post_init__(self):
        # A report the page keeps in a session that simply ends (the tab closed) is never closed: its
        # folder goes when the report is collected, or when the process exits.
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.workdir, ignore_errors=True)

    def close(self) -> None:
        self._cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- the file handed back with an error column ---------------------------------------------------

    def annotated(self, lang: str = "vi") -> tuple[str, bytes, str]:
        """(file name, bytes, MIME type): the file's rows with a column listing each row's problems.

        Problems of the whole file (a missing column …) are written on the first row. Cells that a
        spreadsheet would run as a formula stay text (``safe_cell``), and an Excel cell keeps within
        Excel's 32,767 characters.
        """
        rows = pd.read_parquet(self.rows_path) if self.can_annotate else pd.DataFrame(columns=["row"])
        notes = self._notes(lang)
        width = len(self.headers)
        records = {int(r[0]): ["" if v is None or v != v else str(v).replace("\x01", "") for v in r[1:width + 1]]
                   for r in rows.itertuples(index=False)}
        for p in self.file_problems:  # a row with more cells than the header was not loaded: as it was written
            if p.code == "wrong-field-count" and p.row is not None:
                records[p.row] = (p.value or "").split(self.delimiter or ",")
        whole = notes.pop(None, [])
        table = [[*self.headers, ERROR_COLUMN[lang]]]
        for index, number in enumerate(sorted(records)):
            listed = ([("(cả tệp) " if lang == "vi" else "(whole file) ") + " | ".join(whole)] if whole and index == 0
                      else []) + notes.get(number, [])
            table.append([*records[number], " | ".join(listed)])
        table = [[safe_cell(cell) for cell in row] for row in table]
        if self.kind == "excel":
            table = [[cell[:EXCEL_CELL_CHARS] if isinstance(cell, str) else cell for cell in row] for row in table]
            buffer = io.BytesIO()
            pd.DataFrame([r[:width] + [r[-1]] for r in table[1:]], columns=table[0]).to_excel(
                buffer, index=False, sheet_name=(self.sheet or "Sheet1")[:31])
            return self.annotated_name(lang), buffer.getvalue(), XLSX_MIME
        text = io.StringIO()
        csv.writer(text, delimiter=self.delimiter or ",", lineterminator="\r\n").writerows(table)
        return self.annotated_name(lang), ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv"

    def _notes(self, lang: str) -> dict[int | None, list[str]]:
        """Row number (None: the whole file) -> ``column: message`` of every problem."""
        path = self.workdir / "problems.parquet"
        found = pd.read_parquet(path) if path.exists() else pd.DataFrame(columns=["row", "col", "value", "code", "detail"])
        worded = [problem(None if pd.isna(p.row) else int(p.row), p.col, p.value, p.code,
                          self.suggestions.get(p.value, "") if p.code in ("unknown-unit", "unknown-indicator")
                          else p.detail) for p in found.itertuples(index=False)]
        notes: dict[int | None, list[str]] = {}
        for p in [*self.file_problems, *worded]:
            key = None if p.row is None or p.row <= self.header_row else p.row
            text = p.message(lang)
            notes.setdefault(key, []).append(f"{p.column}: {text}" if p.column and key is not None else text)
        return notes

    def annotated_name(self, lang: str = "vi") -> str:
        """``values-loi.csv`` / ``values-errors.xlsx``: the file's own name, marked."""
        stem = Path(self.file_name).stem + ("-loi" if lang == "vi" else "-errors")
        return stem + (".xlsx" if self.kind == "excel" else ".csv")
