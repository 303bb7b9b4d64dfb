"""Charts built once per data version and kept with its scorecard.

A figure is the same for everyone who looks at the same target, unit, year and language on the same data,
and building it (Plotly checks every property it is given) took 20–90 ms of each click on Chỉ tiêu and
Đơn vị. So it is built once and kept in the scorecard of its data version (``ui.data.scorecard``): an
import makes a new scorecard and so new figures; nothing is kept across data versions. At most
``KEPT`` figures a version, the least recently shown forgotten first.

A kept figure is shared by every session: nothing may change it after it is built (Streamlit only reads
it, ``Figure.to_dict``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import plotly.graph_objects as go

from metrics.judging import charts
from metrics.judging.scorecard import Scorecard, StatusRow

KEPT = 300  # figures of one data version: every target of a province at a few years, in both languages


class Kept:
    """The most recently shown figures, by what they show."""

    def __init__(self, size: int = KEPT):
        self.size = size
        self._figures: OrderedDict[tuple, go.Figure] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, build: Callable[[], go.Figure]) -> go.Figure:
        with self._lock:
            if key in self._figures:
                self._figures.move_to_end(key)
                return self._figures[key]
        figure = build()  # outside the lock: two sessions asking at once both build, one is kept
        with self._lock:
            self._figures[key] = figure
            while len(self._figures) > self.size:
                self._figures.popitem(last=False)
        return figure

    def __len__(self) -> int:
        return len(self._figures)


def kept(card: Scorecard) -> Kept:
    return card.memo(("figures",), Kept)


def figure(card: Scorecard, key: tuple, build: Callable[[], go.Figure]) -> go.Figure:
    """The figure ``key`` names (what it shows: kind, plan, target, unit, year, language …) on ``card``'s
    data, built by ``build`` the first time it is asked for."""
    return kept(card).get(key, build)


# The pages' figures, named here (not in the page scripts) so that the server's warm-up at start
# (``ui.warmup``) builds exactly what a visitor's first click asks for.

def trend(card: Scorecard, row: StatusRow, year: int, lang: str) -> go.Figure:
    """Chỉ tiêu: the target's series against the target, for ``row``'s unit as seen in ``year``."""
    target = row.target
    return figure(card, ("trend", target["plan"], target["code"], row.unit.code, year, lang),
                  lambda: charts.trend(row, lang))


def breakdown_rows(card: Scorecard, target: dict, unit, year: int) -> tuple[list[StatusRow], bool]:
    """Chỉ tiêu: ``target`` for the units directly below ``unit`` in ``year`` that have a figure or the target
    set for them, and whether it is set for any (else the chart shows contributions, judged against nothing)."""
    below = card.children(unit.code, year)  # (before a merger: the units it was formed from, as they were)

    def rows_below() -> list[StatusRow]:
        card.prefetch(target["plan"], [u.code for u in below], [target["indicator"]])  # two queries, not two per unit
        return [card.row(target, u, year) for u in below]

    rows = card.memo(("breakdown", target["plan"], target["code"], unit.code, year), rows_below)
    judged = any(card.applies(target, r.unit) for r in rows)
    return [r for r in rows if card.applies(target, r.unit) or r.verdict.actual is not None], judged


def quotas_of(card: Scorecard, target, year: int):
    """The target's quotas reconciled in ``year`` (None: it has none), computed once per data version."""
    from metrics.judging import quotas

    return card.memo(("quotas", target["plan"], target["code"], year), lambda: quotas.target_quotas(card, target, year))


def shortfall(card: Scorecard, found, lang: str) -> go.Figure:
    """Chỉ tiêu: who carries the province's gap on a target divided into quotas (``metrics.judging.quotas``)."""
    target = found.target
    return figure(card, ("shortfall", target.plan, target.code, found.year, lang),
                  lambda: charts.shortfall(found.carriers, found.indicator, lang, ratio=found.ratio))


def ranking(card: Scorecard, target: dict, unit, year: int, lang: str, judged: bool,
            shown: list[StatusRow]) -> go.Figure:
    """Chỉ tiêu: the units below ``unit`` ranked on ``target`` (``shown``: one page of them)."""
    return figure(card, ("breakdown", target["plan"], target["code"], unit.code, year, lang, judged,
                         tuple(r.unit.code for r in shown)),
                  lambda: charts.ranking(shown, lang, judged=judged))


def matrix(card: Scorecard, plan: str, year: int, lang: str, units: list, rows: list[StatusRow]) -> go.Figure:
    """Đơn vị: ``units`` (a unit and one page of the units below it) × every target of ``plan``."""
    return figure(card, ("matrix", plan, year, lang, tuple(u.code for u in units)), lambda: charts.heatmap(rows, lang))
