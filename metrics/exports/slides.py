"""The slide model shared by the presentation page and the PowerPoint deck.

A title slide, one slide per target group of the plan (in the resolution's order; a group with more
than ``MAX_PER_SLIDE`` targets is split), and a summary slide. Each group slide holds the group's
target rows for the plan's own unit (the province), so the page and the deck show the same targets,
statuses and sentences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from metrics.domain.records import PeriodTotal
from metrics.exports import facts
from metrics.exports.pinned import Pinned
from metrics.exports.words import w
from metrics.judging import wording
from metrics.judging.quotas import TargetQuotas, carriers_sentence, reconciliation_sentence, target_quotas
from metrics.judging.scorecard import Scorecard, StatusRow
from metrics.vocabulary import fmt
from metrics.vocabulary.i18n import name, pick
from metrics.vocabulary.kinds import TargetType

#: Two targets side by side is the most that keeps the charts tall and the 20-point sentences readable
#: from the back of a hall (three columns, rendered and looked at, left charts about 2 cm high); a
#: group of three becomes a slide of two and a slide of one, which shows its chart larger.
MAX_PER_SLIDE = 2
TITLE, GROUP, QUOTAS, SUMMARY = "title", "group", "quotas", "summary"
#: Units listed on a quotas slide: those carrying most of the gap (the target page lists them all).
QUOTA_ROWS = 5
#: The targets needing attention on the summary, worst first.
FOCUS_ORDER = ("not_achieved", "deterioration", "limited_progress", "moderate_progress")


@dataclass
class Slide:
    kind: str  # title | group | summary
    title: str
    rows: list[StatusRow] = field(default_factory=list)  # group slides: the targets shown
    group: str | None = None  # group code (NK1 …)
    part: tuple[int, int] | None = None  # (2, 3) for the second slide of a group split in three
    quotas: TargetQuotas | None = None  # a quotas slide: the target's quotas reconciled, who carries the gap

    @property
    def part_label(self) -> str:
        """``(2/3)`` for a group split over several slides, else empty."""
        return f"({self.part[0]}/{self.part[1]})" if self.part else ""


@dataclass
class Deck:
    """Everything a presentation shows, built once from the engine."""

    plan: str
    plan_name: str
    unit_name: str
    year: int
    lang: str
    pinned: Pinned
    rows: list[StatusRow]  # every target of the plan for its unit, in the resolution's order
    slides: list[Slide]
    period_totals: list[PeriodTotal] = field(default_factory=list)  # totals published for whole earlier terms

    @property
    def illustrative(self) -> bool:
        return any("illustrative" in r.provenance for r in self.rows)

    @property
    def provisional(self) -> bool:
        """Whether a figure shown counts a value of a batch not yet approved (◐ tạm tính)."""
        return any("provisional" in r.provenance for r in self.rows)

    ended: str = ""  # the plan ended with its unit's merger: "Kế hoạch kết thúc khi … hợp nhất ngày 1/7/2025"

    @property
    def break_years(self) -> list[int]:
        return self.note_years("break")

    def note_years(self, key: str) -> list[int]:
        """The years a note of ``facts.NOTES`` concerns over the whole deck (stated once, at the front)."""
        return sorted({y for r in self.rows for y in facts.note_years(key, r)})

    def front_notes(self) -> list[tuple[str, list[str]]]:
        """Every note on the figures the deck states once, with the codes of the targets it concerns: the plan's
        end, then the change of unit and the reconstructed years."""
        found = [(self.ended + ".", [r.target.code for r in self.rows])] if self.ended else []
        provisional = [r.target.code for r in self.rows if "provisional" in r.provenance]
        if provisional:
            found.append((w("provisional", self.lang), provisional))
        for key in ("break", "reconstructed"):
            codes = [r.target.code for r in self.rows if facts.note_years(key, r)]
            if codes:
                found.append((facts.note_text(key, self.note_years(key), self.lang), codes))
        return found

    def subtitle(self) -> str:
        return f"{self.unit_name} · {w('progress_in', self.lang).format(year=self.year)}"

    def footer(self) -> str:
        """The pinned-data line every slide carries (with the illustrative-data warning)."""
        text = self.pinned.line(self.lang)
        if self.illustrative:
            text += f" · {w('illustrative_short', self.lang)}"
        return text

    def summary(self) -> str:
        return wording.summary(self.rows, self.year, self.lang)

    def counts(self) -> list:
        """(status, count) for every status that occurs, in the one table's order."""
        return wording.status_counts(self.rows)

    def focus(self) -> list[StatusRow]:
        """Targets not achieved or behind, worst first (not achieved, deteriorating, limited, needs acceleration)."""
        behind = [r for r in self.rows if r.status in FOCUS_ORDER]
        return sorted(behind, key=lambda r: FOCUS_ORDER.index(r.status))


