"""Every target of a plan, for every unit it applies to, judged in one year.

This is what the overview, the unit matrix, the ``status`` command and the exports all read, so
every view says the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from metrics.domain import mergers
from metrics.domain.judgement import ANNUAL_TYPES, CUMULATIVE, LEVEL, TargetSpec, Verdict, judge
from metrics.domain.mergers import PlanMerger, Rebase, Reconstruction
from metrics.domain.organisation import Organisation, Unit
from metrics.domain.progress import NOT_AVAILABLE
from metrics.domain.quotas import Quota
from metrics.domain.records import Indicator, PeriodTotal, Plan, Target
from metrics.domain.rollup_reference import Figure
from metrics.judging.memo import Memo
from metrics.storage import rollups
from metrics.storage.figure_sources import FigureSource, MemoryFigures, StoredFigures
from metrics.storage.store import Store, in_force_sql
from metrics.vocabulary import statuses
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.kinds import IndicatorKind

APPROVED_VALUES = "SELECT * FROM approved_values"  # (migration 0017; metrics.storage.rollups.refresh_approved)
APPROVED_FIGURES = "approved_figures"

# Results a scorecard remembers (judged rows, breakdowns, the kept charts, templates …), the least recently
# used forgotten first: one scorecard serves every session of a data version (ui/data.py).
MEMO_SIZE = 1000


@dataclass
class StatusRow:
    """One target × unit × year, with the figures behind its status."""

    target: Target
    indicator: Indicator
    unit: Unit
    year: int
    verdict: Verdict
    series: dict[int, Figure]  # the yearly values the verdict was judged on, up to ``year``
    units_by_year: dict[int, str] = field(default_factory=dict)  # who carried the series each year
    # years before a merger rebuilt as the merged unit stood (as is), each with its parts' own figures (as was):
    # the series' own years (a merged unit's series), or those its latest years are compared with (``carry``)
    reconstructions: dict[int, Reconstruction] = field(default_factory=dict)
    footing: dict[int, str] = field(default_factory=dict)  # year -> the unit its figure is like-for-like with
    rebase: Rebase | None = None  # the target as the merged unit carries it (plans.csv ``after_merger`` rebase)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # the merger's units: code -> (vi, en) name
    quota: float | None = None  # the unit's own share of the target ("chỉ tiêu giao"): judged against it

    @property
    def against_quota(self) -> bool:
        """Whether the unit is judged against its own quota, not the plan's target."""
        return self.quota is not None

    def name_of(self, code: str, lang: str = "vi") -> str:
        """The name of a unit the merger concerns (a part of a reconstruction, the plan's old unit)."""
        found = self.names.get(code)
        return code if found is None else (found[0] if lang == "vi" else found[1] or found[0])

    @property
    def status(self) -> str:
        return self.verdict.status

    @property
    def symbol(self) -> str:
        return statuses.status(self.status).symbol

    def badge(self, lang: str = "vi") -> str:
        """``✖ Chưa đạt``: the status's symbol and word from the one table."""
        return statuses.badge(self.status, lang)

    @property
    def break_years(self) -> list[int]:
        """Years in which the series passed to a successor unit (a break in comparability)."""
        years = sorted(self.units_by_year)
        return [b for a, b in zip(years, years[1:]) if self.units_by_year[a] != self.units_by_year[b]]

    @property
    def reconstructed_years(self) -> list[int]:
        """Years judged (from the base year on) whose reconstructed, as-is figure the verdict used."""
        base = int(self.target.base_year)
        return sorted(y for y, r in self.reconstructions.items() if r.figure is not None and y >= base)

    @property
    def unreconstructed(self) -> dict[int, tuple[str, ...]]:
        """Years judged that could not be reconstructed, and the units before the merger whose figure they lack."""
        base = int(self.target.base_year)
        return {y: r.missing for y, r in sorted(self.reconstructions.items()) if r.figure is None and y >= base}

    def comparable_with_previous(self, year: int) -> bool:
        """Whether ``year``'s figure may be compared with the year before's (False across a merger, unless
        the year before is reconstructed as ``year``'s unit stood)."""
        before = self.footing.get(year - 1)
        if before is None or before == self.footing.get(year):
            return True
        found = self.reconstructions.get(year - 1)
        return found is not None and found.figure is not None

    def previous_value(self, year: int) -> float | None:
        """The year before's figure like-for-like with ``year``'s: its own, or its reconstruction (None: none)."""
        if self.footing.get(year - 1) not in (None, self.footing.get(year)):
            found = self.reconstructions.get(year - 1)
            return found.figure.value if found is not None and found.figure is not None else None
        figure = self.series.get(year - 1)
        return None if figure is None else figure.value

    @property
    def latest(self) -> Figure | None:
        return self.series.get(self.verdict.actual_year) if self.verdict.actual_year else None

    @property
    def provenance(self) -> set[str]:
        return set().union(*(f.provenance for f in self.series.values())) if self.series else set()

    @property
    def provisional(self) -> bool:
        """Whether a figure of the row counts a value of a batch not yet approved."""
        return "provisional" in self.provenance

    def as_record(self) -> dict:
        """A flat dict: the ``status`` command's columns first, then the rest."""
        v, latest = self.verdict, self.latest
        return {
            "plan": self.target.plan, "target": self.target.code,
            "indicator": self.target.indicator, "unit": self.unit.code, "year": self.year,
            "actual": v.actual, "target_value": v.target_value, "achievement_pct": v.achievement_pct,
            "status": v.status, "target_type": self.target.type, "group": self.target.group_code,
            "unit_name": self.unit.name_vi, "level": self.unit.level, "actual_year": v.actual_year,
            "expected": v.expected, "gap": v.gap, "pace_per_year": v.pace_per_year,
            "pace_rate_pct": None if v.pace_rate is None else v.pace_rate * 100,
            "projection": v.projection, "years_met": v.years_met, "years_assessed": v.years_assessed,
            "band_position": v.band_position, "score": v.score,
            "numerator": latest.numerator if latest else None,
            "denominator": latest.denominator if latest else None,
            "reported_units": latest.reported if latest else None,
            "expected_units": latest.expected if latest else None,
            "series_break": ";".join(str(y) for y in self.break_years),
            "provenance": ";".join(sorted(self.provenance)),
            "trend": v.trend,
            "reconstructed": ";".join(str(y) for y in self.reconstructed_years),
            "reconstruction_missing": ";".join(f"{y}:{'|'.join(m)}" for y, m in self.unreconstructed.items()),
            "target_as_written": self.rebase.value if self.rebase and self.rebase.scaled else None,
            "rebase_factor": self.rebase.factor if self.rebase else None,
            "quota": self.quota, "judged_against": "quota" if self.against_quota else "target",
            "provisional": self.provisional,
        }


