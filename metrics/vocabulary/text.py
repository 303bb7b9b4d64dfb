"""Text folding for matching what people type (case, Vietnamese diacritics, spacing), and text made safe
for spreadsheets."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case, no diacritics (đ → d), single spaces: ``"Đơn Vị "`` → ``"don vi"``."""
    text = unicodedata.normalize("NFD", str(text).strip().lower()).replace("đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", text)


def header_key(text: str) -> str:
    """Fold a column header and treat spaces, dashes and underscores alike: ``"Tử số"`` → ``"tu_so"``."""
    return re.sub(r"[\s\-_]+", "_", fold(text)).strip("_")


DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell value that no spreadsheet runs as a formula: ``=1+1`` → ``'=1+1``; non-text unchanged.

    A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) would be run as a
    formula by Excel or LibreOffice (formula injection), so it is prefixed with ``'`` and stays text.
    """
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # as ``ingest.validate.CONTROL``
REPLACEMENT = "\ufffd"


def visible(text):
    """Text with every control character (ESC of a terminal sequence, NUL, BEL …) shown as �: safe to
    print in a terminal or a page whatever a file held. Tab and line breaks stay; non-text is unchanged."""
    return CONTROL.sub(REPLACEMENT, text) if isinstance(text, str) else text
