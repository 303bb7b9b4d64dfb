"""Every problem of a values file at once, found in SQL over the staged ``cells``.

``source_nfc``, ``note_nfc``  each distinct source and note, cleaned, with a number ``checked`` carries
``checked``    one row per figure, typed: the unit and indicator it names (and the numbers of their texts in
               ``unit_match``/``indicator_match``), the year, the numbers read under the file's convention, the
               value a ratio's parts give, and ``flagged``: whether any rule holds for it
``current``    the values in force in the database for the file's cells and the year before each (their source and
               note as numbers: ``source_nid``, ``note_nid``)
``problems``   one row per problem: row, column, value, code, detail (``messages.py`` words them)
``error_rows`` the rows with at least one error (they are not written; warnings are not errors)

The file is read into a table once (``raw``); ``checked`` is the only other copy of its rows, and holds no
text: every rule is evaluated in the pass that reads the numbers, and the worded problems (forms, details,
texts) are worked out again only for the flagged rows. Each further copy of millions of rows costs about as
much as reading the file did, so everything else works on the few distinct texts (units, indicators, sources).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from metrics.ingest import layout as layouts
from metrics.ingest import numbers, units
from metrics.ingest.layout import NUMBER_FIELDS, Layout
from metrics.storage import rollups
from metrics.storage.store import in_force_sql
from metrics.vocabulary import fmt
from metrics.vocabulary.messages import WARNINGS

# A change larger than this from the previous year is worth a second look (a warning, never an error).
RATIO_JUMP_POINTS = 25.0
COUNT_JUMP_FACTOR = 2.0
COUNT_JUMP_MINIMUM = {"stock": 10.0, "flow": 10.0, "rate": 1.0}
SMALL_BASE = 10  # a ratio or rate over fewer units or people than this swings by chance
# The largest figure a value file may hold (docs/data-files.md, "Plausible bounds"). A count of people,
# unions, enterprises, houses or cases: ten times the country's population; a per-unit rate (members
# per union, introductions per union): a million. Beyond them a figure is a typing or export slip
# (1e20, a 400-digit number); far beyond, it is no number at all (1e309 reads as infinity).
MAX_COUNT = 1e9
MAX_RATE = 1e6
# Control characters no report holds, and which a terminal obeys (ESC clears the screen, sets the title):
# C0 except tab, line feed and carriage return (a note may span lines), DEL and C1. RE2 syntax.
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x{9f}]"
MARKERS = "chr(1) || chr(2) || chr(3)"  # the Excel reader's own marks before a number (workbook.py)


@dataclass
class Checked:
    convention: str  # vi | en | mixed | none
    blank: int = 0  # rows without any figure, skipped (a template's rows left empty)


def effective(kind: str, value: str, numerator: str, denominator: str) -> str:
    """SQL: the value a figure stands for — the one definition the roll-ups, the reference and the exports
    use (``metrics.storage.rollups.value_sql``): the stated value, else what a ratio's parts give."""
    return rollups.value_sql(kind, value, numerator, denominator)


