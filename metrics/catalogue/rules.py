"""The catalogue: units, plans, indicators, targets and period totals (docs/data-files.md).

The columns of each file are defined here (``metrics.catalogue.files`` reads files into typed records);
``check_*`` functions look across records (and what the database already holds); ``save_*`` functions
write records in a cursor that the caller owns, so a whole load is one transaction. Loads merge: a row
replaces the row with the same key and leaves the others alone.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.catalogue.tabular import Column
from metrics.domain.deadlines import email_problem, phone_problem
from metrics.domain.judgement import (
    ANNUAL_CEILING,
    ANNUAL_FLOOR,
    ANNUAL_TYPES,
    BAND_TYPES,
    BANDED_TYPES,
    CUMULATIVE,
    TARGET_TYPES,
    UNIT_BAND,
)
from metrics.domain.mergers import AFTER_MERGER
from metrics.storage import dialect, rollups
from metrics.vocabulary import fmt
from metrics.vocabulary.kinds import ADDITIVE_KINDS, IndicatorKind
from metrics.vocabulary.problems import Problem

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
INDICATOR_KINDS = tuple(IndicatorKind)

UNIT_COLUMNS = [
    Column("code", True, aliases=("mã", "mã đơn vị")),
    Column("name_vi", True, aliases=("tên", "tên đơn vị")),
    Column("name_en", aliases=("tên tiếng anh",)),
    Column("kind", True, "choice", tuple(UNIT_KINDS), aliases=("loại đơn vị",)),
    Column("sector", False, "choice", SECTORS, aliases=("khu vực",)),
    Column("parent", aliases=("đơn vị cấp trên", "cấp trên")),
    Column("valid_from", True, "date", aliases=("hiệu lực từ", "từ ngày")),
    Column("valid_to", False, "date", aliases=("hiệu lực đến", "đến ngày")),
    Column("successor", aliases=("đơn vị kế thừa", "kế thừa")),
    Column("official_code", aliases=("mã hành chính",)),
    Column("source", True, aliases=("nguồn",)),
    Column("contact_name", aliases=("người liên hệ", "liên hệ")),
    Column("contact_phone", aliases=("điện thoại", "số điện thoại")),
    Column("contact_email", aliases=("email", "thư điện tử")),
]
PLAN_COLUMNS = [
    Column("plan", True, aliases=("kế hoạch", "mã kế hoạch")),
    Column("name_vi", True, aliases=("tên", "tên kế hoạch")),
    Column("name_en", aliases=("tên tiếng anh",)),
    Column("issuer", True, aliases=("cơ quan ban hành", "ban hành")),
    Column("start_year", True, "int", aliases=("năm bắt đầu", "từ năm")),
    Column("end_year", True, "int", aliases=("năm kết thúc", "đến năm")),
    Column("unit", True, aliases=("đơn vị", "mã đơn vị")),
    Column("source", True, aliases=("nguồn",)),
    Column("headline", False, "codes", aliases=("chỉ tiêu chính",)),
    Column("after_merger", False, "choice", AFTER_MERGER, aliases=("sau hợp nhất", "khi hợp nhất")),
]
INDICATOR_COLUMNS = [
    Column("indicator", True, aliases=("chỉ số", "mã chỉ số")),
    Column("name_vi", True, aliases=("tên", "tên chỉ số")),
    Column("name_en", aliases=("tên tiếng anh",)),
    Column("measure_vi", True, aliases=("đơn vị tính", "đvt")),
    Column("measure_en", aliases=("đơn vị tính tiếng anh",)),
    Column("kind", True, "choice", INDICATOR_KINDS, aliases=("loại chỉ số", "tính chất")),
    Column("direction", True, "choice", ("up", "down"), aliases=("chiều", "hướng")),
    Column("numerator_vi", aliases=("tử số",)), Column("numerator_en", aliases=("tử số tiếng anh",)),
    Column("denominator_vi", aliases=("mẫu số",)), Column("denominator_en", aliases=("mẫu số tiếng anh",)),
    Column("limit", False, "number", aliases=("giới hạn",)),
    Column("decimals", False, "int", aliases=("số chữ số thập phân", "số lẻ")),
    Column("definition_vi", True, aliases=("định nghĩa", "khái niệm")),
    Column("definition_en", aliases=("định nghĩa tiếng anh",)),
]
TARGET_COLUMNS = [
    Column("plan", True, aliases=("kế hoạch", "mã kế hoạch")),
    Column("target", True, aliases=("chỉ tiêu", "mã chỉ tiêu")),
    Column("group", True, aliases=("nhóm", "mã nhóm")),
    Column("group_vi", True, aliases=("tên nhóm",)), Column("group_en", aliases=("tên nhóm tiếng anh",)),
    Column("indicator", True, aliases=("chỉ số", "mã chỉ số")),
    Column("type", True, "choice", TARGET_TYPES, aliases=("loại chỉ tiêu", "dạng chỉ tiêu")),
    Column("value", True, "number", aliases=("giá trị", "mức")),
    Column("value_high", False, "number", aliases=("giá trị cao", "cận trên")),
    Column("target_year", False, "int", aliases=("năm đích", "năm đạt")),
    Column("base_year", False, "int", aliases=("năm gốc",)),
    Column("baseline", False, "number", aliases=("giá trị gốc", "số gốc")),
    Column("sector", False, "choices", SECTORS, aliases=("khu vực",)),
    Column("applies_to", False, "choices", LEVELS, aliases=("áp dụng cho", "cấp áp dụng")),
    Column("unit", aliases=("đơn vị", "mã đơn vị")),
    Column("basis", aliases=("so với", "chỉ số kế hoạch")),
    Column("label_vi", True, aliases=("tên chỉ tiêu", "tên ngắn")),
    Column("label_en", aliases=("tên chỉ tiêu tiếng anh",)),
    Column("wording_vi", True, aliases=("nguyên văn", "nội dung nghị quyết")),
    Column("source", True, aliases=("nguồn",)),
    Column("order", True, "int", aliases=("thứ tự",)),
]
PERIOD_TOTAL_COLUMNS = [
    Column("unit", True, aliases=("đơn vị", "mã đơn vị")),
    Column("indicator", True, aliases=("chỉ số", "mã chỉ số", "chỉ tiêu")),
    Column("from_year", True, "int", aliases=("từ năm",)), Column("to_year", True, "int", aliases=("đến năm",)),
    Column("value", True, "number", aliases=("giá trị",)), Column("source", True, aliases=("nguồn",)),
    Column("note", aliases=("ghi chú",)),
]

def _problem(record, column, code, vi, en) -> Problem:
    """A problem of ``column`` on the record's row; a number (parsed from the file) written as each language
    writes it (``-5``, ``1.234,5`` / ``1,234.5``), never as Python does (``-5.0``)."""
    value = record.get(column)
    if isinstance(value, float):
        return Problem(record["_row"], column, fmt.written(value, "vi"), code, vi, en,
                       value_en=fmt.written(value, "en"))
    return Problem(record["_row"], column, "" if value is None else str(value), code, vi, en)


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
        problems += _contact_problems(r)
    for rows in periods.values():
        problems += _overlaps(rows)
    return problems


def _contact_problems(r: dict) -> list[Problem]:
    """A contact's phone and email, when given, are one well-formed number and address."""
    problems = []
    for column, code, why in (("contact_phone", "invalid-phone", phone_problem),
                              ("contact_email", "invalid-email", email_problem)):
        found = why(r[column]) if r.get(column) else None
        if found:
            problems.append(_problem(r, column, code, *found))
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
        **{c: (r.get(c) or "").strip() or None for c in ("contact_name", "contact_phone", "contact_email")},
    } for r in records])
    dialect.stage(cur, "incoming_units", frame, like="units")
    columns = ", ".join(frame.columns)
    cur.execute("DELETE FROM units WHERE code IN (SELECT code FROM incoming_units)")
    cur.execute(f"INSERT INTO units ({columns}) SELECT {columns} FROM incoming_units")
    dialect.unstage(cur, "incoming_units")
    bump_version(cur)
    rollups.rebuild_unit_years(cur)  # the trees changed: every figure follows them
    rollups.refresh(cur)
    return len(frame)


