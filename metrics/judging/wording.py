"""Sentences in the style of official Vietnamese reports, generated from the verdict (methodology §4).

One rounding rule everywhere (``fmt.short``): percentages and rates to two decimals (``92,14%``,
``1,21``), whole ones without decimals (``100%``, ``1–2 người/CĐCS``); a value is never rounded up to a
whole number it does not reach (``99,99%``, never ``100%``); counts as whole numbers with Vietnamese
separators (``5.124``); a range writes its unit once (``80–90%``).
"""

from __future__ import annotations

from metrics.domain.judgement import ANNUAL_TYPES, CUMULATIVE, has_band
from metrics.domain.records import Indicator
from metrics.judging.scorecard import StatusRow
from metrics.vocabulary import fmt, statuses
from metrics.vocabulary.i18n import BAND_LABELS, name, pick
from metrics.vocabulary.kinds import IndicatorKind, TargetType


def pct(value: float, lang: str = "vi") -> str:
    """The one rounding rule for percentages in sentences (``fmt.short``)."""
    return fmt.short(value, "ratio", lang)


def amount(value: float, indicator: Indicator, lang: str = "vi", signed: bool = False) -> str:
    """A value with its unit of measure: ``116.002 đoàn viên``, ``92,14%``."""
    if indicator.kind == IndicatorKind.RATIO:  # a share of a plan figure says of what: "120,44% kế hoạch"
        return f"{pct(value, lang) if not signed else fmt.points(value, lang)} {_measure(indicator, lang)}".strip()
    decimals = fmt.decimals_of(indicator)
    text = fmt.measure(value, indicator.kind, lang, signed, decimals) if signed else \
        fmt.short(value, indicator.kind, lang, decimals)
    return f"{text} {_measure(indicator, lang)}".strip()


def _measure(indicator: Indicator, lang: str) -> str:
    """The unit of measure written after a number (``đoàn viên``, ``người/CĐCS``); none for a percentage, but
    what a share of a plan figure is a share of (``kế hoạch``)."""
    measure = name(indicator, "measure", lang)
    return measure.removeprefix("%").strip() if indicator.kind == IndicatorKind.RATIO else measure


def versus_target(actual: float, target: float, lang: str = "vi") -> str:
    """``đạt 92,14% chỉ tiêu`` / ``vượt 31,63% kế hoạch`` / ``bằng 100% chỉ tiêu``."""
    share = actual / target * 100 if target else 0.0
    if share > 100:
        return f"vượt {pct(share - 100, lang)} chỉ tiêu" if lang == "vi" else f"{pct(share - 100, lang)} above target"
    return f"đạt {pct(share, lang)} chỉ tiêu" if lang == "vi" else f"{pct(share, lang)} of target"


def change_on_last_year(row: StatusRow, lang: str = "vi") -> str | None:
    """``tăng 5.124 đoàn viên so với cùng kỳ`` from the two latest years of the series (across a merger, against
    the year before as the merged unit stood, or "not comparable")."""
    year = row.verdict.actual_year
    if year is not None and year - 1 in row.series and not row.comparable_with_previous(year):
        return NOT_COMPARABLE[lang]
    change = _delta_words(row, lang)
    if change is None:
        return None
    if change == "":
        return "không đổi so với cùng kỳ" if lang == "vi" else "unchanged on the previous year"
    return f"{change} so với cùng kỳ" if lang == "vi" else f"{change} on the previous year"


def _delta_words(row: StatusRow, lang: str) -> str | None:
    """``tăng 5.124 đoàn viên``, ``giảm 1,20 điểm %``; "" when unchanged; None without the year before."""
    year = row.verdict.actual_year
    if year is None or year not in row.series or row.previous_value(year) is None:
        return None
    delta = row.series[year].value - row.previous_value(year)
    if round(delta, 2) == 0:
        return ""
    size = amount(abs(delta), row.indicator, lang)
    if row.indicator.kind == IndicatorKind.RATIO:
        size = fmt.points(abs(delta), lang, signed=False)
    if lang == "vi":
        return f"{'tăng' if delta > 0 else 'giảm'} {size}"
    return f"{'up' if delta > 0 else 'down'} {size}"


NOT_COMPARABLE = {"vi": "không so sánh được với năm trước (đổi đơn vị)",
                  "en": "not comparable with the year before (unit changed)"}
