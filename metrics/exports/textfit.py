"""How much room text takes on a slide, measured before the slide is drawn, and the PDF's font.

A deck names Arial: every PowerPoint has it, and LibreOffice draws it with Liberation Sans, which has
the same widths (Helvetica's metrics, shipped with reportlab). A computer with neither would draw a
wider font and may wrap a line more (scripts/render_exports.py gives LibreOffice Liberation Sans).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from pptx.util import Emu, Pt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
#: Measured widths are stretched a little: stacked diacritics, kerning and renderers differ.
WIDTH_MARGIN = 1.03
LINE_HEIGHT = 1.2


@cache
def register_fonts() -> None:
    """DejaVu Sans for reportlab: the PDF report's font (every Vietnamese letter, every status mark)."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def _latin(text: str) -> str:
    """Vietnamese letters as their base Latin letter (``ệ`` → ``e``), for Helvetica's metrics."""
    base = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return "".join(c if ord(c) < 0x2000 else "M" for c in base.replace("đ", "d").replace("Đ", "D"))


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Width in points of ``text`` in Arial (Helvetica's metrics, which Arial shares), with a margin.

    Status marks (``✔``), which Arial lacks and the deck sets in DejaVu Sans, count as an ``M``."""
    return stringWidth(_latin(text), "Helvetica-Bold" if bold else "Helvetica", size_pt) * WIDTH_MARGIN


def lines_needed(text: str, width: int, size_pt: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a box ``width`` wide (greedy word wrap, as PowerPoint does)."""
    room = Emu(width).pt
    space = text_width(" ", size_pt, bold)
    lines = 0
    for paragraph in text.split("\n"):
        used, count = 0.0, 1
        for word in paragraph.split(" "):
            need = text_width(word, size_pt, bold)
            if used and used + space + need > room:
                count, used = count + 1, need
            else:
                used += need + (space if used else 0)
        lines += count
    return lines


def text_height(text: str, width: int, size_pt: float, bold: bool = False) -> int:
    return Pt(lines_needed(text, width, size_pt, bold) * size_pt * LINE_HEIGHT + 6)
