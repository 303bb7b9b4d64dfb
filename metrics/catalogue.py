"""The catalogue files: units, plans, indicators, targets and period totals (docs/data-files.md).

``read_*`` functions turn a file into typed records plus problems; ``check_*`` functions look across
records (and what the database already holds); ``save_*`` functions write records in a cursor that
the caller owns, so a whole import is one transaction.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from metrics import rollups
from metrics.errors import DataFileError
from metrics.judgement import ANNUAL_BAND, ANNUAL_CEILING, ANNUAL_FLOOR, CUMULATIVE, TARGET_TYPES, UNIT_BAND
from metrics.problems import Problem
from metrics.tabular import Column, parse_rows, read_text_table

UNIT_KINDS = {
    "national_federation": "national",
    "province": "province",
    "district_federation": "upper",
    "sector_union": "upper",
    "industrial_zone_union": "upper",
    "commune_union": "upper",
    "grassroots": "grassroots",
}
SECTORS = ("public_admin", "state_enterprise", "non_state")
LEVELS = ("national", "province", "upper", "grassroots")
INDICATOR_KINDS = ("stock", "flow", "ratio", "rate")

UNIT_COLUMNS = [
    Column("code", True), Column("name_vi", True), Column("name_en"),
    Column("kind", True, "choice", tuple(UNIT_KINDS)), Column("sector", False, "choice", SECTORS),
    Column("parent"), Column("valid_from", True, "date"), Column("valid_to", False, "date"),
    Column("successor"), Column("official_code"), Column("source", True),
]
PLAN_COLUMNS = [
    Column("plan", True), Column("name_vi", True), Column("name_en"), Column("issuer", True),
    Column("start_year", True, "int"), Column("end_year", True, "int"), Column("unit", True),
    Column("source", True),
]
INDICATOR_COLUMNS = [
    Column("indicator", True), Column("name_vi", True), Column("name_en"),
    Column("measure_vi", True), Column("measure_en"),
    Column("kind", True, "choice", INDICATOR_KINDS), Column("direction", True, "choice", ("up", "down")),
    Column("numerator_vi"), Column("numerator_en"), Column("denominator_vi"), Column("denominator_en"),
    Column("limit", False, "number"), Column("definition_vi", True), Column("definition_en"),
]
TARGET_COLUMNS = [
    Column("plan", True), Column("target", True), Column("group", True), Column("group_vi", True),
    Column("group_en"), Column("indicator", True), Column("type", True, "choice", TARGET_TYPES),
    Column("value", True, "number"), Column("value_high", False, "number"),
    Column("target_year", False, "int"), Column("base_year", False, "int"),
    Column("baseline", False, "number"), Column("sector", False, "choices", SECTORS),
    Column("applies_to", True, "choices", LEVELS), Column("label_vi", True), Column("label_en"),
    Column("wording_vi", True), Column("source", True), Column("order", True, "int"),
]
PERIOD_TOTAL_COLUMNS = [
    Column("unit", True), Column("indicator", True), Column("from_year", True, "int"),
    Column("to_year", True, "int"), Column("value", True, "number"), Column("source", True),
    Column("note"),
]

# How a catalogue file is recognised by its header.
FILE_KINDS = {
    "targets": ({"plan", "target", "type"}, TARGET_COLUMNS),
    "plans": ({"plan", "start_year", "end_year"}, PLAN_COLUMNS),
    "indicators": ({"indicator", "kind", "direction"}, INDICATOR_COLUMNS),
}


def read_file(path: str | Path, columns: list[Column]) -> tuple[list[dict], list[Problem]]:
    return parse_rows(read_text_table(path), columns)


# A one-file catalogue: each row of a targets file may also carry its plan (``plan_name_vi``,
# ``plan_start_year`` …) and its indicator (``indicator_name_vi``, ``kind``, ``direction`` …).
INLINE_PLAN = {"plan_name_vi": "name_vi", "plan_name_en": "name_en", "plan_issuer": "issuer",
               "plan_start_year": "start_year", "plan_end_year": "end_year", "plan_unit": "unit",
               "plan_source": "source"}
INLINE_INDICATOR = {"indicator_name_vi": "name_vi", "indicator_name_en": "name_en", "measure_vi": "measure_vi",
                    "measure_en": "measure_en", "kind": "kind", "direction": "direction",
                    "numerator_vi": "numerator_vi", "numerator_en": "numerator_en",
                    "denominator_vi": "denominator_vi", "denominator_en": "denominator_en", "limit": "limit",
                    "definition_vi": "definition_vi", "definition_en": "definition_en"}


def read_targets_file(path: str | Path) -> dict[str, tuple[list[dict], list[Problem]]]:
    """A targets file, and the plans and indicators it defines inline when it has their columns."""
    frame = read_text_table(path)
    found = {"targets": parse_rows(frame, TARGET_COLUMNS)}
    for kind, key, names, columns in (("plans", "plan", INLINE_PLAN, PLAN_COLUMNS),
                                      ("indicators", "indicator", INLINE_INDICATOR, INDICATOR_COLUMNS)):
        inline = [c for c in frame.columns if c in names]
        if "plan_start_year" in frame.columns and "kind" in frame.columns and inline:
            records, problems = parse_rows(frame[[key, *inline]].rename(columns=names), columns)
            found[kind] = (_distinct(records, key, kind), problems)
    return found


def _distinct(records: list[dict], key: str, kind: str) -> list[dict]:
    """One record per code; rows repeating a code must repeat the same definition."""
    first: dict[str, dict] = {}
    for record in records:
        seen = first.setdefault(record[key], record)
        if seen is not record and {k: v for k, v in seen.items() if k != "_row"} != \
                {k: v for k, v in record.items() if k != "_row"}:
            raise DataFileError(
                f"inconsistent-{kind}",
                f"Dòng {record['_row']} định nghĩa “{record[key]}” khác với dòng {seen['_row']}. "
                "Mỗi mã phải có cùng một định nghĩa trên mọi dòng.",
                f"Row {record['_row']} defines “{record[key]}” differently from row {seen['_row']}. "
                "Every row of a code must repeat the same definition.")
    return list(first.values())


def file_kind(path: str | Path) -> str | None:
    """Which catalogue file this is (targets, plans or indicators), from its header."""
    headers = {str(h).strip().lower() for h in read_text_table(path).columns}
    for kind, (needed, _) in FILE_KINDS.items():
        if needed <= headers:
            return kind
    return None


def _problem(record, column, code, vi, en) -> Problem:
    return Problem(record["_row"], column, str(record.get(column) or ""), code, vi, en)


# --- units -------------------------------------------------------------------------------------

def check_units(records: list[dict], known_codes: set[str]) -> list[Problem]:
    """Parents and successors exist, periods are well ordered and never overlap."""
    problems = []
    codes = known_codes | {r["code"] for r in records if r["code"]}
    periods: dict[str, list[dict]] = {}
    for r in records:
        if not r["code"]:
            continue
        periods.setdefault(r["code"], []).append(r)
        for column in ("parent", "successor"):
            if r[column] and r[column] not in codes:
                problems.append(_problem(r, column, "unknown-unit",
                    f"Không có đơn vị mã “{r[column]}”. Hãy thêm đơn vị đó vào tệp hoặc sửa mã.",
                    f"There is no unit with code “{r[column]}”. Add it to the file or correct the code."))
        if r["kind"] and UNIT_KINDS.get(r["kind"]) not in ("national", "province") and not r["parent"]:
            problems.append(_problem(r, "parent", "missing-parent",
                "Đơn vị này cần đơn vị cấp trên (cột parent).",
                "This unit needs a parent unit (column parent)."))
        if r["valid_from"] and r["valid_to"] and r["valid_to"] < r["valid_from"]:
            problems.append(_problem(r, "valid_to", "invalid-period",
                "Ngày kết thúc trước ngày bắt đầu.", "The period ends before it starts."))
    for rows in periods.values():
        problems += _overlaps(rows)
    return problems


def _overlaps(rows: list[dict]) -> list[Problem]:
    dated = sorted((r for r in rows if r["valid_from"]), key=lambda r: r["valid_from"])
    problems = []
    for earlier, later in zip(dated, dated[1:]):
        if earlier["valid_to"] is None or earlier["valid_to"] >= later["valid_from"]:
            problems.append(_problem(later, "valid_from", "overlapping-period",
                f"Thời kỳ này chồng lên thời kỳ ở dòng {earlier['_row']} của cùng đơn vị.",
                f"This period overlaps the one on row {earlier['_row']} of the same unit."))
    return problems


def save_units(cur: duckdb.DuckDBPyConnection, records: list[dict]) -> int:
    """Replace every period of each unit named in the file."""
    frame = pd.DataFrame([{
        "code": r["code"], "valid_from": r["valid_from"], "valid_to": r["valid_to"],
        "name_vi": r["name_vi"], "name_en": r["name_en"] or r["name_vi"], "kind": r["kind"],
        "level": UNIT_KINDS[r["kind"]], "sector": r["sector"], "parent": r["parent"],
        "successor": r["successor"], "official_code": r["official_code"], "source": r["source"],
    } for r in records])
    cur.register("incoming_units", frame)
    cur.execute("DELETE FROM units WHERE code IN (SELECT code FROM incoming_units)")
    cur.execute("INSERT INTO units BY NAME SELECT * FROM incoming_units")
    cur.unregister("incoming_units")
    bump_version(cur)
    rollups.rebuild_unit_years(cur)  # the trees changed: every figure follows them
    rollups.refresh(cur)
    return len(frame)


# --- plans, indicators, targets ----------------------------------------------------------------

def check_targets(targets: list[dict], plans: dict[str, dict], indicators: dict[str, dict]) -> list[Problem]:
    """Targets name known plans and indicators, are unique, and fit their indicator's kind."""
    problems, seen = [], {}
    for t in targets:
        key = (t["plan"], t["target"])
        if key in seen:
            problems.append(_problem(t, "target", "duplicate-target",
                f"Mã chỉ tiêu trùng với dòng {seen[key]}.", f"Duplicate target code (see row {seen[key]})."))
        seen[key] = t["_row"]
        if t["plan"] and t["plan"] not in plans:
            problems.append(_problem(t, "plan", "unknown-plan",
                f"Không có kế hoạch “{t['plan']}”. Hãy nạp tệp plans cùng lúc hoặc sửa mã.",
                f"There is no plan “{t['plan']}”. Load the plans file with it or correct the code."))
        indicator = indicators.get(t["indicator"])
        if t["indicator"] and indicator is None:
            problems.append(_problem(t, "indicator", "unknown-indicator",
                f"Không có chỉ số “{t['indicator']}”. Hãy nạp tệp indicators cùng lúc hoặc sửa mã.",
                f"There is no indicator “{t['indicator']}”. Load the indicators file with it or correct the code."))
        elif indicator and t["type"]:
            problems += _type_fits(t, indicator)
    return problems


