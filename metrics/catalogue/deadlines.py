"""The deadlines file: one reporting deadline per plan and year (docs/data-files.md, ``deadlines.csv``).

Read by the same guarded reader as every catalogue file, checked whole (the plan exists, the year is in its
term, a plan and year once), written in one transaction with its audit row, or not at all.
"""

from __future__ import annotations

from pathlib import Path

from metrics.catalogue.loading import LoadResult
from metrics.catalogue.tabular import Column, parse_rows, read_table, unknown_columns
from metrics.storage import audit
from metrics.storage import deadlines as stored
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.problems import Problem, errors

DEADLINE_COLUMNS = [
    Column("plan", True, aliases=("kế hoạch", "mã kế hoạch")),
    Column("year", True, "int", aliases=("năm", "năm báo cáo", "năm số liệu")),
    Column("deadline", True, "day", aliases=("hạn", "hạn báo cáo", "hạn nộp")),
    Column("note", aliases=("ghi chú",)),
]
KNOWN = {key for col in DEADLINE_COLUMNS for key in col.header_keys()}


def read(path: str | Path, terms: dict[str, tuple[int, int]]) -> tuple[list[dict], list[Problem]]:
    """The file's rows and every problem (``terms``: each known plan's first and last year)."""
    table = read_table(path, KNOWN)
    if not table.readable:
        return [], table.problems
    records, problems = parse_rows(table, DEADLINE_COLUMNS)
    problems = table.problems + problems + unknown_columns(table, KNOWN)
    seen: dict[tuple, int] = {}
    for r in records:
        if r["plan"] and r["plan"] not in terms:
            known = ", ".join(sorted(terms)) or "—"
            problems.append(Problem(r["_row"], "plan", str(r["plan"]), "unknown-plan",
                f"Không có kế hoạch “{r['plan']}”. Các kế hoạch hiện có: {known}.",
                f"There is no plan “{r['plan']}”. Known plans: {known}."))
        elif r["plan"] and r["year"] is not None and not terms[r["plan"]][0] <= r["year"] <= terms[r["plan"]][1]:
            first, last = terms[r["plan"]]
            problems.append(Problem(r["_row"], "year", str(r["year"]), "year-not-in-plan",
                f"Năm {r['year']} ngoài nhiệm kỳ {first}–{last} của kế hoạch {r['plan']}.",
                f"Year {r['year']} is outside the term {first}–{last} of plan {r['plan']}."))
        key = (r["plan"], r["year"])
        if key in seen:
            problems.append(Problem(r["_row"], "year", str(r["year"]), "duplicate-row",
                f"Kế hoạch và năm này đã có hạn ở dòng {seen[key]}. Hãy giữ một dòng.",
                f"This plan and year already have a deadline on row {seen[key]}. Keep one of them."))
        seen.setdefault(key, r["_row"])
    return records, problems


def terms(store: Store) -> dict[str, tuple[int, int]]:
    return {str(p["code"]): (int(p["start_year"]), int(p["end_year"])) for p in store.plans().to_dict("records")}


def load(store: Store, path: str | Path, *, by: str | None = None, source: str = "cli") -> LoadResult:
    """Set the deadlines of a file (each replaces the one of its plan and year); all or nothing."""
    records, problems = read(path, terms(store))
    if errors(problems):
        return LoadResult(problems=problems)
    with store.transaction() as cur:
        for r in records:
            stored.set_deadline(cur, r["plan"], r["year"], r["deadline"], note=r["note"], by=by)
        if by is not None:
            audit.record(cur, by, "deadline-set", {"file": Path(path).name, "deadlines": len(records)}, source=source)
    return LoadResult({"deadlines": len(records)}, problems)


def set_one(store: Store, plan: str, year: int, due, *, note: str | None = None, by: str | None = None,
            source: str = "cli") -> None:
    """Set one deadline (the admin page, ``deadlines set``): the plan must exist and the year be in its term."""
    known = terms(store)
    if plan not in known:
        store.plan(plan)  # raises the unknown-plan message
    first, last = known[plan]
    if not first <= int(year) <= last:
        raise UserError("year-not-in-plan", f"Năm {year} ngoài nhiệm kỳ {first}–{last} của kế hoạch {plan}.",
                        f"Year {year} is outside the term {first}–{last} of plan {plan}.")
    with store.transaction() as cur:
        stored.set_deadline(cur, plan, int(year), due, note=note, by=by)
        audit.record(cur, by, "deadline-set", {"plan": plan, "year": int(year), "due": due.strftime("%d/%m/%Y")},
                     source=source)
