"""The figures of one target, as the slides' notes, the PDF and the Excel report state them.

Everything is read from a ``StatusRow`` (the engine); this module only picks and formats, so every
export says what the dashboard says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from metrics.domain.judgement import ANNUAL_TYPES, CUMULATIVE, has_band
from metrics.domain.records import PeriodTotal
from metrics.exports.words import w
from metrics.judging import wording
from metrics.judging.scorecard import StatusRow
from metrics.vocabulary import fmt, statuses
from metrics.vocabulary.i18n import BAND_LABELS, PROVENANCE_LABELS, TARGET_TYPE_LABELS, name, pick
from metrics.vocabulary.kinds import IndicatorKind, TargetType

_SENTENCE_END = re.compile(r"\.\s+(?=[^\W\d_])")


def statement(row: StatusRow, lang: str = "vi") -> str:
    """The first sentence of ``wording.sentence``: what a slide shows (the rest goes to the notes)."""
    text = wording.sentence(row, lang)
    for match in _SENTENCE_END.finditer(text):
        if text[match.end()].isupper():
            return text[:match.start() + 1]
    return text


def wording_sentence(row: StatusRow, lang: str = "vi") -> str:
    """The full report sentence (``wording.sentence``)."""
    return wording.sentence(row, lang)


def headline(row: StatusRow, lang: str = "vi") -> str:
    """``NK1a · Phát triển thêm 28.000 đoàn viên``."""
    return f"{row.target.code} · {name(row.target, 'label', lang)}"


def badge(row: StatusRow, lang: str = "vi") -> str:
    """``▲ Đúng tiến độ`` (the symbol and the words of the one table, never colour alone)."""
    return row.badge(lang)


def _present(value) -> bool:
    return value is not None and value == value


def measure(row: StatusRow, value, signed: bool = False, lang: str = "vi") -> str:
    """A value of the row's indicator: ``118.046``, ``92,14%``, ``1,21``."""
    return fmt.shown(value, row.indicator, lang, signed)


def with_unit(row: StatusRow, value, lang: str = "vi") -> str:
    """``118.046 đoàn viên``, ``92,14%``, ``96%``: the rounding rule of the report sentences."""
    if not _present(value):
        return fmt.MISSING
    return wording.amount(value, row.indicator, lang)


def baseline(row: StatusRow) -> tuple[float | None, int]:
    """The baseline the engine used (level targets), else the series' or the resolution's base-year value."""
    base_year = int(row.target.base_year)
    a = row.verdict.assessment
    if row.target.type not in ANNUAL_TYPES and row.target.type != CUMULATIVE and a is not None \
            and a.base_year is not None:
        return a.base_value, int(a.base_year)
    if base_year in row.series:
        return row.series[base_year].value, base_year
    stated = row.target.baseline
    return (float(stated) if _present(stated) else None), base_year


def goal(row: StatusRow, lang: str = "vi") -> str:
    """What the target asks, with its deadline: ``≥ 96% đến năm 2028``, ``80–90% hằng năm``."""
    typ, high = row.target.type, row.target.value_high
    if has_band(typ, high):
        text = wording.bound_text(row, lang)
    else:
        sign = "≤ " if typ == TargetType.ANNUAL_CEILING or row.indicator.direction == "down" else "≥ "
        text = sign + with_unit(row, row.verdict.target_value, lang)
    if typ in ANNUAL_TYPES:
        return f"{text} {w('every_year', lang)}"
    if typ == CUMULATIVE:
        start, end = int(row.target.base_year) + 1, int(row.target.target_year)
        return f"{text} {w('cumulative_by', lang).format(start=start, end=end)}{wording.rebased_words(row, lang)}"
    return f"{text} {w('by_year', lang).format(year=row.target.target_year)}{wording.rebased_words(row, lang)}"


def latest(row: StatusRow, lang: str = "vi") -> str:
    v = row.verdict
    if v.actual is None:
        return w("no_value", lang)
    if row.target.type == CUMULATIVE:
        start = int(row.target.base_year) + 1
        return f"{with_unit(row, v.actual, lang)} ({w('cumulative_in', lang).format(years=fmt.years(start, v.actual_year))})"
    return f"{with_unit(row, v.actual, lang)} ({w('in_year', lang).format(year=v.actual_year)})"


def pace(row: StatusRow, lang: str = "vi") -> str | None:
    """What each remaining year must add (level and cumulative targets not yet reached)."""
    v = row.verdict
    if row.target.type in ANNUAL_TYPES or not _present(v.pace_per_year) or v.pace_per_year <= 0:
        return None
    amount = fmt.points(v.pace_per_year, lang) if row.indicator.kind == IndicatorKind.RATIO else with_unit(row, v.pace_per_year,
                                                                                                     lang)
    text = w("pace_value", lang).format(pace=amount)
    if _present(v.pace_rate) and row.target.type != CUMULATIVE:
        text += f" ({fmt.percent(v.pace_rate * 100, lang)}/{'năm' if lang == 'vi' else 'year'})"
    return text


