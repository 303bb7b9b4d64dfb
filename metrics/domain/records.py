"""The catalogue as typed records: a plan, an indicator, a target, a figure for a whole earlier term.

They are made once from the database's rows (``from_row``: a missing cell — None, NaN, pandas' NA — becomes
None, a kind or type its enum) and never change (frozen). Names and meaning of every field:
docs/data-files.md (the files) and the ``plans``, ``indicators``, ``targets`` and ``period_totals`` tables.

Reading a record like a mapping (``target["code"]``, ``target.get("unit")``, ``{**target}``) still works
for the page scripts and tests not yet moved to attributes; new code reads attributes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Self

import pandas as pd

from metrics.vocabulary.kinds import IndicatorKind, TargetType
from metrics.vocabulary.shared import number_or_none


def _missing(value: Any) -> bool:
    """None, pandas' NA or NaN (NA first: comparing it gives NA, whose truth is an error)."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _text(value: Any) -> str | None:
    return None if _missing(value) else str(value)


def _int(value: Any) -> int | None:
    return None if _missing(value) else int(value)


class _ReadAsMapping:
    """``record["field"]`` and ``record.get("field")``: the dict-shaped reads of the code not yet moved to
    attributes (and ``{**record}``, ``dict(record)``). Not iterable: ``pd.DataFrame(records)`` then takes
    them as dataclasses, a column per field (an iterable record would be read as a row of its names)."""

    __slots__ = ()

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)

    def keys(self) -> list[str]:
        return [f.name for f in fields(self)]  # type: ignore[arg-type]  # every subclass is a dataclass

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.keys()


@dataclass(frozen=True, slots=True)
class Plan(_ReadAsMapping):
    """A congress resolution or programme: its term and the unit it is set for."""

    code: str
    name_vi: str
    name_en: str | None
    issuer: str | None
    start_year: int
    end_year: int
    unit: str
    source: str | None = None
    headline: str | None = None  # the targets shown first (plans.csv ``headline``: codes separated by |)
    after_merger: str | None = None  # carry | rebase | end (metrics.domain.mergers)

    @property
    def headlines(self) -> tuple[str, ...]:
        return tuple(self.headline.split("|")) if self.headline else ()

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        return cls(str(row["code"]), str(row["name_vi"]), _text(row.get("name_en")), _text(row.get("issuer")),
                   int(row["start_year"]), int(row["end_year"]), str(row["unit"]), _text(row.get("source")),
                   _text(row.get("headline")), _text(row.get("after_merger")))


@dataclass(frozen=True, slots=True)
class Indicator(_ReadAsMapping):
    """What is measured, how it adds up (``kind``) and which way is better (``direction``: up or down)."""

    code: str
    name_vi: str
    name_en: str | None
    measure_vi: str | None
    measure_en: str | None
    kind: IndicatorKind
    direction: str
    numerator_vi: str | None = None
    numerator_en: str | None = None
    denominator_vi: str | None = None
    denominator_en: str | None = None
    limit: float | None = None  # the bound a ratio cannot pass (100 for a percentage)
    definition_vi: str | None = None
    definition_en: str | None = None
    decimals: int | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        return cls(str(row["code"]), str(row["name_vi"]), _text(row.get("name_en")), _text(row.get("measure_vi")),
                   _text(row.get("measure_en")), IndicatorKind(row["kind"]), str(row["direction"]),
                   _text(row.get("numerator_vi")), _text(row.get("numerator_en")), _text(row.get("denominator_vi")),
                   _text(row.get("denominator_en")), number_or_none(row.get("limit")),
                   _text(row.get("definition_vi")), _text(row.get("definition_en")), _int(row.get("decimals")))


@dataclass(frozen=True, slots=True)
class Target(_ReadAsMapping):
    """One target of a plan, as stored (the plan's defaults filled in: ``target_year``, ``base_year``)."""

    plan: str
    code: str
    group_code: str
    group_vi: str | None
    group_en: str | None
    indicator: str
    type: TargetType
    value: float
    value_high: float | None  # a band's other end
    target_year: int
    base_year: int
    baseline: float | None  # the value stated for the base year
    sector: str | None  # sectors whose units add up, separated by | (None: every sector)
    applies_to: str  # levels the target is tracked at, separated by |
    label_vi: str | None = None
    label_en: str | None = None
    wording_vi: str | None = None
    source: str | None = None
    sort_order: int = 0
    unit: str | None = None  # the one unit the target is set for (else its levels)
    basis: str | None = None  # the indicator of the plan figure a share-of-plan target divides by

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        return cls(str(row["plan"]), str(row["code"]), str(row["group_code"]), _text(row.get("group_vi")),
                   _text(row.get("group_en")), str(row["indicator"]), TargetType(row["type"]), float(row["value"]),
                   number_or_none(row.get("value_high")), int(row["target_year"]), int(row["base_year"]),
                   number_or_none(row.get("baseline")), _text(row.get("sector")), str(row["applies_to"]),
                   _text(row.get("label_vi")), _text(row.get("label_en")), _text(row.get("wording_vi")),
                   _text(row.get("source")), _int(row.get("sort_order")) or 0, _text(row.get("unit")),
                   _text(row.get("basis")))

    @property
    def sectors(self) -> tuple[str, ...]:
        """The sectors whose units its figures add up (empty: every sector)."""
        return tuple(self.sector.split("|")) if self.sector else ()


@dataclass(frozen=True, slots=True)
class PeriodTotal(_ReadAsMapping):
    """A figure published for a whole earlier term: context beside a target, never in a series."""

    unit: str
    indicator: str
    from_year: int
    to_year: int
    value: float
    source: str | None = None
    note: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        return cls(str(row["unit"]), str(row["indicator"]), int(row["from_year"]), int(row["to_year"]),
                   float(row["value"]), _text(row.get("source")), _text(row.get("note")))
