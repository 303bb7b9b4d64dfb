"""Sentences in the style of official Vietnamese reports, generated from the verdict (methodology §4).

One rounding rule everywhere: percentages to two decimals (``92,14%``), whole percentages without
decimals (``100%``); a share that is not 100 % is never rounded up to read ``100%``; counts as whole
numbers with Vietnamese separators (``5.124``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from metrics import fmt
from metrics.i18n import name
from metrics.judgement import ANNUAL_TYPES, CUMULATIVE
from metrics.scorecard import StatusRow


def half_up(value: float, digits: int = 2) -> float:
    """Round half up, as people do by hand (31,625 → 31,63), after dropping binary noise."""
    exact = Decimal(repr(round(value, 10)))
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def pct(value: float, lang: str = "vi") -> str:
    """The one rounding rule for percentages in sentences."""
    rounded = half_up(value)
    if rounded >= 100 > value:
        rounded = 99.99
    return fmt.percent(rounded, lang, 0 if float(rounded).is_integer() else 2)


def amount(value: float, indicator: dict, lang: str = "vi", signed: bool = False) -> str:
    """A value with its unit of measure: ``116.002 đoàn viên``, ``92,14%``."""
    if indicator["kind"] == "ratio":
        return pct(value, lang) if not signed else fmt.points(value, lang)
    text = fmt.measure(value, indicator["kind"], lang, signed)
    measure = name(indicator, "measure", lang)
    return f"{text} {measure}".strip()


def versus_target(actual: float, target: float, lang: str = "vi") -> str:
    """``đạt 92,14% chỉ tiêu`` / ``vượt 31,63% kế hoạch`` / ``bằng 100% chỉ tiêu``."""
    share = actual / target * 100 if target else 0.0
    if share > 100:
        return f"vượt {pct(share - 100, lang)} chỉ tiêu" if lang == "vi" else f"{pct(share - 100, lang)} above target"
    return f"đạt {pct(share, lang)} chỉ tiêu" if lang == "vi" else f"{pct(share, lang)} of target"


def change_on_last_year(row: StatusRow, lang: str = "vi") -> str | None:
    """``tăng 5.124 đoàn viên so với cùng kỳ`` from the two latest years of the series."""
    year = row.verdict.actual_year
    if year is None or year - 1 not in row.series or year not in row.series:
        return None
    delta = row.series[year].value - row.series[year - 1].value
    if round(delta, 2) == 0:
        return "không đổi so với cùng kỳ" if lang == "vi" else "unchanged on the previous year"
    size = amount(abs(delta), row.indicator, lang)
    if row.indicator["kind"] == "ratio":
        size = fmt.number(abs(delta), lang, 2) + (" điểm %" if lang == "vi" else " pp")
    if lang == "vi":
        return f"{'tăng' if delta > 0 else 'giảm'} {size} so với cùng kỳ"
    return f"{'up' if delta > 0 else 'down'} {size} on the previous year"


def _present(value) -> bool:
    return value is not None and value == value  # NaN is not equal to itself


def _lower_first(text: str) -> str:
    """Lower-case the first letter to continue a sentence, but leave acronyms (``CĐCS``) alone."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def subject(indicator: dict, lang: str = "vi") -> str:
    """What a sentence is about: ``Tỷ lệ ký kết thỏa ước …`` for a ratio, ``Số đoàn viên …`` for a count."""
    base = name(indicator, "name", lang)
    prefix = {"ratio": ("Tỷ lệ", "The share of"), "stock": ("Số", "The number of"),
              "flow": ("Số", "The number of")}.get(indicator["kind"])
    words = prefix[0] if prefix and lang == "vi" else prefix[1] if prefix else ""
    if not words or base.lower().startswith(words.lower()) or base.lower().startswith(("số ", "tỷ lệ", "the ")):
        return base
    return f"{words} {_lower_first(base)}"


def sentence(row: StatusRow, lang: str = "vi") -> str:
    """One or two sentences on where a target stands, as a report would put it."""
    v, label = row.verdict, subject(row.indicator, lang)
    if v.actual is None:
        if lang == "vi":
            return f"{label}: chưa có số liệu năm {v.year}."
        return f"{label}: no data for {v.year}."
    if row.target["type"] == CUMULATIVE:
        return _cumulative(row, label, lang)
    if row.target["type"] in ANNUAL_TYPES:
        return _annual(row, label, lang)
    return _level(row, label, lang)


