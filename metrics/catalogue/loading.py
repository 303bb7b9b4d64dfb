"""Building a database from the shipped files, and loading units, plans and targets from CSV.

Each load validates everything first and writes in one transaction: a file with any error
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from metrics.catalogue import files as catalogue_files
from metrics.catalogue import rules as catalogue
from metrics.catalogue.compare import CataloguePreview
from metrics.catalogue.compare import compare as compare_catalogue
from metrics.domain.organisation import Organisation
from metrics.storage import audit, postgres, rollups
from metrics.storage.db import DATA_DIR
from metrics.storage.store import Store, file_sha256, write_batch
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.problems import Problem, as_text, errors


@dataclass
class LoadResult:
    """What a catalogue load did, or why it did nothing."""

    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    preview: CataloguePreview | None = None  # for plans/targets: what the load changes

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def load_units(store: Store, path: str | Path, *, by: str | None = None, source: str = "cli") -> LoadResult:
    """Load or update units; with ``by``, the audit log records who did it, in the same transaction."""
    found, problems = read_files([path], expected="units")
    records = found.get("units", [])
    known = {r[0] for r in store.rows("SELECT DISTINCT code FROM units")}
    problems += catalogue.check_units(records, known)
    if errors(problems):
        return LoadResult(problems=problems)
    with store.transaction() as cur:
        count = catalogue.save_units(cur, records)
        if by is not None:
            audit.record(cur, by, "units-load", {"file": Path(path).name, "units": count}, source=source)
    return LoadResult({"units": count}, problems)


def read_files(paths: list[str | Path], expected: str | None = None) -> tuple[dict[str, list[dict]], list[Problem]]:
    """The records of every file, by part (plans, indicators, targets, period_totals, units), and every
    problem of every file. ``expected``: the one kind the command takes (``units``); else any but units."""
    found: dict[str, list[dict]] = {}
    problems: list[Problem] = []
    for path in paths:
        kind, table = catalogue_files.read(path)
        problems += table.problems
        if not table.readable:
            continue
        wrong = _wrong_kind(Path(path).name, kind, expected)
        if wrong is not None:
            problems.append(wrong)
            continue
        if kind is None:  # never: ``_wrong_kind`` refuses a file of no kind
            continue
        for part, (records, part_problems) in catalogue_files.records(kind, table).items():
            found.setdefault(part, []).extend(records)
            problems += part_problems
    return found, problems


def _wrong_kind(name: str, kind: str | None, expected: str | None) -> Problem | None:
    if kind is None:
        return Problem(None, None, name, "unknown-file-kind",
            f"Không nhận ra tệp {name}: cần các cột của một tệp units, plans, indicators, targets hoặc period_totals "
            "(tiêu đề tiếng Anh hoặc tiếng Việt, xem docs/data-files.md).",
            f"Cannot tell what {name} holds: it needs the columns of a units, plans, indicators, targets or "
            "period_totals file (English or Vietnamese headers, see docs/data-files.md).")
    fits = kind == expected if expected else kind != "units"
    if fits:
        return None
    command = "units import" if kind == "units" else "targets import"
    return Problem(None, None, name, "wrong-file-kind",
        f"Tệp {name} là tệp {kind} (nhận ra từ các cột): hãy nạp bằng python -m metrics {command} {name}.",
        f"{name} is a {kind} file (by its columns): load it with python -m metrics {command} {name}.")


def load_targets(store: Store, paths: list[str | Path], dry_run: bool = False, *, replace: bool = False,
                 by: str | None = None, source: str = "cli") -> LoadResult:
    """Plans, indicators, targets and period totals files, recognised by their columns, loaded together.

    Loads merge: a plan, indicator, target or period total in the files is added or replaces the one with
    the same code; the others stay. ``replace``: the files hold the whole target list of every plan they
    name (its other targets are removed). The result's ``preview`` says what is created, updated, unchanged
    or removed; ``dry_run`` stops there. With ``by``, the audit log records who loaded them, in the same
    transaction.
    """
    found, problems = read_files(paths)  # every problem at once: the checks across files run on what was read
    stored = {} if replace else _stored_targets(store)
    found["targets"], found["quotas"] = catalogue.split_quotas(found.get("targets", []), stored)
    plans = {p["code"]: {"code": p["code"], "start_year": p["start_year"], "end_year": p["end_year"],
                         "unit": p["unit"]} for p in store.plans().to_dict("records")}
    plans.update({p["plan"]: p for p in found.get("plans", [])})
    indicators = {i["code"]: {"kind": i["kind"], "direction": i["direction"]}
                  for i in store.indicators().to_dict("records")}
    indicators.update({i["indicator"]: i for i in found.get("indicators", [])})
    problems += _cross_checks(store, found, plans, indicators, replace, stored)
    if errors(problems):
        return LoadResult(problems=problems)
    preview = compare_catalogue(store, found, plans, replace=replace)
    if dry_run:
        return LoadResult({}, problems, preview)
    with store.transaction() as cur:
        counts = {
            "plans": catalogue.save_plans(cur, found.get("plans", [])),
            "indicators": catalogue.save_indicators(cur, found.get("indicators", [])),
            "targets": catalogue.save_targets(cur, found.get("targets", []), plans, replace=replace),
            "period_totals": catalogue.save_period_totals(cur, found.get("period_totals", [])),
            "quotas": catalogue.save_quotas(cur, found["quotas"], sorted({t["plan"] for t in found["targets"]}),
                                            replace=replace),
        }
        if found.get("targets"):
            rollups.refresh_scopes(cur)  # a target's sectors decide which units its figures add up
        if by is not None:
            audit.record(cur, by, "targets-load", {"files": [Path(p).name for p in paths], **counts,
                                                    "replace": replace}, source=source)
    return LoadResult(counts, problems, preview)


def _stored_targets(store: Store) -> dict[tuple[str, str], dict]:
    """The database's targets of the plans' own units, keyed (plan, code), with the fields a quota repeats."""
    rows = store.frame("SELECT plan, code, indicator, type, target_year, value_high FROM targets WHERE unit IS NULL")
    return {(r["plan"], r["code"]): {"indicator": r["indicator"], "type": r["type"],
                                     "target_year": None if pd.isna(r["target_year"]) else int(r["target_year"]),
                                     "value_high": None if pd.isna(r["value_high"]) else r["value_high"]}
            for r in rows.to_dict("records")}


def _cross_checks(store: Store, found: dict, plans: dict, indicators: dict, replace: bool,
                  stored: dict[tuple[str, str], dict]) -> list[Problem]:
    """Targets against plans and indicators, plans' headlines against their targets, period totals against
    units and indicators — the database's and the files' together."""
    targets = found.get("targets", [])
    codes: dict[str, set[str]] = {}
    if not replace:
        for plan, code in store.rows("SELECT plan, code FROM targets"):
            codes.setdefault(plan, set()).add(code)
    for t in targets:
        codes.setdefault(t["plan"], set()).add(t["target"])
    units = {r[0] for r in store.rows("SELECT DISTINCT code FROM units")}
    quotas = found.get("quotas", [])
    return (catalogue.check_targets(targets, plans, indicators)
            + catalogue.check_target_refs(targets + quotas, units, indicators)
            + catalogue.check_quotas(quotas, targets, stored, plans, _below(store, quotas, plans))
            + catalogue.check_plans(found.get("plans", []), codes)
            + catalogue.check_period_totals(found.get("period_totals", []), units, set(indicators)))


def _below(store: Store, quotas: list[dict], plans: dict) -> dict[str, set[str]]:
    """For each plan given quotas: the units below its unit (or its successors) in any year of its term."""
    wanted = {q["plan"] for q in quotas if q["plan"] in plans and plans[q["plan"]].get("unit")}
    if not wanted:
        return {}
    org = Organisation(store.unit_periods())
    below: dict[str, set[str]] = {}
    for code in wanted:
        plan = plans[code]
        owners = org.successors(plan["unit"])
        below[code] = {u for year in range(int(plan["start_year"]), int(plan["end_year"]) + 1)
                       for owner in owners for u in org.descendants(owner, year)}
    return below


def read_shipped_values(path: Path) -> pd.DataFrame:
    """A shipped values file (clean by construction; ``tests/test_shipped_data.py`` checks it)."""
    frame = pd.read_csv(path, dtype={"unit": str, "indicator": str, "source": str, "note": str,
                                     "provenance": str}, encoding="utf-8-sig")
    return frame.astype({"year": int})


def init_database(path: Path | str, demo: bool, data_dir: Path = DATA_DIR, force: bool = False) -> Store:
    """Create the database (a DuckDB file, or the tables of a PostgreSQL URL); with ``demo`` load the shipped
    plans, units, published and demo values."""
    if isinstance(path, str):
        return _init_postgres(path, demo, data_dir, force)
    if path.exists() and not force:
        store = Store.open(path)
        if not store.is_empty():
            store.close()
            raise UserError("database-exists",
                f"Cơ sở dữ liệu {path} đã có dữ liệu; không ghi đè. Dùng --force để tạo lại từ đầu "
                "(mọi dữ liệu đã nhập sẽ mất) hoặc chọn tệp khác bằng --db.",
                f"The database {path} already holds data; it was not overwritten. Use --force to rebuild "
                "it from scratch (all imported data will be lost) or choose another file with --db.")
        store.close()
    if path.exists() and force:
        path.unlink()
        Path(str(path) + ".wal").unlink(missing_ok=True)
    store = Store.open(path)
    if demo:
        load_shipped(store, data_dir)
    return store


def _init_postgres(url: str, demo: bool, data_dir: Path, force: bool) -> Store:
    """``init_database`` on PostgreSQL: the database itself exists (the server's administrator made it); its
    tables are made here, and ``force`` drops every table first."""
    if postgres.has_tables(url) and not force:
        store = Store.open(url)
        empty = store.is_empty()
        store.close()
        if not empty:
            where = postgres.shown(url)
            raise UserError("database-exists",
                f"Cơ sở dữ liệu {where} đã có dữ liệu; không ghi đè. Dùng --force để tạo lại từ đầu "
                "(mọi dữ liệu đã nhập sẽ mất) hoặc chọn cơ sở dữ liệu khác bằng --db.",
                f"The database {where} already holds data; it was not overwritten. Use --force to rebuild "
                "it from scratch (all imported data will be lost) or choose another database with --db.")
    if force:
        postgres.reset(url)
    store = Store.open(url)
    if demo:
        load_shipped(store, data_dir)
    return store


def load_shipped(store: Store, data_dir: Path) -> None:
    """Load every shipped file in one transaction per step, failing loudly on any problem."""
    from metrics.catalogue import deadlines  # it loads with this module's LoadResult

    catalogue_paths = [data_dir / name for name in ("plans.csv", "indicators.csv", "targets.csv", "quotas.csv",
                                                    "period_totals.csv")]
    for step, result in (
        ("units.csv", lambda: load_units(store, data_dir / "units.csv")),
        ("plans/indicators/targets/period_totals", lambda: load_targets(
            store, [p for p in catalogue_paths if p.exists()])),
        ("deadlines.csv", lambda: deadlines.load(store, data_dir / "deadlines.csv") if (
            data_dir / "deadlines.csv").exists() else LoadResult()),
    ):
        outcome = result()
        if not outcome.ok:
            raise UserError("shipped-data-invalid", f"Dữ liệu kèm theo ({step}) có lỗi:\n{as_text(outcome.problems)}",
                            f"The shipped data ({step}) has errors:\n{as_text(outcome.problems, 'en')}")
    with store.transaction() as cur:
        for path in sorted(data_dir.glob("values*.csv")):
            values = read_shipped_values(path)
            kinds = set(values["provenance"].dropna())
            kind = kinds.pop() if len(kinds) == 1 and kinds <= {"published", "illustrative"} else "import"
            write_batch(cur, values, kind, file_name=path.name, sha256=file_sha256(path), user="system")