def check(cur, layout: Layout, years: list[int], progress=None, *, controls: bool = True,
          values: Callable[[Any], None] | None = None) -> Checked:
    """Build ``checked``, ``current``, ``problems`` and ``error_rows`` in the cursor; return the convention.

    ``controls``: the file may hold a control character; False when its bytes were scanned and hold none
    (``csv_reader.scan``), which spares a look at every cell. ``values``: called with the cursor once
    ``checked`` exists, to bring in the values in force it is compared with (a check away from the database:
    ``metrics.ingest.scratch``)."""
    for what in layouts.NAMED_FIELDS:
        # the distinct cells as written, each trimmed once; resolved per trimmed text; looked up by the cell
        # as written (``{what}_lookup``), so no row of the file is trimmed for it
        cur.execute(f"CREATE OR REPLACE TEMP TABLE {what}_cells AS {layouts.distinct_cells_sql(layout, what)}")
        units.resolve(cur, what, f"SELECT DISTINCT text FROM {what}_cells")
        cur.execute(f"""CREATE OR REPLACE TEMP TABLE {what}_lookup AS
                        SELECT c.raw AS {what}_raw, m.* FROM {what}_cells c
                        LEFT JOIN {what}_match m ON m.{what}_text = c.text""")
        cur.execute(f"DROP TABLE {what}_cells")
    for name in layouts.LONG_TEXT_FIELDS:  # sources and notes: cleaned once per distinct text, then numbered
        cur.execute(f"CREATE OR REPLACE TEMP TABLE {name}_nfc AS {layouts.long_texts_sql(layout, name)}")
    cells, fields = layouts.number_cells_sql(layout)
    convention = cur.execute(numbers.convention_sql(f"(SELECT {_forms(fields)} FROM ({_bodies(f'({cells})', fields)}))",
                                                    fields)).fetchall()[0][0]
    _checked(cur, convention, years)
    blank = _skip_blank(cur)
    if values is not None:
        values(cur)
    _series(cur)
    _current(cur)
    _problems(cur, layout, years, convention, controls)
    return Checked(convention, blank)


def _bodies(source: str, fields: tuple[str, ...] = NUMBER_FIELDS) -> str:
    """SQL: ``source`` with each number cell's body (spaces and trailing % removed), its % sign and whether it is
    plain digits (``{f}_plain``: most cells are, and their body is the text itself; the cleaning below runs
    only for the others, as a CASE evaluates its ELSE only on the rows its condition left)."""
    plains = ", ".join(f"{numbers.plain(f'{f}_text')} AS {f}_plain" for f in fields)
    compacts = ", ".join(f"CASE WHEN {f}_plain THEN NULL ELSE {numbers.compact(f'{f}_text')} END AS {f}_compact"
                         for f in fields)
    bodies = ", ".join(f"CASE WHEN {f}_plain THEN {f}_text ELSE {numbers.body(f'{f}_compact')} END AS {f}_body, "
                       f"CASE WHEN {f}_plain THEN false ELSE {numbers.has_percent(f'{f}_compact')} END AS {f}_pct"
                       for f in fields)
    return f"""SELECT * EXCLUDE ({", ".join(f"{f}_compact" for f in fields)}), {bodies}
               FROM (SELECT *, {compacts} FROM (SELECT *, {plains} FROM {source}))"""


def _forms(fields: tuple[str, ...] = NUMBER_FIELDS) -> str:
    return ", ".join(f"CASE WHEN {f}_plain THEN 'int' ELSE {numbers.form(f'{f}_body')} END AS {f}_form"
                     for f in fields)


# What ``checked`` keeps of each figure: the row, the numbers of its unit and indicator texts (``units.resolve``),
# the typed columns, whether it is written at all (``blank``), with parts (``no_parts``) and whether some rule of
# ``_rules`` holds for it (``flagged``). The texts and the per-rule columns are worked out again (``_wide_sql``)
# only for the rows a problem names: writing them for every row cost twice the file's bare read.
TYPED = ("row", "unit_tid", "indicator_tid", "unit_id", "indicator_id", "unit", "indicator", "year", "kind", "value", "numerator",
         "denominator", "effective", "source_id", "note_id", "provenance_text")
BLANK = "value_text IS NULL AND numerator_text IS NULL AND denominator_text IS NULL"