class Scorecard:
    """The catalogue and the values in force (or as of a batch), ready to judge any plan and year.

    It reads figures as it needs them: use it inside one hold of the data (``Store.reading``), or only while
    the data version it was made for is current (the dashboard keeps one per version); across a write it
    would judge some figures from before and some from after."""

    def __init__(self, store: Store, as_of: int | None = None, observations: pd.DataFrame | None = None,
                 org: Organisation | None = None, source: FigureSource | None = None, approved_only: bool = False):
        """``observations``: judge these values (rolled up in memory) instead of the database's;
        ``org``: an organisation already built from the same store (to share it); ``source``: where the
        figures come from, when not the database's own (an import's preview). ``approved_only``: the values in
        force leaving out the batches not yet approved (the kept overlay ``approved_values``/``approved_figures``);
        with ``as_of``, the state after that batch over the approved batches only (rolled up once, as as-of)."""
        self.store = store  # reads as it goes: the caller holds the data still (``Store.reading``)
        self.as_of = as_of
        self.plans = {p.code: p for p in map(Plan.from_row, store.plans().to_dict("records"))}
        self.indicators = {i.code: i for i in map(Indicator.from_row, store.indicators().to_dict("records"))}
        self._targets = {plan: [Target.from_row(t) for t in store.targets(plan).to_dict("records")]
                         for plan in self.plans}
        self.org = org or Organisation(store.unit_periods())
        self.period_totals = [PeriodTotal.from_row(p) for p in store.period_totals().to_dict("records")]
        self.quotas: dict[tuple[str, str], dict[str, float]] = {}
        for q in map(Quota.from_row, store.quotas().to_dict("records")):
            self.quotas.setdefault((q.plan, q.target), {})[q.unit] = q.value
        if as_of is not None and as_of >= _newest_batch(store):
            as_of = self.as_of = None  # the state after the newest batch is the state now: read the kept figures
        self.approved_only = approved_only and source is None and observations is None
        self.source: FigureSource
        if source is not None:
            self.source = source
        elif observations is not None:
            self.source = MemoryFigures(observations, self.org, self.indicators)
        elif self.approved_only and as_of is None:
            self.source = StoredFigures(store, self.indicators, figures=APPROVED_FIGURES, values=APPROVED_VALUES)
        else:
            self.source = StoredFigures(store, self.indicators, as_of, approved=self.approved_only)
        self._memo = Memo(MEMO_SIZE)

    def release(self) -> None:
        """Forget what was computed and read so far (a long listing, target by target)."""
        self._memo.clear()
        self.source.release()

    def memo(self, key: tuple, compute):
        """Compute once per scorecard (one scorecard per data version, so never stale), keeping the
        ``MEMO_SIZE`` most recently used results: the dashboard shares one scorecard between every session."""
        return self._memo.get(key, compute)

    # --- catalogue helpers ----------------------------------------------------------------------

    def targets(self, plan: str) -> list[Target]:
        return self._targets[plan]

    def values_sql(self) -> tuple[str, list]:
        """The SQL of the values this scorecard judges (in force, as of a batch, or approved only)."""
        if self.approved_only and self.as_of is None:
            return APPROVED_VALUES, []
        return in_force_sql(self.as_of, approved=self.approved_only)

    def provisional_batches(self) -> list[int]:
        """The imports not yet approved in force (as of ``as_of``; read once): their figures are marked, or left
        out."""
        return self.memo(("provisional",), lambda: self.store.waiting(self.as_of))

    def provenance_counts(self) -> pd.DataFrame:
        """How many values of each kind (published, illustrative, imported) there are, by year (read once);
        values of a batch not yet approved count as ``provisional``."""
        sql, params = self.values_sql()
        sql = f"""SELECT o.year, CASE WHEN o.batch IN ({rollups.UNAPPROVED}) THEN 'provisional'
                                      ELSE o.provenance END AS provenance FROM ({sql}) o"""
        return self.memo(("provenance_counts",), lambda: self.store.frame(
            f"SELECT year, provenance, count(*) AS n FROM ({sql}) o GROUP BY year, provenance ORDER BY year, provenance, n",
            params))

    def published_values(self) -> pd.DataFrame:
        """Every published value in force, with its source and note (read once)."""
        sql, params = self.values_sql()
        return self.memo(("published",), lambda: self.store.frame(
            f"SELECT * FROM ({sql}) o WHERE provenance = 'published' ORDER BY indicator, unit, year", params))

    def completeness(self, plan: str, years: list[int], parent: str | None = None) -> pd.DataFrame:
        """``completeness`` of this scorecard's data (computed once for these arguments)."""
        return self.memo(("completeness", plan, tuple(years), parent), lambda: completeness(self, plan, years, parent))

    def period_totals_for(self, indicator: str) -> list[PeriodTotal]:
        """Figures published for a whole earlier term (context beside a target, never in a series)."""
        return [p for p in self.period_totals if p.indicator == indicator]

    def years(self, plan: str) -> list[int]:
        """Years with any value of the plan's indicators, from the baseline year on."""
        wanted = {t.indicator for t in self.targets(plan)}
        start = self.plans[plan].start_year
        return sorted({y for ind in wanted for y in self.source.years(ind) if y >= start})

    def latest_year(self, plan: str) -> int:
        """The year a plan is judged in by default: its latest year with data, within its term (a finished
        2018–2023 plan is judged in 2023; a plan that ended with its unit's merger, in its unit's last year),
        else its first year."""
        end = self.last_year(plan)
        years = [y for y in self.years(plan) if y <= end]
        return years[-1] if years else min(int(self.plans[plan].start_year), end)

    def last_year(self, plan: str) -> int:
        """The plan's last year judged: the end of its term, or the last year its unit covered when the plan
        ended with its unit's merger (plans.csv ``after_merger`` end)."""
        end, merger = int(self.plans[plan].end_year), self.merger(plan)
        return min(end, merger.last_year) if merger is not None and merger.rule == mergers.END else end

    def judged_year(self, plan: str, year: int | None) -> int:
        """``year`` if the plan's term holds it (default: ``latest_year``); a year outside it is refused."""
        return self.latest_year(plan) if year is None else check_year(self.plans[plan], year, self.ended(plan))

    def merger(self, plan: str) -> PlanMerger | None:
        """How the plan goes on after its unit merged with others (None: its unit never did)."""
        return self.memo(("merger", plan), lambda: mergers.plan_merger(self.plans[plan], self.org))

    def ended(self, plan: str) -> PlanMerger | None:
        """The merger the plan ended with (plans.csv ``after_merger`` end), if it did."""
        merger = self.merger(plan)
        return merger if merger is not None and merger.rule == mergers.END else None

    def owner(self, plan: str) -> str:
        """The unit whose series the plan follows: its own unit (its successors carry it on), or for a plan
        rebased on its unit's merger, the merged unit (its years before the merger reconstructed)."""
        merger = self.merger(plan)
        return merger.successor if merger is not None and merger.rule == mergers.REBASE else self.plans[plan].unit

    def unit(self, code: str, year: int) -> Unit | None:
        """A unit as it stood in ``year``: in that year's tree, or a unit formed later by merging several, with
        those units below it (``Organisation.as_is``)."""
        return self.org.as_is(code, year)

    def root(self, plan: str, year: int) -> Unit | None:
        """The plan's unit as it was in ``year`` (the province, or its successor after a merger; before a
        merger of several, the merged unit as is, the units it was formed from below it)."""
        owner = self.owner(plan)
        code = self.org.lineage(owner, year)
        return self.org.unit(code, year) if code else self.org.as_is(owner, year)

    def series_owner(self, plan: str, code: str) -> str:
        """The code whose lineage a unit's series follows: the plan's unit for the province and its successors."""
        owner = self.owner(plan)
        if code == owner or (code in self.org.successors(self.plans[plan].unit) and code not in self.stand_ins(plan)):
            return owner
        return code

    def stand_ins(self, plan: str) -> set[str]:
        """The units that stood as parts of the plan's unit before it was formed by merging them: shown as they
        were, their figures added up into the plan's unit's, never judged against its targets."""
        return self.memo(("stand_ins", plan), lambda: self.org.merged_parts(self.owner(plan)))

    def quota(self, target: Target, unit: Unit | str) -> float | None:
        """The unit's own share of the target (its quota, or the quota of a unit it succeeds); None: none."""
        given = self.quotas.get((target.plan, target.code))
        if not given:
            return None
        code = unit if isinstance(unit, str) else unit.code
        if code in given:
            return given[code]
        found = [value for holder, value in given.items() if code in self.org.successors(holder)]
        return found[0] if len(found) == 1 else None

    def applies(self, target: Target, unit: Unit) -> bool:
        """Whether a target is tracked for a unit: its own unit (or that unit's successor), else its level is
        listed and its sector concerned (never a unit that stood as a part of the plan's merged unit); a unit
        given a quota of it always."""
        if self.quota(target, unit) is not None:
            return True
        if _text(target.unit):
            return unit.code in self.org.successors(target.unit)
        if unit.level not in (target.applies_to or "").split("|") or unit.code in self.stand_ins(target.plan):
            return False
        sectors = _sectors(target)
        return not sectors or unit.sector is None or unit.sector in sectors

    def units_for(self, plan: str, year: int, target: Target | None = None) -> list[Unit]:
        """The plan's unit and every unit below it in ``year``, province first, by name."""
        root = self.root(plan, year)
        if root is None:
            return []
        tops = [root.code] if root.code in self.org.tree(year) else list(root.children)
        below = [c for top in tops for c in self.org.descendants(top, year)]
        units = [root] + [self.org.unit(c, year) for c in [*tops, *below] if c != root.code]
        if target is not None:
            units = [u for u in units if self.applies(target, u)]
        return sorted(units, key=lambda u: u.sort_key("vi"))

    # --- values ---------------------------------------------------------------------------------

    def figure(self, indicator: str, code: str, year: int, sectors: tuple = ()) -> Figure | None:
        """The value of an indicator for a unit in a year: its own, or rolled up from below.

        A target scoped to sectors rolls up only the units of those sectors; ``expected`` counts the
        children the target concerns (its sectors, or all).
        """
        figure = self.source.figure(indicator, code, year, rollups.scope_key(sectors))
        if figure is None or figure.own:
            return figure
        expected = self.org.children_in_scope(code, year, sectors)
        if expected is None or max(expected, figure.reported) == figure.expected:
            return figure  # (every child reported: the figure as read, not a copy — 36,000 for the nation)
        return Figure(figure.value, figure.numerator, figure.denominator, figure.reported, max(expected, figure.reported),
                      figure.own, figure.provenance, figure.sources, figure.batches, figure.parts)

    def series(self, plan: str, indicator: str, code: str, until: int,
               sectors: tuple = ()) -> tuple[dict[int, Figure], dict[int, str]]:
        """Yearly figures of a unit's lineage up to ``until``, and which unit carried each year (a year before a
        merger of several: the merged unit, its figure reconstructed from theirs)."""
        figures, carriers, _ = self.lineage_series(plan, indicator, code, until, sectors)
        return figures, carriers

    def lineage_series(self, plan: str, indicator: str, code: str, until: int, sectors: tuple = ()
                       ) -> tuple[dict[int, Figure], dict[int, str], dict[int, Reconstruction]]:
        """``series``, with the years before a merger of several: each reconstructed (or not) from its parts."""
        owner = self.series_owner(plan, code)
        figures, carriers, rebuilt = {}, {}, {}
        for year in self.source.years(indicator):
            if year > until:
                break
            carrier = self.org.lineage(owner, year)
            if carrier is None:
                found = self.reconstruction(indicator, owner, year, sectors)
                if found is not None:
                    rebuilt[year] = found
                figure, carrier = (found.figure if found else None), owner
            else:
                figure = self.figure(indicator, carrier, year, sectors)
            if figure is not None and figure.value is not None:
                figures[year], carriers[year] = figure, carrier
        return figures, carriers, rebuilt

    def reconstruction(self, indicator: str, code: str, year: int, sectors: tuple = ()) -> Reconstruction | None:
        """``code``'s figure in a year before it was formed by merging several, from theirs (None otherwise)."""
        return mergers.reconstruction(self.org, code, year, lambda part: self.figure(indicator, part, year, sectors),
                                      self.indicators[indicator].kind)

    def prefetch(self, plan: str, codes: list[str], indicators: list[str] | None = None,
                 leaves: bool = True) -> None:
        """Read at once what judging these units needs: every year of their lineage, every indicator.

        ``leaves=False``: none of the units is a leaf, so the leaves' own values need not be read.
        """
        indicators = indicators or sorted({t.indicator for t in self.targets(plan)})
        years = sorted({y for i in indicators for y in self.source.years(i)})
        carriers = set(codes)
        for code in codes:
            owner = self.series_owner(plan, code)
            if owner == code and self.org.covers(code, years):
                continue  # the unit itself carries its series every year: the common case
            # every carrier, the parts of a merged unit's years before it and of the unit its series passed to
            lines = {owner} | {self.org.footing(c) for c in self.org.successors(owner)}
            carriers |= {c for line in lines for y in years for c in self.org.carriers(line, y)}
        self.source.prefetch(indicators, sorted(carriers), leaves=leaves)

    # --- judging --------------------------------------------------------------------------------

    def spec(self, target: Target, unit: Unit | None = None) -> TargetSpec:
        """What the target asks; for the plan's own unit, with the baseline the targets file states."""
        plan = self.plans[target.plan]
        indicator = self.indicators[target.indicator]
        deadline = plan.end_year if target.type in ANNUAL_TYPES else target.target_year
        value_high = target.value_high
        return TargetSpec(target.type, float(target.value), int(target.base_year),
                          int(deadline), indicator.direction,
                          None if pd.isna(value_high) else float(value_high), self._baseline(target, unit))

    def target_unit(self, target: Target) -> str:
        """The unit a target is set for: its own (a sub-unit's target), else the plan's."""
        return _text(target.unit) or self.plans[target.plan].unit

    def _baseline(self, target: Target, unit: Unit | None) -> float | None:
        """The stated baseline of a level target, for the target's unit (and its successors) only."""
        stated = target.baseline
        if unit is None or target.type != LEVEL or stated is None or pd.isna(stated):
            return None
        owner = self.target_unit(target)
        return float(stated) if unit.code in self.org.successors(owner) else None

    def row(self, target: Target, unit: Unit, year: int) -> StatusRow:
        quota = None if _text(target.unit) else self.quota(target, unit)
        if quota is not None:  # the unit's own share: judged against it, on its own figures (no stated baseline)
            target = replace(target, value=quota, baseline=None)
        sectors = _sectors(target)
        series, carriers, rebuilt = self.lineage_series(target.plan, target.indicator, unit.code, year, sectors)
        indicator = self.indicators[target.indicator]
        if _text(target.basis):
            series, indicator = self._share_of_plan(target, unit, year, series), share_indicator(
                indicator, self.indicators[target.basis])
            rebuilt = {}  # a share of plan is judged on the shares, not on either figure's reconstruction
        rebase = self._rebase(target, unit, sectors)
        if rebase is not None:
            target = mergers.scaled_target(target, rebase)
        spec = self.spec(target, unit)
        if spec.baseline is not None and spec.base_year <= year:
            series, carriers = self._with_baseline(target, spec, series, carriers)
        like, compared = mergers.comparable(series, carriers, self.org, year, spec.base_year, lambda code, y: (
            None if _text(target.basis) else self.reconstruction(target.indicator, code, y, sectors)))
        verdict = judge(spec, {y: f.value for y, f in series.items()}, year, like)
        if rebase is not None and rebase.failed:
            verdict = Verdict(NOT_AVAILABLE, year, verdict.target_value, actual=verdict.actual,
                              actual_year=verdict.actual_year)
        footing = {y: self.org.footing(c) for y, c in carriers.items()}
        rebuilt = {**rebuilt, **compared}
        return StatusRow(target, indicator, unit, year, verdict, series, carriers, rebuilt, footing, rebase,
                         self._names(rebuilt, rebase), quota)

    def _names(self, rebuilt: dict[int, Reconstruction], rebase: Rebase | None) -> dict[str, tuple[str, str]]:
        codes = {code for r in rebuilt.values() for code in r.parts}
        if rebase is not None:
            codes |= {rebase.unit, rebase.successor, *rebase.missing}
        return {code: (unit.name("vi"), unit.name("en")) for code in sorted(codes)
                if (unit := self.org.any_period(code)) is not None}

    def _rebase(self, target: Target, unit: Unit, sectors: tuple) -> Rebase | None:
        """How the merged unit carries a target of a plan rebased on its unit's merger (None: not rebased)."""
        merger = self.merger(target.plan)
        if merger is None or merger.rule != mergers.REBASE or _text(target.unit) \
                or self.series_owner(target.plan, unit.code) != merger.successor:
            return None
        key = ("rebase", target.plan, target.code)
        return self.memo(key, lambda: self._rebase_of(target, merger, sectors))

    def _rebase_of(self, target: Target, merger: PlanMerger, sectors: tuple) -> Rebase:
        stated = target.baseline
        stated = None if stated is None or pd.isna(stated) else float(stated)
        high = target.value_high
        common: dict[str, Any] = dict(unit=merger.unit, successor=merger.successor, value=float(target.value),
                      value_high=None if high is None or pd.isna(high) else float(high), baseline=stated)
        kind = self.indicators[target.indicator].kind
        if target.type not in (LEVEL, CUMULATIVE) or kind not in mergers.ADDITIVE_KINDS or _text(target.basis):
            return Rebase(**common)  # a ratio, a percentage, an annual bound: as written
        base = int(target.base_year)
        as_is, _, rebuilt = self.lineage_series(target.plan, target.indicator, merger.successor,
                                                merger.last_year, sectors)
        old, _ = self.series(target.plan, target.indicator, merger.unit, merger.last_year, sectors)
        as_was = {y: f.value for y, f in old.items()}
        if stated is not None and target.type == LEVEL:
            as_was[base] = stated
        years = mergers.rebase_years(target.type, base, {y: f.value for y, f in as_is.items()}, as_was,
                                     merger.last_year)
        if not years:
            if base in rebuilt:
                missing = rebuilt[base].missing
            elif base not in as_is:
                missing = tuple(self.org.carriers(merger.successor, base))
            else:
                missing = (merger.unit,)
            return Rebase(**common, years=(base,), missing=tuple(missing) or (merger.unit,))
        now, before = sum(as_is[y].value for y in years), sum(as_was[y] for y in years)
        return Rebase(**common, factor=now / before if before else None, as_is=now, as_was=before, years=years,
                      missing=() if before else (merger.unit,))

    def _share_of_plan(self, target: Target, unit: Unit, year: int, done: dict[int, Figure]) -> dict[int, Figure]:
        """A target set as a share of a plan figure: each year, what was done ÷ that year's plan figure × 100
        (each rolled up on its own first: a ratio of sums), where both are known."""
        plan_figures, _ = self.series(target.plan, target.basis, unit.code, year, _sectors(target))
        shares = {}
        for y, figure in done.items():
            basis = plan_figures.get(y)
            if basis is not None and basis.value:
                shares[y] = replace(figure, value=figure.value / basis.value * 100, numerator=figure.value,
                                    denominator=basis.value, provenance=figure.provenance | basis.provenance,
                                    sources=tuple(dict.fromkeys(figure.sources + basis.sources)))
        return shares

    def _with_baseline(self, target: Target, spec: TargetSpec, series: dict, carriers: dict) -> tuple[dict, dict]:
        """The base year's figure is the stated baseline (cited to the target's own document) when the
        data lack it or say otherwise: what is judged is what is shown."""
        known = series.get(spec.base_year)
        if known is not None and abs(known.value - spec.baseline) < 1e-9:
            return series, carriers
        figure = Figure(spec.baseline, provenance=frozenset({"published"}), sources=(target.source,))
        owner = self.target_unit(target)
        carrier = self.org.lineage(owner, spec.base_year)
        return (dict(sorted({**series, spec.base_year: figure}.items())),
                dict(sorted({**carriers, spec.base_year: carrier or owner}.items())))

    def evaluate(self, plan: str, year: int | None = None, units: list[str] | None = None,
                 targets: list[str] | None = None) -> list[StatusRow]:
        """Status rows for the plan in ``year`` (default: its latest year with data).

        ``units`` limits the rows to those codes (a unit page); ``targets`` to those target codes.
        """
        year = year or self.latest_year(plan)
        key = ("evaluate", plan, year, tuple(units) if units else None, tuple(targets) if targets else None)
        return self.memo(key, lambda: self._evaluate(plan, year, units, targets))

    def _evaluate(self, plan: str, year: int, units: list[str] | None, targets: list[str] | None) -> list[StatusRow]:
        chosen = [t for t in self.targets(plan) if targets is None or t.code in targets]
        if units is None:
            scope = self.units_for(plan, year)
        else:
            scope = [u for u in (self.unit(code, year) for code in units) if u is not None]
        pairs = [(target, unit) for target in chosen for unit in scope if self.applies(target, unit)]
        leaves = any(not unit.children for _, unit in pairs)
        indicators = {t.indicator for t in chosen} | {t.basis for t in chosen if _text(t.basis)}
        self.prefetch(plan, sorted({unit.code for _, unit in pairs}), sorted(indicators), leaves=leaves)
        return [self.row(target, unit, year) for target, unit in pairs]

    def plan_rows(self, plan: str, year: int) -> list[StatusRow]:
        """The plan as a whole, as the overview of its unit and the deck show it: every target for the plan's
        unit, and each target set for one unit inside it judged for that unit (in the plan's order)."""
        root = self.root(plan, year)
        rows = list(self.evaluate(plan, year, units=[root.code])) if root else []  # a copy: evaluate is memoised
        for target in self.targets(plan):
            code = _text(target.unit)
            carrier = self.org.lineage(code, year) if code else None
            if carrier and (root is None or carrier != root.code):
                rows += self.evaluate(plan, year, units=[carrier], targets=[target.code])
        order = {t.code: i for i, t in enumerate(self.targets(plan))}
        return sorted(rows, key=lambda r: order[r.target.code])

    def children(self, code: str, year: int) -> list[Unit]:
        """The units directly below ``code`` in the tree of ``year``, by name (in a year before ``code`` was
        formed by merging several: those units, as they were)."""
        tree = self.org.tree(year)
        unit = tree.get(code) or self.org.as_is(code, year)
        found = [tree[c] for c in unit.children if c in tree] if unit is not None else []
        return sorted(found, key=lambda u: u.sort_key("vi"))

    def ancestors(self, code: str, year: int) -> list[Unit]:
        """The units above ``code`` in the tree of ``year``, the top first (above a unit that later merged with
        others, in a year before that: the merged unit as is)."""
        tree, chain = self.org.tree(year), list[Unit]()
        unit = tree.get(code)
        while unit is not None and unit.parent in tree and len(chain) < 20:
            unit = tree[unit.parent]
            chain.append(unit)
        top = chain[-1].code if chain else code
        merged = self.org.merged_into(top, year) if top in tree else None
        if merged is not None:
            chain.append(self.org.as_is(merged, year))
        return chain[::-1]


