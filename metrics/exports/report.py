"""The report's structure, shared by the PDF and the Excel report: the resolution's numbered list.

Section 2.1 holds the targets for the end of the term, 2.2 the annual targets, each numbered from 1
in the plan's order. Sources become numbered footnotes, numbered in order of first use across the
report and listed once, at the end of the section that first cites them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from metrics.domain.judgement import ANNUAL_TYPES, CUMULATIVE
from metrics.exports import facts
from metrics.exports.slides import QUOTAS, Deck
from metrics.exports.words import w
from metrics.judging.quotas import TargetQuotas
from metrics.judging.scorecard import StatusRow


@dataclass
class Item:
    number: int
    row: StatusRow
    notes: list[int]  # footnote numbers: the target's own source, then the values' sources


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)

    def footnotes(self, report: Report) -> list[tuple[int, str]]:
        """The sources this section cites first (one cited again later keeps its number and is not
        listed again)."""
        before = report.sections[:report.sections.index(self)]
        earlier = {n for section in before for item in section.items for n in item.notes}
        cited = sorted({n for item in self.items for n in item.notes} - earlier)
        return [(n, report.sources[n - 1]) for n in cited]


@dataclass
class Report:
    deck: Deck
    sections: list[Section]
    sources: list[str]  # footnote n is sources[n - 1]
    quotas: list[TargetQuotas] = field(default_factory=list)  # the targets divided among the units, as the deck

    def quotas_of(self, code: str) -> TargetQuotas | None:
        return next((q for q in self.quotas if q.target.code == code), None)

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def notes(self) -> list[tuple[str, list[str]]]:
        """(note, codes of the targets it concerns) for every note of ``facts.NOTES`` that applies.

        Each is stated once, at the front; a target repeats none of them, but names in a few words one
        that concerns only some targets (``own_notes``).
        """
        found = []
        for key in facts.NOTES:
            codes = [i.row.target.code for i in self.items if key in facts.note_keys(i.row)]
            if codes:
                found.append((key, codes))
        return found

    def own_notes(self, item: Item) -> list[str]:
        """The item's notes that not every target shares, in a few words each."""
        shared = {key for key, codes in self.notes() if len(codes) == len(self.items)}
        return [facts.note_text(key, facts.note_years(key, item.row), self.deck.lang, short=True)
                for key in facts.note_keys(item.row) if key not in shared]


def build_report(deck: Deck) -> Report:
    lang = deck.lang
    sources: list[str] = []

    def cite(text: str) -> int:
        if text not in sources:
            sources.append(text)
        return sources.index(text) + 1

    sections = [Section(w("section_term", lang)), Section(w("section_annual", lang))]
    for row in deck.rows:
        section = sections[1] if row.target.type in ANNUAL_TYPES else sections[0]
        earlier = facts.previous_term(row, deck.period_totals) if row.target.type == CUMULATIVE else None
        cited = [cite(row.target.source or "")] + [cite(s) for s in facts.sources(row)]
        cited += [cite(earlier.source or "")] if earlier else []
        section.items.append(Item(len(section.items) + 1, row, list(dict.fromkeys(cited))))
    quotas = [s.quotas for s in deck.slides if s.kind == QUOTAS and s.quotas is not None]
    return Report(deck, [s for s in sections if s.items], sources, quotas)