# --- plans, indicators, targets ----------------------------------------------------------------

def check_targets(targets: list[dict], plans: dict[str, dict], indicators: dict[str, dict]) -> list[Problem]:
    """Targets name known plans and indicators, are unique, and fit their indicator's kind."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
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
        if t["plan"] in plans and t["type"]:
            problems += _base_year_fits(t, plans[t["plan"]])
        if not t["applies_to"] and not t.get("unit"):
            problems.append(_problem(t, "applies_to", "missing-value",
                "Hãy ghi cấp áp dụng (province|upper …) hoặc mã một đơn vị ở cột unit.",
                "Give the levels the target applies to (province|upper …) or one unit's code in column unit."))
    return problems


def check_target_refs(targets: list[dict], units: set[str], indicators: dict[str, dict]) -> list[Problem]:
    """A target's own unit exists; its plan figure (``basis``) is an indicator of amounts, not a percentage."""
    problems = []
    for t in targets:
        if t.get("unit") and t["unit"] not in units:
            problems.append(_problem(t, "unit", "unknown-unit",
                f"Không có đơn vị mã “{t['unit']}”. Hãy nạp units import trước hoặc sửa mã.",
                f"There is no unit with code “{t['unit']}”. Load it with units import first or correct the code."))
        basis = indicators.get(t.get("basis") or "")
        if t.get("basis") and basis is None:
            problems.append(_problem(t, "basis", "unknown-indicator",
                f"Không có chỉ số “{t['basis']}” (số kế hoạch). Hãy thêm vào tệp indicators hoặc sửa mã.",
                f"There is no indicator “{t['basis']}” (the plan figure). Add it to the indicators file or correct "
                "the code."))
        elif basis is not None and basis["kind"] not in ADDITIVE_KINDS:
            problems.append(_problem(t, "basis", "basis-needs-amount",
                "Số kế hoạch phải là chỉ số dạng số lượng (stock hoặc flow), không phải tỷ lệ. Hãy ghi vào cột basis "
                "mã của chỉ số chứa số kế hoạch từng năm.",
                "The plan figure must be an amount (a stock or flow indicator), not a ratio. Put in the basis column "
                "the code of the indicator that holds each year's plan figure."))
    return problems


