"""The one table of statuses: code → symbol, Vietnamese, English, colour. Every view reads it.

Badges, chips, counts, sentences, chart legends and bars, sparklines, tables, the unit matrix, the
ranking, the slideshow, PowerPoint, PDF, Excel and CSV all take a status's symbol, word and colour from
here, so one target reads the same everywhere (docs/methodology.md, "Statuses").

Colours: the good states are blue (achieved) and blue-green (on track), the bad ones a red family
(amber, orange-red, red, dark red), the states without a verdict grey. Blue against red stays apart for
every kind of colour blindness, where green against red does not; a test simulates protanopia,
deuteranopia and tritanopia and keeps every pair apart. ``ink`` is the text colour that reads on the
colour (contrast ≥ 4.5 : 1). ``badge`` is the Streamlit palette slot the dashboard's badges and metric
sparklines use; ``.streamlit/config.toml`` sets each slot to the colour here (a test keeps them equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StatusCode(StrEnum):
    """Every status a target can have, best first (docs/methodology.md, "Statuses"): the one list of codes.
    A member is its code (``StatusCode.NOT_ACHIEVED == "not_achieved"``) in CSV, JSON and the database."""

    TARGET_ACHIEVED = "target_achieved"
    SUBSTANTIAL = "substantial_progress"
    MODERATE = "moderate_progress"
    LIMITED = "limited_progress"
    DETERIORATION = "deterioration"
    NOT_ACHIEVED = "not_achieved"  # final: a term target's deadline passed unmet, or an annual target's year missed
    NOT_AVAILABLE = "not_available"
    NO_TARGET = "no_target"


@dataclass(frozen=True)
class Status:
    code: StatusCode
    symbol: str
    vi: str
    en: str
    colour: str  # the fill: chart bars, matrix cells, badges, PDF and slide labels
    ink: str  # text on the fill
    badge: str  # Streamlit's named colour for this status (its hex is set in .streamlit/config.toml)

    def label(self, lang: str = "vi") -> str:
        return self.vi if lang == "vi" else self.en

    def badge_text(self, lang: str = "vi") -> str:
        """Symbol and word: ``✔ Đã đạt`` (never colour alone)."""
        return f"{self.symbol} {self.label(lang)}"


TARGET_ACHIEVED = StatusCode.TARGET_ACHIEVED
NOT_ACHIEVED = StatusCode.NOT_ACHIEVED
NOT_AVAILABLE = StatusCode.NOT_AVAILABLE

_DARK, _LIGHT = "#1A1A1A", "#FFFFFF"

#: Every status, best first: the order of legends, counts and tables.
TABLE: tuple[Status, ...] = (
    Status(StatusCode.TARGET_ACHIEVED, "✔", "Đã đạt", "Target achieved", "#1F5FA8", _LIGHT, "blue"),
    Status(StatusCode.SUBSTANTIAL, "▲", "Đúng tiến độ", "On track", "#2A9D8F", _DARK, "green"),
    Status(StatusCode.MODERATE, "►", "Cần đẩy nhanh", "Needs acceleration", "#E9B000", _DARK, "yellow"),
    Status(StatusCode.LIMITED, "▼", "Chậm tiến độ", "Limited progress", "#E3661E", _DARK, "orange"),
    Status(StatusCode.DETERIORATION, "◄", "Đi lùi", "Deteriorating", "#C0392B", _LIGHT, "violet"),
    Status(StatusCode.NOT_ACHIEVED, "✖", "Chưa đạt", "Not achieved", "#7F0E1C", _LIGHT, "red"),
    Status(StatusCode.NOT_AVAILABLE, "?", "Chưa đủ dữ liệu", "Not enough data", "#B8B8B8", _DARK, "gray"),
    Status(StatusCode.NO_TARGET, "–", "Chưa có chỉ tiêu", "No target set", "#B8B8B8", _DARK, "gray"),
)
BY_CODE: dict[str, Status] = {s.code: s for s in TABLE}  # looked up by plain codes too (CSV, database)
CODES = tuple(BY_CODE)

#: The trend of an annual target: secondary information beside its status, never the status itself.
TRENDS = {
    "better": ("↗", "tốt hơn năm trước", "better than the year before"),
    "worse": ("↘", "kém hơn năm trước", "worse than the year before"),
    "same": ("→", "không đổi so với năm trước", "unchanged on the year before"),
    # across a merger: the year before was another unit's (no arrow: no growth is counted across it)
    "not_comparable": ("⚡", "không so sánh được (đổi đơn vị)", "not comparable (unit changed)"),
}


def status(code: str) -> Status:
    return BY_CODE[code]


def label(code: str, lang: str = "vi") -> str:
    return BY_CODE[code].label(lang)


def badge(code: str, lang: str = "vi") -> str:
    """``✔ Đã đạt``: the symbol and the word of a status."""
    return BY_CODE[code].badge_text(lang)


def colour(code: str) -> str:
    return BY_CODE[code].colour


def year_code(met: bool | None) -> str:
    """A single year of an annual target as a status: met → achieved, missed → not achieved."""
    return NOT_AVAILABLE if met is None else (TARGET_ACHIEVED if met else NOT_ACHIEVED)


def trend_text(trend: str | None, lang: str = "vi") -> str:
    """``↗ tốt hơn năm trước``; empty when there is no year before to compare with."""
    if trend is None:
        return ""
    arrow, vi, en = TRENDS[trend]
    return f"{arrow} {vi if lang == 'vi' else en}"


def counts(codes: list[str]) -> list[tuple[Status, int]]:
    """How many of each status, in the table's order, leaving out the statuses nobody has."""
    found = [(s, sum(c == s.code for c in codes)) for s in TABLE]
    return [(s, n) for s, n in found if n]
