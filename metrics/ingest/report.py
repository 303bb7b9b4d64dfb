"""The result of checking a file: its problems, what it would change, and the rows ready to write.

A report owns a temporary folder (the staged rows; for a rejected file, its rows and problems so the
file can be handed back with an error column). ``close()`` removes it; the commit closes it too.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from metrics.ingest.messages import WARNINGS, problem
from metrics.problems import Problem, errors

MAX_DETAILED = 10_000
ERROR_COLUMN = {"vi": "lỗi", "en": "errors"}
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
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    layout: str = "long"  # long | wide
    convention: str = "none"  # vi | en | mixed | none
    rows: int = 0  # data rows read (blank rows left out)
    problems: list[Problem] = field(default_factory=list)  # in file order, at most MAX_DETAILED
    counts_by_code: dict[str, int] = field(default_factory=dict)  # every problem, counted
    counts: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0,
                                                             "rejected": 0})
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # first changed cells, old beside new
    status_changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    statuses_judged: bool = True  # False: too many values to judge before the import (see preview.py)
    data_version: tuple = ()
    suggestions: dict[str, str] = field(default_factory=dict)  # unknown text -> close names
    headers: list[str] = field(default_factory=list)
    header_row: int = 1

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
        return self.counts["created"] + self.counts["updated"] if self.ok else 0

    @property
    def staged(self) -> Path:
        return self.workdir / "staged.parquet"

    def problem_table(self, lang: str = "vi") -> pd.DataFrame:
        """Problems as rows: row, column, value, code, severity, message (in ``lang``)."""
        return pd.DataFrame([{"row": p.row, "column": p.column, "value": p.value, "code": p.code,
                              "severity": p.severity, "message": p.message(lang)} for p in self.problems],
                            columns=["row", "column", "value", "code", "severity", "message"])

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- the file handed back with an error column ---------------------------------------------------

    def annotated(self, lang: str = "vi") -> tuple[str, bytes, str]:
        """(file name, bytes, MIME type): the file's rows with a column listing each row's problems."""
        rows_path, problems_path = self.workdir / "rows.parquet", self.workdir / "problems.parquet"
        rows = pd.read_parquet(rows_path) if rows_path.exists() else pd.DataFrame(columns=["row"])
        found = pd.read_parquet(problems_path) if problems_path.exists() else pd.DataFrame()
        notes: dict[int, list[str]] = {}
        for p in found.itertuples(index=False):
            if pd.isna(p.row):
                continue
            detail = self.suggestions.get(p.value, "") if p.code in ("unknown-unit", "unknown-indicator") else p.detail
            text = problem(int(p.row), p.col, p.value, p.code, detail).message(lang)
            notes.setdefault(int(p.row), []).append(f"{p.col}: {text}" if p.col else text)
        width = len(self.headers)
        table = [[*self.headers, ERROR_COLUMN[lang]]]
        for record in rows.itertuples(index=False):
            cells = ["" if v is None or v != v else str(v).replace("\x01", "") for v in record[1:width + 1]]
            table.append([*cells, " | ".join(notes.get(int(record[0]), []))])
        if self.kind == "excel":
            buffer = io.BytesIO()
            pd.DataFrame(table[1:], columns=table[0]).to_excel(buffer, index=False, sheet_name=(self.sheet or "Sheet1")[:31])
            return self.annotated_name(lang), buffer.getvalue(), XLSX_MIME
        text = io.StringIO()
        csv.writer(text, delimiter=self.delimiter or ",", lineterminator="\r\n").writerows(table)
        return self.annotated_name(lang), ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv"

    def annotated_name(self, lang: str = "vi") -> str:
        """``values-loi.csv`` / ``values-errors.xlsx``: the file's own name, marked."""
        stem = Path(self.file_name).stem + ("-loi" if lang == "vi" else "-errors")
        return stem + (".xlsx" if self.kind == "excel" else ".csv")