def _wide_sql(convention: str, cells: str = "cells", where: str = "") -> str:
    """SQL: every column the rules read, for the cells of ``cells`` (those ``where`` keeps):
    names resolved, numbers read under ``convention``, the value a ratio's parts give."""
    readings = ", ".join(f"{numbers.reading(f'{f}_form', convention, numbers.role('kind', f, 'decimals'))} AS {f}_reading"
                         for f in NUMBER_FIELDS)
    parsed = ", ".join(f"{numbers.parse(f'{f}_body', f'{f}_form', f'{f}_reading')} AS {f}" for f in NUMBER_FIELDS)
    named = rf"""
        SELECT c.* EXCLUDE (source_text, note_text, unit_text, indicator_text, unit_raw, indicator_raw),
               um.unit_text, im.indicator_text, s.id AS source_id, n.id AS note_id,
               um.unit_tid, im.indicator_tid, um.unit_id, im.indicator_id,
               um.unit_codes IS NOT NULL AS unit_found, im.indicator_codes IS NOT NULL AS indicator_found,
               CASE WHEN len(um.unit_codes) > 1 THEN um.unit_codes END AS unit_choices,
               CASE WHEN len(im.indicator_codes) > 1 THEN im.indicator_codes END AS indicator_choices,
               CASE WHEN len(um.unit_codes) = 1 THEN um.unit_codes[1] END AS unit,
               CASE WHEN len(im.indicator_codes) = 1 THEN im.indicator_codes[1] END AS indicator,
               CASE WHEN regexp_full_match(c.year_text, '\d{{4}}(\.0+)?')
                    THEN CAST(left(c.year_text, 4) AS INTEGER) END AS year,
               i.kind, i."limit" AS upper_limit, coalesce(i.decimals, 0) AS decimals
        FROM {cells} c
        LEFT JOIN unit_lookup um ON um.unit_raw = c.unit_raw  -- (the trimmed text: ``um.unit_text``, NULL when blank)
        LEFT JOIN indicator_lookup im ON im.indicator_raw = c.indicator_raw
        LEFT JOIN source_nfc s ON s.raw = c.source_text
        LEFT JOIN note_nfc n ON n.raw = c.note_text
        LEFT JOIN indicators i ON i.code = CASE WHEN len(im.indicator_codes) = 1 THEN im.indicator_codes[1] END
        {where}"""
    return f"""
        SELECT * EXCLUDE ({", ".join(f"{f}_body, {f}_reading, {f}_plain" for f in NUMBER_FIELDS)}),
               {effective('kind', 'value', 'numerator', 'denominator')} AS effective,
               {rollups.parts_value_sql('kind', 'numerator', 'denominator')} AS from_parts,
               pow(10, -{numbers.decimals('value_body', 'value_form', 'value_reading')}) AS tolerance
        FROM (SELECT *, {parsed} FROM (SELECT *, {readings} FROM (SELECT *, {_forms()} FROM ({_bodies(f"({named})")}))))"""