def _base_year_fits(t: dict, plan: dict) -> list[Problem]:
    """A target counts the years after its base year up to its deadline: at least one must be left."""
    base = t["base_year"] or default_base_year(plan)
    deadline = plan["end_year"] if t["type"] in ANNUAL_TYPES or not t["target_year"] else t["target_year"]
    if base is None or deadline is None or int(base) < int(deadline):
        return []
    return [_problem(t, "base_year", "base-year-not-before-deadline",
        f"Năm gốc {base} không trước năm đích {deadline}: chỉ tiêu tính các năm sau năm gốc nên không còn năm nào "
        "để đánh giá. Hãy để trống base_year (mặc định: năm bắt đầu kế hoạch, hoặc năm trước đó với kế hoạch một "
        "năm) hoặc ghi năm trước đó.",
        f"Base year {base} is not before the deadline {deadline}: a target counts the years after its base year, "
        "so none would be judged. Leave base_year empty (default: the plan's start year, or the year before a "
        "one-year plan) or give an earlier year.")]


def _type_fits(t: dict, indicator: dict) -> list[Problem]:
    """A target type must make sense for the indicator it is set on."""
    rules = [
        (t["type"] == CUMULATIVE and indicator["kind"] != IndicatorKind.FLOW, "cumulative-needs-flow",
         "Chỉ tiêu cộng dồn chỉ dùng cho chỉ số dạng luồng (flow).",
         "A cumulative target needs a flow indicator."),
        (t["type"] == CUMULATIVE and indicator["direction"] != "up", "cumulative-needs-up",
         "Chỉ tiêu cộng dồn cần chỉ số có hướng tăng là tốt (up).",
         "A cumulative target needs a higher-is-better indicator."),
        (t["type"] == UNIT_BAND and indicator["kind"] != IndicatorKind.RATE, "unit-band-needs-rate",
         "Khung bình quân mỗi đơn vị chỉ dùng cho chỉ số dạng bình quân (rate).",
         "A per-unit band needs a rate indicator."),
        (t["type"] == ANNUAL_FLOOR and indicator["direction"] != "up", "floor-needs-up",
         "Mức sàn hằng năm cần chỉ số có hướng tăng là tốt (up); dùng annual_ceiling cho chỉ số giảm là tốt.",
         "An annual floor needs a higher-is-better indicator; use annual_ceiling for lower-is-better."),
        (t["type"] == ANNUAL_CEILING and indicator["direction"] != "down", "ceiling-needs-down",
         "Mức trần hằng năm cần chỉ số có hướng giảm là tốt (down).",
         "An annual ceiling needs a lower-is-better indicator."),
        (t["type"] in BANDED_TYPES and t["value_high"] is not None and t["value"] is not None
         and t["value_high"] < t["value"], "invalid-band",
         "Cận trên của khung nhỏ hơn cận dưới.", "The band's high end is below its low end."),
    ]
    problems = [_problem(t, "type", code, vi, en) for broken, code, vi, en in rules if broken]
    if t["value_high"] is not None and t["type"] not in BANDED_TYPES:
        problems.append(_problem(t, "value_high", "unexpected-value-high",
            f"Chỉ tiêu loại {t['type']} chỉ có một mức (cột value); cận trên chỉ dùng cho khung (annual_band, "
            "unit_band, hoặc level: “đạt 45–50% vào năm 2028”). Hãy xóa ô này hoặc đổi loại chỉ tiêu.",
            f"A {t['type']} target has one bound (column value); a high end belongs to a band (annual_band, "
            "unit_band, or level: “45–50% by 2028”). Clear this cell or change the target's type."))
    return problems