def years_met(row: StatusRow, lang: str = "vi") -> str | None:
    v = row.verdict
    if row.target.type not in ANNUAL_TYPES:
        return None
    return w("years_met_value", lang).format(met=v.years_met or 0, total=v.years_assessed or 0)


def achievement(row: StatusRow, lang: str = "vi") -> str:
    """``92,14%`` of the target, or where a band's value sits (``trong khung``): never "107% of a band"."""
    if row.verdict.band_position:
        return pick(BAND_LABELS[row.verdict.band_position], lang)
    return wording.pct(row.verdict.achievement_pct, lang) if _present(row.verdict.achievement_pct) else fmt.MISSING


def sources(row: StatusRow) -> list[str]:
    """The distinct sources of the values shown (in year order)."""
    return list(dict.fromkeys(s for _, f in sorted(row.series.items()) for s in f.sources))


def provenance_words(figure, lang: str = "vi") -> str:
    return ", ".join(pick(PROVENANCE_LABELS.get(p, (p, p)), lang) for p in sorted(figure.provenance))


def series_line(row: StatusRow, lang: str = "vi") -> str:
    """``2023: 111.258 (Số liệu công bố) · 2024: 113.480 (Số liệu minh họa)``."""
    parts = []
    for year, figure in sorted(row.series.items()):
        text = f"{year}: {measure(row, figure.value, lang=lang)}"
        if figure.numerator is not None and figure.denominator is not None:
            text += f" ({fmt.number(figure.numerator, lang)}/{fmt.number(figure.denominator, lang)})"
        parts.append(f"{text} [{provenance_words(figure, lang)}]")
    return " · ".join(parts)


#: Notes that go with the figures: illustrative values, a series that changes unit (the 2025 reorganisation),
#: years before a merger reconstructed as the sum of the units before it.
NOTES = ("illustrative", "provisional", "break", "reconstructed")


def note_years(key: str, row: StatusRow) -> list[int]:
    """The years a note concerns in one row (none for the illustrative note)."""
    return {"break": row.break_years, "reconstructed": row.reconstructed_years}.get(key, [])


def note_keys(row: StatusRow) -> list[str]:
    """Which of ``NOTES`` apply to the row's figures."""
    return [key for key in NOTES
            if (key in ("illustrative", "provisional") and key in row.provenance) or note_years(key, row)]


def note_text(key: str, years: list[int], lang: str = "vi", short: bool = False) -> str:
    """A note in full, or in a few words that point to where it is stated in full (``short``)."""
    if key in ("break", "reconstructed"):
        text = w(f"{key}_short" if short else key, lang).format(years=", ".join(map(str, years)))
        return "⚡ " + text if key == "break" else text
    return w(f"{key}_item" if short else key, lang)


def notes(row: StatusRow, lang: str = "vi", short: bool = False) -> list[str]:
    """The row's notes (``note_text`` of each of its ``note_keys``)."""
    return [note_text(key, note_years(key, row), lang, short) for key in note_keys(row)]


def as_was_line(row: StatusRow, lang: str = "vi") -> str | None:
    """``Trước hợp nhất — từng đơn vị: 2023: Bến Tre 41.000 + … = 118.000``: each unit's own figure beside
    every reconstructed year judged, or which units lack one."""
    years = sorted(y for y in row.reconstructions if y >= int(row.target.base_year))
    if not years:
        return None
    parts = []
    for year in years:
        found = row.reconstructions[year]
        if found.figure is None:
            missing = ", ".join(row.name_of(code, lang) for code in found.missing)
            parts.append(f"{year}: {w('no_figure_of', lang).format(units=missing)}")
            continue
        each = " + ".join(f"{row.name_of(code, lang)} {measure(row, f.value, lang=lang)}" for code, f in found.parts.items())
        parts.append(f"{year}: {each} = {measure(row, found.figure.value, lang=lang)}")
    return f"{w('as_was', lang)}: " + "; ".join(parts)


def target_type(row: StatusRow, lang: str = "vi") -> str:
    return pick(TARGET_TYPE_LABELS[row.target.type], lang)


@dataclass(frozen=True)
class FactLine:
    label: str
    value: str


