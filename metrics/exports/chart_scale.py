"""The value axis of a deck chart: where it starts and ends, its step, and how its numbers are written.

PowerPoint writes axis numbers with the separators of the computer showing the deck (``#,##0`` reads
``111,258`` on an English Windows, ``111.258`` on a Vietnamese one), and LibreOffice with those of the
deck's language. The number format written here holds its separators as literal text inside
conditional sections — ``[>=1000]#"."##0`` puts a literal dot before the last three digits — so
``111.258`` reads the same on every computer (a test renders it with LibreOffice). A step below one
(a small rate per CĐCS) is written the same way, one literal section per tick, so such an axis has at
most three ticks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from metrics.vocabulary import fmt
from metrics.vocabulary.kinds import IndicatorKind

#: Steps an axis may take, times a power of ten; a step of one or more is whole (2,5 only as 25, 250 …).
NICE = (1.0, 2.0, 2.5, 5.0)
MOST_STEPS = 7
#: Fractional ticks are written one by one in the number format, which has room for three.
MOST_FRACTIONAL_STEPS = 2


@dataclass(frozen=True)
class Scale:
    low: float
    high: float
    step: float
    number_format: str

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]


def steps(smallest: float) -> list[float]:
    """Every step an axis may take, from ``smallest`` up."""
    found = [m * 10.0 ** e for e in range(-3, 10) for m in NICE]
    return [s for s in found if s >= smallest and (s < 1 or s.is_integer())]


def scale(lowest: float, highest: float, kind: str, lang: str, zero: bool = True, room: float = 0.0,
          most: int = MOST_STEPS) -> Scale:
    """The tightest axis that shows every value from ``lowest`` to ``highest`` and leaves ``room`` (a share
    of the plot's height) above ``highest`` for the labels, in two to ``most`` (at most seven) nice steps.

    ``zero``: the axis starts at 0; otherwise a whole step below ``lowest`` (a percentage target of 96%
    reads better from 80%; the chart then says that its axis does not start at 0).
    """
    best = None
    for step in steps(0.0 if kind == IndicatorKind.RATE else 1.0):  # percentages and counts: whole steps
        low = min(0.0, lowest) if zero else max(0.0, math.floor((lowest - step / 2) / step) * step)
        needed = (highest - room * low) / (1 - room)  # the top that leaves ``room`` above ``highest``
        count = max(1, math.ceil((needed - low) / step - 1e-9))
        if count < 2 or count > min(MOST_FRACTIONAL_STEPS if step < 1 else MOST_STEPS, max(most, 2)):
            continue
        cost = count * step * (1 + 0.08 * abs(count - 5))  # tight, and about five steps
        if best is None or cost < best[0]:
            best = (cost, low, low + count * step, step)
    if best is None:  # nothing to show: one step of one
        best = (0, 0.0, 1.0, 1.0)
    _, low, high, step = best
    return Scale(low, high, step, number_format(low, high, step, kind, lang, highest))


def number_format(low: float, high: float, step: float, kind: str, lang: str, highest: float | None = None) -> str:
    """An Excel number format that writes this axis's ticks the ``lang`` way on any computer."""
    thousands, decimal = fmt.PLOTLY_SEPARATORS[lang][1], fmt.PLOTLY_SEPARATORS[lang][0]
    if kind == IndicatorKind.RATIO:
        # A share of a whole cannot pass 100%: a tick above it (room for labels) stays blank; a share of a
        # plan figure can (120,44% of plan), and then its ticks are written.
        blank = high > 100 and (highest is None or highest <= 100.5)
        return '[>100.5]"";0"%"' if blank else '0"%"'
    if step < 1:
        ticks = Scale(low, high, step, "").ticks()
        texts = [fmt.number(t, lang, 2).rstrip("0").rstrip(decimal) for t in ticks]
        cuts = [(a + b) / 2 for a, b in zip(ticks, ticks[1:])]
        sections = [f'[<{cut:g}]"{text}"' for cut, text in zip(cuts[:2], texts)]
        return ";".join(sections + [f'"{texts[len(sections)]}"'])
    sep = f'"{thousands}"'
    return f"[>=1000000]#{sep}###{sep}##0;[>=1000]#{sep}##0;0"