def check_plans(plans: list[dict], targets: dict[str, set[str]]) -> list[Problem]:
    """A plan's term runs forwards; its headline targets are its own (``targets``: plan → target codes)."""
    problems = []
    for p in plans:
        if p["start_year"] and p["end_year"] and p["end_year"] < p["start_year"]:
            problems.append(_problem(p, "end_year", "invalid-period",
                "Năm kết thúc trước năm bắt đầu.", "The term ends before it starts."))
        unknown = [c for c in p.get("headline") or () if c not in targets.get(p["plan"], set())]
        if unknown:
            problems.append(_problem(p, "headline", "unknown-target",
                f"Kế hoạch {p['plan']} không có chỉ tiêu {', '.join(unknown)}. Cột headline liệt kê mã chỉ tiêu của "
                "chính kế hoạch, cách nhau bởi |.",
                f"Plan {p['plan']} has no target {', '.join(unknown)}. The headline column lists the plan's own "
                "target codes, separated by |."))
    return problems


def check_period_totals(totals: list[dict], units: set[str], indicators: set[str]) -> list[Problem]:
    """Figures for a whole term name known units and indicators, once each, over a forward period."""
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    for r in totals:
        for column, known in (("unit", units), ("indicator", indicators)):
            if r[column] and r[column] not in known:
                problems.append(_problem(r, column, f"unknown-{column}",
                    f"Không có {'đơn vị' if column == 'unit' else 'chỉ số'} “{r[column]}”. Hãy nạp "
                    f"{'units import' if column == 'unit' else 'tệp indicators'} trước hoặc sửa mã.",
                    f"There is no {column} “{r[column]}”. Load it first "
                    f"({'units import' if column == 'unit' else 'the indicators file'}) or correct the code."))
        if r["from_year"] and r["to_year"] and r["to_year"] < r["from_year"]:
            problems.append(_problem(r, "to_year", "invalid-period",
                "Năm kết thúc trước năm bắt đầu.", "The period ends before it starts."))
        key = (r["unit"], r["indicator"], r["from_year"], r["to_year"])
        if key in seen:
            problems.append(_problem(r, "unit", "duplicate-row",
                f"Trùng đơn vị, chỉ số và giai đoạn với dòng {seen[key]}. Hãy giữ một dòng.",
                f"Same unit, indicator and period as row {seen[key]}. Keep one of them."))
        seen.setdefault(key, r["_row"])
    return problems


def plan_rows(plans: list[dict]) -> pd.DataFrame:
    """Plans records as rows of the ``plans`` table (what ``save_plans`` writes, what a preview compares)."""
    return pd.DataFrame([{
        "code": p["plan"], "name_vi": p["name_vi"], "name_en": p["name_en"] or p["name_vi"],
        "issuer": p["issuer"], "start_year": p["start_year"], "end_year": p["end_year"],
        "unit": p["unit"], "source": p["source"], "headline": "|".join(p.get("headline") or ()) or None,
        "after_merger": p.get("after_merger")}
        for p in plans])


def indicator_rows(indicators: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{
        "code": i["indicator"], **{k: i[k] for k in (
            "name_vi", "measure_vi", "measure_en", "kind", "direction", "numerator_vi", "numerator_en",
            "denominator_vi", "denominator_en", "limit", "definition_vi", "definition_en")},
        "decimals": i.get("decimals"),
        "name_en": i["name_en"] or i["name_vi"]} for i in indicators])