def previous_term(row: StatusRow, totals: Sequence[PeriodTotal]) -> PeriodTotal | None:
    """The total published for the whole term before (``period_totals``) of the row's indicator and unit,
    or of a unit that carried its series: the context of a cumulative target (36.641 new members in
    2018–2023 beside 28.000 asked for 2024–2028)."""
    carriers = {row.unit.code, *row.units_by_year.values()}
    base = int(row.target.base_year)
    found = [t for t in totals if t.indicator == row.target.indicator and t.unit in carriers
             and t.to_year <= base]
    return max(found, key=lambda t: t.to_year, default=None)


def earlier_years(row: StatusRow, lang: str = "vi") -> str:
    """An annual target's years before the judged one, each with its mark (``2024: ✖ 58,40%``), from the
    base year's value (or the one stated in targets.csv) on."""
    v, base, stated = row.verdict, int(row.target.base_year), row.target.baseline
    lines = [] if base in row.series or not _present(stated) else [f"{base}: {with_unit(row, stated, lang)}"]
    for year in sorted(y for y in row.series if v.actual_year is None or y < v.actual_year):
        met = v.met_by_year.get(year)
        mark = "" if met is None else statuses.status(statuses.year_code(met)).symbol + " "
        lines.append(f"{year}: {mark}{with_unit(row, row.series[year].value, lang)}")
    return "\n".join(lines)


def starting_point(row: StatusRow, lang: str = "vi", totals: Sequence[PeriodTotal] = ()) -> FactLine:
    """Where the target starts from, by its type.

    - level: the baseline the engine judged from (stated in targets.csv, or the first year with data);
    - cumulative: the sum counts from zero, so the previous term's published total gives the scale;
    - annual: the base year's value when the data have it, and the years before the judged one.
    """
    typ = row.target.type
    if typ == CUMULATIVE:
        total = previous_term(row, totals)
        text = (f"{with_unit(row, total.value, lang)} ({fmt.years(total.from_year, total.to_year)})"
                if total else w("no_value", lang))
        return FactLine(w("previous_term", lang), text)
    if typ in ANNUAL_TYPES:
        return FactLine(w("earlier_years", lang), earlier_years(row, lang) or w("no_value", lang))
    value, year = baseline(row)
    own = min((y for y in row.series if y >= int(row.target.base_year)), default=None)  # as the plan starts
    if _present(value) and own is not None and own < year and row.footing.get(own) != row.footing.get(year):
        # carried across a merger: the plan's own starting point, and the year growth is compared from
        text = (f"{with_unit(row, row.series[own].value, lang)} ({own}); {w('compared_from', lang)} "
                f"{with_unit(row, value, lang)} ({year})")
        return FactLine(w("baseline", lang), text)
    if _present(value):
        mark = f", {w('reconstructed_mark', lang)}" if year in row.reconstructed_years else ""
        return FactLine(w("baseline", lang), f"{with_unit(row, value, lang)} ({year}{mark})")
    return FactLine(w("baseline", lang), w("no_value_in", lang).format(year=year))


def fact_lines(row: StatusRow, lang: str = "vi", totals: Sequence[PeriodTotal] = ()) -> list[FactLine]:
    """Starting point, latest, target, achievement, years met or pace, status: the report's numbered item."""
    lines = [
        starting_point(row, lang, totals),
        FactLine(w("latest", lang), latest(row, lang)),
        FactLine(w("target_value", lang), goal(row, lang)),
        FactLine(w("band_position" if row.verdict.band_position else "achievement", lang), achievement(row, lang)),
    ]
    met = years_met(row, lang)
    if met:
        lines.append(FactLine(w("years_met", lang), met))
        if row.verdict.trend:
            lines.append(FactLine(w("trend", lang), wording.trend_words(row, lang)))
    else:
        if _present(row.verdict.expected) and row.verdict.actual is not None:
            lines.append(FactLine(w("expected", lang), with_unit(row, row.verdict.expected, lang)))
        needed = pace(row, lang)
        if needed:
            lines.append(FactLine(w("pace", lang), needed))
    detail = wording.rebase_detail(row, lang)
    if detail:
        lines.append(FactLine(w("as_written", lang), detail))
    lines.append(FactLine(w("status", lang), badge(row, lang)))
    return lines


def speaker_notes(row: StatusRow, lang: str = "vi") -> str:
    """Everything a presenter may be asked about one target: figures, sentence, values, sources."""
    out = [f"{headline(row, lang)} — {badge(row, lang)}", wording.sentence(row, lang)]
    out.append(" · ".join(f"{f.label}: {f.value}" for f in fact_lines(row, lang)[:-1]))
    if row.series:
        out.append(f"{w('values', lang)}: {series_line(row, lang)}")
    if as_was_line(row, lang):
        out.append(as_was_line(row, lang))
    for source in sources(row):
        out.append(f"{w('sources', lang)}: {source}")
    out.append(f"{w('target_source', lang)}: {row.target.source}")
    out.extend(notes(row, lang))
    return "\n".join(out)
