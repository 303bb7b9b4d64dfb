"""The closed lists of the catalogue: an indicator's kind, a target's type (docs/methodology.md, docs/data-files.md).

StrEnum members are their codes: ``IndicatorKind.STOCK == "stock"``, and they print, format and serialise
(CSV, JSON, DuckDB) as the code, so files and outputs read the same as with plain strings.
"""

from __future__ import annotations

from enum import StrEnum


class IndicatorKind(StrEnum):
    """How an indicator's values add up over the organisation (docs/methodology.md, "Roll-up")."""

    STOCK = "stock"  # a count at the year's end: adds up
    FLOW = "flow"  # a count over the year: adds up, and over years
    RATIO = "ratio"  # numerator ÷ denominator, a percentage: Σnumerator ÷ Σdenominator
    RATE = "rate"  # a count per unit: Σcount ÷ Σunits


class TargetType(StrEnum):
    """What a target asks for (docs/methodology.md, "Target types")."""

    LEVEL = "level"  # a value by the target year
    CUMULATIVE = "cumulative"  # a sum of flows over the term
    ANNUAL_FLOOR = "annual_floor"  # at least this, every year
    ANNUAL_CEILING = "annual_ceiling"  # at most this, every year
    ANNUAL_BAND = "annual_band"  # within a range, every year
    UNIT_BAND = "unit_band"  # a per-unit rate within a range, every year


#: Kinds whose figure is a ratio of two sums (a unit reports its numerator and denominator).
PART_KINDS = (IndicatorKind.RATIO, IndicatorKind.RATE)
#: Kinds whose figure is a sum of its parts' (a merged unit's figure, a target scaled on a merger).
ADDITIVE_KINDS = (IndicatorKind.STOCK, IndicatorKind.FLOW)
