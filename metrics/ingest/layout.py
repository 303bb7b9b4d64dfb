"""Which column is which: headers in Vietnamese or English, any case, diacritics optional; long or wide.

Long layout: one row per unit × indicator × year (``docs/interfaces.md``). Wide layout: one column per year
(``2023``, ``Năm 2024`` …) in place of ``year``/``value``. Title rows above the header are skipped:
the header is the first row that names at least two known columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from metrics.storage.files import guarded
from metrics.vocabulary.messages import problem
from metrics.vocabulary.problems import Problem
from metrics.vocabulary.shared import sql_text
from metrics.vocabulary.text import fold, header_key

FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("unit", "đơn vị", "mã đơn vị", "unit code"),
    "indicator": ("indicator", "chỉ tiêu", "chỉ số", "mã chỉ tiêu", "mã chỉ số", "indicator code"),
    "year": ("year", "năm"),
    "value": ("value", "giá trị", "số liệu"),
    "numerator": ("numerator", "tử số"),
    "denominator": ("denominator", "mẫu số"),
    "source": ("source", "nguồn", "nguồn số liệu"),
    "note": ("note", "ghi chú"),
    "provenance": ("provenance", "loại số liệu"),
}
# Columns a template or a rejected file adds for people (never figures); names are read only when the code
# column is absent.
HELPER_FIELDS: dict[str, tuple[str, ...]] = {
    "unit_name": ("unit name", "tên đơn vị"),
    "indicator_name": ("indicator name", "tên chỉ tiêu", "tên chỉ số"),
    "measure": ("measure", "đơn vị tính", "đvt"),
    "how": ("how it adds up", "cách tính"),
    "errors": ("errors", "lỗi"),
}
FALLBACKS = {"unit": "unit_name", "indicator": "indicator_name"}
NAMES_VI = {"unit": "đơn vị", "indicator": "chỉ tiêu", "year": "năm", "value": "giá trị",
            "numerator": "tử số", "denominator": "mẫu số"}
YEAR_HEADER = re.compile(r"^(?:nam|year)?\s*(\d{4})(?:\.0+)?$")
TEXT_FIELDS = ("unit", "indicator", "year", "source", "note", "provenance")
NUMBER_FIELDS = ("value", "numerator", "denominator")
LONG_TEXT_FIELDS = ("source", "note")
NAMED_FIELDS = ("unit", "indicator")  # looked up in the catalogue by name or code
BLANKS = guarded.BLANKS

_KEYS = {header_key(alias): name for name, aliases in (FIELDS | HELPER_FIELDS).items() for alias in aliases}


def field_of(header: str) -> str | None:
    return _KEYS.get(header_key(header))


def year_of(header: str) -> int | None:
    found = YEAR_HEADER.match(fold(header).replace("\x01", ""))
    year = int(found.group(1)) if found else None
    return year if year and 1900 <= year <= 2100 else None


@dataclass
class Layout:
    """The header row, and for each field the column (index into c0 … cN) that holds it."""

    header_row: int
    headers: list[str]
    columns: dict[str, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)  # column -> year, wide layout only
    problems: list[Problem] = field(default_factory=list)

    @property
    def wide(self) -> bool:
        return "year" not in self.columns and bool(self.years)

    def header(self, name: str) -> str:
        """The header as the file writes it (for problem rows), or the field's Vietnamese name."""
        return self.headers[self.columns[name]] if name in self.columns else NAMES_VI.get(name, name)


def names_a_column(text: str) -> bool:
    """Whether a header text names a column of a values file (a field, a helper column or a year)."""
    return bool(field_of(text) or year_of(text))


def find_header(head: list[tuple], names: Callable[[str], bool] | None = None) -> tuple[int, list[str]]:
    """(row number, header texts) of the first of ``head`` rows ``(row, c0, c1, …)`` naming ≥ 2 columns
    (of a values file, or those ``names`` knows): ``metrics.storage.files.guarded.find_header``."""
    return guarded.find_header(head, names or names_a_column)


def match(header_row: int, headers: list[str]) -> Layout:
    """Map headers to fields; report missing, repeated and unknown columns."""
    layout = Layout(header_row, headers)
    helpers: dict[str, int] = {}
    for index, text in enumerate(headers):
        if text:
            _place(layout, helpers, index, text)
    for name, helper in FALLBACKS.items():
        if name not in layout.columns and helper in helpers:
            layout.columns[name] = helpers[helper]
    layout.problems += _missing(layout)
    if "year" in layout.columns and layout.years:  # long layout: year-named columns are not data
        layout.problems += [problem(header_row, headers[i], headers[i], "unknown-column") for i in layout.years]
        layout.years = {}
    return layout


