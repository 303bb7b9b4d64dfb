"""Analysts' data intake: check a CSV or Excel file of yearly figures, preview it, commit it as one batch.

    report = check("values.xlsx", store=store, sheet="2025")   # reads, validates, compares; writes nothing
    if report.ok:
        commit(store, report, user="analyst")                  # one transaction, one batch

The page (``views/import.py``) and ``python -m metrics import`` are two thin clients of these calls.
Never imports Streamlit.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from pathlib import Path

from metrics.ingest import layout as layouts
from metrics.ingest import preview, scratch, units, validate
from metrics.ingest import scope as scopes
from metrics.ingest.commit import CommitResult, approve, commit, undo
from metrics.ingest.preview import undo_status_changes
from metrics.ingest.report import MAX_DETAILED, Report
from metrics.storage.files import csv_reader as reading
from metrics.storage.files import guarded, workbook
from metrics.storage.files.progress import Progress
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.messages import problem
from metrics.vocabulary.shared import sql_text

__all__ = ["CommitResult", "Report", "accepted_years", "approve", "check", "commit", "sheet_names", "sheets",
           "undo", "undo_status_changes"]

MAX_ROWS = 10_000_000
BLOCKING = {"missing-column", "duplicate-column", "wide-layout-parts", "unreadable-file", "empty-file",
            "file-too-large", "suspicious-workbook", "too-many-columns", "cell-too-long"}


def sheets(source: str | Path | bytes) -> list[workbook.Sheet]:
    """The sheets of an Excel file (given as a path or its bytes), each with whether it is hidden; [] for a CSV."""
    if isinstance(source, bytes | bytearray):
        if not source.startswith(guarded.EXCEL_MAGIC):
            return []
        with tempfile.TemporaryDirectory(prefix="kpi-sheets-") as folder:
            path = Path(folder) / "book.xlsx"
            path.write_bytes(source)
            return workbook.sheets(path)
    path = Path(source)
    return workbook.sheets(path) if guarded.is_excel(path) else []


def sheet_names(source: str | Path | bytes) -> list[str]:
    """The names of ``sheets(source)``."""
    return [s.name for s in sheets(source)]


def accepted_years(store: Store) -> list[int]:
    """Years a values file may hold, whichever plan it is checked against: every year some loaded plan
    covers and the term before it (the baseline history: the 2023–2028 congress reports its 2018 figures),
    so one file of a federation's history loads at once; and any year the database already holds figures
    for (an analyst correcting history). Never a year after the last plan's end.
    """
    years: set[int] = set()
    for plan in store.plans().itertuples():
        start, end = int(plan.start_year), int(plan.end_year)
        years |= set(range(start - max(end - start, 1), end + 1))  # a one-year plan has a baseline year too
    years |= {int(y) for (y,) in store.rows("SELECT DISTINCT year FROM observations")}
    return sorted(years)


def check(source: str | Path | bytes, *, store: Store, file_name: str | None = None, plan: str | None = None,
          sheet: str | int | None = None, encoding: str | None = None, progress: Progress | None = None,
          max_rows: int = MAX_ROWS, max_bytes: int = reading.MAX_BYTES, scope: str | None = None) -> Report:
    """Read, validate and compare a values file against the database; write nothing to it.

    ``max_bytes`` is the largest file accepted (the dashboard passes its upload limit); ``scope``: the unit
    whose subtree every row must stay in (the signed-in analyst's), a row outside it is an error.
    """
    plan = plan or store.default_plan()
    if plan is None:
        raise UserError("no-plan", "Chưa có kế hoạch nào; hãy nạp kế hoạch trước: python -m metrics targets import …",
                        "There is no plan yet; load one first: python -m metrics targets import …")
    store.plan(plan)  # a clear error for an unknown plan (its targets are the ones the preview judges)
    sweep_abandoned()
    workdir = Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX))
    try:
        path, name = _materialise(source, file_name, workdir)
        report = Report(file_name=name, sha256="", plan=plan, workdir=workdir, scope=scope)
        report.data_version = store.data_version()  # before anything is read: a later change makes it stale
        with _checking(store) as (cur, values):
            _read_and_check(cur, store, report, path, sheet, encoding, progress, max_rows, max_bytes, values)
            if report.ok and report.to_write:
                statuses = preview.status_changes(store, cur, plan)
                report.statuses_judged = statuses is not None
                if statuses is not None:
                    report.status_changes = statuses
        if progress:
            progress(1.0, "comparing")
        return report
    except BaseException:
        _remove(workdir)
        raise


@contextlib.contextmanager
def _checking(store: Store):
    """The cursor the check runs in, and what fills in the values in force once the file's cells are known:
    the database's own on DuckDB; on PostgreSQL a private in-memory DuckDB holding copies (``scratch``)."""
    if store.engine != "postgresql":
        with store.cursor() as cur:
            yield cur, None
        return
    with scratch.open_for(store) as cur:
        yield cur, lambda c: scratch.copy_values(store, c)


def _materialise(source, file_name: str | None, workdir: Path) -> tuple[Path, str]:
    if isinstance(source, bytes | bytearray):
        name = Path(file_name or "upload.csv").name
        path = workdir / ("upload" + Path(name).suffix.lower())
        path.write_bytes(bytes(source))
        return path, name
    path = Path(source)
    if not path.is_file():
        raise UserError("file-not-found", f"Không tìm thấy tệp {path}.", f"There is no file {path}.")
    return path, file_name or path.name


def _read_and_check(cur, store, report: Report, path: Path, sheet, encoding, progress, max_rows,
                    max_bytes, values=None) -> None:
    early = _read(cur, report, path, sheet, encoding, progress, max_bytes)
    if early:
        return _finish(report, early)
    head = cur.execute("SELECT * FROM raw ORDER BY row LIMIT 30").fetchall()
    report.header_row, report.headers = layouts.find_header(head)
    layout = layouts.match(report.header_row, report.headers)
    report.layout = "wide" if layout.wide else "long"
    found = report.problems + layout.problems + guarded.long_cells(cur, report.headers)
    report.file_problems = found
    if any(p.code in BLOCKING for p in found):
        _keep_rows(cur, report)
        return _finish(report, found)
    sql, params = layouts.cells_sql(layout)
    cur.execute(sql, params)
    lines = cur.execute("SELECT count(*) FROM raw WHERE row > ?", [report.header_row]).fetchall()[0][0]
    if lines > max_rows:  # lines, blank ones included: a bound known before the rows are checked
        return _finish(report, [*found, problem(None, None, None, "file-too-large",
                                                detail=f"{lines:,} > {max_rows:,}")])
    if progress:
        progress(0.45, "checking")
    checked = validate.check(cur, layout, accepted_years(store), controls=report.controls, values=values)
    if report.scope:
        scopes.mark_rows_outside(cur, report.scope, layout.header("unit"))
        cur.execute(f"CREATE OR REPLACE TEMP TABLE error_rows AS {validate.error_rows_sql()}")
    report.convention = checked.convention
    figures = cur.execute(f"SELECT count({'DISTINCT ' if layout.wide else ''}row) FROM checked").fetchall()[0][0]
    report.rows = figures + checked.blank
    if report.rows == 0:
        return _finish(report, [*found, problem(None, None, None, "empty-file")])
    _collect(cur, report, found)
    if progress:
        progress(0.75, "comparing")
    counts = preview.compare(cur, layout)
    report.counts = {**counts, "rejected": _rejected(cur, report), "skipped": checked.blank}
    if report.ok:
        preview.stage(cur, report, every_cell=store.engine == "postgresql")
        report.changes = preview.changes(cur)
    else:
        _keep_rows(cur, report)
        cur.execute(f"COPY (SELECT row, col, value, code, detail FROM problems ORDER BY row, position) "
                    f"TO {sql_text(report.workdir / 'problems.parquet')} (FORMAT parquet)")


def _keep_rows(cur, report: Report) -> None:
    """The file's rows, kept so a rejected file can be handed back with an error column."""
    cur.execute(f"COPY (SELECT * FROM raw WHERE row > ? ORDER BY row) TO {sql_text(report.rows_path)} "
                "(FORMAT parquet)", [report.header_row])


def _read(cur, report: Report, path: Path, sheet, encoding, progress, max_bytes: int = reading.MAX_BYTES) -> list:
    """Load the file into ``raw`` through the guarded reader; return the problems that stop everything."""
    early, found = guarded.read(cur, path, report.workdir, layouts.names_a_column, sheet, encoding, progress, max_bytes)
    report.kind, report.reader, report.sheet = found.kind, found.reader, found.sheet
    report.sha256, report.encoding, report.delimiter = found.sha256, found.encoding, found.delimiter
    report.problems, report.controls = found.problems, found.controls
    return early


def _collect(cur, report: Report, found: list) -> None:
    """Counts of every problem; the first ``MAX_DETAILED`` as worded problems, closest names for unknown ones."""
    counts = dict(cur.execute("SELECT code, count(*) FROM problems GROUP BY code").fetchall())
    for p in found:
        counts[p.code] = counts.get(p.code, 0) + 1
    rows = cur.execute("""
        WITH listed AS (SELECT * FROM problems ORDER BY row, position, code LIMIT ?),
        named AS (  -- the names of the listed rows only: grouping every row of the file cost a second
            SELECT c.row, any_value(u.unit_text) AS unit, any_value(i.indicator_text) AS indicator FROM checked c
            LEFT JOIN unit_match u ON u.unit_tid = c.unit_tid
            LEFT JOIN indicator_match i ON i.indicator_tid = c.indicator_tid
            WHERE c.row IN (SELECT row FROM listed) GROUP BY c.row)
        SELECT p.row, p.col, p.value, p.code, p.detail, w.unit, w.indicator FROM listed p
        LEFT JOIN named w ON w.row = p.row
        ORDER BY p.row, p.position, p.code""", [MAX_DETAILED]).fetchall()
    for what in ("unit", "indicator"):
        unknown = sorted({r[2] for r in rows if r[3] == f"unknown-{what}"})
        report.suggestions.update(units.suggestions(cur, what, unknown))
    worded = [problem(row, col, value, code,
                      report.suggestions.get(value, "") if code in ("unknown-unit", "unknown-indicator") else detail,
                      unit, indicator)  # the row's unit and indicator, so a problem says whose figure it is
              for row, col, value, code, detail, unit, indicator in rows]
    report.problems = sorted([*found, *worded], key=lambda p: p.row or 0)[:MAX_DETAILED]
    report.counts_by_code = {code: int(n) for code, n in sorted(counts.items())}


def _rejected(cur, report: Report) -> int:
    rows = {r[0] for r in cur.execute("SELECT row FROM error_rows").fetchall()}
    rows |= {p.row for p in report.file_problems if p.code == "wrong-field-count"}
    return len(rows)


def _finish(report: Report, problems: list) -> None:
    report.problems = sorted(problems, key=lambda p: p.row or 0)
    counts: dict[str, int] = {}
    for p in problems:
        counts[p.code] = counts.get(p.code, 0) + 1
    report.counts_by_code = counts


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


WORKDIR_PREFIX = "kpi-import-"
ABANDONED_AFTER = 24 * 3600  # seconds: no check is kept open for a day; its session ended without closing it


def sweep_abandoned(now: float | None = None, folder: Path | None = None) -> list[Path]:
    """Remove the working folders of checks whose session ended without closing them (a server that was
    killed, a tab closed before Python collected the report): untouched for a day; return those removed."""
    now = time.time() if now is None else now
    removed = []
    for path in (folder or Path(tempfile.gettempdir())).glob(WORKDIR_PREFIX + "*"):
        try:
            stale = path.is_dir() and not path.is_symlink() and now - path.stat().st_mtime > ABANDONED_AFTER
        except OSError:
            continue
        if stale:
            _remove(path)
            removed.append(path)
    return removed
