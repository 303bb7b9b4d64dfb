"""Which catalogue file is which, and the typed records it holds (docs/data-files.md).

A file is read by the guarded reader of values files (``metrics.catalogue.tabular.read_table``) and recognised by its
columns, in English or Vietnamese: units, plans, indicators, targets (which may define their plans and
indicators inline) or period totals. Every problem is a row of the same problem report as a values
file's; an unknown column is a warning.
"""

from __future__ import annotations

from pathlib import Path

from metrics.catalogue.rules import INDICATOR_COLUMNS, PERIOD_TOTAL_COLUMNS, PLAN_COLUMNS, TARGET_COLUMNS, UNIT_COLUMNS
from metrics.catalogue.tabular import Table, parse_rows, read_table, unknown_columns
from metrics.vocabulary.problems import Problem
from metrics.vocabulary.text import header_key

# A one-file catalogue: each row of a targets file may also carry its plan (``plan_name_vi``,
# ``plan_start_year`` …) and its indicator (``indicator_name_vi``, ``kind``, ``direction`` …).
INLINE_PLAN = {"plan_name_vi": "name_vi", "plan_name_en": "name_en", "plan_issuer": "issuer",
               "plan_start_year": "start_year", "plan_end_year": "end_year", "plan_unit": "unit",
               "plan_source": "source", "plan_headline": "headline", "plan_after_merger": "after_merger"}
INLINE_INDICATOR = {"indicator_name_vi": "name_vi", "indicator_name_en": "name_en", "measure_vi": "measure_vi",
                    "measure_en": "measure_en", "kind": "kind", "direction": "direction",
                    "numerator_vi": "numerator_vi", "numerator_en": "numerator_en",
                    "denominator_vi": "denominator_vi", "denominator_en": "denominator_en", "limit": "limit",
                    "definition_vi": "definition_vi", "definition_en": "definition_en"}

# How a catalogue file is recognised by its header: the columns it must have, and all it may have.
FILE_KINDS = {
    "targets": ({"plan", "target", "type"}, TARGET_COLUMNS),
    "period_totals": ({"unit", "indicator", "from_year", "to_year"}, PERIOD_TOTAL_COLUMNS),
    "plans": ({"plan", "start_year", "end_year"}, PLAN_COLUMNS),
    "indicators": ({"indicator", "kind", "direction"}, INDICATOR_COLUMNS),
    "units": ({"code", "kind", "valid_from"}, UNIT_COLUMNS),
}
INLINE_KEYS = {header_key(h) for h in (*INLINE_PLAN, *INLINE_INDICATOR)}
KNOWN = {key for _, columns in FILE_KINDS.values() for col in columns for key in col.header_keys()} | INLINE_KEYS


def known_keys(kind: str) -> set[str]:
    """Header keys a file of this kind may have (a targets file: also its plans' and indicators' columns)."""
    keys = {key for col in FILE_KINDS[kind][1] for key in col.header_keys()}
    return keys | INLINE_KEYS if kind == "targets" else keys


def read(path: str | Path) -> tuple[str | None, Table]:
    """A catalogue file through the guarded reader, and what it is (None: unreadable or not recognised)."""
    table = read_table(path, KNOWN)
    return (file_kind(table) if table.readable else None), table


def file_kind(table: Table) -> str | None:
    """Which catalogue file this is, from its header (English or Vietnamese)."""
    headers = {header_key(h) for h in table.headers if h}
    for kind, (needed, columns) in FILE_KINDS.items():
        wanted = [c for c in columns if c.name in needed]
        if all(c.header_keys() & headers for c in wanted):
            return kind
    return None


def records(kind: str, table: Table) -> dict[str, tuple[list[dict], list[Problem]]]:
    """The typed records of each part a file holds (a targets file may define its plans and indicators
    inline), and the problems of each; unknown columns are reported once, as warnings."""
    found = {kind: parse_rows(table, FILE_KINDS[kind][1])}
    found[kind][1].extend(unknown_columns(table, known_keys(kind)))
    headers = {header_key(h) for h in table.headers if h}
    if kind != "targets" or not {"plan_start_year", "kind"} <= headers:
        return found
    for part, key, names, columns in (("plans", "plan", INLINE_PLAN, PLAN_COLUMNS),
                                      ("indicators", "indicator", INLINE_INDICATOR, INDICATOR_COLUMNS)):
        inline = {header_key(h): name for h, name in names.items() if header_key(h) in headers}
        if inline:
            keys = next(c for c in TARGET_COLUMNS if c.name == key).header_keys()
            part_records, problems = parse_rows(table.renamed({**dict.fromkeys(keys, key), **inline}), columns)
            distinct, clashes = _distinct(part_records, key, part)
            found[part] = (distinct, problems + clashes)
    return found


def _distinct(records: list[dict], key: str, kind: str) -> tuple[list[dict], list[Problem]]:
    """One record per code; rows repeating a code must repeat the same definition."""
    first: dict[str, dict] = {}
    problems = []
    for record in records:
        seen = first.setdefault(record[key], record)
        if seen is not record and {k: v for k, v in seen.items() if k != "_row"} != \
                {k: v for k, v in record.items() if k != "_row"}:
            problems.append(Problem(
                record["_row"], key, str(record[key]), f"inconsistent-{kind}",
                f"Dòng {record['_row']} định nghĩa “{record[key]}” khác với dòng {seen['_row']}. "
                "Mỗi mã phải có cùng một định nghĩa trên mọi dòng.",
                f"Row {record['_row']} defines “{record[key]}” differently from row {seen['_row']}. "
                "Every row of a code must repeat the same definition."))
    return list(first.values()), problems
