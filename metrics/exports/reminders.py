"""The overdue list as a file an office can send: an Excel list, and a reminder letter per late unit (PDF).

The letter follows the layout of a Vietnamese official letter (công văn): the federation's letterhead and the
national motto, the place and date, the subject (V/v …), the unit addressed, what it has not reported, the
deadline and how many days late, a polite request with a new date, and the signer's title. It is set in the
report's DejaVu Sans (every Vietnamese letter), one page per unit: a long list of missing figures is shrunk to
fit its page rather than spilling onto the next unit's.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from metrics.exports.data import table_csv, table_xlsx
from metrics.exports.textfit import BOLD, REGULAR, register_fonts
from metrics.judging.overdue import LateUnit, Overdue
from metrics.vocabulary import fmt

NATIONAL_BODY = "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
DEFAULT_SIGNER = "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH"
DEFAULT_GRACE_DAYS = 14  # the new date the letter asks for, counted from the day it is written
MARGIN_LEFT, MARGIN_RIGHT = 30 * mm, 18 * mm  # an official letter's margins (binding on the left)

HEADERS = {  # the Excel list's columns, in the language of the page that offers it: how late and whom to call first
    "no": ("STT", "No."), "code": ("Mã đơn vị", "Unit code"), "unit": ("Đơn vị", "Unit"),
    "due": ("Hạn báo cáo", "Deadline"), "days_late": ("Số ngày trễ", "Days late"),
    "contact_name": ("Người liên hệ", "Contact"), "contact_phone": ("Điện thoại", "Phone"),
    "contact_email": ("Email", "Email"),
    "missing_count": ("Số chỉ số còn thiếu", "Figures missing"), "missing": ("Chỉ số còn thiếu", "Missing figures"),
}
#: The command line's CSV: stable English column names, like ``status``.
CSV_COLUMNS = ["plan", "year", "unit", "unit_name", "missing_count", "missing", "due", "days_late",
               "contact_name", "contact_phone", "contact_email"]


@dataclass(frozen=True)
class Letter:
    """What every letter of one batch shares: who signs, by when the units are asked to report."""

    new_date: dt.date
    signer: str = DEFAULT_SIGNER  # the signer's title, a line each (the name is written by hand)
    written_on: dt.date | None = None  # the letter's date (default: the overdue list's day)

    @classmethod
    def for_list(cls, found: Overdue, new_date: dt.date | None = None, signer: str | None = None) -> Letter:
        return cls(new_date or found.on + dt.timedelta(days=DEFAULT_GRACE_DAYS), signer or DEFAULT_SIGNER)


def header(key: str, lang: str = "vi") -> str:
    """A column's header in the list (``HEADERS``) in ``lang``."""
    return HEADERS[key][0 if lang == "vi" else 1]


def overdue_frame(found: Overdue, lang: str = "vi") -> pd.DataFrame:
    """One row per late unit, with the headers of ``lang`` (the Excel list)."""
    pick = 0 if lang == "vi" else 1
    due = fmt.date(found.due, lang) if found.due else ""
    rows = [{HEADERS["no"][pick]: i, HEADERS["code"][pick]: u.code, HEADERS["unit"][pick]: u.name(lang),
             HEADERS["missing_count"][pick]: len(u.missing), HEADERS["missing"][pick]: "; ".join(u.missing_names(lang)),
             HEADERS["due"][pick]: due, HEADERS["days_late"][pick]: u.days_late,
             HEADERS["contact_name"][pick]: u.contact.name, HEADERS["contact_phone"][pick]: u.contact.phone,
             HEADERS["contact_email"][pick]: u.contact.email} for i, u in enumerate(found.units, start=1)]
    return pd.DataFrame(rows, columns=[h[pick] for h in HEADERS.values()])


def overdue_xlsx(found: Overdue, lang: str = "vi") -> bytes:
    sheet = f"Trễ hạn {found.year}" if lang == "vi" else f"Late {found.year}"
    return table_xlsx(overdue_frame(found, lang), sheet)


def overdue_csv(found: Overdue) -> bytes:
    """The command line's list: stable column names, missing figures as indicator codes."""
    due = found.due.isoformat() if found.due else None
    return table_csv(pd.DataFrame([{
        "plan": found.plan, "year": found.year, "unit": u.code, "unit_name": u.name_vi,
        "missing_count": len(u.missing), "missing": "|".join(u.missing), "due": due, "days_late": u.days_late,
        "contact_name": u.contact.name, "contact_phone": u.contact.phone, "contact_email": u.contact.email,
    } for u in found.units], columns=CSV_COLUMNS))


# --- the letters --------------------------------------------------------------------------------------