def _level(row: StatusRow, label: str, lang: str) -> str:
    v, ind = row.verdict, row.indicator
    parts = [f"{label} năm {v.actual_year} đạt {amount(v.actual, ind, lang)}" if lang == "vi"
             else f"{label} was {amount(v.actual, ind, lang)} in {v.actual_year}",
             f"{versus_target(v.actual, v.target_value, lang)} ({amount(v.target_value, ind, lang)} "
             f"{'đến năm' if lang == 'vi' else 'by'} {row.target['target_year']})"]
    change = change_on_last_year(row, lang)
    if change:
        parts.append(change)
    text = ", ".join(parts) + "."
    if v.pace_per_year is not None and v.pace_per_year > 0:
        pace = amount(v.pace_per_year, ind, lang)
        if ind["kind"] == "ratio":
            pace = fmt.number(v.pace_per_year, lang, 2) + (" điểm %" if lang == "vi" else " pp")
        text += (f" Để đạt chỉ tiêu, mỗi năm còn lại cần tăng bình quân {pace}." if lang == "vi"
                 else f" To reach the target, each remaining year must add {pace} on average.")
    return text


def _cumulative(row: StatusRow, label: str, lang: str) -> str:
    v, ind = row.verdict, row.indicator
    first = int(row.target["base_year"]) + 1
    span = f"{first}–{v.actual_year}" if v.actual_year > first else str(first)
    if lang == "vi":
        text = (f"Lũy kế {span}, {_lower_first(label)} đạt {amount(v.actual, ind, lang)}, "
                f"{versus_target(v.actual, v.target_value, lang)} nhiệm kỳ ({amount(v.target_value, ind, lang)}); "
                f"theo tiến độ cần đạt {amount(v.expected, ind, lang)}.")
    else:
        text = (f"Over {span}, {_lower_first(label)} totalled {amount(v.actual, ind, lang)}, "
                f"{versus_target(v.actual, v.target_value, lang)} for the term ({amount(v.target_value, ind, lang)}); "
                f"the straight line expects {amount(v.expected, ind, lang)} by now.")
    if v.pace_per_year:
        pace = amount(v.pace_per_year, ind, lang)
        text += (f" Mỗi năm còn lại cần thực hiện bình quân {pace}." if lang == "vi"
                 else f" Each remaining year needs {pace} on average.")
    return text


def _annual(row: StatusRow, label: str, lang: str) -> str:
    v, ind = row.verdict, row.indicator
    bound = ("≤ " if row.target["type"] == "annual_ceiling" else "≥ ") + amount(v.target_value, ind, lang)
    if row.target["type"] in ("annual_band", "unit_band") and _present(row.target.get("value_high")):
        bound = f"{amount(row.target['value'], ind, lang)}–{amount(row.target['value_high'], ind, lang)}"
    met = v.met
    if lang == "vi":
        verdict = "đạt chỉ tiêu" if met else "chưa đạt chỉ tiêu"
        text = f"Năm {v.actual_year}, {_lower_first(label)} đạt {amount(v.actual, ind, lang)}, {verdict} ({bound})"
        if v.years_assessed:
            text += f"; đạt {v.years_met}/{v.years_assessed} năm của nhiệm kỳ"
    else:
        verdict = "meeting the target" if met else "short of the target"
        text = f"In {v.actual_year}, {_lower_first(label)} was {amount(v.actual, ind, lang)}, {verdict} ({bound})"
        if v.years_assessed:
            text += f"; met in {v.years_met} of {v.years_assessed} years of the term"
    return text + "."


#: How the overview counts statuses: what is fine, what needs work, what cannot be judged.
CATEGORIES = {
    "achieved": ("target_achieved",),
    "on_track": ("substantial_progress",),
    "behind": ("moderate_progress", "limited_progress", "deterioration"),
    "no_data": ("not_available", "no_target"),
}


def status_counts(rows: list[StatusRow]) -> dict[str, int]:
    """How many rows fall in each category of ``CATEGORIES``."""
    return {cat: sum(r.status in codes for r in rows) for cat, codes in CATEGORIES.items()}


def summary(rows: list[StatusRow], year: int, lang: str = "vi") -> str:
    """``22/27 chỉ tiêu đã đạt hoặc đúng tiến độ; 4 cần nỗ lực hơn; 1 chưa đủ dữ liệu (năm 2026).``"""
    c, total = status_counts(rows), len(rows)
    good = c["achieved"] + c["on_track"]
    if lang == "vi":
        text = f"{good}/{total} chỉ tiêu đã đạt hoặc đúng tiến độ"
        if c["behind"]:
            text += f"; {c['behind']} cần đẩy nhanh, chậm tiến độ hoặc đi lùi"
        if c["no_data"]:
            text += f"; {c['no_data']} chưa đủ dữ liệu"
        return text + f" (năm {year})."
    text = f"{good} of {total} targets achieved or on track"
    if c["behind"]:
        text += f"; {c['behind']} need acceleration, lag or deteriorate"
    if c["no_data"]:
        text += f"; {c['no_data']} without enough data"
    return text + f" ({year})."