def _checked(cur, convention: str, years: list[int]) -> None:
    """One pass over the cells: names resolved, numbers read under ``convention`` and every rule evaluated,
    into one table of typed columns (``TYPED``) with ``flagged`` set where some rule holds."""
    conditions = [condition for condition, *_ in _rules(convention)]
    params = [years for condition in conditions if "?" in condition]
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE checked AS
        SELECT {", ".join(TYPED)}, numerator_text IS NULL AND denominator_text IS NULL AS no_parts,
               {BLANK} AS blank,
               -- a CASE, not a bare OR: its condition is evaluated as a filter, so each rule's later terms
               -- (a regular expression) run only on the rows its first terms keep
               CASE WHEN {" OR ".join(f"({c})" for c in conditions)} THEN true ELSE false END AS flagged
        FROM ({_wide_sql(convention)})""", params)


def _skip_blank(cur) -> int:
    """Rows without a value, numerator or denominator are skipped, not refused: a template comes with a row
    for every unit and indicator, and a row left empty says "no figure" (it replaces nothing)."""
    if not cur.execute("SELECT count(*) FROM checked WHERE blank").fetchall()[0][0]:
        return 0  # most files: one pass, nothing deleted
    rows = cur.execute("""SELECT count(DISTINCT row) FROM checked WHERE blank
                          AND row NOT IN (SELECT row FROM checked WHERE NOT blank)""").fetchall()[0][0]
    cur.execute("DELETE FROM checked WHERE blank")
    return int(rows)


def _current(cur) -> None:
    """The values in force for every series (unit × indicator) of the file, in the file's years and the
    year before each: the cells it replaces and what the change check compares with. Nothing older: a
    database holding ten years must not make this year's import read all ten (the years are given as
    constants, so DuckDB skips the other years' blocks before joining). Each carries the numbers of its
    unit and indicator (``unit_ids``, ``indicator_ids``): the check joins it with the file's cells on them."""
    cur.execute("""
        CREATE OR REPLACE TEMP TABLE cell_series AS
        SELECT u.unit, i.indicator, s.unit_id, s.indicator_id
        FROM (SELECT DISTINCT unit_id, indicator_id FROM series) s
        JOIN unit_ids u USING (unit_id) JOIN indicator_ids i USING (indicator_id)""")
    years = {int(y) for (y,) in cur.execute("SELECT DISTINCT year FROM series").fetchall()}
    sql, params = in_force_sql(years=sorted(years | {y - 1 for y in years}))
    # the stored source and note as the number of the same text among the file's (``nid``; -1: a text the file
    # does not have; NULL: none), not the texts: the comparison needs only whether they are the same, and
    # copying the long texts of every cell cost the re-import of a file more than the rest of this table
    fields = layouts.LONG_TEXT_FIELDS
    numbered = ", ".join(f"CASE WHEN o.{f} IS NOT NULL THEN coalesce({f}_n.nid, -1) END AS {f}_nid" for f in fields)
    joins = " ".join(f"LEFT JOIN (SELECT DISTINCT nfc, nid FROM {f}_nfc WHERE nfc IS NOT NULL) {f}_n ON {f}_n.nfc = o.{f}"
                     for f in fields)
    cur.execute(f"""CREATE OR REPLACE TEMP TABLE current AS
                    SELECT o.* EXCLUDE ({", ".join(fields)}), k.unit_id, k.indicator_id, {numbered}
                    FROM ({sql}) o JOIN cell_series k ON o.unit = k.unit AND o.indicator = k.indicator {joins}""",
                params)


