"""The SQL that means the same but is spelled differently in DuckDB and PostgreSQL, in one place.

Lexical differences (parameters, ``DOUBLE``, ``COLLATE vi``, ``CREATE OR REPLACE TEMP TABLE``) are rewritten by
``metrics.storage.postgres.translate``; SQL that both engines accept is written once where it is used (no
``QUALIFY``, ``GROUP BY ALL``, ``BY NAME``; ``generate_series`` rather than ``range``; every subquery named).
What remains — DuckDB's list functions and lambdas, ``any_value`` (PostgreSQL 16+) — is here: each SQL
site asks ``of(cur)`` for its engine's spelling. DuckDB's spelling is the one it had before PostgreSQL came.
"""

from __future__ import annotations

from dataclasses import dataclass

from metrics.storage import postgres


@dataclass(frozen=True)
class Dialect:
    name: str

    @property
    def postgres(self) -> bool:
        return self.name == "postgresql"

    def any_value(self, column: str) -> str:
        """Any one value of a group whose values are all the same (PostgreSQL 15 has no ``any_value``)."""
        return f"min({column})" if self.postgres else f"any_value({column})"

    def sorted_codes(self, column: str) -> str:
        """``a|c|b`` → ``a|b|c``: a ``|``-joined list of codes, sorted."""
        if self.postgres:
            return f"array_to_string(ARRAY(SELECT unnest(string_to_array({column}, '|')) ORDER BY 1), '|')"
        return f"array_to_string(list_sort(string_split({column}, '|')), '|')"

    def in_codes(self, codes: str, column: str) -> str:
        """Whether ``column`` is one of the ``|``-joined ``codes``."""
        if self.postgres:
            return f"{column} = ANY(string_to_array({codes}, '|'))"
        return f"list_contains(string_split({codes}, '|'), {column})"

    def row_hash(self, columns: str) -> str:
        """A number from the values of ``columns`` (a fingerprint: equal rows give equal numbers)."""
        if self.postgres:
            return f"hashtextextended(concat_ws(chr(31), {columns}), 0)::NUMERIC"
        return f"hash({columns})"

    def one_item_list(self, column: str) -> str:
        """A list holding the value of ``column`` (NULL included)."""
        return f"ARRAY[{column}]::VARCHAR[]" if self.postgres else f"[{column}]"

    def texts(self, *columns: str) -> str:
        """A list of the non-NULL values of ``columns``, each once (a figure's named sources)."""
        if self.postgres:
            if len(columns) == 1:
                return f"array_remove(ARRAY[{columns[0]}]::VARCHAR[], NULL)"
            first, second = columns
            return (f"array_remove(CASE WHEN {first} = {second} THEN ARRAY[{first}] "
                    f"ELSE ARRAY[{first}, {second}] END::VARCHAR[], NULL)")
        listed = f"list_filter([{', '.join(columns)}], lambda x: x IS NOT NULL)"
        return listed if len(columns) == 1 else f"list_distinct({listed})"


DUCKDB = Dialect("duckdb")
POSTGRESQL = Dialect("postgresql")


def of(cur) -> Dialect:
    """The dialect of a cursor or connection (or of a store's engine)."""
    if isinstance(cur, (postgres.Cursor, postgres.Connection)) or getattr(cur, "engine", None) == "postgresql":
        return POSTGRESQL
    return DUCKDB


def stage(cur, name: str, frame, like: str) -> None:
    """A pandas frame as the relation ``name`` for the statements that follow in ``cur``: DuckDB reads the
    frame in place; PostgreSQL gets a temporary table typed as the columns of table ``like``, filled by
    ``COPY … FROM STDIN``. ``unstage`` ends it."""
    if of(cur).postgres:
        cur.register(name, frame, like=like)
    else:
        cur.register(name, frame)


def unstage(cur, name: str) -> None:
    cur.unregister(name)