def build_deck(card: Scorecard, plan: str, year: int | None, lang: str, pinned: Pinned) -> Deck:
    """The deck for ``plan`` in ``year`` (default: its latest year with data), on ``card``'s data."""
    info = card.plans[plan]
    year = card.judged_year(plan, year)  # (a year after a plan ended with its unit's merger is refused)
    root = card.root(plan, year)
    rows = card.plan_rows(plan, year)  # the plan's unit, and each target set for one unit inside it
    ended = card.ended(plan)
    deck = Deck(plan, pick((info["name_vi"], info["name_en"]), lang), root.name(lang) if root else "—",
                year, lang, pinned, rows, [], card.period_totals, ended.words(lang) if ended else "")
    deck.slides = [Slide(TITLE, deck.plan_name), *group_slides(rows, lang), *quota_slides(card, plan, year, lang),
                   Slide(SUMMARY, w("summary_title", lang))]
    return deck


def quota_slides(card: Scorecard, plan: str, year: int, lang: str) -> list[Slide]:
    """One slide per target divided among the units: the reconciliation and the units carrying its gap."""
    found = [q for t in card.targets(plan) if (q := target_quotas(card, t, year)) is not None]
    return [Slide(QUOTAS, f"{w('quotas_title', lang)} · {q.target.code} · {name(q.target, 'label', lang)}",
                  group=q.target.group_code, quotas=q) for q in found]


def quota_lines(quotas: TargetQuotas, lang: str, limit: int | None = QUOTA_ROWS) -> list[tuple[StatusRow, list[str]]]:
    """The units a quotas slide lists (most of the gap first; ``limit`` None: every unit, as the PDF report):
    each row and its cells as written (``quotas_columns``)."""
    ind, shown = quotas.indicator, quotas.carriers[:limit]

    def part(value: float | None) -> str:
        if value is None:
            return "—"
        return fmt.points(value, lang, signed=False) if quotas.ratio else fmt.shown(value, ind, lang)

    return [(c.row, [c.unit.name(lang), fmt.shown(c.quota, ind, lang), fmt.shown(c.row.verdict.actual, ind, lang),
                     facts.badge(c.row, lang), part(c.behind)]) for c in shown]


def group_slides(rows: list[StatusRow], lang: str) -> list[Slide]:
    """One slide per group code, in the order the groups first appear; big groups split evenly."""
    groups: dict[str, list[StatusRow]] = {}
    for row in rows:
        groups.setdefault(row.target.group_code, []).append(row)
    slides = []
    for code, members in groups.items():
        parts = math.ceil(len(members) / MAX_PER_SLIDE)
        size = math.ceil(len(members) / parts)
        title = f"{code} · {name(members[0].target, 'group', lang)}"
        for i in range(parts):
            chunk = members[i * size:(i + 1) * size]
            slides.append(Slide(GROUP, title, chunk, code, (i + 1, parts) if parts > 1 else None))
    return slides


def slide_notes(deck: Deck, slide: Slide) -> str:
    """The speaker notes of a slide: every figure on it and its source, and the pinned data."""
    lang = deck.lang
    if slide.kind == GROUP:
        body = "\n\n".join(facts.speaker_notes(r, lang) for r in slide.rows)
    elif slide.kind == QUOTAS and slide.quotas is not None:
        q = slide.quotas
        lines = [reconciliation_sentence(q, lang), carriers_sentence(q, lang)]
        lines += [" · ".join(cells) for _, cells in quota_lines(q, lang)]
        body = "\n".join(lines)
    elif slide.kind == SUMMARY:
        lines = [deck.summary()]
        lines += [f"{r.target.code}: {facts.badge(r, lang)} — {facts.statement(r, lang)}" for r in deck.rows]
        body = "\n".join(lines)
    else:
        lines = [deck.plan_name, deck.subtitle()]
        if deck.illustrative:
            lines.append(w("illustrative", lang))
        lines += [note for note, _ in deck.front_notes()]
        body = "\n".join(lines)
    return f"{body}\n\n{deck.pinned.line(lang)}"


def projected(fig, row: StatusRow | None = None, font_size: int = 18, height: int = 400):
    """A dashboard chart (``metrics.judging.charts``) made for a projector: larger type, and the term only.

    Plotly text without its own size follows the layout font, so one setting enlarges axis labels,
    legends and annotations; value labels stay a little smaller so neighbouring years do not collide.
    For a level target the axis shows the term (baseline to target year), as the deck does.
    """
    fig.update_layout(font=dict(size=font_size), height=height, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(font=dict(size=font_size - 3)))
    fig.update_traces(textfont=dict(size=font_size - 3), selector=dict(type="scatter"))
    fig.update_traces(textfont=dict(size=font_size - 3), selector=dict(type="bar"))
    if row is not None and row.target.type == TargetType.LEVEL:
        fig.update_xaxes(range=[int(row.target.base_year) - 0.5, int(row.target.target_year) + 0.5])
    return fig