def _rules(convention: str) -> list[tuple[str, str, str, str, str]]:
    """(condition, column, value, code, detail) over ``checked``, in the order columns usually appear."""
    rules = [
        ("unit_text IS NULL", "unit_col", "NULL", "missing-value", "NULL"),
        ("indicator_text IS NULL", "indicator_col", "NULL", "missing-value", "NULL"),
        ("year_text IS NULL", "year_col", "NULL", "missing-value", "NULL"),
        ("unit_text IS NOT NULL AND NOT unit_found", "unit_col", "unit_text", "unknown-unit", "NULL"),
        ("unit_choices IS NOT NULL", "unit_col", "unit_text", "ambiguous-unit", "array_to_string(unit_choices, ', ')"),
        ("indicator_text IS NOT NULL AND NOT indicator_found", "indicator_col", "indicator_text",
         "unknown-indicator", "NULL"),
        ("indicator_choices IS NOT NULL", "indicator_col", "indicator_text", "ambiguous-indicator",
         "array_to_string(indicator_choices, ', ')"),
        ("year_text IS NOT NULL AND year IS NULL", "year_col", "year_text", "invalid-year", "NULL"),
        ("year IS NOT NULL AND NOT list_contains(?::INTEGER[], year)", "year_col", "year_text",
         "year-outside-plan", "?"),
        ("kind IN ('ratio', 'rate') AND value_text IS NULL AND numerator_text IS NULL AND denominator_text IS NOT NULL",
         "numerator_col", "NULL", "missing-value", "NULL"),
        ("kind IN ('ratio', 'rate') AND value_text IS NULL AND denominator_text IS NULL AND numerator_text IS NOT NULL",
         "denominator_col", "NULL", "missing-value", "NULL"),
        ("kind IN ('stock', 'flow') AND (numerator_text IS NOT NULL OR denominator_text IS NOT NULL)",
         "numerator_col", "coalesce(numerator_text, denominator_text)", "unexpected-parts", "NULL"),
        ("value_pct AND kind IS NOT NULL AND kind <> 'ratio'", "value_col", "value_text", "unexpected-percent", "NULL"),
        ("kind IN ('stock', 'flow') AND decimals = 0 AND value <> trunc(value)", "value_col", "value_text", "not-an-integer",
         f"CAST(value AS VARCHAR) || '|{convention}'"),
        ("kind IN ('stock', 'flow', 'rate') AND value < 0", "value_col", "value_text", "negative-count", "NULL"),
        (f"kind IN ('stock', 'flow') AND abs(value) > {MAX_COUNT}", "value_col", "value_text", "number-too-large",
         f"'{MAX_COUNT:.0f}'"),
        (f"kind = 'rate' AND abs(value) > {MAX_RATE}", "value_col", "value_text", "number-too-large", f"'{MAX_RATE:.0f}'"),
        ("kind = 'ratio' AND (value < 0 OR value > coalesce(upper_limit, 100))", "value_col", "value_text",
         "percent-out-of-range", "NULL"),
        ("kind = 'ratio' AND numerator > denominator", "numerator_col", "numerator_text",
         "numerator-above-denominator", "denominator_text"),
        ("kind IN ('ratio', 'rate') AND numerator IS NOT NULL AND denominator = 0", "denominator_col",
         "denominator_text", "zero-denominator", "NULL"),
        ("kind IN ('ratio', 'rate') AND value IS NOT NULL AND numerator IS NOT NULL AND denominator > 0 "
         "AND abs(value - from_parts) > greatest(tolerance, 1e-6)", "value_col", "value_text", "value-parts-mismatch",
         "CAST(round(from_parts, 4) AS VARCHAR)"),
        ("provenance_text IS NOT NULL AND provenance_text NOT IN ('published', 'illustrative', 'imported')",
         "provenance_col", "provenance_text", "invalid-provenance", "NULL"),
    ]
    for f in NUMBER_FIELDS:
        rules += [
            (f"{f}_form = 'bad'", f"{f}_col", f"{f}_text", "not-a-number", "NULL"),
            (f"{f}_form = 'formula_error'", f"{f}_col", f"{f}_text", "formula-error", "NULL"),
            (f"{f}_form = 'formula_uncached'", f"{f}_col", f"{f}_text", "formula-without-value", "NULL"),
            # an ambiguous form reads as NULL exactly when neither the convention nor the indicator settles it
            (f"{f}_form LIKE 'amb%' AND {f} IS NULL AND kind IS NOT NULL", f"{f}_col", f"{f}_text",
             "ambiguous-number", "NULL"),
            # 1e-400 reads as 0: a figure written as not zero must never be stored as zero
            (f"{f} = 0 AND regexp_matches(split_part(lower({f}_text), 'e', 1), '[1-9]')", f"{f}_col", f"{f}_text",
             "number-too-small", "NULL"),
        ]
    for f in ("numerator", "denominator"):
        rules += [
            (f"{f}_pct", f"{f}_col", f"{f}_text", "unexpected-percent", "NULL"),
            (f"kind IN ('ratio', 'rate') AND {f} <> trunc({f})", f"{f}_col", f"{f}_text", "not-an-integer",
             f"CAST({f} AS VARCHAR) || '|{convention}'"),
            (f"kind IN ('ratio', 'rate') AND {f} < 0", f"{f}_col", f"{f}_text", "negative-count", "NULL"),
            (f"kind IN ('ratio', 'rate') AND abs({f}) > {MAX_COUNT}", f"{f}_col", f"{f}_text", "number-too-large",
             f"'{MAX_COUNT:.0f}'"),
        ]
    return rules


