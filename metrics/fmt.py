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


def measure(value, kind: str, lang: str = "vi", signed: bool = False, decimals: int = 0) -> str:
    """A value of an indicator, formatted by its kind: ratio as percent, rate with 2 decimals; stocks and flows
    are counts (members, houses), or amounts with the indicator's ``decimals`` (money: 5,43 tỷ đồng)."""
    if kind == "ratio":
        return percent(value, lang, 2, signed)
    if kind == "rate":
        return number(value, lang, 2, signed)
    return number(value, lang, decimals, signed)


def decimals_of(indicator: dict) -> int:
    """How many decimals an indicator's figures have (``decimals`` in indicators.csv; counts have none)."""
    found = indicator.get("decimals")
    return 0 if found is None or found != found else int(found)


def shown(value, indicator: dict, lang: str = "vi", signed: bool = False) -> str:
    """A value of ``indicator`` as every view writes it (``measure`` with the indicator's own decimals)."""
    return measure(value, indicator["kind"], lang, signed, decimals_of(indicator))


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