def _type_fits(t: dict, indicator: dict) -> list[Problem]:
    """A target type must make sense for the indicator it is set on."""
    rules = [
        (t["type"] == CUMULATIVE and indicator["kind"] != "flow", "cumulative-needs-flow",
         "Chỉ tiêu cộng dồn chỉ dùng cho chỉ số dạng luồng (flow).",
         "A cumulative target needs a flow indicator."),
        (t["type"] == CUMULATIVE and indicator["direction"] != "up", "cumulative-needs-up",
         "Chỉ tiêu cộng dồn cần chỉ số có hướng tăng là tốt (up).",
         "A cumulative target needs a higher-is-better indicator."),
        (t["type"] == UNIT_BAND and indicator["kind"] != "rate", "unit-band-needs-rate",
         "Khung bình quân mỗi đơn vị chỉ dùng cho chỉ số dạng bình quân (rate).",
         "A per-unit band needs a rate indicator."),
        (t["type"] == ANNUAL_FLOOR and indicator["direction"] != "up", "floor-needs-up",
         "Mức sàn hằng năm cần chỉ số có hướng tăng là tốt (up); dùng annual_ceiling cho chỉ số giảm là tốt.",
         "An annual floor needs a higher-is-better indicator; use annual_ceiling for lower-is-better."),
        (t["type"] == ANNUAL_CEILING and indicator["direction"] != "down", "ceiling-needs-down",
         "Mức trần hằng năm cần chỉ số có hướng giảm là tốt (down).",
         "An annual ceiling needs a lower-is-better indicator."),
        (t["type"] in (ANNUAL_BAND, UNIT_BAND) and t["value_high"] is not None and t["value"] is not None
         and t["value_high"] < t["value"], "invalid-band",
         "Cận trên của khung nhỏ hơn cận dưới.", "The band's high end is below its low end."),
    ]
    return [_problem(t, "type", code, vi, en) for broken, code, vi, en in rules if broken]