def _place(layout: Layout, helpers: dict[str, int], index: int, text: str) -> None:
    """Record what one header names: a field, a helper column, a year, or nothing known."""
    name, year = field_of(text), year_of(text)
    if name in FIELDS:
        if name in layout.columns:
            layout.problems.append(problem(layout.header_row, text, text, "duplicate-column",
                                           detail=layout.headers[layout.columns[name]]))
        else:
            layout.columns[name] = index
    elif name in HELPER_FIELDS:
        helpers.setdefault(name, index)
    elif year is not None:
        if year in layout.years.values():
            layout.problems.append(problem(layout.header_row, text, text, "duplicate-column", detail=str(year)))
        else:
            layout.years[index] = year
    else:
        layout.problems.append(problem(layout.header_row, text, text, "unknown-column"))


EXPLAIN = {"unit": "unit / đơn vị", "indicator": "indicator / chỉ tiêu",
           "year": "year / năm, hoặc mỗi năm một cột: 2024, 2025…",
           "value": "value / giá trị, hoặc tử số và mẫu số", "numerator": "numerator / tử số",
           "denominator": "denominator / mẫu số"}


def _missing(layout: Layout) -> list[Problem]:
    has = layout.columns.keys()
    needed = ["unit", "indicator"]
    if layout.years:
        wrong = [n for n in ("numerator", "denominator") if n in has]
        problems = [problem(layout.header_row, layout.header(n), layout.header(n), "wide-layout-parts") for n in wrong]
    else:
        problems = []
        needed.append("year")
        if "value" not in has:
            parts = [n for n in ("numerator", "denominator") if n not in has]
            needed += ["value"] if len(parts) == 2 else parts
    return problems + [problem(None, NAMES_VI[n], None, "missing-column", detail=EXPLAIN[n])
                       for n in needed if n not in has]


# --- the staged cells --------------------------------------------------------------------------------

def trimmed(column: str) -> str:
    """SQL: the cell without surrounding blanks, NULL when empty. Trimming a character set costs a
    second per million cells; a cell that starts and ends with a visible ASCII character skips it."""
    return (f"CASE WHEN ascii({column}) BETWEEN 33 AND 126 AND ascii(right({column}, 1)) BETWEEN 33 AND 126 "
            f"THEN {column} ELSE nullif(trim({column}, '{BLANKS}'), '') END")


def _rows_sql(layout: Layout, source: str = "raw") -> str:
    """The data rows, each field trimmed (``unit_text`` …, ``y<i>`` for a year column), blank rows left out;
    the unit and indicator also as written (``unit_raw``, ``indicator_raw``: the check looks their names up by
    the cell as written, ``unit_lookup``, so those two are trimmed once per distinct cell, not per row).

    Sources and notes are passed as written (``LONG_TEXT_FIELDS``): a file repeats a few long texts
    millions of times, so they are trimmed and normalised once per distinct text (``long_texts_sql``)."""
    fields = ("unit", "indicator", "year", "value", "numerator", "denominator", "source", "note", "provenance")

    def column(name: str) -> str:
        return f"c{layout.columns[name]}" if name in layout.columns else "CAST(NULL AS VARCHAR)"

    def cell(name: str) -> str:
        return column(name) if name in LONG_TEXT_FIELDS or name not in layout.columns else trimmed(column(name))

    texts = [f"{cell(n)} AS {n}_text" for n in fields]
    raws = [f"{column(n)} AS {n}_raw" for n in NAMED_FIELDS]
    years = [f"{trimmed(f'c{i}')} AS y{i}" for i in layout.years]
    present = [column(n) for n in fields if n in layout.columns] + [f"c{i}" for i in layout.years]
    # a row is blank when every cell trims to nothing; one whose first cell starts with a visible ASCII character
    # is not (nearly every row: the trims of the test run only for the others, an OR in a filter is lazy)
    filled = f"coalesce({', '.join(trimmed(c) for c in present)}) IS NOT NULL" if present else "false"
    quick = f"ascii({present[0]}) BETWEEN 33 AND 126 OR " if present else ""
    return f"""SELECT row, {", ".join(texts + raws + years)} FROM {source}
               WHERE row > {int(layout.header_row)} AND ({quick}{filled})"""


