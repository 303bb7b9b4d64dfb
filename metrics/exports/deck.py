"""The PowerPoint deck (16:9) of a ``Deck``: large type, native charts, status labels, speaker notes.

Text is Arial (every PowerPoint has it; LibreOffice uses the metric-compatible Liberation Sans), titles
at 36 pt or more and body text at 20 pt or more, so it reads from the back of a hall. Sizes of text
boxes are estimated from the text so that nothing is clipped (``tests`` render the deck to check).
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from metrics.exports import chart_draw, deck_charts, facts
from metrics.exports.data import fixed_zip
from metrics.exports.deck_charts import add_runs
from metrics.exports.slides import GROUP, QUOTAS, SUMMARY, TITLE, Deck, Slide, quota_lines, slide_notes
from metrics.exports.textfit import lines_needed, text_height
from metrics.exports.words import w
from metrics.judging.quotas import ahead_sentence, carriers_sentence, reconciliation_sentence
from metrics.vocabulary import statuses

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TEXT, MUTED, ACCENT = "1A1A1A", "555555", "0072B2"
TITLE_PT, TITLE_MIN_PT, BODY_PT, FOOTER_PT = 36, 28, 20, 14
FOOTER_TOP = Inches(6.95)


def render(deck: Deck) -> bytes:
    """The .pptx file of the deck; the same deck always gives the same bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    for number, slide in enumerate(deck.slides, start=1):
        page = prs.slides.add_slide(blank)
        {TITLE: _title, GROUP: _group, QUOTAS: _quotas, SUMMARY: _summary}[slide.kind](page, deck, slide)
        _footer(page, deck, number)
        page.notes_slide.notes_text_frame.text = slide_notes(deck, slide)
    props = prs.core_properties
    props.title = deck.plan_name
    props.subject = deck.subtitle()
    props.author = props.last_modified_by = "kpi-dashboard"
    props.created = props.modified = deck.pinned.timestamp()
    props.revision = 1
    out = io.BytesIO()
    prs.save(out)
    return fixed_zip(out.getvalue(), deck.pinned.timestamp())


# --- text helpers -------------------------------------------------------------------------------

def _text(page, text: str, x, y, cx, cy, size: float, bold: bool = False, colour: str = TEXT,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    box = page.shapes.add_textbox(x, y, cx, cy)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for i, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        add_runs(paragraph, line, size, bold, colour)
    return box


def _heading(page, title: str, part: str = "") -> int:
    """The slide title with an accent rule under it (and "(1/2)" beside the rule for a split group);
    returns where the body starts."""
    width = WIDTH - 2 * MARGIN
    size = title_size(title, width)
    height = text_height(title, width, size, bold=True)
    _text(page, title, MARGIN, Inches(0.3), width, height, size, bold=True)
    rule_y = Inches(0.3) + height + Inches(0.05)
    rule = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, rule_y, Inches(1.5), Inches(0.07))
    _fill(rule, ACCENT)
    if part:
        _text(page, part, MARGIN + Inches(1.65), rule_y - Pt(BODY_PT * 0.55), Inches(1.2), Pt(BODY_PT * 1.3),
              BODY_PT, colour=MUTED)
    return rule_y + Inches(0.15)


def title_size(title: str, width: int) -> float:
    """The largest title size that keeps a group's title on one line, down to ``TITLE_MIN_PT``: a title on
    two lines takes the height the charts below it need (English names run longer than Vietnamese ones)."""
    for size in range(TITLE_PT, TITLE_MIN_PT - 1, -2):
        if lines_needed(title, width, size, bold=True) == 1:
            return size
    return TITLE_MIN_PT


def _fill(shape, colour: str) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False


def status_label(page, row, x, y, cx, lang: str, size: float = BODY_PT):
    """A coloured label with the status symbol and words (never colour alone)."""
    cy = Pt(size * 1.9)
    shape = page.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x, y, cx, cy)
    status = statuses.status(row.status)
    _fill(shape, status.colour.lstrip("#"))
    frame = shape.text_frame
    frame.margin_left = frame.margin_right = Inches(0.12)
    frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    add_runs(paragraph, facts.badge(row, lang), size, bold=True, colour=status.ink.lstrip("#"))
    return shape


def _footer(page, deck: Deck, number: int) -> None:
    width = WIDTH - 2 * MARGIN
    _text(page, deck.footer(), MARGIN, FOOTER_TOP, width - Inches(1.2), Inches(0.4), FOOTER_PT, colour=MUTED)
    _text(page, f"{number}/{len(deck.slides)}", WIDTH - MARGIN - Inches(1.2), FOOTER_TOP, Inches(1.2),
          Inches(0.4), FOOTER_PT, colour=MUTED, align=PP_ALIGN.RIGHT)


# --- slides -------------------------------------------------------------------------------------