def check_year(plan: Plan, year: int, ended: PlanMerger | None = None) -> int:
    """``year``, if the plan's term holds it; else the message that says which years it has (``ended``: the
    plan ended with its unit's merger, so its last year is that unit's)."""
    start, end = plan.start_year, plan.end_year
    if ended is not None and ended.last_year < year <= end:
        last = max(start, ended.last_year)
        raise UserError("year-out-of-plan",
                        f"{ended.words('vi')}: năm cuối được đánh giá là {last} (kế hoạch {plan.code}). Hãy chọn "
                        f"--year từ {start} đến {last}, hoặc chọn kế hoạch khác bằng --plan.",
                        f"{ended.words('en')}: its last year judged is {last} (plan {plan.code}). Choose a --year "
                        f"from {start} to {last}, or another plan with --plan.")
    if not start <= year <= end:
        raise UserError("year-out-of-plan",
                        f"Năm {year} nằm ngoài kế hoạch {plan.code} ({start}–{end}). Hãy chọn --year trong khoảng "
                        "đó, hoặc chọn kế hoạch khác bằng --plan.",
                        f"{year} is outside plan {plan.code} ({start}–{end}). Choose a --year in that range, or "
                        "another plan with --plan.")
    return year


def _newest_batch(store: Store) -> int:
    return int(store.rows("SELECT coalesce(max(id), 0) FROM batches")[0][0])


