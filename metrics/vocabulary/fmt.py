"""Numbers and dates as people read them: ``111.258`` and ``92,14%`` in Vietnamese (babel ``vi_VN``)."""

from __future__ import annotations

import datetime as dt
import decimal
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from metrics.vocabulary.kinds import PART_KINDS, IndicatorKind

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


def written(value: float, lang: str = "vi") -> str:
    """A number a person gave, in a message, with the decimals it has (up to 6): ``-5.0`` → ``-5``, ``1234.5`` →
    ``1.234,5`` (vi) / ``1,234.5`` (en)."""
    if _missing(value):
        return MISSING
    digits = len(f"{round(value, 6):.6f}".rstrip("0").split(".")[1])
    return number(value, lang, digits)


def percent(value, lang: str = "vi", digits: int = 2, signed: bool = False) -> str:
    """A value already in percent: ``92.14`` → ``92,14%``."""
    if _missing(value):
        return MISSING
    return number(value, lang, digits, signed) + "%"


def points(value, lang: str = "vi", digits: int = 2, signed: bool = True) -> str:
    """A difference of percentages: ``+0,50 điểm %`` / ``+0.50 pp``; whole, without decimals: ``+10 điểm %``."""
    if _missing(value):
        return MISSING
    whole = digits and float(half_up(value, digits)) == round(value) and value != 0
    return number(value, lang, 0 if whole else digits, signed=signed) + (" điểm %" if lang == "vi" else " pp")


def measure(value, kind: str, lang: str = "vi", signed: bool = False, decimals: int = 0) -> str:
    """A value of an indicator, formatted by its kind: ratio as percent, rate with 2 decimals; stocks and flows
    are counts (members, houses), or amounts with the indicator's ``decimals`` (money: 5,43 tỷ đồng)."""
    if kind == IndicatorKind.RATIO:
        return percent(value, lang, 2, signed)
    if kind == IndicatorKind.RATE:
        return number(value, lang, 2, signed)
    return number(value, lang, decimals, signed)


def decimals_of(indicator: Any) -> int:  # an Indicator, or a dict with its fields
    """How many decimals an indicator's figures have (``decimals`` in indicators.csv; counts have none)."""
    found = indicator.get("decimals")
    return 0 if found is None or found is pd.NA or found != found else int(found)


def shown(value, indicator: Any, lang: str = "vi", signed: bool = False) -> str:
    """A value of ``indicator`` as every view writes it, with the indicator's own decimals: as a person writes
    it (``100%``, ``95%`` beside ``93,13%``; ``short``); a change keeps its decimals (``+0,53 điểm %``)."""
    if signed:
        return measure(value, indicator["kind"], lang, signed, decimals_of(indicator))
    return short(value, indicator["kind"], lang, decimals_of(indicator))


def half_up(value: float, digits: int = 2) -> Decimal:
    """Round half up, as people do by hand (31,625 → 31,63), after dropping binary noise."""
    with decimal.localcontext(prec=DIGITS_OF_A_FLOAT):  # 28 digits would fail above 1e26
        return Decimal(repr(round(value, 10))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def short(value, kind: str, lang: str = "vi", decimals: int = 0) -> str:
    """A value as a person writes it: ``100%``, ``1``, ``139.258`` when whole, else ``92,14%``, ``1,21``.

    Percentages and rates keep two decimals unless they are whole; counts are whole; an amount with
    ``decimals`` (money) keeps that many unless it is whole (``12,5`` reads ``12,50``). Rounding never
    lands on a whole number the value does not reach: 99,996% reads ``99,99%``, never ``100%``, and
    64,996% reads ``64,99%`` beside a floor of 65%.
    """
    if _missing(value):
        return MISSING
    if kind not in PART_KINDS and not decimals:
        return number(value, lang)
    rounded = half_up(value, decimals or 2)
    if rounded == rounded.to_integral_value() and 0 < value < rounded:
        rounded -= Decimal("0.01")
    whole = rounded == rounded.to_integral_value()
    text = number(float(rounded), lang, 0 if whole else decimals or 2)
    return text + "%" if kind == IndicatorKind.RATIO else text


def span(low, high, kind: str, lang: str = "vi", decimals: int = 0) -> str:
    """A range as a person writes it, the unit once: ``80–90%``, ``1–2``, ``1,5–2``."""
    first = short(low, kind, lang, decimals)
    return f"{first.removesuffix('%')}–{short(high, kind, lang, decimals)}"


def years(first: int, last: int) -> str:
    """``2024–2026``, or ``2024`` when the span is one year (never ``2024–2024``)."""
    return str(first) if first == last else f"{first}–{last}"


def date(value: dt.date | dt.datetime, lang: str = "vi") -> str:
    """``15/11/2026`` in both languages (the day-first form official documents use)."""
    return format_date(value, "dd/MM/yyyy", locale=LOCALES[lang])


def plotly_tickformat(kind: str) -> str:
    """d3 format for an axis of this indicator kind (with ``layout.separators`` set per language)."""
    return {"ratio": ",.0f", "rate": ",.1f"}.get(kind, ",.0f")


def year_runs(years: list[int]) -> str:
    """``2013–2018, 2020–2028``: years as the runs they make (— for none)."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in runs) or "—"
