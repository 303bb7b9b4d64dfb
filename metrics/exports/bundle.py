"""One entry point for every export, so the page's downloads and ``python -m metrics export`` agree.

``build(store, Choice(...))`` pins the data (the batch asked for, or the newest), judges the plan on
exactly that state and returns the file's bytes. The same choice gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from metrics.exports import data, deck
from metrics.exports.pinned import Pinned, pin
from metrics.exports.scope import plan_line
from metrics.exports.slides import Deck, build_deck
from metrics.judging.scorecard import Scorecard
from metrics.storage.store import Store
from metrics.vocabulary.errors import UserError

FORMATS = ("pptx", "pdf", "xlsx", "csv")
MIME_TYPES = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


@dataclass(frozen=True)
class Choice:
    """What to export: the format, the plan and year, the data state and the language."""

    format: str
    plan: str | None = None  # None: the plan in force with the widest scope
    year: int | None = None  # None: the plan's latest year with data
    as_of: int | None = None  # None: the newest batch (the data in force now)
    lang: str = "vi"
    provisional: bool = False  # include the batches not yet approved (marked); default: approved figures only


def check_plan(card: Scorecard, plan: str | None) -> str:
    plans = list(card.plans)
    if not plans:
        raise UserError("no-plan", "Chưa có kế hoạch nào trong cơ sở dữ liệu. Hãy nạp kế hoạch và chỉ tiêu: "
                        "python -m metrics targets import plans.csv indicators.csv targets.csv",
                        "There is no plan in the database yet. Load plans and targets: "
                        "python -m metrics targets import plans.csv indicators.csv targets.csv")
    plan = plan or plans[0]  # the plan in force with the widest scope, as Store.default_plan and the sidebar choose
    if plan not in card.plans:
        known = ", ".join(plans) or "—"
        raise UserError("unknown-plan", f"Không có kế hoạch “{plan}”. Các kế hoạch hiện có: {known}.",
                        f"There is no plan “{plan}”. Known plans: {known}.")
    return plan


def make_deck(card: Scorecard, pinned: Pinned, choice: Choice) -> Deck:
    """The deck model of a choice, on a scorecard built as of ``pinned``."""
    return build_deck(card, check_plan(card, choice.plan), choice.year, choice.lang, pinned)


def render(model: Deck, fmt: str) -> bytes:
    """The file of a deck model: the slides, or the report of the same figures."""
    if fmt == "pptx":
        return deck.render(model)
    from metrics.exports import report  # the report's writers only when asked for (reportlab's pages, openpyxl)

    if fmt == "pdf":
        from metrics.exports import report_pdf

        return report_pdf.render(report.build_report(model))
    if fmt == "xlsx":
        from metrics.exports import report_xlsx

        return report_xlsx.render(report.build_report(model))
    raise ValueError(f"not a document format: {fmt!r}")


def build(store: Store, choice: Choice) -> bytes:
    """The bytes of one export."""
    if choice.format not in FORMATS:
        raise UserError("unknown-format", f"Định dạng “{choice.format}” không được hỗ trợ; chọn một trong: "
                        f"{', '.join(FORMATS)}.", f"Unknown format “{choice.format}”; use one of: {', '.join(FORMATS)}.")
    with store.reading():  # one state of the data from the first read to the last
        pinned = pin(store, choice.as_of, choice.provisional)
        if choice.format == "csv":
            return data.values_csv(store, pinned.as_of, approved_only=pinned.approved_only,
                                   marked=bool(pinned.provisional) and not pinned.approved_only)
        # only the plan's line of the organisation: the nation's 264,000 periods were ~40 % of its deck (issue 17)
        card = Scorecard(store, as_of=pinned.as_of, approved_only=pinned.approved_only,
                         org=plan_line(store, choice.plan))
        return render(make_deck(card, pinned, choice), choice.format)


def file_name(choice: Choice, pinned: Pinned, plan: str | None = None, year: int | None = None) -> str:
    """``trinh-chieu_DH-XI-2023-2028_2026_dot-12.pptx`` — what, which plan and year, which data."""
    kind = {"pptx": "trinh-chieu", "pdf": "bao-cao", "xlsx": "bao-cao", "csv": "so-lieu"}[choice.format]
    parts = [kind]
    if choice.format != "csv":
        parts += [plan or choice.plan or "", str(year or choice.year or "")]
    parts.append(f"dot-{pinned.batch}" if pinned.batch is not None else "")
    if pinned.provisional:  # which figures, in the name too: approved only, or with the provisional ones
        parts.append("da-duyet" if pinned.approved_only else "gom-tam-tinh")
    stem = "_".join(re.sub(r"[^A-Za-z0-9.-]+", "-", p) for p in parts if p)
    return f"{stem}.{choice.format}"
