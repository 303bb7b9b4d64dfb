"""The PDF report (A4 portrait), laid out like the resolution's numbered list of targets.

Text is set in DejaVu Sans, shipped in ``fonts/`` and embedded in the file, so every Vietnamese
letter and status mark prints whatever fonts the computer has. No chart images: the report is the
numbers and the words of a mid-term review (báo cáo sơ kết); the deck carries the charts.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from metrics.exports import facts
from metrics.exports.report import Item, Report, Section
from metrics.exports.slides import quota_lines
from metrics.exports.textfit import BOLD, REGULAR, register_fonts
from metrics.exports.words import w
from metrics.judging.quotas import TargetQuotas, ahead_sentence, carriers_sentence, reconciliation_sentence
from metrics.vocabulary import statuses
from metrics.vocabulary.i18n import name

ACCENT = colors.HexColor("#0072B2")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#BBBBBB")
MARGIN = 18 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=15, leading=20, alignment=TA_CENTER,
                                spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11, leading=15, alignment=TA_CENTER),
        "pinned": ParagraphStyle("pinned", base, fontName=BOLD, alignment=TA_CENTER, textColor=ACCENT,
                                 spaceBefore=6),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=12.5, leading=17, spaceBefore=12, spaceAfter=6),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=11, leading=15, spaceBefore=10, spaceAfter=4,
                             textColor=ACCENT),
        "item": ParagraphStyle("item", base, fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=8),
        "quote": ParagraphStyle("quote", base, fontSize=9, leading=12, textColor=MUTED, leftIndent=8),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=8, leading=10, textColor=MUTED),
        "note": ParagraphStyle("note", base, fontSize=8, leading=10.5, textColor=MUTED),
        "warn": ParagraphStyle("warn", base, alignment=TA_CENTER, textColor=colors.HexColor("#8A4B00"), spaceBefore=2),
        "notice": ParagraphStyle("notice", base, alignment=TA_CENTER, textColor=MUTED, spaceBefore=2),
        "foot": ParagraphStyle("foot", base, fontSize=8, leading=10.5, leftIndent=14, firstLineIndent=-14),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """Data text is escaped: a label with ``<`` or ``&`` is printed, never read as markup."""
    return Paragraph(escape(text), style)


def render(report: Report) -> bytes:
    """The PDF file of the report; the same report always gives the same bytes."""
    register_fonts()
    deck, lang = report.deck, report.deck.lang
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"{w('report_title', lang).capitalize()} — {deck.plan_name}",
                            author="kpi-dashboard", subject=deck.pinned.line(lang), creator="kpi-dashboard",
                            invariant=1)
    styles = _styles()
    story = _front(report, styles) + _summary(report, styles)
    story.append(_p(w("section_targets", lang), styles["h1"]))
    for section in report.sections:
        story += _section(report, section, styles)
    story += _quotas(report, styles)
    story += _closing(report, styles)

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 10 * mm, deck.footer())
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, w("page", lang).format(page=document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _front(report: Report, styles) -> list:
    deck, lang = report.deck, report.deck.lang
    story = [_p(w("report_title", lang), styles["title"]), _p(deck.plan_name, styles["subtitle"]),
             _p(f"{deck.unit_name} · {w('report_year', lang).format(year=deck.year)}", styles["subtitle"]),
             _p(deck.pinned.line(lang), styles["pinned"])]
    return story + _shared_notes(report, styles) + [Spacer(1, 4 * mm)]


def _shared_notes(report: Report, styles) -> list:
    """Every note on the figures, once, with the targets it concerns (never repeated under each target)."""
    lang, total = report.deck.lang, len(report.items)
    story = []
    for key, codes in report.notes():
        scope = (w("scope_all", lang).format(count=total) if len(codes) == total
                 else w("scope_some", lang).format(codes=", ".join(codes)))
        text = facts.note_text(key, report.deck.note_years(key), lang)
        story.append(_p(f"{text} {scope}", styles["warn" if key == "illustrative" else "notice"]))
    if report.deck.ended:
        story.insert(0, _p(f"{report.deck.ended}.", styles["notice"]))
    return story


def _summary(report: Report, styles) -> list:
    deck, lang = report.deck, report.deck.lang
    story = [_p(w("section_summary", lang), styles["h1"]), _p(deck.summary(), styles["body"]), Spacer(1, 3 * mm)]
    counts = deck.counts()
    data = [[_p(w("status", lang), styles["head"]), _p(w("status_count", lang), styles["head"])]]
    for status, count in counts:
        data.append([_p(status.badge_text(lang), _inked(styles["cell"], status)),
                     _p(f"{count}/{len(deck.rows)}", styles["cell"])])
    table = Table(data, colWidths=[60 * mm, 30 * mm], hAlign="LEFT")
    style = [("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for i, (status, _) in enumerate(counts, start=1):
        style.append(("BACKGROUND", (0, i), (0, i), colors.HexColor(status.colour)))
    table.setStyle(TableStyle(style))
    story.append(table)
    focus = deck.focus()
    if focus:
        story.append(Spacer(1, 3 * mm))
        story.append(_p(w("focus", lang) + ":", ParagraphStyle("focus", styles["body"], fontName=BOLD)))
        for row in focus:
            story.append(_p(f"• {facts.badge(row, lang)} — {facts.headline(row, lang)}", styles["body"]))
    return story


def _section(report: Report, section: Section, styles) -> list:
    lang = report.deck.lang
    story = [_p(section.title, styles["h2"])]
    for item in section.items:
        story.append(KeepTogether(_item(report, item, styles)))
    story.append(Spacer(1, 3 * mm))
    story.append(_p(w("footnotes", lang), ParagraphStyle("fh", styles["note"], fontName=BOLD)))
    for number, text in section.footnotes(report):
        story.append(_p(f"[{number}] {text}", styles["foot"]))
    return story


def _item(report: Report, item: Item, styles) -> list:
    row, lang = item.row, report.deck.lang
    refs = "".join(f"[{n}]" for n in sorted(item.notes))  # [1][2][3], as a reader expects
    parts = [_p(f"{item.number}. {facts.headline(row, lang)}", styles["item"]),
             _p(f"{w('wording', lang)}: «{row.target.wording_vi}» [{item.notes[0]}]", styles["quote"]),
             Spacer(1, 2 * mm), _facts_table(row, report.deck, styles), Spacer(1, 1.5 * mm),
             Paragraph(f"{escape(facts.wording_sentence(row, lang))} <font size=7 color='#555555'>"
                       f"<super>{refs}</super></font>", styles["body"])]
    notes = report.own_notes(item)
    as_was = facts.as_was_line(row, lang)
    if as_was:
        notes.append(as_was)
    if notes:
        parts.append(_p(" ".join(notes), styles["note"]))
    return parts


def _inked(style: ParagraphStyle, status) -> ParagraphStyle:
    """A cell style whose text reads on the status's colour."""
    return ParagraphStyle(f"{style.name}-{status.code}", style, textColor=colors.HexColor(status.ink))