REBASED = {"vi": "tính lại theo đơn vị sau hợp nhất", "en": "recalculated for the merged unit"}


def _present(value) -> bool:
    return value is not None and value == value  # NaN is not equal to itself


def _lower_first(text: str) -> str:
    """Lower-case the first letter to continue a sentence, but leave acronyms (``CĐCS``) alone."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def subject(indicator: Indicator, lang: str = "vi") -> str:
    """What a sentence is about: ``Tỷ lệ ký kết thỏa ước …`` for a ratio, ``Số đoàn viên …`` for a count."""
    base = name(indicator, "name", lang)
    prefix = {"ratio": ("Tỷ lệ", "The share of"), "stock": ("Số", "The number of"),
              "flow": ("Số", "The number of")}.get(indicator.kind)
    words = prefix[0] if prefix and lang == "vi" else prefix[1] if prefix else ""
    if not words or base.lower().startswith(words.lower()) or base.lower().startswith(("số ", "tỷ lệ", "the ")):
        return base
    return f"{words} {_lower_first(base)}"


def sentence(row: StatusRow, lang: str = "vi") -> str:
    """One or two sentences on where a target stands, as a report would put it."""
    v, label = row.verdict, subject(row.indicator, lang)
    if isinstance(row.target.unit, str) and row.target.unit:  # a target set for one unit names it
        label = f"{label} ({row.unit.name(lang)})"
    if row.against_quota:  # judged against the unit's own quota: named, and said so
        label = f"{label} ({row.unit.name(lang)})"
    if v.actual is None:
        if lang == "vi":
            return f"{label}: chưa có số liệu năm {v.year}." + merger_note(row, lang) + quota_note(row, lang)
        return f"{label}: no data for {v.year}." + merger_note(row, lang) + quota_note(row, lang)
    if row.target.type == CUMULATIVE:
        return _cumulative(row, label, lang) + merger_note(row, lang) + quota_note(row, lang)
    if row.target.type in ANNUAL_TYPES:
        return _annual(row, label, lang) + merger_note(row, lang) + quota_note(row, lang)
    return _level(row, label, lang) + merger_note(row, lang) + quota_note(row, lang)


AGAINST_QUOTA = {"vi": "so với chỉ tiêu giao", "en": "against its quota"}


def quota_note(row: StatusRow, lang: str = "vi") -> str:
    """`` Đánh giá so với chỉ tiêu giao cho đơn vị (2.102 đoàn viên).`` for a unit judged on its own quota."""
    if not row.against_quota:
        return ""
    given = amount(row.quota, row.indicator, lang)
    return (f" Đánh giá {AGAINST_QUOTA['vi']} cho đơn vị ({given}), không phải chỉ tiêu của toàn tỉnh." if lang == "vi"
            else f" Judged {AGAINST_QUOTA['en']} ({given}), not the province's target.")


def _names(row: StatusRow, codes, lang: str) -> str:
    return ", ".join(row.name_of(code, lang) for code in codes)


def merger_note(row: StatusRow, lang: str = "vi") -> str:
    """What a merger leaves unsaid by the figures: a target that could not be recalculated for the merged unit,
    years before the merger that could not be added up, growth not comparable across the merger."""
    if row.rebase is not None and row.rebase.failed:
        years = ", ".join(map(str, row.rebase.years))
        return (f" Chưa tính lại được chỉ tiêu theo đơn vị sau hợp nhất: thiếu số liệu năm {years} của "
                f"{_names(row, row.rebase.missing, lang)}." if lang == "vi" else
                f" The target cannot be recalculated for the merged unit: no figure for {years} of "
                f"{_names(row, row.rebase.missing, lang)}.")
    missing = row.unreconstructed
    carried = len(set(row.footing.values())) > 1  # the series passed to the merged unit (``carry``)
    if not missing or (carried and row.status != "not_available" and row.verdict.trend != "not_comparable"):
        return ""  # (a carried plan's figures are as was: the missing sum matters only where it stops a comparison)
    by_units: dict[tuple[str, ...], list[int]] = {}
    for year, codes in missing.items():
        by_units.setdefault(codes, []).append(year)
    parts = "; ".join(f"{_names(row, codes, lang)} ({', '.join(map(str, years))})" for codes, years in by_units.items())
    return (f" Chưa cộng được số liệu các đơn vị trước hợp nhất: thiếu số liệu của {parts}." if lang == "vi" else
            f" The units before the merger cannot be added up: no figure of {parts}.")


def rebased_words(row: StatusRow, lang: str = "vi") -> str:
    """``, tính lại theo đơn vị sau hợp nhất`` after a target the merged unit carries scaled (``rebase``)."""
    return f", {REBASED[lang]}" if row.rebase is not None and row.rebase.scaled else ""


def rebase_detail(row: StatusRow, lang: str = "vi") -> str | None:
    """The target as written and how the merged unit carries it (``after_merger`` rebase), for the detail."""
    r = row.rebase
    if r is None:
        return None
    old, new = row.name_of(r.unit, lang), row.name_of(r.successor, lang)
    if not r.scaled:
        return (f"Kế hoạch của {old}, do {new} tiếp tục trên số liệu sau hợp nhất; chỉ tiêu giữ nguyên như văn bản."
                if lang == "vi" else f"A plan of {old}, carried on by {new} on its figures after the merger; the "
                "target stays as written.")
    ind, years = row.indicator, "+".join(map(str, r.years))
    text = (f"Chỉ tiêu trong văn bản của {old}: {amount(r.value, ind, lang)}; {REBASED['vi']}: × "
            f"{amount(r.as_is, ind, lang)} ÷ {amount(r.as_was, ind, lang)} (năm {years}, sau ÷ trước hợp nhất) = "
            f"{amount(r.value * r.factor, ind, lang)}." if lang == "vi" else
            f"The target as written for {old}: {amount(r.value, ind, lang)}; {REBASED['en']}: × "
            f"{amount(r.as_is, ind, lang)} ÷ {amount(r.as_was, ind, lang)} ({years}, after ÷ before the merger) = "
            f"{amount(r.value * r.factor, ind, lang)}.")
    if r.baseline is not None:
        text += (f" Số gốc trong văn bản (trước hợp nhất): {amount(r.baseline, ind, lang)}." if lang == "vi"
                 else f" The baseline as written (before the merger): {amount(r.baseline, ind, lang)}.")
    return text


def _level(row: StatusRow, label: str, lang: str) -> str:
    v, ind = row.verdict, row.indicator
    parts = [f"{label} năm {v.actual_year} đạt {amount(v.actual, ind, lang)}" if lang == "vi"
             else f"{label} was {amount(v.actual, ind, lang)} in {v.actual_year}",
             f"{_against(row, lang)} {'đến năm' if lang == 'vi' else 'by'} {row.target.target_year}"
             f"{rebased_words(row, lang)})"]
    change = change_on_last_year(row, lang)
    if change:
        parts.append(change)
    text = ", ".join(parts) + "."
    if v.final:
        return text + deadline(row, lang)
    if v.pace_per_year is not None and v.pace_per_year > 0:
        pace = amount(v.pace_per_year, ind, lang)
        if ind.kind == IndicatorKind.RATIO:
            pace = fmt.points(v.pace_per_year, lang, signed=False)
        text += (f" Để đạt chỉ tiêu, mỗi năm còn lại cần tăng bình quân {pace}." if lang == "vi"
                 else f" To reach the target, each remaining year must add {pace} on average.")
    return text + reconcile(row, lang)


def _against(row: StatusRow, lang: str) -> str:
    """``đạt 92,14% chỉ tiêu (96%`` — or, for a band over the term, where the value sits: ``trong khung (45%–50%``."""
    v = row.verdict
    if v.band_position:
        return f"{pick(BAND_LABELS[v.band_position], lang)} ({bound_text(row, lang)}"
    return f"{versus_target(v.actual, v.target_value, lang)} ({amount(v.target_value, row.indicator, lang)}"


def deadline(row: StatusRow, lang: str = "vi") -> str:
    """The final word on a term target whose deadline has come: ``Chưa đạt, hết hạn năm 2023.``"""
    v, end = row.verdict, int(row.target.target_year)
    if v.status == "not_available":
        return (f" Chưa có số liệu năm {end}, năm hết hạn chỉ tiêu." if lang == "vi"
                else f" No figure yet for {end}, the target's deadline.")
    word = statuses.label(v.status, lang)
    return f" {word}, hết hạn năm {end}." if lang == "vi" else f" {word}; the deadline was {end}."


def _ahead(row: StatusRow, value: float, reference: float) -> bool:
    return value >= reference if row.indicator.direction == "up" else value <= reference


def reconcile(row: StatusRow, lang: str = "vi") -> str:
    """When the status and the straight line or the projection seem to disagree, say both and why.

    On track is judged by the pace (level: at least 95 % of the growth required; cumulative: at least
    95 % of the straight-line share), so a target can be on track while below the straight line or
    projected a little short, and behind while above it.
    """
    v, ind = row.verdict, row.indicator
    facts = []
    if row.target.type != CUMULATIVE and v.expected is not None and not _ahead(row, v.actual, v.expected):
        facts.append(_below_line(row, lang))
    if v.projection is not None and not _ahead(row, v.projection, v.target_value):
        facts.append(_short_projection(row, lang))
    on_track = v.status == "substantial_progress"
    if on_track and facts:
        joined = "; ".join(facts)
        return (f" Đánh giá {statuses.label(v.status, lang).lower()} vì {_basis(row, lang)}; tuy vậy {joined}."
                if lang == "vi" else f" Judged {statuses.label(v.status, lang).lower()} because {_basis(row, lang)};"
                f" even so, {joined}.")
    behind = v.status in ("moderate_progress", "limited_progress")
    if behind and v.expected is not None and _ahead(row, v.actual, v.expected) and row.target.type != CUMULATIVE:
        above = amount(abs(v.actual - v.expected), ind, lang, signed=False)
        return (f" Thực hiện cao hơn lộ trình đều {above}, nhưng đánh giá {statuses.label(v.status, lang).lower()} vì "
                f"{_basis(row, lang)}." if lang == "vi" else
                f" Above the straight line by {above}, but judged {statuses.label(v.status, lang).lower()} because "
                f"{_basis(row, lang)}.")
    return ""


def _basis(row: StatusRow, lang: str) -> str:
    v = row.verdict
    share = pct((v.assessment.value if v.assessment and v.assessment.value is not None else 0) * 100, lang)
    if row.target.type == CUMULATIVE:
        return (f"lũy kế bằng {share} mức cần có theo lộ trình (từ 95% trở lên là đúng tiến độ)" if lang == "vi"
                else f"the total is {share} of the straight-line share (95% or more is on track)")
    return (f"tốc độ tăng bình quân bằng {share} tốc độ cần có (từ 95% trở lên là đúng tiến độ)" if lang == "vi"
            else f"the yearly growth is {share} of the growth required (95% or more is on track)")


def _below_line(row: StatusRow, lang: str) -> str:
    v, ind = row.verdict, row.indicator
    gap = amount(abs(v.actual - v.expected), ind, lang)
    expected = amount(v.expected, ind, lang)
    return (f"thực hiện thấp hơn lộ trình đều {gap} ({expected} cần có năm {v.actual_year})" if lang == "vi"
            else f"the figure is {gap} below the straight line ({expected} expected in {v.actual_year})")


def _short_projection(row: StatusRow, lang: str) -> str:
    v, ind = row.verdict, row.indicator
    end = int(row.target.target_year)
    short = amount(abs(v.target_value - v.projection), ind, lang)
    projected = amount(v.projection, ind, lang)
    return (f"nếu giữ tốc độ hiện nay, đến năm {end} đạt {projected}, còn thiếu {short} so với chỉ tiêu"
            if lang == "vi" else f"at the current pace {end} would end at {projected}, {short} short of the target")


def _cumulative(row: StatusRow, label: str, lang: str) -> str:
    v, ind = row.verdict, row.indicator
    first = int(row.target.base_year) + 1
    span = f"{first}–{v.actual_year}" if v.actual_year > first else str(first)
    if lang == "vi":
        text = (f"Lũy kế {span}, {_lower_first(label)} đạt {amount(v.actual, ind, lang)}, "
                f"{versus_target(v.actual, v.target_value, lang)} nhiệm kỳ ({amount(v.target_value, ind, lang)}"
                f"{rebased_words(row, lang)})")
        text += "." if v.final else f"; theo tiến độ cần đạt {amount(v.expected, ind, lang)}."
    else:
        text = (f"Over {span}, {_lower_first(label)} totalled {amount(v.actual, ind, lang)}, "
                f"{versus_target(v.actual, v.target_value, lang)} for the term ({amount(v.target_value, ind, lang)}"
                f"{rebased_words(row, lang)})")
        text += "." if v.final else f"; the straight line expects {amount(v.expected, ind, lang)} by now."
    if v.final:
        return text + deadline(row, lang)
    if v.pace_per_year:
        pace = amount(v.pace_per_year, ind, lang)
        text += (f" Mỗi năm còn lại cần thực hiện bình quân {pace}." if lang == "vi"
                 else f" Each remaining year needs {pace} on average.")
    return text + reconcile(row, lang)


def bound_text(row: StatusRow, lang: str = "vi") -> str:
    """What an annual target asks, as a person writes it: ``≥ 65%``, ``≤ 5``, ``80–90%``, ``1–2 người/CĐCS``
    (a band: both bounds, the unit once)."""
    ind, v = row.indicator, row.verdict
    if has_band(row.target.type, row.target.value_high):
        span = fmt.span(row.target.value, row.target.value_high, ind.kind, lang, fmt.decimals_of(ind))
        return f"{span} {_measure(ind, lang)}".strip()
    return ("≤ " if row.target.type == TargetType.ANNUAL_CEILING else "≥ ") + amount(v.target_value, ind, lang)


def term_count(row: StatusRow, lang: str = "vi") -> str | None:
    """``cả nhiệm kỳ: đạt 2/3 năm``: the years met so far, worded apart from the year's own status."""
    v = row.verdict
    if row.target.type not in ANNUAL_TYPES or not v.years_assessed:
        return None
    if lang == "vi":
        return f"cả nhiệm kỳ: đạt {v.years_met}/{v.years_assessed} năm"
    return f"over the term so far: met in {v.years_met} of {v.years_assessed} years"


def trend_words(row: StatusRow, lang: str = "vi") -> str | None:
    """``↗ tốt hơn năm trước (tăng 3,70 điểm %)``: an annual target's trend, beside its status."""
    v = row.verdict
    if v.trend is None:
        return None
    change = _delta_words(row, lang)
    text = statuses.trend_text(v.trend, lang)
    return f"{text} ({change})" if change else text


def _annual(row: StatusRow, label: str, lang: str) -> str:
    v, ind = row.verdict, row.indicator
    bound = bound_text(row, lang)
    if v.status == "no_target":
        first = int(row.target.base_year) + 1
        return (f"Năm {v.actual_year} (năm gốc), {_lower_first(label)} đạt {amount(v.actual, ind, lang)}; "
                f"chỉ tiêu hằng năm ({bound}) áp dụng từ năm {first}." if lang == "vi" else
                f"In {v.actual_year} (the baseline year), {_lower_first(label)} was {amount(v.actual, ind, lang)}; "
                f"the annual target ({bound}) applies from {first}.")
    met = v.status == "target_achieved"
    if v.band_position:
        bound = f"{pick(BAND_LABELS[v.band_position], lang)} {bound}"
    if lang == "vi":
        verdict = "đạt chỉ tiêu" if met else "chưa đạt chỉ tiêu"
        text = f"Năm {v.actual_year}, {_lower_first(label)} đạt {amount(v.actual, ind, lang)}, {verdict} ({bound})"
    else:
        verdict = "meeting the target" if met else "short of the target"
        text = f"In {v.actual_year}, {_lower_first(label)} was {amount(v.actual, ind, lang)}, {verdict} ({bound})"
    trend, count = trend_words(row, lang), term_count(row, lang)
    text = "; ".join([text, trend] if trend else [text]) + "."
    return f"{text} {count[0].upper()}{count[1:]}." if count else text


def status_counts(rows: list[StatusRow]) -> list[tuple[statuses.Status, int]]:
    """How many rows have each status, in the one table's order (statuses nobody has left out)."""
    return statuses.counts([r.status for r in rows])


def summary(rows: list[StatusRow], year: int, lang: str = "vi") -> str:
    """``Năm 2024, 27 chỉ tiêu: ✔ Đã đạt 14 · ✖ Chưa đạt 7 · ….``: the table's own words, nothing else."""
    counted = " · ".join(f"{s.badge_text(lang)} {n}" for s, n in status_counts(rows))
    if lang == "vi":
        return f"Năm {year}, {len(rows)} chỉ tiêu: {counted}."
    return f"{year}, {len(rows)} targets: {counted}."