def plan_rows(plans: list[dict]) -> pd.DataFrame:
    """Plans records as rows of the ``plans`` table (what ``save_plans`` writes, what a preview compares)."""
    return pd.DataFrame([{
        "code": p["plan"], "name_vi": p["name_vi"], "name_en": p["name_en"] or p["name_vi"],
        "issuer": p["issuer"], "start_year": p["start_year"], "end_year": p["end_year"],
        "unit": p["unit"], "source": p["source"]} for p in plans])


def indicator_rows(indicators: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{
        "code": i["indicator"], **{k: i[k] for k in (
            "name_vi", "measure_vi", "measure_en", "kind", "direction", "numerator_vi", "numerator_en",
            "denominator_vi", "denominator_en", "limit", "definition_vi", "definition_en")},
        "name_en": i["name_en"] or i["name_vi"]} for i in indicators])


def target_rows(targets: list[dict], plans: dict[str, dict]) -> pd.DataFrame:
    return pd.DataFrame([{
        "plan": t["plan"], "code": t["target"], "group_code": t["group"], "group_vi": t["group_vi"],
        "group_en": t["group_en"] or t["group_vi"], "indicator": t["indicator"], "type": t["type"],
        "value": t["value"], "value_high": t["value_high"],
        "target_year": t["target_year"] or plans[t["plan"]]["end_year"],
        "base_year": t["base_year"] or plans[t["plan"]]["start_year"], "baseline": t["baseline"],
        "sector": "|".join(t["sector"] or ()) or None, "applies_to": "|".join(t["applies_to"]),
        "label_vi": t["label_vi"], "label_en": t["label_en"] or t["label_vi"],
        "wording_vi": t["wording_vi"], "source": t["source"], "sort_order": t["order"],
    } for t in targets])


