"""Errors a user can cause or meet, each with a message in Vietnamese and English and what to do."""

from __future__ import annotations


class UserError(Exception):
    """An error to show to a person, not a trace.

    ``code`` is a stable kebab-case identifier (tests and scripts match on it); ``vi`` and ``en``
    say what is wrong and what to do next.
    """

    def __init__(self, code: str, vi: str, en: str):
        super().__init__(en)
        self.code = code
        self.vi = vi
        self.en = en

    def message(self, lang: str = "vi") -> str:
        return self.vi if lang == "vi" else self.en


class DatabaseBusy(UserError):
    """Another process holds the database file."""


class DatabaseUnreadable(UserError):
    """The database file exists but cannot be opened as a DuckDB database of this version."""


class DataFileError(UserError):
    """A shipped or uploaded catalogue file (units, plans, targets) is not valid.

    ``problems`` holds one row per problem: (row, column, value, code, message_vi, message_en).
    """

    def __init__(self, code: str, vi: str, en: str, problems: list[tuple] | None = None):
        super().__init__(code, vi, en)
        self.problems = problems or []
