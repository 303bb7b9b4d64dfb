"""``python -m metrics``: a thin command line over the library (docs/interfaces.md).

Every command takes ``--db`` (default ``KPI_DB``, else ``data/kpi.duckdb``) and ``--lang vi|en``.
Exit code 0 on success, 1 on an error the user can fix (the message says how), 2 on bad usage.
The command line needs no web sign-in (it is the tool of whoever holds the database file); every write
names the file it wrote and is recorded in the audit log under the operating-system user, source ``cli``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from metrics import synth
from metrics.cli import admin as cli_admin
from metrics.cli import export as export_command
from metrics.cli import overdue as overdue_command
from metrics.cli import quotas as quotas_command
from metrics.cli.output import TableWriter, write_file, write_table
from metrics.storage import audit, db
from metrics.storage.store import Store
from metrics.vocabulary import fmt
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.messages import MESSAGES

if TYPE_CHECKING:
    from metrics.catalogue.loading import LoadResult

# Each command imports the engines it uses when it runs (the catalogue, the intake, the judging, the exports):
# a call pays only for its own, and ``--help`` or a usage error for none of them.

HISTORY_COLUMNS = ["batch", "file", "sha256", "rows", "user", "time", "state", "approval", "approved_by"]


def main(argv: list[str] | None = None) -> int:
    db.private_files()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except UserError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader left early (``status | head``): nothing more to say to anyone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own recipe: no error at exit
        return 1


def _global_options(defaults: bool) -> argparse.ArgumentParser:
    """``--db`` and ``--lang``, accepted before and after the command name.

    Only the top-level parser has defaults: a subcommand's own default would overwrite the value given
    before the command name (argparse copies every default of a subparser into the result).
    """
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--db", type=db.location, default=None if defaults else argparse.SUPPRESS,
                         help="database file, or a postgresql:// URL (default: $KPI_DB, else data/kpi.duckdb)")
    options.add_argument("--lang", choices=("vi", "en"),
                         default=os.environ.get("KPI_LANG", "vi") if defaults else argparse.SUPPRESS,
                         help="language of messages (default: vi)")
    return options


def build_parser() -> argparse.ArgumentParser:
    common = _global_options(defaults=False)  # every command's own copy: no defaults of its own
    parser = argparse.ArgumentParser(prog="python -m metrics", parents=[_global_options(defaults=True)],
                                     description="KPI dashboard data: build, load, judge, export.")
    sub = parser.add_subparsers(title="commands")

    p = sub.add_parser("init", parents=[common], help="create the database (--demo: with the shipped data)")
    p.add_argument("--demo", action="store_true", help="load the shipped An Giang plans, units and data")
    p.add_argument("--force", action="store_true", help="delete an existing database file first")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("status", parents=[common], help="one row per target × unit in scope")
    p.add_argument("--plan", help="plan code (default: the plan in force with the widest scope)")
    p.add_argument("--year", type=int, help="year (default: the plan's latest year with data, within its term)")
    p.add_argument("--unit", help="only this unit code")
    p.add_argument("--as-of", type=int, dest="as_of", help="the data as right after this import batch")
    p.add_argument("--approved-only", action="store_true", dest="approved_only",
                   help="leave out the batches not yet approved (the approved figures in force)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(handler=cmd_status)

    for noun, handler, help_text in (("units", cmd_units_import, "load or update units from CSV or Excel"),
                                     ("targets", cmd_targets_import,
                                      "load plans, indicators, targets and period totals from CSV or Excel")):
        group = sub.add_parser(noun, parents=[common], help=help_text).add_subparsers(title="actions")
        p = group.add_parser("import", parents=[common], help=help_text)
        p.add_argument("files", nargs="+" if noun == "targets" else 1, type=Path, metavar="FILE")
        if noun == "targets":
            p.add_argument("--dry-run", action="store_true", help="check and preview; write nothing")
            p.add_argument("--replace", action="store_true",
                           help="the files hold the whole target list of each plan they name: remove its other targets")
        p.set_defaults(handler=handler)
        if noun == "targets":
            quotas_command.add_parsers(group, common)  # allocate, reconcile (metrics/cli/quotas.py)

    p = sub.add_parser("import", parents=[common], help="load indicator values from CSV or Excel")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="check and preview; write nothing")
    p.add_argument("--sheet", help="Excel sheet, by name or position (0 = first; default: the first)")
    p.add_argument("--plan", help="plan whose targets the preview judges (default: the plan in force with the widest scope)")
    p.add_argument("--encoding", help="text encoding of a CSV (default: detected), e.g. utf-8, cp1258")
    p.add_argument("--user", default=audit.cli_user(), help="recorded with the batch (default: you)")
    p.add_argument("--progress", action="store_true", help="print each step's progress on standard error")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("template", parents=[common], help="a values file to fill (or to correct: --filled), CSV or Excel")
    p.add_argument("--plan", help="plan code (default: the plan in force with the widest scope)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--units", help="comma-separated unit codes (default: the plan's unit and its upper-level unions)")
    p.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.xlsx")
    p.add_argument("--filled", action="store_true", help="fill in the figures in force, to correct some of them")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("history", parents=[common], help="list imports, newest last")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(handler=cmd_history)

    p = sub.add_parser("rollback", parents=[common], help="undo one import without touching the others")
    p.add_argument("batch", type=int, metavar="BATCH_ID")
    p.add_argument("--user", default=audit.cli_user(),
                   help="recorded with the undo (default: you); a dashboard user needs the approver role "
                        "to undo an approved batch")
    p.add_argument("--dry-run", action="store_true",
                   help="say which targets' statuses the undo would change; write nothing")
    p.add_argument("--plan", help="plan whose targets --dry-run judges (default: the plan in force with the widest scope)")
    p.set_defaults(handler=cmd_rollback)

    group = sub.add_parser("batches", parents=[common], help="approve imported batches").add_subparsers(title="actions")
    p = group.add_parser("approve", parents=[common], help="approve a provisional batch: its figures count as approved")
    p.add_argument("batch", type=int, metavar="BATCH_ID")
    p.add_argument("--user", default=audit.cli_user(),
                   help="recorded as the approver (default: you); a dashboard user needs the approver or admin role")
    p.set_defaults(handler=cmd_batches_approve)

    export_command.add_parser(sub, common)  # the deck, the report, the data (metrics/cli/export.py)
    overdue_command.add_parsers(sub, common)  # who is late, and the reporting deadlines (metrics/cli/overdue.py)
    cli_admin.add_parsers(sub, common)  # users, backup, restore, audit (metrics/cli/admin.py)
    synth.add_parser(sub, common)  # a generated national dataset (metrics/synth.py)
    return parser


def _say(args, vi: str, en: str) -> None:
    print(vi if args.lang == "vi" else en)


def _path(args) -> Path | str:
    """The DuckDB file, or the PostgreSQL URL (``metrics.storage.db.location``)."""
    return args.db or db.location()


def _open(args, read_only: bool = False) -> Store:
    return Store.open(_path(args), read_only=read_only)


def _written(args) -> None:
    """A write goes to the file of --db or KPI_DB, else the default one: say which, every time."""
    path = db.shown(_path(args))
    _say(args, f"Cơ sở dữ liệu: {path}", f"Database: {path}")


def cmd_init(args) -> int:
    from metrics.catalogue.loading import init_database

    path = _path(args)
    store = init_database(path, demo=args.demo, force=args.force)
    audit.record(store, audit.cli_user(), "init", {"demo": args.demo, "force": args.force}, source="cli")
    counts = store.rows("SELECT (SELECT count(*) FROM plans), (SELECT count(*) FROM targets), "
                        "(SELECT count(DISTINCT code) FROM units), (SELECT count(*) FROM observations)")[0]
    store.close()
    path = db.shown(path) if isinstance(path, str) else path
    _say(args, f"Đã tạo {path}: {counts[0]} kế hoạch, {counts[1]} chỉ tiêu, {counts[2]} đơn vị, {counts[3]} giá trị.",
         f"Created {path}: {counts[0]} plans, {counts[1]} targets, {counts[2]} units, {counts[3]} values.")
    if not args.demo:
        _say(args, "Tiếp theo, nạp các tệp của đơn vị mình: units import, targets import, rồi import số liệu "
                   "(xem docs/data-files.md).",
             "Next, load your own files: units import, targets import, then import the figures (see docs/data-files.md).")
    return 0


def cmd_status(args) -> int:
    """Write the rows target by target, so that the whole nation never sits in memory at once."""
    store = _open(args, read_only=True)
    store.access.set_memory_limit(db.STATUS_MEMORY_LIMIT)
    try:
        with store.reading():  # one state of the data for every row
            plan, written = _write_status(store, args)
    finally:
        store.close()
    if args.unit and not written:
        _explain_merged_part(args, plan)
        raise UserError("unknown-unit",
                        f"Không có chỉ tiêu nào của kế hoạch {plan} áp dụng cho đơn vị “{args.unit}” trong năm này. "
                        "Kiểm tra mã đơn vị (cột code trong units.csv) và năm.",
                        f"No target of plan {plan} applies to unit “{args.unit}” in that year. "
                        "Check the unit code (column code of units.csv) and the year.")
    return 0


def _explain_merged_part(args, plan: str) -> None:
    """A unit shown only as a part of a later merged unit (an old province in 2024) is not judged on its own
    against the plan of the merged one: say so, rather than "check the unit code"."""
    from metrics.judging.scorecard import Scorecard

    store = _open(args, read_only=True)
    try:
        card = Scorecard(store)
        year = card.judged_year(plan, args.year)
        merged = card.org.merged_into(args.unit, year)
        part, whole = card.org.any_period(args.unit), card.org.any_period(merged) if merged else None
    finally:
        store.close()
    if whole is None or part is None:
        return
    raise UserError("merged-part",
                    f"Năm {year}, {part.name_vi} ({part.code}) là một phần của {whole.name_vi} ({whole.code}) trước hợp "
                    f"nhất: kế hoạch {plan} đặt chỉ tiêu cho {whole.code}, với số liệu năm đó là tổng (tái lập) các "
                    f"đơn vị trước hợp nhất. Xem --unit {whole.code}; số liệu riêng của {part.code} có trên trang "
                    "Chỉ tiêu (bảng «Trước hợp nhất — từng đơn vị»).",
                    f"In {year}, {part.name_en or part.name_vi} ({part.code}) is a part of {whole.name_en or whole.name_vi} "
                    f"({whole.code}) before its merger: plan {plan} sets its targets for {whole.code}, whose figure that "
                    f"year is the (reconstructed) sum of the units before the merger. See --unit {whole.code}; "
                    f"{part.code}'s own figures are on the Target page (table “Before the merger — each unit”).")


def _write_status(store: Store, args) -> tuple[str, int]:
    from metrics.judging import bulk
    from metrics.judging.scorecard import Scorecard, records

    card = Scorecard(store, as_of=args.as_of, approved_only=args.approved_only)
    store.access.set_memory_limit(db.STATUS_SCAN_MEMORY_LIMIT)  # (the organisation is read: the targets' scans)
    plan = store.chosen_plan(args.plan)
    store.plan(plan)  # a clear error for an unknown plan
    year = card.judged_year(plan, args.year)
    units = [args.unit] if args.unit else None
    written = 0
    targets = card.targets(plan)
    if units is None:  # the whole plan: every unit judged at once (metrics.judging.bulk)
        frames = bulk.status_frames(card, plan, year, targets)
    else:
        frames = ((t, records(card.evaluate(plan, year, units=units, targets=[t.code]))) for t in targets)
    with TableWriter(args.format, digits=6) as out:
        for _, frame in frames:
            if not frame.empty:
                out.write(frame)
                written += len(frame)
            card.release()
    return plan, written


def _report_load(args, result: LoadResult, what: str) -> int:
    from metrics.ingest import text as report_text

    warnings = [p for p in result.problems if p.severity == "warning"]
    if not result.ok:
        for line in report_text.listed(result.problems, args.lang):
            print(line, file=sys.stderr)
        print(report_text.counts_of(result.problems, args.lang), file=sys.stderr)
        _say(args, "Không ghi gì vào cơ sở dữ liệu. Sửa các lỗi trên rồi chạy lại.",
             "Nothing was written to the database. Fix the problems above and run again.")
        return 1
    if warnings:
        _say(args, "Cảnh báo (không chặn việc nạp):", "Warnings (they do not stop the load):")
        for line in report_text.listed(warnings, args.lang):
            print("  " + line)
    counts = ", ".join(f"{k}: {v}" for k, v in result.counts.items())
    _say(args, f"Đã nạp {what} ({counts}).", f"Loaded {what} ({counts}).")
    _written(args)
    return 0


def cmd_units_import(args) -> int:
    from metrics.catalogue.loading import load_units

    store = _open(args)
    try:
        result = load_units(store, args.files[0], by=audit.cli_user(), source="cli")
        return _report_load(args, result, "đơn vị" if args.lang == "vi" else "units")
    finally:
        store.close()


def cmd_targets_import(args) -> int:
    from metrics.catalogue.loading import load_targets

    store = _open(args, read_only=args.dry_run)
    try:
        result = load_targets(store, args.files, dry_run=args.dry_run, replace=args.replace, by=audit.cli_user(),
                              source="cli")
    finally:
        store.close()
    if result.preview is not None:
        for line in result.preview.lines(args.lang):
            print(line)
    if result.ok and args.dry_run:
        _say(args, "Chạy thử (--dry-run): không ghi gì.", "Dry run: nothing was written.")
        return 0
    return _report_load(args, result, "kế hoạch/chỉ tiêu" if args.lang == "vi" else "plans/targets")


def cmd_history(args) -> int:
    import pandas as pd

    store = _open(args, read_only=True)
    try:
        batches = store.batches()
    finally:
        store.close()
    batches = batches[batches["kind"] != "rollback"]
    frame = pd.DataFrame({
        "batch": batches["id"], "file": batches["file_name"], "sha256": batches["sha256"],
        "rows": batches["rows"], "user": batches["user_name"],
        "time": batches["created_at"].map(lambda t: t.isoformat(timespec="seconds")),
        "state": batches["rolled_back_by"].map(lambda r: "active" if pd.isna(r) else f"rolled_back_by_{int(r)}"),
        "approval": batches["approved_at"].map(lambda a: "provisional" if pd.isna(a) else "approved"),
        "approved_by": batches["approved_by"],
    }, columns=HISTORY_COLUMNS)
    write_table(frame, args.format)
    return 0


def cmd_rollback(args) -> int:
    from metrics.ingest import intake

    if args.dry_run:
        return _undo_preview(args)
    store = _open(args)
    try:
        undo = intake.undo(store, args.batch, user=args.user, source="cli", actor=audit.cli_user(),
                           role=_role_of(store, args.user))
    finally:
        store.close()
    _say(args, f"Đã hoàn tác đợt nhập {args.batch} (thao tác #{undo}).",
         f"Rolled back batch {args.batch} (operation #{undo}).")
    _written(args)
    return 0


def _undo_preview(args) -> int:
    """``rollback --dry-run``: the targets of the plan whose value or status the undo would change."""
    from metrics.ingest import intake
    from metrics.ingest.text import status_change_lines
    from metrics.storage.store import value_batch

    store = _open(args, read_only=True)
    try:
        with store.cursor() as cur:
            value_batch(cur, args.batch)  # a clear message for a batch that does not exist
        plan = store.chosen_plan(args.plan)
        store.plan(plan)
        lines = status_change_lines(intake.undo_status_changes(store, args.batch, plan), args.lang)
    finally:
        store.close()
    _say(args, f"Hoàn tác đợt nhập {args.batch} sẽ đổi đánh giá chỉ tiêu (kế hoạch {plan}):",
         f"Undoing batch {args.batch} would change these targets (plan {plan}):")
    for line in lines or [("  (không chỉ tiêu nào)" if args.lang == "vi" else "  (none)")]:
        print(f"  {line}" if lines else line)
    _say(args, "Chạy thử (--dry-run): không ghi gì.", "Dry run: nothing was written.")
    return 0


def _role_of(store: Store, user: str) -> str | None:
    """The role of ``user`` when they are a dashboard user (the command line then holds them to it); None for
    anyone else: the command line is the tool of whoever holds the database."""
    from metrics.storage import users

    found = users.get(store, user)
    return None if found is None else (found.role if found.active else "viewer")


def cmd_batches_approve(args) -> int:
    from metrics.ingest import intake

    store = _open(args)
    try:
        intake.approve(store, args.batch, user=args.user, source="cli", actor=audit.cli_user(),
                       role=_role_of(store, args.user))
    finally:
        store.close()
    _say(args, f"Đã duyệt đợt nhập {args.batch}: số liệu của đợt này không còn là tạm tính.",
         f"Approved batch {args.batch}: its figures are no longer provisional.")
    _written(args)
    return 0


def cmd_import(args) -> int:
    from metrics.ingest import intake
    from metrics.ingest import text as report_text

    store = _open(args, read_only=args.dry_run)
    store.access.set_memory_limit(db.IMPORT_MEMORY_LIMIT)
    try:
        progress = _progress_printer(args.lang) if args.progress else None
        with intake.check(args.file, store=store, plan=args.plan, sheet=args.sheet, encoding=args.encoding,
                          progress=progress) as report:
            print(report_text.describe(report, args.lang))
            print(report_text.summary(report, args.lang))
            if not report.ok:
                for line in report_text.problem_lines(report, args.lang):
                    print(line, file=sys.stderr)
                print(report_text.counts_line(report, args.lang), file=sys.stderr)
                _say(args, "Không ghi gì vào cơ sở dữ liệu. Sửa các lỗi trên rồi chạy lại.",
                     "Nothing was written to the database. Fix the problems above and run again.")
                return 1
            _print_preview(args, report)
            if args.dry_run:
                _say(args, "Chạy thử (--dry-run): không ghi gì.", "Dry run: nothing was written.")
                return 0
            result = intake.commit(store, report, user=args.user, progress=progress, source="cli",
                                   actor=audit.cli_user())
    finally:
        store.close()
    if result.batch is None:
        _say(args, "Mọi giá trị đều đã có sẵn: không có gì thay đổi, không ghi gì.",
             "Every value is already there: nothing changed, nothing was written.")
    else:
        _say(args, f"Đã nhập đợt #{result.batch}: {fmt.number(result.written, 'vi')} giá trị. Hoàn tác: python -m metrics "
             f"rollback {result.batch}", f"Imported batch #{result.batch}: {fmt.number(result.written, 'en')} values. "
             f"Undo: python -m metrics rollback {result.batch}")
        _say(args, f"Số liệu của đợt này là tạm tính cho đến khi được duyệt: python -m metrics batches approve {result.batch}",
             f"Its figures are provisional until approved: python -m metrics batches approve {result.batch}")
        _written(args)
    return 0


def _progress_printer(lang: str):
    """``progress(fraction, step)`` as lines on standard error: ``writing 40%`` (scripts and tests watch them)."""
    last: list = [None]

    def show(fraction: float, step: str) -> None:
        line = f"{step} {int(fraction * 100)}%"
        if line != last[0]:
            print(line, file=sys.stderr, flush=True)
            last[0] = line
    return show


def _print_preview(args, report) -> None:
    from metrics.ingest import text as report_text

    sections = (("Cảnh báo (không chặn việc nhập):", "Warnings (they do not stop the import):",
                 report_text.problem_lines(report, args.lang, "warning")),
                ("Số liệu thay đổi (cũ → mới):", "Changed figures (old → new):", report_text.change_lines(report, args.lang)),
                ("Nguồn, ghi chú thay đổi (cũ → mới):", "Changed sources and notes (old → new):",
                 report_text.text_lines(report, args.lang)),
                ("Đánh giá chỉ tiêu thay đổi (tỉnh):", "Target statuses that change (province):",
                 report_text.status_lines(report, args.lang)))
    for vi, en, lines in sections:
        if lines:
            _say(args, vi, en)
            for line in lines:
                print("  " + line)


def cmd_template(args) -> int:
    from metrics.ingest import intake, templates

    store = _open(args, read_only=True)
    try:
        plan = store.chosen_plan(args.plan)
        accepted = intake.accepted_years(store)
        if args.year not in accepted:  # the import would refuse every row of it
            vi, en = MESSAGES["year-outside-plan"](str(args.year), fmt.year_runs(accepted), "")
            raise UserError("year-outside-plan", vi, en)
        units = [u.strip() for u in args.units.split(",") if u.strip()] if args.units else None
        frame = templates.rows(store, plan, args.year, units, args.lang, filled=args.filled)
    finally:
        store.close()
    suffix = args.out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UserError("unknown-format", "Tên tệp mẫu phải kết thúc bằng .csv hoặc .xlsx.",
                        "The template file name must end in .csv or .xlsx.")
    content = templates.as_csv(frame, args.lang) if suffix == ".csv" else templates.as_xlsx(frame, args.lang)
    write_file(args.out, content, force=args.force, database=_path(args))
    _say(args, f"Đã tạo {args.out}: {len(frame)} dòng cần điền.", f"Wrote {args.out}: {len(frame)} rows to fill.")
    return 0
