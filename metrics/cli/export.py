"""``python -m metrics export``: the deck, the report or the data, as the presentation page gives them.

``metrics/cli/commands.py`` registers this command; the work is ``metrics.exports.bundle.build``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from metrics.cli.output import check_out, write_file
from metrics.storage import db
from metrics.storage.store import Store

# The formats of metrics.exports.bundle.FORMATS (a test holds them equal), written here so that building the
# parser does not import the exports (python-pptx, reportlab, openpyxl, Plotly): only ``export`` needs them.
FORMATS = ("pptx", "pdf", "xlsx", "csv")

WHAT = {"pptx": ("bài trình chiếu", "presentation"), "pdf": ("báo cáo PDF", "PDF report"),
        "xlsx": ("báo cáo Excel", "Excel report"), "csv": ("số liệu (CSV)", "figures (CSV)")}


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common], help="the deck (pptx), the report (pdf, xlsx) or the data (csv)")
    p.add_argument("--format", choices=FORMATS, required=True, help="pptx, pdf, xlsx or csv")
    p.add_argument("--out", type=Path, required=True, help="file to write (an existing one only with --force)")
    p.add_argument("--force", action="store_true", help="replace an existing file (never the database itself)")
    p.add_argument("--plan", help="plan code (default: the plan in force with the widest scope)")
    p.add_argument("--year", type=int, help="year judged (default: the plan's latest year with data)")
    p.add_argument("--as-of", type=int, dest="as_of",
                   help="the data as right after this import batch (default: the newest batch)")
    p.add_argument("--include-provisional", action="store_true", dest="provisional",
                   help="include the batches not yet approved, marked (default: approved figures only)")
    p.set_defaults(handler=cmd_export)


def cmd_export(args) -> int:
    """Write one export; ``--lang`` chooses the language of the file as well as of the messages."""
    from metrics.exports.bundle import Choice, build
    from metrics.exports.pinned import pin

    check_out(args.out, force=args.force, database=args.db or db.location())  # before the work
    store = Store.open(args.db or db.location(), read_only=True)
    try:
        _check_year(store, args)
        content = build(store, Choice(args.format, args.plan, args.year, args.as_of, args.lang, args.provisional))
        pinned = pin(store, args.as_of, args.provisional)
    finally:
        store.close()
    write_file(args.out, content, force=args.force, database=args.db or db.location())
    vi, en = WHAT[args.format]
    size = f"{len(content) / 1024:.0f} KB"
    print(f"Đã ghi {args.out} ({vi}, {size}) — {pinned.line('vi')}." if args.lang == "vi"
          else f"Wrote {args.out} ({en}, {size}) — {pinned.line('en')}.")
    return 0


def _check_year(store: Store, args) -> None:
    from metrics.judging.scorecard import check_year

    if args.year is None or args.format == "csv":
        return
    plan = store.plan(store.chosen_plan(args.plan))  # a clear error for an unknown plan
    check_year(plan, args.year)
