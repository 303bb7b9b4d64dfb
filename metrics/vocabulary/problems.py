"""Validation problems as data: one row per problem, collected all at once, never raised one by one."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

COLUMNS = ["row", "column", "value", "value_en", "code", "severity", "message_vi", "message_en"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    ``row`` is the row number as the person sees the file (the header is row 1), or None for a
    problem of the whole file; ``code`` is a stable kebab-case identifier; ``severity`` is
    ``error`` (the file is rejected) or ``warning`` (shown, not blocking).
    """

    row: int | None
    column: str | None
    value: str | None
    code: str
    message_vi: str
    message_en: str
    severity: str = "error"
    unit: str | None = None  # the unit and indicator the row names, as written (a values file's problems)
    indicator: str | None = None
    value_en: str | None = None  # the value as English writes it, when not as ``value`` (a number: ``1,234.5``)

    def message(self, lang: str = "vi") -> str:
        return self.message_vi if lang == "vi" else self.message_en

    def value_in(self, lang: str = "vi") -> str | None:
        """The value as shown in ``lang``: a number the file gave in that language's format (``1.234,5``)."""
        return self.value_en if lang != "vi" and self.value_en is not None else self.value


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def to_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table with the columns of ``COLUMNS``, in file order."""
    frame = pd.DataFrame([asdict(p) for p in problems], columns=COLUMNS)
    return frame.sort_values("row", kind="stable", na_position="first").reset_index(drop=True)


def as_text(problems: list[Problem], lang: str = "vi") -> str:
    """One line per problem, for the command line."""
    row_word = "dòng" if lang == "vi" else "row"
    lines = []
    for p in problems:
        where = []
        if p.row is not None:
            where.append(f"{row_word} {p.row}")
        if p.column:
            where.append(p.column)
        prefix = ", ".join(where)
        lines.append(f"{prefix + ': ' if prefix else ''}{p.message(lang)} [{p.code}]")
    return "\n".join(lines)