def _lines(text: str, style: ParagraphStyle) -> Paragraph:
    """A cell of several lines (``\\n``), each escaped."""
    return Paragraph("<br/>".join(escape(line) for line in text.split("\n")), style)


def _widths(texts: list[str], style: ParagraphStyle) -> list[float]:
    """Column widths that fill the page: an even share each, the first (the starting point: a year and
    its value a line, ``2024: ✔ 84,60%``) widened so that its lines do not break, taken from the others."""
    total, padding = A4[0] - 2 * MARGIN, 8
    even = total / len(texts)
    need = max(pdfmetrics.stringWidth(line, style.fontName, style.fontSize) + padding for line in texts[0].split("\n"))
    first = min(max(need, even), 1.6 * even)
    rest = (total - first) / (len(texts) - 1)
    return [first] + [rest] * (len(texts) - 1)


def _facts_table(row, deck, styles) -> Table:
    lines = facts.fact_lines(row, deck.lang, deck.period_totals)
    status = statuses.status(row.status)
    header = [_p(line.label, styles["head"]) for line in lines]
    values = [_lines(line.value, styles["cell"]) for line in lines[:-1]] + [_p(lines[-1].value, _inked(styles["cell"], status))]
    table = Table([header, values], colWidths=_widths([line.value for line in lines], styles["cell"]), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE), ("LINEBELOW", (0, 1), (-1, 1), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (-1, 1), (-1, 1), colors.HexColor(status.colour)),
    ]))
    return table


def _quotas(report: Report, styles) -> list:
    """Section 3 when the plan has targets divided among the units: each one's quotas against it, who carries
    its gap, and every unit's quota, figure and status against its quota (as the target page's table)."""
    if not report.quotas:
        return []
    lang = report.deck.lang
    story = [_p(w("section_quotas", lang).format(year=report.deck.year), styles["h1"])]
    for quotas in report.quotas:
        story.append(KeepTogether([_p(f"{quotas.target.code} · {name(quotas.target, 'label', lang)}", styles["h2"]),
                                   _p(reconciliation_sentence(quotas, lang), ParagraphStyle("rec", styles["body"],
                                                                                          fontName=BOLD)),
                                   _p(carriers_sentence(quotas, lang, named=False), styles["body"])]))
        if ahead := ahead_sentence(quotas, lang):
            story.append(_p(ahead, styles["body"]))
        story += [Spacer(1, 2 * mm), _quota_table(quotas, lang, styles)]
    return story


def _quota_table(quotas: TargetQuotas, lang: str, styles) -> Table:
    """Every unit given a quota, most of the gap first: its quota, figure, status (coloured, with its symbol and
    words) and how far behind its quota's pace it is; the header repeated on each page."""
    data = [[_p(head, styles["head"]) for head in w("quotas_columns", lang).split("|")]]
    style = [("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for i, (row, cells) in enumerate(quota_lines(quotas, lang, limit=None), start=1):
        status = statuses.status(row.status)
        data.append([_p(text, _inked(styles["cell"], status) if j == 3 else styles["cell"])
                     for j, text in enumerate(cells)])
        style.append(("BACKGROUND", (3, i), (3, i), colors.HexColor(status.colour)))
    total = A4[0] - 2 * MARGIN
    table = Table(data, colWidths=[total * f for f in (0.38, 0.14, 0.14, 0.2, 0.14)], hAlign="LEFT", repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _closing(report: Report, styles) -> list:
    deck, lang = report.deck, report.deck.lang
    number = 4 if report.quotas else 3
    story = [_p(w("section_notes", lang).format(number=number), styles["h1"]), _p(w("method_note", lang), styles["body"]),
             Spacer(1, 2 * mm),
             _p(f"{w('legend', lang)}: " + "; ".join(s.badge_text(lang) for s in statuses.TABLE), styles["body"])]
    story += [Spacer(1, 2 * mm), _p(f"{deck.pinned.line(lang)}. {w('generated', lang)}", styles["note"])]
    return [KeepTogether(story)]  # never a last page holding one line
