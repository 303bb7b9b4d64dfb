"""Numbers and dates as people read them: ``111.258`` and ``92,14%`` in Vietnamese (babel ``vi_VN``)."""

from __future__ import annotations

import datetime as dt
import decimal
import math

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"vi": "vi_VN", "en": "en_US"}
MISSING = "—"
#: Plotly's ``layout.separators`` (decimal, thousands) per language.
PLOTLY_SEPARATORS = {"vi": ",.", "en": ".,"}
DIGITS_OF_A_FLOAT = 330  # the largest float has 309 digits before the point


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))


def _pattern(digits: int, signed: bool = False) -> str:
    body = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return f"+{body};-{body}" if signed else body


def number(value, lang: str = "vi", digits: int = 0, signed: bool = False) -> str:
    """``111258`` → ``111.258`` (vi) / ``111,258`` (en); ``—`` for no value."""
    if _missing(value):
        return MISSING
    if digits == 0:
        value = round(value)
    with decimal.localcontext(prec=DIGITS_OF_A_FLOAT):  # babel rounds in Decimal: 28 digits would fail above 1e28
        return format_decimal(value, format=_pattern(digits, signed), locale=LOCALES[lang])


def percent(value, lang: str = "vi", digits: int = 2, signed: bool = False) -> str:
    """A value already in percent: ``92.14`` → ``92,14%``."""
    if _missing(value):
        return MISSING
    return number(value, lang, digits, signed) + "%"


def points(value, lang: str = "vi", digits: int = 2) -> str:
    """A difference of percentages: ``+0,50 điểm %`` / ``+0.50 pp``."""
    if _missing(value):
        return MISSING
    return number(value, lang, digits, signed=True) + (" điểm %" if lang == "vi" else " pp")


def short(value, kind: str, lang: str = "vi", signed: bool = False) -> str:
    """A value as a person writes a target: ``100%``, ``96%``, ``1`` (no ``,00`` on a whole number), else
    as ``measure`` writes it (``92,14%``, ``1,25``)."""
    if not _missing(value) and kind in ("ratio", "rate") and round(value, 2) == round(value):
        return number(value, lang, 0, signed) + ("%" if kind == "ratio" else "")
    return measure(value, kind, lang, signed)


def span(low, high, kind: str, lang: str = "vi", unit: str = "") -> str:
    """A range as people write it, the unit once: ``80–90%``, ``1–2 người/CĐCS``, ``92,5–95%``."""
    low_text, high_text = short(low, kind, lang), short(high, kind, lang)
    if kind == "ratio" and low_text.endswith("%") and high_text.endswith("%"):
        low_text = low_text[:-1]
    return f"{low_text}–{high_text} {unit}".strip()


def measure(value, kind: str, lang: str = "vi", signed: bool = False) -> str:
    """A value of an indicator, formatted by its kind: ratio as percent, rate with 2 decimals."""
    if kind == "ratio":
        return percent(value, lang, 2, signed)
    if kind == "rate":
        return number(value, lang, 2, signed)
    return number(value, lang, 0, signed)  # stocks and flows are counts: members, houses


def date(value: dt.date | dt.datetime, lang: str = "vi") -> str:
    """``15/11/2026`` in both languages (the day-first form official documents use)."""
    return format_date(value, "dd/MM/yyyy", locale=LOCALES[lang])


def plotly_tickformat(kind: str) -> str:
    """d3 format for an axis of this indicator kind (with ``layout.separators`` set per language)."""
    return {"ratio": ",.0f", "rate": ",.1f"}.get(kind, ",.0f")
