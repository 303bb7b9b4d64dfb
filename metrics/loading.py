"""Building a database from the shipped files, and loading units, plans and targets from CSV.

Each load validates everything first and writes in one transaction: a file with any error
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from metrics import audit, catalogue, rollups
from metrics.db import DATA_DIR, transaction
from metrics.errors import UserError
from metrics.ingest.targets import compare as compare_catalogue
from metrics.problems import Problem, as_text, errors
from metrics.store import Store, file_sha256, write_batch


@dataclass
class LoadResult:
    """What a catalogue load did, or why it did nothing."""

    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    preview: object = None  # for plans/targets: what the load changes (metrics.ingest.targets.CataloguePreview)

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def load_units(store: Store, path: str | Path, *, by: str | None = None, source: str = "cli") -> LoadResult:
    """Load or update units; with ``by``, the audit log records who did it, in the same transaction."""
    records, problems = catalogue.read_file(path, catalogue.UNIT_COLUMNS)
    known = {r[0] for r in store.rows("SELECT DISTINCT code FROM units")}
    problems += catalogue.check_units(records, known)
    if errors(problems):
        return LoadResult(problems=problems)
    with transaction(store.con) as cur:
        count = catalogue.save_units(cur, records)
        if by is not None:
            audit.record(cur, by, "units-load", {"file": Path(path).name, "units": count}, source=source)
    return LoadResult({"units": count}, problems)


def load_targets(store: Store, paths: list[str | Path], dry_run: bool = False, *, by: str | None = None,
                 source: str = "cli") -> LoadResult:
    """Plans, indicators and targets files, recognised by their headers, loaded together.

    The result's ``preview`` says what is created, updated, unchanged or removed; ``dry_run`` stops there.
    With ``by``, the audit log records who loaded them, in the same transaction.
    """
    found: dict[str, list[dict]] = {}
    problems: list[Problem] = []
    for path in paths:
        kind = catalogue.file_kind(path)
        if kind is None:
            problems.append(Problem(None, None, str(path), "unknown-file-kind",
                f"Không nhận ra tệp {Path(path).name}: cần các cột của tệp plans, indicators hoặc targets "
                "(xem docs/data-files.md).",
                f"Cannot tell what {Path(path).name} holds: it needs the columns of a plans, indicators "
                "or targets file (see docs/data-files.md)."))
            continue
        if kind == "targets":
            parts = catalogue.read_targets_file(path)
        else:
            parts = {kind: catalogue.read_file(path, catalogue.FILE_KINDS[kind][1])}
        for part, (records, file_problems) in parts.items():
            found.setdefault(part, []).extend(records)
            problems += file_problems
    plans = {p["code"]: {"code": p["code"], "start_year": p["start_year"], "end_year": p["end_year"]}
             for p in store.plans().to_dict("records")}
    plans.update({p["plan"]: p for p in found.get("plans", [])})
    indicators = {i["code"]: {"kind": i["kind"], "direction": i["direction"]}
                  for i in store.indicators().to_dict("records")}
    indicators.update({i["indicator"]: i for i in found.get("indicators", [])})
    problems += catalogue.check_targets(found.get("targets", []), plans, indicators)
    if errors(problems):
        return LoadResult(problems=problems)
    preview = compare_catalogue(store, found, plans)
    if dry_run:
        return LoadResult({}, problems, preview)
    with transaction(store.con) as cur:
        counts = {
            "plans": catalogue.save_plans(cur, found.get("plans", [])),
            "indicators": catalogue.save_indicators(cur, found.get("indicators", [])),
            "targets": catalogue.save_targets(cur, found.get("targets", []), plans),
        }
        if found.get("targets"):
            rollups.refresh_scopes(cur)  # a target's sectors decide which units its figures add up
        if by is not None:
            audit.record(cur, by, "targets-load", {"files": [Path(p).name for p in paths], **counts}, source=source)
    return LoadResult(counts, problems, preview)


def read_shipped_values(path: Path) -> pd.DataFrame:
    """A shipped values file (clean by construction; ``tests/test_shipped_data.py`` checks it)."""
    frame = pd.read_csv(path, dtype={"unit": str, "indicator": str, "source": str, "note": str,
                                     "provenance": str}, encoding="utf-8-sig")
    return frame.astype({"year": int})


def init_database(path: Path, demo: bool, data_dir: Path = DATA_DIR, force: bool = False) -> Store:
    """Create the database; with ``demo`` load the shipped plans, units, published and demo values."""
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


def load_shipped(store: Store, data_dir: Path) -> None:
    """Load every shipped file in one transaction per step, failing loudly on any problem."""
    for step, result in (
        ("units.csv", lambda: load_units(store, data_dir / "units.csv")),
        ("plans/indicators/targets", lambda: load_targets(
            store, [data_dir / "plans.csv", data_dir / "indicators.csv", data_dir / "targets.csv"])),
    ):
        outcome = result()
        if not outcome.ok:
            raise UserError("shipped-data-invalid", f"Dữ liệu kèm theo ({step}) có lỗi:\n{as_text(outcome.problems)}",
                            f"The shipped data ({step}) has errors:\n{as_text(outcome.problems, 'en')}")
    totals, _ = catalogue.read_file(data_dir / "period_totals.csv", catalogue.PERIOD_TOTAL_COLUMNS)
    with transaction(store.con) as cur:
        catalogue.save_period_totals(cur, totals)
        for path in sorted(data_dir.glob("values*.csv")):
            values = read_shipped_values(path)
            kinds = set(values["provenance"].dropna())
            kind = kinds.pop() if len(kinds) == 1 and kinds <= {"published", "illustrative"} else "import"
            write_batch(cur, values, kind, file_name=path.name, sha256=file_sha256(path), user="system")
