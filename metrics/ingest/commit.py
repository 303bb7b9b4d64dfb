"""Writing a checked file: one transaction, one batch, only the cells that change."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from metrics.ingest import preview
from metrics.ingest import scope as scopes
from metrics.ingest.report import Report
from metrics.storage import audit, dialect, postgres, users
from metrics.storage.files.progress import Progress
from metrics.storage.store import (
    Store,
    approve_batch,
    data_version,
    limit_writes_to,
    rollback_batch,
    value_batch,
    write_batch,
)
from metrics.vocabulary.errors import UserError


@dataclass(frozen=True)
class CommitResult:
    batch: int | None  # None: nothing changed, nothing written
    written: int


def commit(store: Store, report: Report, *, user: str | None = None, progress: Progress | None = None,
           source: str = "cli", actor: str | None = None, scope: str | None = None) -> CommitResult:
    """Write the report's created and updated cells as one import batch, if nothing changed since the check.

    ``user`` is recorded with the batch. The audit row names ``actor`` (default: ``user``; the command line
    passes the operating-system user) and ``source`` (``web`` for the dashboard, ``cli`` for direct access);
    it is written in the same transaction: an import is never without its record, nor a record without it.
    ``scope``: the writer's unit scope, which must be the one the file was checked under.
    """
    scopes.require_same(report.scope, scope)
    if not report.ok:
        raise UserError("import-has-errors",
                        "Tệp còn lỗi nên không được nhập. Hãy sửa các lỗi đã liệt kê rồi kiểm tra lại.",
                        "The file still has errors, so it was not imported. Fix the listed problems and check again.")
    if report.to_write == 0:
        report.close()
        return CommitResult(None, 0)
    if not report.staged.exists():
        raise _stale()
    if progress:
        progress(0.0, "writing")
    counts = report.counts
    note = (f"created={counts['created']} updated={counts['updated']} annotated={counts['annotated']} "
            f"unchanged={counts['unchanged']}")
    try:
        with store.queued_transaction() as (cur, waited):
            if data_version(cur) != report.data_version and _changed_under(store, cur, report):
                raise _conflict() if waited else _stale()
            limit_writes_to(cur, scope)
            batch = write_batch(cur, _rows(store, cur, report), "import", file_name=report.file_name,
                                sha256=report.sha256, user=user, note=note,
                                replaces=bool(counts["updated"] or counts["annotated"]), provisional=True,
                                in_order="import_rows_in_order" if store.engine == "duckdb" else None)
            if store.engine == "duckdb":
                cur.execute("DROP VIEW import_rows")
                cur.execute("DROP VIEW import_rows_in_order")
            audit.record(cur, actor or user, "import", {
                "batch": batch, "file": report.file_name, "sha256": report.sha256, "rows": report.to_write,
                "plan": report.plan, "recorded_as": user, **_scoped(scope)}, source=source)
    except (duckdb.Error, postgres.WriteConflict, postgres.LockWaitTimeout, postgres.OutsideScope) as exc:
        raise _translated(exc) from exc
    report.close()
    if progress:
        progress(1.0, "writing")
    return CommitResult(batch, report.to_write)


def undo(store: Store, batch: int, *, user: str | None = None, source: str = "cli", actor: str | None = None,
         scope: str | None = None, role: str | None = None) -> int:
    """Roll back one import batch in its own transaction, with its audit row; return the id of the rollback.
    ``scope``: the undoer's unit scope; a batch with a figure outside it is refused. ``role``: the undoer's
    role; an approved batch needs an approver (None: the command line, whoever holds the database)."""
    try:
        with store.queued_transaction() as (cur, _):
            scopes.check_batch(cur, batch, scope)
            limit_writes_to(cur, scope)
            found = value_batch(cur, batch)
            if found["approved"] and found["rolled_back_by"] is None and not _may_approve(role):
                raise UserError("undo-needs-approver",
                                f"Đợt nhập {batch} đã được duyệt (bởi {found['approved_by'] or '—'}): chỉ người duyệt "
                                "số liệu hoặc quản trị viên mới hoàn tác được. Hãy nhờ người duyệt.",
                                f"Batch {batch} is approved (by {found['approved_by'] or '—'}): only an approver or an "
                                "administrator can undo it. Ask an approver.")
            operation = rollback_batch(cur, batch, user)
            audit.record(cur, actor or user, "undo", {"batch": batch, "operation": operation, "recorded_as": user,
                                                      **_scoped(scope)}, source=source)
            return operation
    except (duckdb.Error, postgres.WriteConflict, postgres.LockWaitTimeout, postgres.OutsideScope) as exc:
        raise _translated(exc) from exc


def approve(store: Store, batch: int, *, user: str | None = None, source: str = "cli", actor: str | None = None,
            role: str | None = None) -> None:
    """Approve one provisional batch in its own transaction, with its audit row (who, when, which batch).
    ``role``: the approver's role (an analyst is refused; None: the command line, whoever holds the database)."""
    if not _may_approve(role):
        raise UserError("approve-needs-approver",
                        "Chỉ người duyệt số liệu hoặc quản trị viên mới duyệt được một đợt nhập; cán bộ nghiệp vụ "
                        "thì không. Hãy nhờ người duyệt.",
                        "Only an approver or an administrator can approve a batch; an analyst cannot. "
                        "Ask an approver.")
    try:
        with store.queued_transaction() as (cur, _):  # approving re-rolls figures: it queues like the writes
            approve_batch(cur, batch, user)
            audit.record(cur, actor or user, "approve", {"batch": batch, "recorded_as": user}, source=source)
    except (duckdb.Error, postgres.WriteConflict, postgres.LockWaitTimeout) as exc:
        raise _translated(exc) from exc


