"""``python -m metrics overdue`` (who is late with their figures) and ``deadlines`` (set, list, import the
reporting deadline of a plan and year). ``metrics/cli/commands.py`` registers these commands.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from metrics.cli.output import check_out, write_file
from metrics.domain.deadlines import parse_day
from metrics.storage import audit, db
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("overdue", parents=[common],
                       help="units that have not reported every figure of a year by its deadline (list, Excel, letters)")
    p.add_argument("--plan", help="plan code (default: the plan in force with the widest scope)")
    p.add_argument("--year", type=int, help="the year of the figures (default: the plan's latest year with data)")
    p.add_argument("--on", help="count the days late up to this day, dd/mm/yyyy (default: today)")
    p.add_argument("--unit", help="the units reporting to this unit (default: the plan's unit)")
    p.add_argument("--format", choices=("csv", "xlsx", "pdf"), default="csv",
                   help="csv (to standard output unless --out), xlsx (the list) or pdf (a reminder letter per unit)")
    p.add_argument("--out", type=Path, help="file to write (required for xlsx and pdf)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--new-date", dest="new_date", help="pdf: the new date the letters ask for (default: 14 days on)")
    p.add_argument("--signer", help="pdf: the signer's title, lines separated by | (default: TM. BAN THƯỜNG VỤ|CHỦ TỊCH)")
    p.set_defaults(handler=cmd_overdue)

    group = sub.add_parser("deadlines", parents=[common], help="the reporting deadline of each plan and year")
    actions = group.add_subparsers(title="actions")
    p = actions.add_parser("set", parents=[common], help="set (or replace) the deadline of a plan's figures for a year")
    p.add_argument("--plan", help="plan code (default: the plan in force with the widest scope)")
    p.add_argument("--year", type=int, required=True, help="the year of the figures")
    p.add_argument("--date", required=True, help="the deadline, dd/mm/yyyy (e.g. 15/01/2026)")
    p.add_argument("--note", help="a note kept with it (the document that set it)")
    p.set_defaults(handler=cmd_deadlines_set)
    p = actions.add_parser("list", parents=[common], help="every deadline set")
    p.add_argument("--plan", help="only this plan")
    p.set_defaults(handler=cmd_deadlines_list)
    p = actions.add_parser("import", parents=[common], help="set the deadlines of a file (plan, year, deadline, note)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_deadlines_import)


def _say(args, vi: str, en: str, err: bool = False) -> None:
    print(vi if args.lang == "vi" else en, file=sys.stderr if err else sys.stdout)


def _day(text: str, option: str) -> dt.date:
    try:
        return parse_day(text)
    except ValueError as exc:
        vi, en = exc.args
        raise UserError("invalid-day", f"{option}: {vi}", f"{option}: {en}") from None


def _path(args) -> Path | str:
    return args.db or db.location()


def cmd_overdue(args) -> int:
    from metrics.exports import reminders
    from metrics.judging.overdue import overdue
    from metrics.judging.scorecard import Scorecard

    on = _day(args.on, "--on") if args.on else None
    new_date = _day(args.new_date, "--new-date") if args.new_date else None
    if args.format != "csv" and args.out is None:
        raise UserError("missing-out", f"Định dạng {args.format} cần --out TỆP (ví dụ --out tre-han.{args.format}).",
                        f"The {args.format} format needs --out FILE (e.g. --out late.{args.format}).")
    if args.out is not None:
        check_out(args.out, force=args.force, database=_path(args))  # before the work
    store = Store.open(_path(args), read_only=True)
    try:
        with store.reading():
            card = Scorecard(store)
            plan = store.chosen_plan(args.plan)
            store.plan(plan)  # a clear error for an unknown plan
            year = card.judged_year(plan, args.year)
            found = overdue(card, plan, year, on, args.unit, args.lang)
    finally:
        store.close()
    if args.format == "csv":
        content = reminders.overdue_csv(found)
    elif args.format == "xlsx":
        content = reminders.overdue_xlsx(found, args.lang)
    else:
        signer = args.signer.replace("|", "\n") if args.signer else None
        content = reminders.reminder_pdf(found, reminders.Letter.for_list(found, new_date, signer))
    _say(args, found.headline("vi"), found.headline("en"), err=args.out is None)
    if args.out is None:
        sys.stdout.write(content.decode("utf-8-sig"))
        return 0
    write_file(args.out, content, force=args.force, database=_path(args))
    _say(args, f"Đã ghi {args.out}: {len(found.units)} đơn vị trễ hạn.", f"Wrote {args.out}: {len(found.units)} late units.")
    return 0


def cmd_deadlines_set(args) -> int:
    from metrics.catalogue import deadlines

    due = _day(args.date, "--date")
    store = Store.open(_path(args))
    try:
        plan = store.chosen_plan(args.plan)
        deadlines.set_one(store, plan, args.year, due, note=args.note, by=audit.cli_user(), source="cli")
    finally:
        store.close()
    shown = due.strftime("%d/%m/%Y")
    _say(args, f"Đã đặt hạn báo cáo số liệu năm {args.year} của kế hoạch {plan}: {shown}.",
         f"Set the deadline of plan {plan}'s figures for {args.year}: {shown}.")
    _say(args, f"Cơ sở dữ liệu: {db.shown(_path(args))}", f"Database: {db.shown(_path(args))}")
    return 0


def cmd_deadlines_list(args) -> int:
    import pandas as pd

    from metrics.cli.output import write_table
    from metrics.storage import deadlines

    store = Store.open(_path(args), read_only=True)
    try:
        rows = deadlines.deadlines(store, args.plan)
    finally:
        store.close()
    write_table(pd.DataFrame([(p, y, d.strftime("%d/%m/%Y"), n, b) for p, y, d, n, b in rows],
                             columns=["plan", "year", "deadline", "note", "set_by"]), "csv")
    return 0


def cmd_deadlines_import(args) -> int:
    from metrics.catalogue import deadlines
    from metrics.ingest import text as report_text

    store = Store.open(_path(args))
    try:
        result = deadlines.load(store, args.file, by=audit.cli_user(), source="cli")
    finally:
        store.close()
    if not result.ok:
        for line in report_text.listed(result.problems, args.lang):
            print(line, file=sys.stderr)
        _say(args, "Không ghi gì vào cơ sở dữ liệu. Sửa các lỗi trên rồi chạy lại.",
             "Nothing was written to the database. Fix the problems above and run again.")
        return 1
    count = result.counts["deadlines"]
    _say(args, f"Đã nạp {count} hạn báo cáo.", f"Loaded {count} deadlines.")
    _say(args, f"Cơ sở dữ liệu: {db.shown(_path(args))}", f"Database: {db.shown(_path(args))}")
    return 0