def _title(page, deck: Deck, slide: Slide) -> None:
    """The plan, the federation and year, the pinned batch and the shared notes, from 1.3" down; moved up
    as far as the band allows when a long (English) title would push the notes into the footer."""
    lang, width = deck.lang, WIDTH - 2 * MARGIN
    band = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, Inches(0.35))
    _fill(band, ACCENT)
    blocks = [(slide.title, 40, True, TEXT, Inches(0.4)), (deck.subtitle(), 28, False, ACCENT, Inches(0.5)),
              (deck.pinned.line(lang), 24, False, TEXT, Inches(0.2))]
    blocks += [(note, BODY_PT, False, colour, Inches(0.1)) for note, colour in _title_notes(deck)]
    heights = [text_height(text, width, size, bold=bold) for text, size, bold, _, _ in blocks]
    total = sum(heights) + sum(gap for *_, gap in blocks[:-1])
    y = max(Inches(0.6), min(Inches(1.3), FOOTER_TOP - Inches(0.15) - total))
    for (text, size, bold, colour, gap), height in zip(blocks, heights):
        _text(page, text, MARGIN, y, width, height, size, bold=bold, colour=colour)
        y += height + gap


def _title_notes(deck: Deck) -> list[tuple[str, str]]:
    """The notes every slide's figures share, stated once on the title slide (as at the front of the
    report): illustrative data, and the ⚡ change of unit, naming its targets when not all have it."""
    found = [(w("illustrative", deck.lang), "8A4B00")] if deck.illustrative else []
    for note, codes in deck.front_notes():
        if len(codes) < len(deck.rows):
            note += " " + w("scope_some", deck.lang).format(codes=", ".join(codes))
        found.append((note, MUTED))
    return found


def _group(page, deck: Deck, slide: Slide) -> None:
    top = _heading(page, slide.title, slide.part_label)
    rows, lang = slide.rows, deck.lang
    gap = Inches(0.35)
    count = len(rows)
    width = int((WIDTH - 2 * MARGIN - gap * (count - 1)) / count)
    if count == 1:
        _single(page, deck, rows[0], top)
        return
    bottom = FOOTER_TOP - Inches(0.15)
    heads = [facts.headline(r, lang) for r in rows]
    statements = [facts.statement(r, lang) for r in rows]
    head_h = max(text_height(h, width, BODY_PT, bold=True) for h in heads)
    text_h = max(text_height(s, width, BODY_PT) for s in statements)
    badge_h = Pt(BODY_PT * 1.9)
    spacing = Inches(0.08)
    chart_h = min(Inches(3.8), bottom - top - head_h - badge_h - text_h - 3 * spacing)
    for i, row in enumerate(rows):
        x = MARGIN + i * (width + gap)
        y = top
        _text(page, heads[i], x, y, width, head_h, BODY_PT, bold=True)
        y += head_h + spacing
        chart_draw.add_chart(page, deck_charts.spec(row, lang), x, y, width, chart_h)
        y += chart_h + spacing
        status_label(page, row, x, y, min(width, Inches(4.2)), lang)
        y += badge_h + spacing
        _text(page, statements[i], x, y, width, text_h, BODY_PT)


def _single(page, deck: Deck, row, top) -> None:
    """One target: the chart on the left, the words on the right, in larger type."""
    lang = deck.lang
    chart_w = Inches(7.4)
    text_x = MARGIN + chart_w + Inches(0.4)
    text_w = WIDTH - MARGIN - text_x
    bottom = FOOTER_TOP - Inches(0.15)
    chart_draw.add_chart(page, deck_charts.spec(row, lang), MARGIN, top, chart_w, bottom - top)
    y = top
    head = facts.headline(row, lang)
    height = text_height(head, text_w, 24, bold=True)
    _text(page, head, text_x, y, text_w, height, 24, bold=True)
    y += height + Inches(0.2)
    status_label(page, row, text_x, y, text_w, lang, 24)
    y += Pt(24 * 1.9) + Inches(0.25)
    statement = facts.statement(row, lang)
    size = 24 if y + text_height(statement, text_w, 24) <= bottom else BODY_PT
    _text(page, statement, text_x, y, text_w, bottom - y, size)