def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=11, leading=15.5, alignment=TA_JUSTIFY)
    centre = ParagraphStyle("centre", base, alignment=TA_CENTER, fontSize=10.5, leading=13.5)
    return {
        "body": base,
        "centre": centre,
        "centre_bold": ParagraphStyle("centre_bold", centre, fontName=BOLD, fontSize=10),
        "sender": ParagraphStyle("sender", centre, fontName=BOLD, fontSize=9.5, leading=12.5),
        "small": ParagraphStyle("small", centre, fontSize=9.5, leading=12),
        "place": ParagraphStyle("place", centre, fontSize=10.5),
        "to": ParagraphStyle("to", base, fontName=BOLD, alignment=TA_CENTER, spaceBefore=10, spaceAfter=8),
        "item": ParagraphStyle("item", base, leftIndent=16, firstLineIndent=-10, alignment=0),
        "note": ParagraphStyle("note", base, fontSize=9.5, leading=12.5, alignment=0),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def place_name(federation: str) -> str:
    """The place a letter is dated from: ``Liên đoàn Lao động tỉnh An Giang`` → ``An Giang`` (the words after
    the kind of unit; nothing in brackets); the whole name when it has no such form."""
    bare = re.sub(r"\s*\(.*?\)", "", federation).strip()
    found = re.search(r"\b(?:tỉnh|thành phố|TP\.?)\s+(.+)$", bare)
    return found.group(1) if found else bare


def reminder_pdf(found: Overdue, letter: Letter) -> bytes:
    """One reminder letter per late unit (in Vietnamese, as official letters are), one page each; an empty list
    gives a one-page PDF that says no unit is late."""
    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"Đôn đốc báo cáo số liệu năm {found.year}",
                            author="kpi-dashboard", creator="kpi-dashboard", invariant=1)
    styles = _styles()
    width, height = A4[0] - MARGIN_LEFT - MARGIN_RIGHT, A4[1] - 36 * mm
    story: list = []
    for i, unit in enumerate(found.units):
        if i:
            story.append(PageBreak())
        story.append(KeepInFrame(width, height - 2 * mm, _letter(found, unit, letter, styles, width), mode="shrink"))
    if not found.units:
        story = _letterhead(found, letter, styles, width) + [Spacer(1, 12 * mm), _p(found.headline("vi"), styles["body"])]
    doc.build(story)
    return out.getvalue()


def _letterhead(found: Overdue, letter: Letter, styles, width: float) -> list:
    federation = found.federation("vi")
    written = letter.written_on or found.on
    left = [_p(NATIONAL_BODY, styles["small"]), _p(re.sub(r"\s*\(.*?\)", "", federation).upper(), styles["sender"]),
            _p("Số: ....../LĐLĐ", styles["small"]),
            _p(f"V/v đôn đốc báo cáo số liệu năm {found.year}", styles["small"])]
    right = [_p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", styles["centre_bold"]),
             _p("Độc lập – Tự do – Hạnh phúc", styles["centre_bold"]), Spacer(1, 3 * mm),
             _p(f"{place_name(federation)}, ngày {written.day:02d} tháng {written.month:02d} năm {written.year}",
                styles["place"])]
    head = Table([[left, right]], colWidths=[width * 0.47, width * 0.53])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [head]


def _letter(found: Overdue, unit: LateUnit, letter: Letter, styles, width: float) -> list:
    due, on, new = (fmt.date(d, "vi") if d else "" for d in (found.due, found.on, letter.new_date))
    federation = re.sub(r"\s*\(.*?\)", "", found.federation("vi"))
    story = _letterhead(found, letter, styles, width)
    story += [_p(f"Kính gửi: {unit.name_vi}", styles["to"]),
              _p(f"Thực hiện {found.plan_name('vi')}, {federation} đề nghị các đơn vị báo cáo số liệu năm "
                 f"{found.year} chậm nhất ngày {due}.", styles["body"]), Spacer(1, 2 * mm),
              _p(f"Đến ngày {on}, {federation} chưa nhận đủ số liệu của đơn vị: còn thiếu {len(unit.missing)}/"
                 f"{unit.expected} chỉ số, đã trễ hạn {unit.days_late} ngày. Các chỉ số còn thiếu:",
                 styles["body"]), Spacer(1, 1.5 * mm)]
    story += [_p(f"{n}. {text}", styles["item"]) for n, text in enumerate(unit.missing_vi, start=1)]
    story += [Spacer(1, 2 * mm),
              _p(f"Đề nghị đơn vị quan tâm, chỉ đạo hoàn thiện và gửi đầy đủ số liệu trước ngày {new}. "
                 "Trân trọng cảm ơn sự phối hợp của đơn vị.", styles["body"])]
    if unit.contact.line():
        story += [Spacer(1, 2 * mm), _p(f"Người liên hệ của đơn vị: {unit.contact.line()}.", styles["note"])]
    signer = [_p(line, styles["centre_bold"]) for line in letter.signer.split("\n") if line.strip()]
    signer += [Spacer(1, 20 * mm), _p("(Ký, ghi rõ họ tên)", styles["small"])]  # room to sign by hand
    received = [_p("Nơi nhận:", ParagraphStyle("recv", styles["note"], fontName=BOLD)),
                _p("- Như trên;", styles["note"]), _p("- Lưu: VT.", styles["note"])]
    foot = Table([[received, signer]], colWidths=[width * 0.45, width * 0.55])
    foot.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return story + [Spacer(1, 6 * mm), foot]