def _distinct_cells(layout: Layout, name: str) -> str:
    """SQL: each distinct non-empty cell of one field below the header, as written (``raw``)."""
    if name not in layout.columns:
        return "SELECT CAST(NULL AS VARCHAR) AS raw WHERE false"
    column = f"c{layout.columns[name]}"
    return f"SELECT DISTINCT {column} AS raw FROM raw WHERE row > {int(layout.header_row)} AND {column} IS NOT NULL"


def distinct_cells_sql(layout: Layout, name: str) -> str:
    """SQL: each distinct cell of one field as written (``raw``) and trimmed (``text``, NULL when blank): the
    cells are trimmed once per distinct cell, not once per row."""
    return f"SELECT raw, {trimmed('raw')} AS text FROM ({_distinct_cells(layout, name)})"


def number_cells_sql(layout: Layout) -> tuple[str, tuple[str, ...]]:
    """SQL: the cells of the number columns as written (``n<i>_text``) in rows where one has a separator,
    and those names' stems; for counting the file's number convention without copying its rows
    (spaces go in ``numbers.compact``)."""
    indexes = [layout.columns[n] for n in NUMBER_FIELDS if n in layout.columns] + list(layout.years)
    names = tuple(f"n{i}" for i in indexes)
    cells = ", ".join(f"c{i} AS n{i}_text" for i in indexes) or "NULL AS none_text"
    # only a cell with a separator can be written one way and not the other; the rest need no look
    separated = " OR ".join(f"contains(c{i}, '.') OR contains(c{i}, ',')" for i in indexes) or "false"
    return (f"SELECT {cells} FROM raw WHERE row > {int(layout.header_row)} AND ({separated})", names or ("none",))


def long_texts_sql(layout: Layout, name: str) -> str:
    """SQL: each distinct source or note as written (``raw``), as stored (NFC), its number (``id``) and the
    number of its stored text (``nid``: the same for two cells written differently that store the same text;
    NULL for no text). A note is kept exactly as written (a leading tab or space may be the person's layout);
    a source is trimmed like every other cell. Blank text is no text."""
    stored = "raw" if name == "note" else trimmed("raw")
    return f"""SELECT *, CASE WHEN nfc IS NOT NULL THEN dense_rank() OVER (ORDER BY nfc) END AS nid
               FROM (SELECT raw, nfc_normalize(CASE WHEN {trimmed("raw")} IS NOT NULL THEN {stored} END) AS nfc,
                            row_number() OVER () AS id
                     FROM ({_distinct_cells(layout, name)}))"""




def cells_sql(layout: Layout) -> tuple[str, list]:
    """SQL creating the view ``cells``: one row per figure, text as typed, where each came from.

    A view, not a table: the check reads it once into ``checked``; copying millions of rows into an
    intermediate table first cost as much as reading the file.
    """
    return "CREATE OR REPLACE TEMP VIEW cells AS " + cells_select(layout), []


def cells_select(layout: Layout, source: str = "raw") -> str:
    """SQL: the rows of ``cells`` (``cells_sql``) read from ``source``, a relation with the columns of ``raw``
    (a few of its rows: the texts of the rows a problem names)."""
    rest = "numerator_text, denominator_text, source_text, note_text, provenance_text, unit_raw, indicator_raw"
    if not layout.wide:
        return f"""
            SELECT row, unit_text, indicator_text, year_text, {sql_text(layout.header("year"))} AS year_col,
                   value_text, {sql_text(layout.header("value"))} AS value_col, {rest}
            FROM ({_rows_sql(layout, source)})"""
    selects = []
    for index, year in layout.years.items():
        header = sql_text(layout.headers[index])
        selects.append(f"""SELECT row, unit_text, indicator_text, {sql_text(str(year))} AS year_text, {header} AS year_col,
                                  y{index} AS value_text, {header} AS value_col, {rest}
                           FROM staged_rows WHERE y{index} IS NOT NULL""")
    first = next(iter(layout.years))
    empty = " AND ".join(f"y{i} IS NULL" for i in layout.years)
    header = sql_text(layout.headers[first])
    selects.append(f"""SELECT row, unit_text, indicator_text, {sql_text(str(layout.years[first]))} AS year_text,
                              {header} AS year_col, NULL AS value_text, {header} AS value_col, {rest}
                       FROM staged_rows WHERE {empty}""")
    return f"WITH staged_rows AS ({_rows_sql(layout, source)}) " + " UNION ALL ".join(selects)