def target_rows(targets: list[dict], plans: dict[str, dict]) -> pd.DataFrame:
    return pd.DataFrame([{
        "plan": t["plan"], "code": t["target"], "group_code": t["group"], "group_vi": t["group_vi"],
        "group_en": t["group_en"] or t["group_vi"], "indicator": t["indicator"], "type": t["type"],
        "value": t["value"], "value_high": t["value_high"],
        "target_year": t["target_year"] or plans[t["plan"]]["end_year"],
        "base_year": t["base_year"] or default_base_year(plans[t["plan"]]), "baseline": t["baseline"],
        "sector": "|".join(t["sector"] or ()) or None, "applies_to": "|".join(t["applies_to"] or ()),
        "unit": t.get("unit"), "basis": t.get("basis"),
        "label_vi": t["label_vi"], "label_en": t["label_en"] or t["label_vi"],
        "wording_vi": t["wording_vi"], "source": t["source"], "sort_order": t["order"],
    } for t in targets])


def default_base_year(plan: dict) -> int:
    """The plan's start year (a congress's own year closes the term before it), or the year before a one-year
    plan (a 2024–2024 plan is judged on 2024 against 2023: its start year cannot be its own baseline)."""
    start, end = int(plan["start_year"]), int(plan["end_year"])
    return start if end > start else start - 1


PERIOD_TOTAL_KEYS = ["unit", "indicator", "from_year", "to_year"]


def period_total_rows(totals: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{k: r[k] for k in (*PERIOD_TOTAL_KEYS, "value", "source", "note")} for r in totals])


def save_plans(cur, plans: list[dict]) -> int:
    count = _merge(cur, "plans", plan_rows(plans), ["code"])
    if count:
        rollups.rebuild_unit_years(cur)  # a plan's years need their trees
    return count


def save_indicators(cur, indicators: list[dict]) -> int:
    count = _merge(cur, "indicators", indicator_rows(indicators), ["code"])
    if count:
        rollups.refresh(cur)  # an indicator's kind decides how its values add up
    return count


def save_targets(cur, targets: list[dict], plans: dict[str, dict], replace: bool = False) -> int:
    """Add or update the file's targets; with ``replace``, the file is the whole target list of every plan
    it names, and their targets missing from it are removed."""
    rows = target_rows(targets, plans)
    if replace and not rows.empty:
        cur.execute("DELETE FROM targets WHERE plan IN (SELECT unnest(?::VARCHAR[]))", [sorted(set(rows["plan"]))])
    return _merge(cur, "targets", rows, ["plan", "code"])


def save_period_totals(cur, totals: list[dict]) -> int:
    return _merge(cur, "period_totals", period_total_rows(totals), PERIOD_TOTAL_KEYS)


def _merge(cur, table: str, frame: pd.DataFrame, keys: list[str]) -> int:
    """Replace the rows whose ``keys`` the frame holds, and add the others; leave the rest alone."""
    if frame.empty:
        return 0
    dialect.stage(cur, "incoming", frame, like=table)
    match = " AND ".join(f"t.{k} = i.{k}" for k in keys)
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    cur.execute(f"DELETE FROM {table} t WHERE EXISTS (SELECT 1 FROM incoming i WHERE {match})")
    cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    dialect.unstage(cur, "incoming")
    bump_version(cur)
    return len(frame)


def bump_version(cur) -> None:
    """Tell caches that the catalogue changed (read by ``Store.data_version``)."""
    cur.execute("UPDATE catalogue_version SET version = version + 1")


# --- quotas ------------------------------------------------------------------------------------

def split_quotas(targets: list[dict], stored: dict[tuple[str, str], dict]) -> tuple[list[dict], list[dict]]:
    """The targets file's rows as the plans' targets and the units' quotas.

    A row is a quota when its ``unit`` is filled and a target of the plan's own unit has the same plan and
    target code: another row of the files with an empty ``unit``, or (``stored``: (plan, code) -> target)
    one in the database. The quota row names the unit and gives its own ``value``. Any other row is a target,
    as before (a row with a unit and no such target is that unit's own target).
    """
    owned = {(t["plan"], t["target"]) for t in targets if not t.get("unit")} | set(stored)
    quotas = [t for t in targets if t.get("unit") and (t["plan"], t["target"]) in owned]
    kept = [t for t in targets if not (t.get("unit") and (t["plan"], t["target"]) in owned)]
    return kept, quotas