def share_indicator(done: Indicator, basis: Indicator) -> Indicator:
    """What a share-of-plan target is judged on: a percentage whose parts are the amount done and the plan
    figure (``đạt 120,44% kế hoạch``), as every view shows a ratio with its numerator and denominator."""
    return replace(done, kind=IndicatorKind.RATIO, limit=None, decimals=None, measure_vi="% kế hoạch",
                   measure_en="% of plan", name_vi=f"{done.name_vi} so với kế hoạch",
                   name_en=f"{done.name_en or done.name_vi} against plan",
                   numerator_vi=done.name_vi, numerator_en=done.name_en or done.name_vi,
                   denominator_vi=basis.name_vi, denominator_en=basis.name_en or basis.name_vi)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _sectors(target: Target) -> tuple[str, ...]:
    sector = target.sector
    return tuple(sector.split("|")) if isinstance(sector, str) and sector else ()


INTEGER_COLUMNS = ("year", "actual_year", "years_met", "years_assessed", "reported_units", "expected_units")


def records(rows: list[StatusRow]) -> pd.DataFrame:
    """Status rows as a table; whole-number columns stay whole numbers even when some are empty."""
    frame = pd.DataFrame([r.as_record() for r in rows])
    if frame.empty:
        return frame
    return frame.astype({c: "Int64" for c in INTEGER_COLUMNS})