def _problems(cur, layout: Layout, years: list[int], convention: str, controls: bool = True) -> None:
    columns = {f"{name}_col": layout.header(name) for name in
               ("unit", "indicator", "numerator", "denominator", "source", "note", "provenance")}
    order = {name: i for i, name in enumerate(("unit", "indicator", "year", "value", "numerator", "denominator",
                                               "provenance"))}
    span = fmt.year_runs(years)
    selects: list[str] = []
    params: list[object] = []
    for condition, column, value, code, detail in _rules(convention):
        column_sql = column if column in ("year_col", "value_col") else "?"
        if column_sql == "?":
            params.append(columns[column])
        if detail == "?":
            params.append(span)
        if "?" in condition:
            params.append(years)
        selects.append(f"""SELECT row, {column_sql} AS col, ltrim({value}, {MARKERS}) AS value, '{code}' AS code,
                                  {detail} AS detail, {order.get(column[:-4], 9)} AS position
                           FROM flagged WHERE {condition}""")
    # the rules again, worded, over the flagged rows only: every column they read, as the first pass had them
    cells = layouts.cells_select(layout, "(SELECT * FROM raw WHERE row IN (SELECT row FROM checked WHERE flagged))")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE flagged AS {_wide_sql(convention, f'({cells})', f'WHERE NOT ({BLANK})')}")
    cur.execute("CREATE OR REPLACE TEMP TABLE problems AS " + " UNION ALL ".join(selects), params)
    cur.execute("DROP TABLE flagged")
    _unit_years(cur, layout)
    _duplicates(cur, layout)
    if controls:
        _controls(cur, layout)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE error_rows AS {error_rows_sql()}")  # warnings below never reject
    _warnings(cur, layout)


UNIT_TEXT = "(SELECT m.unit_text FROM unit_match m WHERE m.unit_tid = c.unit_tid)"  # a checked row ``c``'s unit as written
YEAR = r"CASE WHEN regexp_full_match(year_text, '\d{4}(\.0+)?') THEN CAST(left(year_text, 4) AS INTEGER) END"


def _controls(cur, layout: Layout) -> None:
    """A control character in any cell (a terminal escape, a NUL from UTF-16): refused, shown as �."""
    cells: list[tuple[str, str | None]] = [(f"{name}_text", layout.header(name))
             for name in ("unit", "indicator", "numerator", "denominator", "provenance")]
    cells += [(f"{name}_text", None) for name in ("year", "value")]  # in a wide file, each year's own column
    cells += [(f"{name}_text", layout.header(name)) for name in ("source", "note")]  # as written, not trimmed
    # one pass over the cells keeps those with a control character anywhere; their columns are told apart after
    anywhere = " OR ".join(f"regexp_matches({column}, '{CONTROL}')" for column, _ in cells)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE control_cells AS SELECT * FROM cells WHERE NOT ({BLANK}) AND ({anywhere})")
    texts = {column: column if column in ("source_text", "note_text") else f"ltrim({column}, {MARKERS})"
             for column, _ in cells}
    selects = [f"""SELECT row, {'?' if header is not None else column.replace('_text', '_col')} AS col,
                          {texts[column]} AS text FROM control_cells""" for column, header in cells]
    params = [header for _, header in cells if header is not None]
    cur.execute(f"""
        INSERT INTO problems
        SELECT row, col, regexp_replace(text, '{CONTROL}', chr(65533), 'g'), 'control-character',
               printf('U+%04X', unicode(regexp_extract(text, '{CONTROL}'))), 8
        FROM ({" UNION ALL ".join(selects)}) WHERE regexp_matches(text, '{CONTROL}')""", params)
    cur.execute("DROP TABLE control_cells")


