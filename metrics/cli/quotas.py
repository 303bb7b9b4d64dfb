"""``targets allocate`` (a target divided among the units below, written as an editable targets file) and
``targets reconcile`` (the units' quotas against the target, and who carries the gap)."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from metrics.domain.quotas import RULES
from metrics.storage import db
from metrics.storage.store import Store
from metrics.vocabulary import fmt
from metrics.vocabulary.errors import UserError


def add_parsers(group, common: argparse.ArgumentParser) -> None:
    p = group.add_parser("allocate", parents=[common],
                         help="divide a target among the upper-level unions below its unit: preview, then a file")
    p.add_argument("--target", required=True, help="target code (NK1a)")
    p.add_argument("--plan", help="plan code (needed only when several plans have the target)")
    p.add_argument("--rule", choices=RULES, default="baseline",
                   help="baseline: by each unit's base-year figure; workers: by its workers; equal: equal shares")
    p.add_argument("--year", type=int, help="the year whose units are given quotas (default: the plan's latest)")
    p.add_argument("--out", type=Path, help="write the quotas as a targets file (.csv or .xlsx) to edit and load")
    p.set_defaults(handler=cmd_allocate)
    p = group.add_parser("reconcile", parents=[common],
                         help="the units' quotas against each target, and which units carry the gap")
    p.add_argument("--plan", help="plan code (default: the plan in force with the widest scope)")
    p.add_argument("--target", help="only this target")
    p.add_argument("--year", type=int, help="year (default: the plan's latest year with data, within its term)")
    p.set_defaults(handler=cmd_reconcile)


def _open(args) -> Store:
    return Store.open(args.db or db.location(), read_only=True)


def cmd_allocate(args) -> int:
    from metrics.judging import quotas
    from metrics.judging.scorecard import Scorecard

    if args.out is not None and args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError("unknown-format", "Tệp ra phải là .csv hoặc .xlsx.", "The output file must be .csv or .xlsx.")
    store = _open(args)
    try:
        with store.reading():
            card = Scorecard(store)
            allocation = quotas.allocate(card, quotas.find_target(card, args.target, args.plan), args.rule, args.year)
    finally:
        store.close()
    for line in preview_lines(allocation, args.lang):
        print(line)
    if args.out is not None:
        _write(quotas.allocation_file(allocation), args.out)
        print(f"Đã ghi {args.out}: sửa nếu cần rồi nạp bằng python -m metrics targets import {args.out}"
              if args.lang == "vi" else
              f"Wrote {args.out}: edit it if needed, then load it with python -m metrics targets import {args.out}")
    return 0


def preview_lines(allocation, lang: str = "vi") -> list[str]:
    """The preview an analyst reads before writing: each unit, what it was weighed by, its quota."""
    from metrics.judging.wording import amount

    ind, t = allocation.indicator, allocation.target
    rule = {"baseline": ("theo số gốc", "by baseline"), "workers": ("theo số lao động", "by workers"),
            "equal": ("chia đều", "equal shares")}[allocation.rule][0 if lang == "vi" else 1]
    head = (f"Giao chỉ tiêu {t.code} ({amount(t.value, ind, lang)}) cho {len(allocation.shares)} đơn vị, {rule}, "
            f"năm {allocation.year}:" if lang == "vi" else
            f"Target {t.code} ({amount(t.value, ind, lang)}) divided among {len(allocation.shares)} units, {rule}, "
            f"{allocation.year}:")
    lines = [head]
    for s in allocation.shares:
        weight = "—" if s.weight is None else fmt.short(s.weight, ind.kind, lang)
        when = f" ({s.weight_year})" if s.weight_year else ""
        lines.append(f"  {s.unit.code:<16} {s.unit.name(lang):<48} {weight + when:>16}  {amount(s.quota, ind, lang)}")
    if ind.kind in ("stock", "flow"):
        lines.append(("  Tổng: " if lang == "vi" else "  Total: ") + amount(allocation.total, ind, lang))
    lines += [f"  ! {vi if lang == 'vi' else en}" for vi, en in allocation.notes]
    return lines


def _write(frame, path: Path) -> None:
    """Write whole or not at all: a temporary file beside it, renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    os.close(handle)
    try:
        if path.suffix.lower() == ".xlsx":
            frame.to_excel(temp, index=False)
        else:
            frame.to_csv(temp, index=False, encoding="utf-8-sig")
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


def cmd_reconcile(args) -> int:
    from metrics.judging import quotas
    from metrics.judging.scorecard import Scorecard

    store = _open(args)
    try:
        with store.reading():
            card = Scorecard(store)
            plan = store.chosen_plan(args.plan)
            store.plan(plan)
            year = card.judged_year(plan, args.year)
            targets = [quotas.find_target(card, args.target, plan)] if args.target else card.targets(plan)
            found = [q for t in targets if (q := quotas.target_quotas(card, t, year)) is not None]
    finally:
        store.close()
    if not found:
        print(f"Kế hoạch {plan} chưa giao chỉ tiêu nào cho đơn vị." if args.lang == "vi"
              else f"Plan {plan} has no quotas given to units.")
        return 0
    for q in found:
        label = q.target.label_vi if args.lang == "vi" else (q.target.label_en or q.target.label_vi)
        print(f"{q.target.code} — {label}")
        print("  " + quotas.reconciliation_sentence(q, args.lang))
        print("  " + quotas.carriers_sentence(q, args.lang))
    return 0