def _quotas(page, deck: Deck, slide: Slide) -> None:
    """A target divided among the units: the quotas against the target (bold), who is behind, who is ahead
    (the table lists only those carrying most of the gap), and a table of the units carrying most of the gap,
    each status a coloured cell with its symbol and words."""
    lang, quotas = deck.lang, slide.quotas
    if quotas is None:
        return
    top = _heading(page, slide.title)
    full = WIDTH - 2 * MARGIN
    y = top
    sentences = ((reconciliation_sentence(quotas, lang), True), (carriers_sentence(quotas, lang, named=False), False),
                 (ahead_sentence(quotas, lang), False))
    for text, bold in ((text, bold) for text, bold in sentences if text):
        tall = text_height(text, full, BODY_PT, bold=bold)
        _text(page, text, MARGIN, y, full, tall, BODY_PT, bold=bold)
        y += tall + Inches(0.1)
    lines = quota_lines(quotas, lang)
    more = len(quotas.carriers) - len(lines)
    bottom = FOOTER_TOP - Inches(0.15) - (Inches(0.5) if more > 0 else 0)
    size = BODY_PT
    widths = [Inches(4.5), Inches(1.6), Inches(1.5), Inches(3.2), Inches(1.53)]
    heads = w("quotas_columns", lang).split("|")

    def row_height(cells: list[str], bold: bool) -> int:  # the row's tallest cell, as it wraps
        return max(text_height(text, width - Inches(0.16), size, bold=bold or j == 3) + Pt(size * 0.5)
                   for j, (text, width) in enumerate(zip(cells, widths)))

    row_h = [row_height(heads, True), *(row_height(cells, False) for _, cells in lines)]
    scale = min(1.0, max(bottom - y, Inches(1)) / sum(row_h))  # never past the footer: rows squeezed, not cut
    row_h = [int(h * scale) for h in row_h]
    table = page.shapes.add_table(len(lines) + 1, len(widths), MARGIN, y, sum(widths), sum(row_h)).table
    for j, (width, head) in enumerate(zip(widths, heads)):
        table.columns[j].width = width
        _cell(table.cell(0, j), head, size, bold=True, colour="FFFFFF", fill=ACCENT)
    for i, (row, cells) in enumerate(lines, start=1):
        status = statuses.status(row.status)
        for j, text in enumerate(cells):
            if j == 3:
                _cell(table.cell(i, j), text, size, bold=True, colour=status.ink.lstrip("#"),
                      fill=status.colour.lstrip("#"))
            else:
                _cell(table.cell(i, j), text, size, fill="FFFFFF", right=j > 0)
    for i, height in enumerate(row_h):
        table.rows[i].height = height
    if more > 0:
        _text(page, w("quotas_more", lang).format(count=more), MARGIN, y + sum(row_h) + Inches(0.1), full,
              Inches(0.4), BODY_PT, colour=MUTED)


def _cell(cell, text: str, size: float, bold: bool = False, colour: str = TEXT, fill: str | None = None,
          right: bool = False) -> None:
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(fill)
    cell.margin_left = cell.margin_right = Inches(0.08)
    cell.margin_top = cell.margin_bottom = 0
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame = cell.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
    add_runs(paragraph, text, size, bold, colour)


FOCUS_SHOWN = 5


def _summary(page, deck: Deck, slide: Slide) -> None:
    lang = deck.lang
    top = _heading(page, slide.title)
    counts, total = deck.counts(), len(deck.rows)
    gap = Inches(0.3)
    per_row = max(4, len(counts))
    width = int((WIDTH - 2 * MARGIN - (per_row - 1) * gap) / per_row)
    labels = [status.badge_text(lang) for status, _ in counts]
    size = BODY_PT  # hall type: a long label takes a second line, and what follows moves down
    label_h = max((text_height(t, width, size) for t in labels), default=Inches(0.45))
    for i, ((status, count), label) in enumerate(zip(counts, labels)):  # one tile per status that occurs
        x = MARGIN + i * (width + gap)
        bar = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, top, width, Inches(0.12))
        _fill(bar, status.colour.lstrip("#"))
        _text(page, f"{count}/{total}", x, top + Inches(0.2), width, Inches(0.9), 48 if per_row <= 5 else 36, bold=True)
        _text(page, label, x, top + Inches(1.1), width, label_h, size)
    y = top + Inches(1.1) + label_h + Inches(0.2)
    full = WIDTH - 2 * MARGIN
    sentence = deck.summary()
    height = text_height(sentence, full, 24, bold=True)
    _text(page, sentence, MARGIN, y, full, height, 24, bold=True)
    y += height + Inches(0.25)
    focus = deck.focus()
    if not focus:
        _text(page, w("all_fine", lang), MARGIN, y, full, Inches(0.5), BODY_PT)
        return
    _text(page, w("focus", lang) + ":", MARGIN, y, full, Inches(0.45), BODY_PT, bold=True, colour=ACCENT)
    y += Inches(0.5)
    lines = [f"{facts.badge(r, lang)} — {facts.headline(r, lang)}" for r in focus[:FOCUS_SHOWN]]
    if len(focus) > FOCUS_SHOWN:
        lines.append(w("more", lang).format(count=len(focus) - FOCUS_SHOWN))
    text = "\n".join(lines)
    _text(page, text, MARGIN, y, full, FOOTER_TOP - y - Inches(0.1), BODY_PT)