def _unit_years(cur, layout: Layout) -> None:
    """A unit must exist on 31 December of the year (the rule of the organisation tree)."""
    cur.execute(f"""
        INSERT INTO problems
        WITH pairs AS (SELECT DISTINCT unit, year FROM checked WHERE unit IS NOT NULL AND year IS NOT NULL),
        judged AS (
            SELECT p.unit, p.year,
                   bool_or(u.valid_from <= make_date(p.year, 12, 31)
                           AND (u.valid_to IS NULL OR u.valid_to >= make_date(p.year, 12, 31))) AS valid,
                   min(u.valid_from) AS first_day, max(u.valid_to) AS last_day, max(u.successor) AS successor
            FROM pairs p JOIN units u ON u.code = p.unit GROUP BY p.unit, p.year)
        SELECT c.row, ?, {UNIT_TEXT}, 'unit-not-valid-in-year',
               CASE WHEN j.first_day > make_date(c.year, 12, 31) THEN 'from:' || strftime(j.first_day, '%d/%m/%Y')
                    WHEN j.successor IS NOT NULL THEN 'successor:' || j.successor
                    ELSE 'to:' || strftime(j.last_day, '%d/%m/%Y') END, 0
        FROM checked c JOIN judged j ON j.unit = c.unit AND j.year = c.year
        WHERE NOT j.valid""", [layout.header("unit")])


def _series(cur) -> None:
    """``series``: each unit × indicator × year of the file (by the numbers of its unit and indicator), how many
    rows give it, the first, and its value."""
    cur.execute("""
        CREATE OR REPLACE TEMP TABLE series AS
        SELECT unit_id, indicator_id, year, count(*) AS rows, min(row) AS first, any_value(effective) AS effective,
               any_value(denominator) AS denominator
        FROM checked WHERE unit_id IS NOT NULL AND indicator_id IS NOT NULL AND year IS NOT NULL
        GROUP BY unit_id, indicator_id, year""")


def _duplicates(cur, layout: Layout) -> None:
    cur.execute(f"""
        INSERT INTO problems
        SELECT c.row, ?, {UNIT_TEXT}, 'duplicate-row', CAST(r.first AS VARCHAR), 0
        FROM checked c JOIN (SELECT * FROM series WHERE rows > 1) r USING (unit_id, indicator_id, year)
        WHERE c.row > r.first""", [layout.header("unit")])


def _warnings(cur, layout: Layout) -> None:
    """The warnings about rows without errors: found over ``checked`` as (row, year, code, detail) in ``warned``,
    then worded with the texts of those cells alone (a cell is its row and year, in a wide file too)."""
    _implausible(cur)
    _without_parts(cur)
    _own_over_units(cur)
    cells = layouts.cells_select(layout, "(SELECT * FROM raw WHERE row IN (SELECT row FROM warned))")
    cur.execute(f"""
        INSERT INTO problems
        WITH texts AS (
            SELECT row, {YEAR} AS year, value_col,
                   replace(coalesce(value_text, numerator_text || '/' || denominator_text), chr(1), '') AS figure
            FROM ({cells}))
        SELECT w.row, t.value_col, t.figure, w.code, w.detail, 3
        FROM warned w JOIN texts t ON t.row = w.row AND t.year IS NOT DISTINCT FROM w.year""")
    cur.execute("DROP TABLE warned")