def check_quotas(quotas: list[dict], targets: list[dict], stored: dict[tuple[str, str], dict],
                 plans: dict[str, dict], below: dict[str, set[str]]) -> list[Problem]:
    """A quota names a unit below the plan's unit (``below``: plan -> the codes below its unit in any year of
    its term), once per target, and repeats its target's indicator, type and year (its target: a row of the
    files, else ``stored``)."""
    owners = {**stored, **{(t["plan"], t["target"]): t for t in targets if not t.get("unit")}}
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], int] = {}
    for q in quotas:
        owner = owners[(q["plan"], q["target"])]
        where = f"dòng {owner['_row']}" if owner.get("_row") else "trong cơ sở dữ liệu"
        where_en = f"row {owner['_row']}" if owner.get("_row") else "in the database"
        key = (q["plan"], q["target"], q["unit"])
        if key in seen:
            problems.append(_problem(q, "unit", "duplicate-quota",
                f"Đơn vị “{q['unit']}” đã được giao chỉ tiêu {q['target']} ở dòng {seen[key]}. Mỗi đơn vị chỉ một "
                "mức giao cho một chỉ tiêu: hãy giữ một dòng.",
                f"Unit “{q['unit']}” is already given a quota of target {q['target']} on row {seen[key]}. A unit "
                "has one quota per target: keep one of the rows."))
        seen.setdefault(key, q["_row"])
        plan = plans.get(q["plan"]) or {}
        if q["plan"] in below and q["unit"] not in below[q["plan"]]:
            problems.append(_problem(q, "unit", "quota-not-below",
                f"Đơn vị “{q['unit']}” không thuộc {plan.get('unit', q['plan'])} (đơn vị của kế hoạch "
                f"{q['plan']}) trong nhiệm kỳ: chỉ giao chỉ tiêu cho các đơn vị cấp dưới. Hãy sửa mã đơn vị "
                "(hoặc nạp units import trước).",
                f"Unit “{q['unit']}” is not below {plan.get('unit', q['plan'])} (the unit of plan {q['plan']}) "
                "during its term: quotas go to the units below. Correct the unit's code (or load it with units "
                "import first)."))
        for column, label_vi in (("indicator", "chỉ số"), ("type", "loại chỉ tiêu"), ("target_year", "năm đích")):
            mine, theirs = q[column], owner.get(column)
            if column == "target_year":  # empty: the plan's end year, on both rows
                end = plan.get("end_year")
                mine, theirs = mine or end, theirs or end
            if mine is not None and theirs is not None and str(mine) != str(theirs):
                problems.append(_problem(q, column, "quota-mismatch",
                    f"Dòng giao chỉ tiêu {q['target']} cho “{q['unit']}” ghi {label_vi} “{mine}”, khác chỉ tiêu "
                    f"của kế hoạch ({where}: “{theirs}”). Mức giao phải cùng chỉ số, loại và năm đích với chỉ "
                    "tiêu: hãy chép lại từ dòng chỉ tiêu.",
                    f"The quota of {q['target']} for “{q['unit']}” gives {column} “{mine}”, unlike the plan's "
                    f"target ({where_en}: “{theirs}”). A quota has its target's indicator, type and year: copy "
                    "them from the target's row."))
        if owner.get("type") in BAND_TYPES or owner.get("value_high") is not None:
            problems.append(_problem(q, "type", "quota-on-band",
                "Không giao chỉ tiêu dạng khung (annual_band, unit_band, khung mức) cho đơn vị: mỗi mức giao là một "
                "giá trị.", "A band (annual_band, unit_band, a level band) cannot be divided into quotas: a quota "
                "is one value."))
        if q["value"] is not None and q["value"] < 0:
            problems.append(_problem(q, "value", "negative-quota",
                f"Mức giao cho “{q['unit']}” không được âm: ghi số đơn vị được giao (0 trở lên), hoặc bỏ dòng này "
                "nếu đơn vị không được giao.",
                f"The quota for “{q['unit']}” cannot be negative: write what the unit is given (0 or more), or drop "
                "the row if it is given nothing."))
    return problems


def quota_rows(quotas: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{"plan": q["plan"], "target": q["target"], "unit": q["unit"], "value": q["value"]}
                         for q in quotas], columns=["plan", "target", "unit", "value"])


def save_quotas(cur, quotas: list[dict], plans: list[str], replace: bool = False) -> int:
    """Add or update the files' quotas (key: plan, target, unit); with ``replace``, the files hold every quota
    of the plans they name. Quotas of a target that no longer exists go with it."""
    if replace and plans:
        cur.execute("DELETE FROM target_quotas WHERE plan IN (SELECT unnest(?::VARCHAR[]))", [sorted(plans)])
    count = _merge(cur, "target_quotas", quota_rows(quotas), ["plan", "target", "unit"]) if quotas else 0
    cur.execute("DELETE FROM target_quotas q WHERE NOT EXISTS "
                "(SELECT 1 FROM targets t WHERE t.plan = q.plan AND t.code = q.target)")
    return count