def _may_approve(role: str | None) -> bool:
    return role is None or users.allows(role, "approver")


def _changed_under(store: Store, cur, report: Report) -> bool:
    """Whether what the check compared with changed since: on DuckDB any write (one writing process, so no
    one else's import is in flight); on PostgreSQL the catalogue or the schema, or a value of one of the file's
    cells (a batch written, or undone, since the check): imports of other provinces meanwhile do not count."""
    if store.engine != "postgresql":
        return True
    now = data_version(cur)
    if now[2:] != tuple(report.data_version[2:]):
        return True
    dialect.stage(cur, "file_cells", preview.cells_frame(report), like="observations")
    try:
        return bool(cur.execute("""
            SELECT EXISTS (SELECT 1 FROM observations o JOIN file_cells k
                                  ON k.unit = o.unit AND k.indicator = o.indicator AND k.year = o.year
                           WHERE o.batch > ? OR o.batch IN (SELECT reverts FROM batches WHERE id > ?))""",
                                [report.data_version[0], report.data_version[0]]).fetchall()[0][0])
    finally:
        dialect.unstage(cur, "file_cells")


def _rows(store: Store, cur, report: Report) -> str | pd.DataFrame:
    """The cells to write: a view over the staged parquet on DuckDB (and ``import_rows_in_order``, the same in the
    order DuckDB stores them); on PostgreSQL a frame that ``write_batch`` sends with ``COPY … FROM STDIN`` (the
    server cannot read this machine's files)."""
    if store.engine == "postgresql":
        return preview.written_frame(report)
    cur.execute(f"CREATE TEMP VIEW import_rows AS {preview.written_sql(report)}")
    small = preview.small_fields(cur, report)
    cur.execute(f"CREATE TEMP VIEW import_rows_in_order AS {preview.written_sql(report, in_order=True, small=small)}")
    return "import_rows"


def _scoped(scope: str | None) -> dict:
    return {"scope": scope} if scope else {}


def _translated(exc: Exception) -> Exception:
    """A write conflict, or a refusal by row-level security, becomes a message; any other database error stays
    what it is."""
    if isinstance(exc, postgres.OutsideScope):
        return UserError("outside-scope-refused",
                         "Cơ sở dữ liệu từ chối ghi số liệu của đơn vị ngoài phạm vi của bạn; không có gì được ghi. "
                         "Hãy nhờ quản trị viên hoặc người được giao phạm vi đó.",
                         "The database refused to write figures of a unit outside your scope; nothing was written. "
                         "Ask an administrator or someone whose scope covers it.")
    if isinstance(exc, (duckdb.TransactionException, postgres.WriteConflict, postgres.LockWaitTimeout)) or "conflict" in str(exc).lower():
        return _conflict()
    return exc


def _stale() -> UserError:
    return UserError("data-changed",
                     "Số liệu trong cơ sở dữ liệu đã thay đổi (có người khác vừa nhập hoặc hoàn tác) kể từ lúc kiểm tra "
                     "tệp. Không có gì được ghi. Hãy kiểm tra lại tệp để xem bản xem trước mới, rồi xác nhận.",
                     "The data changed (someone else imported or undid something) since the file was checked. "
                     "Nothing was written. Check the file again to see a fresh preview, then confirm.")


def _conflict() -> UserError:
    return UserError("import-conflict",
                     "Một người khác đang ghi vào cơ sở dữ liệu cùng lúc nên lần nhập này bị hủy; không có gì được ghi. "
                     "Hãy đợi một lát, kiểm tra lại tệp rồi xác nhận.",
                     "Someone else was writing to the database at the same moment, so this import was cancelled; "
                     "nothing was written. Wait a moment, check the file again and confirm.")
