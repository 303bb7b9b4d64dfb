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

from metrics.judging.scorecard import Scorecard

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