def save_plans(cur, plans: list[dict]) -> int:
    count = _replace(cur, "plans", plan_rows(plans), "code")
    if count:
        rollups.rebuild_unit_years(cur)  # a plan's years need their trees
    return count


def save_indicators(cur, indicators: list[dict]) -> int:
    count = _replace(cur, "indicators", indicator_rows(indicators), "code")
    if count:
        rollups.refresh(cur)  # an indicator's kind decides how its values add up
    return count


def save_targets(cur, targets: list[dict], plans: dict[str, dict]) -> int:
    """Replace the whole target list of every plan the file names (the file is the plan's list)."""
    return _replace(cur, "targets", target_rows(targets, plans), "plan")


def save_period_totals(cur, totals: list[dict]) -> int:
    frame = pd.DataFrame([{k: r[k] for k in (
        "unit", "indicator", "from_year", "to_year", "value", "source", "note")} for r in totals])
    return _replace(cur, "period_totals", frame, "unit")


def _replace(cur, table: str, frame: pd.DataFrame, key: str) -> int:
    """Delete the rows whose ``key`` the frame holds, then insert the frame."""
    if frame.empty:
        return 0
    cur.register("incoming", frame)
    cur.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM incoming)")
    cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
    cur.unregister("incoming")
    bump_version(cur)
    return len(frame)


def bump_version(cur) -> None:
    """Tell caches that the catalogue changed (read by ``Store.data_version``)."""
    cur.execute("UPDATE catalogue_version SET version = version + 1")
