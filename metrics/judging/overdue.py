"""Who is late: the units that have not reported every figure of a plan and year by its reporting deadline.

Built on ``completeness`` (who has reported what): a unit is overdue when a figure it is expected to report is
still missing after the deadline. How late is counted in whole days from the deadline to a given day (today by
default). Units come in the order of their names (``COLLATE vi`` in Vietnamese), the province's own first; the
figures each one misses in the plan's order (``completeness``). The federation asking is named as it is on the
deadline's day (after the 2025 reorganisation, the merged one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from metrics.domain.deadlines import Contact, days_late
from metrics.judging.scorecard import Scorecard
from metrics.storage import deadlines as stored
from metrics.vocabulary import fmt
from metrics.vocabulary.i18n import name


@dataclass(frozen=True)
class LateUnit:
    """One unit that has not reported everything by the deadline."""

    code: str
    name_vi: str
    name_en: str
    expected: int  # figures it is expected to report
    missing: tuple[str, ...]  # indicator codes it has not reported
    missing_vi: tuple[str, ...]  # their names
    missing_en: tuple[str, ...]
    days_late: int
    contact: Contact

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else (self.name_en or self.name_vi)

    def missing_names(self, lang: str = "vi") -> tuple[str, ...]:
        return self.missing_vi if lang == "vi" else self.missing_en


@dataclass(frozen=True)
class Overdue:
    """The overdue list of one plan and year, on one day (``due`` None: no deadline is set for that year)."""

    plan: str
    plan_name_vi: str
    plan_name_en: str
    federation_vi: str  # the plan's unit: who asks for the figures (the letters' letterhead)
    federation_en: str
    year: int
    due: dt.date | None
    on: dt.date
    units: tuple[LateUnit, ...]

    @property
    def passed(self) -> bool:
        """Whether the deadline has passed on ``on`` (a unit is late only then)."""
        return self.due is not None and self.on > self.due

    def plan_name(self, lang: str = "vi") -> str:
        return self.plan_name_vi if lang == "vi" else (self.plan_name_en or self.plan_name_vi)

    def federation(self, lang: str = "vi") -> str:
        return self.federation_vi if lang == "vi" else (self.federation_en or self.federation_vi)

    def headline(self, lang: str = "vi") -> str:
        """One sentence: how many units are late and by how long, or why none is listed."""
        year = self.year
        if self.due is None:
            return (f"Chưa đặt hạn báo cáo số liệu năm {year}: quản trị viên đặt hạn ở trang Quản trị "
                    "(hoặc python -m metrics deadlines set)." if lang == "vi" else
                    f"No reporting deadline is set for {year}: an administrator sets it on the Admin page "
                    "(or python -m metrics deadlines set).")
        due = fmt.date(self.due, lang)
        if not self.passed:
            return (f"Hạn báo cáo số liệu năm {year} là {due}: chưa đến hạn, chưa đơn vị nào trễ hạn."
                    if lang == "vi" else f"The deadline for {year}'s figures is {due}: it has not passed, no unit is late.")
        if not self.units:
            return (f"Không có đơn vị nào trễ hạn: mọi đơn vị đã báo cáo đủ số liệu năm {year} (hạn {due})."
                    if lang == "vi" else f"No unit is late: every unit has reported all of {year}'s figures (due {due}).")
        count, on, late = len(self.units), fmt.date(self.on, lang), self.units[0].days_late
        if lang == "vi":
            return f"{count} đơn vị chưa báo cáo đủ số liệu năm {year}: hạn {due}, đến {on} đã trễ {late} ngày."
        units = "1 unit has" if count == 1 else f"{count} units have"
        return f"{units} not reported all of {year}'s figures: due {due}, {late} day{'s' * (late != 1)} late on {on}."


def overdue(card: Scorecard, plan: str, year: int, on: dt.date | None = None, parent: str | None = None,
            lang: str = "vi") -> Overdue:
    """The units reporting to ``parent`` (default: the plan's unit) still missing figures of ``year`` on ``on``
    (default: today), when the deadline has passed; in name order of ``lang``."""
    on = on or dt.date.today()
    record = card.store.plan(plan)  # a clear error for an unknown plan
    due = stored.deadline(card.store, plan, year)
    # who asks for the figures, as named on the deadline (the plan's unit may have merged since the plan was set)
    top = card.org.on_day(parent or record.unit, due or on) or card.org.any_period(parent or record.unit)
    federation_vi = top.name_vi if top else record.unit
    federation_en = (top.name_en or top.name_vi) if top else record.unit
    units: tuple[LateUnit, ...] = ()
    if due is not None and on > due:
        units = _late_units(card, plan, year, due, on, parent, lang)
    return Overdue(plan, record.name_vi, record.name_en or record.name_vi, federation_vi, federation_en, year, due,
                   on, units)


def _late_units(card: Scorecard, plan: str, year: int, due: dt.date, on: dt.date, parent: str | None,
                lang: str) -> tuple[LateUnit, ...]:
    frame = card.completeness(plan, [year], parent)
    if frame.empty:
        return ()
    late = frame[frame["reported"] < frame["expected"]]
    contacts = stored.contacts(card.store, list(late["unit"]), year)
    indicators = card.indicators
    found = []
    for row in late.itertuples(index=False):
        unit = card.org.any_period(row.unit)
        missing = tuple(row.missing)
        found.append((unit.sort_key(lang) if unit else (9, 0, row.unit), LateUnit(
            row.unit, row.unit_name_vi, row.unit_name_en or row.unit_name_vi, int(row.expected), missing,
            tuple(name(indicators[m], "name", "vi") if m in indicators else m for m in missing),
            tuple(name(indicators[m], "name", "en") if m in indicators else m for m in missing),
            days_late(due, on), contacts.get(row.unit, Contact()))))
    return tuple(u for _, u in sorted(found, key=lambda pair: pair[0]))