def _implausible(cur) -> None:
    """Compare each figure with the previous year's: from the file when it has one, else the database.

    Only rows without errors are compared: a warning about a value that is rejected anyway is noise. A ratio
    or rate over a small base (fewer than ``SMALL_BASE`` in its denominator, either year) moves a lot for
    one case (1/1 → 0/1 is 100 points) and is not compared either.
    """
    minimums = " ".join(f"WHEN '{k}' THEN {v}" for k, v in COUNT_JUMP_MINIMUM.items())
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE warned AS
        WITH in_file AS (SELECT unit_id, indicator_id, year, effective, denominator FROM series
                         WHERE effective IS NOT NULL),
        in_db AS (
            SELECT c.unit_id, c.indicator_id, c.year,
                   {effective('i.kind', 'c.value', 'c.numerator', 'c.denominator')} AS effective, c.denominator
            FROM current c JOIN indicators i ON i.code = c.indicator),
        previous AS (
            SELECT * FROM in_file
            UNION ALL SELECT * FROM in_db d WHERE NOT EXISTS (
                SELECT 1 FROM in_file f WHERE f.unit_id = d.unit_id AND f.indicator_id = d.indicator_id
                                              AND f.year = d.year))
        SELECT c.row, c.year, 'implausible-change' AS code,
               CAST(p.year AS VARCHAR) || ':' || CAST(round(p.effective, 4) AS VARCHAR) AS detail
        FROM checked c
        JOIN previous p ON p.unit_id = c.unit_id AND p.indicator_id = c.indicator_id AND p.year = c.year - 1
        WHERE p.effective IS NOT NULL AND c.effective IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM error_rows e WHERE e.row = c.row) AND NOT {_in_force("c")}
          AND least(coalesce(c.denominator, {SMALL_BASE}), coalesce(p.denominator, {SMALL_BASE})) >= {SMALL_BASE} AND (
            (c.kind = 'ratio' AND abs(c.effective - p.effective) > {RATIO_JUMP_POINTS})
            OR (c.kind <> 'ratio' AND abs(c.effective - p.effective) >= CASE c.kind {minimums} END
                AND (c.effective > p.effective * {COUNT_JUMP_FACTOR} OR c.effective * {COUNT_JUMP_FACTOR} < p.effective)))""")


def error_rows_sql() -> str:
    """SQL: the rows that have at least one error (warnings do not reject a row)."""
    warnings = ", ".join(f"'{w}'" for w in sorted(WARNINGS))
    return f"SELECT DISTINCT row FROM problems WHERE row IS NOT NULL AND code NOT IN ({warnings})"


def _without_parts(cur) -> None:
    """A ratio given only as a percentage is shown for its unit, but cannot be added into its parent's
    Σnumerator ÷ Σdenominator: say so (a warning) for every unit that has a parent."""
    cur.execute(f"""
        INSERT INTO warned
        SELECT c.row, c.year, 'value-without-parts', NULL
        FROM checked c
        WHERE c.kind IN ('ratio', 'rate') AND c.value IS NOT NULL AND c.no_parts
              AND NOT EXISTS (SELECT 1 FROM error_rows e WHERE e.row = c.row) AND NOT {_in_force("c")}
              AND EXISTS (SELECT 1 FROM units u WHERE u.code = c.unit AND u.parent IS NOT NULL)""")


def _own_over_units(cur) -> None:
    """A unit's own figure replaces the sum of the units below it: when the file gives both (a template's
    province row filled in beside its districts' rows), say which one counts (a warning)."""
    cur.execute(f"""
        INSERT INTO warned
        SELECT c.row, c.year, 'own-figure-over-units', CAST(count(DISTINCT k.unit) AS VARCHAR)
        FROM checked c
        JOIN checked k ON k.indicator = c.indicator AND k.year = c.year AND k.unit <> c.unit
        JOIN units u ON u.code = k.unit AND u.parent = c.unit AND u.valid_from <= make_date(c.year, 12, 31)
                        AND (u.valid_to IS NULL OR u.valid_to >= make_date(c.year, 12, 31))
        WHERE NOT EXISTS (SELECT 1 FROM error_rows e WHERE e.row = c.row) AND NOT {_in_force("c")}
        GROUP BY c.row, c.year""")


def _in_force(alias: str) -> str:
    """SQL: the row's figure is the one already in force (a filled template's untouched rows): warnings about
    it would be about figures nobody is changing."""
    same = " AND ".join(f"cu.{f} IS NOT DISTINCT FROM {alias}.{f}" for f in ("value", "numerator", "denominator"))
    return (f"EXISTS (SELECT 1 FROM current cu WHERE cu.unit_id = {alias}.unit_id "
            f"AND cu.indicator_id = {alias}.indicator_id "
            f"AND cu.year = {alias}.year AND {same})")