def completeness(card: Scorecard, plan: str, years: list[int], parent: str | None = None) -> pd.DataFrame:
    """Who has reported what: per unit reporting to ``parent`` (default: the plan's unit) and year,
    the indicators expected, reported and missing (in the order of the plan's targets).

    Expected are the indicators of the plan's targets that apply to the unit, plus, for units that
    report to the plan's unit, those of targets set for it alone (its value is built from their reports).
    """
    records = []
    targets = card.targets(plan)
    in_plan_order = list(dict.fromkeys(t.indicator for t in targets))  # as the resolution lists them, not by code
    for year in years:
        root = card.root(plan, year)
        top = card.org.lineage(parent, year) if parent else (root.code if root else None)
        if top is None and parent and card.org.as_is(parent, year) is not None:
            top = parent  # a merged unit in a year before it: the units it was formed from report
        if top is None:
            continue
        units = card.children(top, year)
        card.prefetch(plan, [u.code for u in units])
        for unit in units:
            wanted = [t for t in targets if card.applies(t, unit)
                      or (root is not None and top == root.code and t.applies_to == root.level)
                      or (_text(t.unit) and top in card.org.successors(t.unit))]
            expected = {t.indicator for t in wanted}
            # reported in the target's own scope: a public-administration unit's figure does not answer a
            # target for non-state enterprises
            reported = {t.indicator for t in wanted
                        if (fig := card.figure(t.indicator, unit.code, year, _sectors(t))) and fig.value is not None}
            records.append({"unit": unit.code, "unit_name_vi": unit.name_vi, "unit_name_en": unit.name_en,
                            "rank": unit.sort_key("vi"), "year": year, "expected": len(expected),
                            "reported": len(reported),
                            "missing": [i for i in in_plan_order if i in expected and i not in reported]})
    return pd.DataFrame(records)
