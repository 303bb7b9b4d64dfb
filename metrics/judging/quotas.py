"""Quotas of a plan's target: dividing it among the units below (``allocate``), reconciling the units' quotas
with it and saying which units carry the gap (``reconciliation``) — what the target page, the deck and the
command line show (docs/methodology.md, "Quotas and reconciliation").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from metrics.domain.organisation import Unit
from metrics.domain.quotas import RULES, Reconciliation, reconcile, split
from metrics.domain.records import Indicator, Target
from metrics.judging.scorecard import Scorecard, StatusRow
from metrics.judging.wording import amount
from metrics.vocabulary import fmt
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.kinds import ADDITIVE_KINDS, PART_KINDS

#: The indicator that counts a unit's workers, when the catalogue has one; else the denominator of a ratio of
#: members to workers (union density) is read (``worker_sources``).
WORKERS = "workers"


@dataclass(frozen=True)
class Share:
    """One unit's part of an allocation: what it was weighed by, and its quota."""

    unit: Unit
    weight: float | None  # None: no figure (the unit gets a share only with the equal rule)
    weight_year: int | None
    quota: float


@dataclass(frozen=True)
class Allocation:
    """A target divided among the units directly below its owner, by a rule, ready to be written as a file."""

    target: Target
    indicator: Indicator
    rule: str
    year: int  # the tree the units are taken from
    shares: list[Share]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (vi, en) what the analyst must know

    @property
    def total(self) -> float:
        return sum(s.quota for s in self.shares)


def quota_units(card: Scorecard, plan: str, year: int) -> list[Unit]:
    """The upper-level unions directly below the plan's unit in ``year`` (the units quotas are given to)."""
    root = card.root(plan, year)
    if root is None:
        return []
    units = [card.org.unit(code, year) for code in root.children]
    return sorted((u for u in units if u is not None and u.level == "upper"), key=lambda u: u.sort_key("vi"))


def find_target(card: Scorecard, code: str, plan: str | None = None) -> Target:
    """The target ``code`` (of ``plan``, or of the one plan that has it); refused in both languages."""
    found = [t for p in ([plan] if plan else card.plans) if p in card.plans for t in card.targets(p) if t.code == code]
    if len(found) != 1:
        raise UserError("unknown-target",
            f"Không tìm thấy chỉ tiêu “{code}”{f' của kế hoạch {plan}' if plan else ''}"
            f"{' (có ở nhiều kế hoạch: hãy ghi --plan)' if found else ''}.",
            f"There is no target “{code}”{f' in plan {plan}' if plan else ''}"
            f"{' (several plans have it: give --plan)' if found else ''}.")
    return found[0]


def allocate(card: Scorecard, target: Target, rule: str, year: int | None = None) -> Allocation:
    """``target`` divided among the upper-level unions below the plan's unit in ``year`` (default: the year
    the plan is judged in): in proportion to each one's figure in the base year (``baseline``; the first year
    after it when the unit had none then), to its workers (``workers``), or equally (``equal``). Counts are
    split by largest remainder, so the quotas add up to the target exactly."""
    if rule not in RULES:
        raise UserError("unknown-rule", f"Quy tắc “{rule}” không có; chọn một trong: {', '.join(RULES)}.",
                        f"There is no rule “{rule}”; choose one of: {', '.join(RULES)}.")
    if target.unit:
        raise UserError("quota-of-unit-target",
            f"Chỉ tiêu {target.code} đã là chỉ tiêu riêng của một đơn vị ({target.unit}); chỉ giao được chỉ tiêu "
            "của kế hoạch.", f"Target {target.code} is already one unit's own ({target.unit}); only a plan's "
            "target can be divided.")
    year = card.judged_year(target.plan, year)
    indicator = card.indicators[target.indicator]
    units = quota_units(card, target.plan, year)
    if not units:
        raise UserError("no-units-below",
            f"Năm {year} không có công đoàn cấp trên cơ sở nào trực thuộc đơn vị của kế hoạch {target.plan}.",
            f"In {year} no upper-level union is directly below the unit of plan {target.plan}.")
    notes: list[tuple[str, str]] = []
    weights: dict[str, tuple[float | None, int | None]]
    if rule == "equal":
        weights = {u.code: (1.0, None) for u in units}
    elif rule == "baseline":
        weights = {u.code: _first_figure(card, target, target.indicator, u, year, "value") for u in units}
    else:
        weights = _workers(card, target, units, year, notes)
    missing = [u for u in units if weights[u.code][0] is None]
    if missing and rule != "equal":
        names = ", ".join(u.name("vi") for u in missing)
        notes.append((f"Không có số liệu để chia cho {len(missing)} đơn vị ({names}): các đơn vị này được giao 0; "
                      "hãy sửa trong tệp trước khi nạp.",
                      f"No figure to divide by for {len(missing)} unit(s) ({', '.join(u.name('en') for u in missing)}):"
                      " they are given 0; edit the file before loading it."))
    whole = indicator.kind in ADDITIVE_KINDS and not indicator.decimals
    if indicator.kind in PART_KINDS:  # a ratio: each unit is asked the same rate (its weight decides nothing)
        parts = {u.code: float(target.value) for u in units}
        notes.append(("Chỉ tiêu tỷ lệ: mỗi đơn vị được giao cùng mức của tỉnh; sửa từng mức trong tệp nếu cần, "
                      "phần đối chiếu tính mức tỉnh theo mẫu số của từng đơn vị.",
                      "A ratio target: each unit is given the province's rate; edit a unit's rate in the file if "
                      "needed — the reconciliation weighs the rates by each unit's denominator."))
    else:
        usable = {code: w for code, (w, _) in weights.items() if w is not None}
        parts = split(float(target.value), usable, whole, indicator.decimals or 2)
    shares = [Share(u, weights[u.code][0], weights[u.code][1], parts.get(u.code, 0.0)) for u in units]
    return Allocation(target, indicator, rule, year, shares, notes)


def _first_figure(card: Scorecard, target: Target, indicator: str, unit: Unit, year: int,
                  part: str) -> tuple[float | None, int | None]:
    """The unit's figure (its ``value`` or ``denominator``) in the target's base year, else the first year
    after it that has one, up to ``year``."""
    series, _ = card.series(target.plan, indicator, unit.code, year)
    for y in sorted(series):
        value = getattr(series[y], part)
        if y >= int(target.base_year) and value is not None:
            return float(value), y
    return None, None


def _workers(card: Scorecard, target: Target, units: list[Unit], year: int,
             notes: list[tuple[str, str]]) -> dict[str, tuple[float | None, int | None]]:
    """Each unit's workers: an indicator ``workers``, else the denominator of union density."""
    for code, part in worker_sources(card):
        found = {u.code: _first_figure(card, target, code, u, year, part) for u in units}
        if any(w is not None for w, _ in found.values()):
            return found
    raise UserError("no-workers",
        "Dữ liệu không có số người lao động của các đơn vị (chỉ số workers, hoặc mẫu số của tỷ lệ đoàn viên trên "
        "người lao động): "
        "không chia theo số lao động được. Hãy chọn chia theo số gốc (baseline) hoặc chia đều (equal).",
        "The data has no number of workers for the units (indicator workers, or the denominator of "
        "the ratio of members to workers): cannot divide by workers. Choose the baseline or equal rule instead.")


def worker_sources(card: Scorecard) -> list[tuple[str, str]]:
    """Where workers are counted, in order: (indicator, ``value``) for an indicator ``workers``, then
    (indicator, ``denominator``) for each ratio whose numerator counts members and denominator workers (the
    catalogue's English words say so: union density)."""
    found = [(WORKERS, "value")] if WORKERS in card.indicators else []
    for code, ind in sorted(card.indicators.items()):
        numerator, denominator = (ind.numerator_en or "").lower(), (ind.denominator_en or "").lower()
        if ind.kind == "ratio" and "member" in numerator and "worker" in denominator:
            found.append((code, "denominator"))
    return found


def allocation_file(allocation: Allocation) -> pd.DataFrame:
    """The allocation as an editable targets file: one row per unit, repeating the target's row with the
    unit's code in ``unit`` and its quota in ``value``; loading it with ``targets import`` stores the quotas
    (the target itself is the database's, so the file never changes it)."""
    t = allocation.target
    own = {"plan": t.plan, "target": t.code, "group": t.group_code, "group_vi": t.group_vi, "group_en": t.group_en,
           "indicator": t.indicator, "type": t.type.value, "value": _plain(t.value), "value_high": _plain(t.value_high),
           "target_year": t.target_year, "base_year": t.base_year, "baseline": _plain(t.baseline),
           "sector": t.sector, "applies_to": t.applies_to, "unit": None, "basis": t.basis,
           "label_vi": t.label_vi, "label_en": t.label_en, "wording_vi": t.wording_vi, "source": t.source,
           "order": t.sort_order}
    rows = [{**own, "value": _plain(s.quota), "baseline": None, "unit": s.unit.code,
                     "source": f"Chỉ tiêu giao ({allocation.rule}), năm {allocation.year}"}
                    for s in allocation.shares]
    return pd.DataFrame(rows)


def _plain(value: float | None) -> float | int | None:
    if value is None or value != value:
        return None
    return int(value) if float(value).is_integer() else float(value)


# --- reconciliation ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Carrier:
    """One unit given a quota, where it stands on it, and its part of the province's gap.

    ``remaining``: what it still has to do to reach its quota (quota − figure; ahead of it: negative).
    ``behind``: how far it is behind the pace its quota asks by now (the straight line to its quota; after the
    deadline, the quota itself): its part of the province's shortfall. A ratio's two are in points of the
    province's rate (weighted by the unit's share of the denominators). None: no figure.
    """

    row: StatusRow  # judged against its quota
    quota: float
    weight: float | None  # its denominator (a ratio), for its part of the province's figure
    remaining: float | None = None
    behind: float | None = None

    @property
    def unit(self) -> Unit:
        return self.row.unit


@dataclass(frozen=True)
class TargetQuotas:
    """A target's quotas reconciled with it, and the units that carry its gap (largest part first)."""

    target: Target
    indicator: Indicator
    year: int
    reconciliation: Reconciliation
    carriers: list[Carrier]  # by their part of the province's shortfall, largest first; units without a figure last

    @property
    def shortfall(self) -> list[Carrier]:
        """The units behind the pace of their quota (their part of the province's gap)."""
        return [c for c in self.carriers if c.behind is not None and c.behind > 0]

    @property
    def ahead(self) -> list[Carrier]:
        """The units ahead of the pace of their quota (none of the gap is theirs), furthest ahead first."""
        return sorted((c for c in self.carriers if c.behind is not None and c.behind < 0), key=lambda c: c.behind or 0)

    @property
    def ratio(self) -> bool:
        return self.indicator.kind in PART_KINDS


def target_quotas(card: Scorecard, target: Target, year: int) -> TargetQuotas | None:
    """``target``'s quotas in ``year``, reconciled (None: the target has none)."""
    given = card.quotas.get((target.plan, target.code))
    if not given:
        return None
    indicator = card.indicators[target.indicator]
    carriers = []
    for code, quota in given.items():
        unit = card.unit(code, year) or _successor_in(card, code, year)
        if unit is None:
            continue
        row = card.row(target, unit, year)
        weight = None
        if indicator.kind in PART_KINDS:
            weight = _first_figure(card, target, target.indicator, unit, year, "denominator")[0]
        carriers.append(Carrier(row, quota, weight))
    denominators = {c.unit.code: c.weight for c in carriers}
    rec = reconcile(indicator.kind, float(target.value), {c.unit.code: c.quota for c in carriers}, denominators)
    total_weight = sum(c.weight or 0 for c in carriers)
    carriers = [_parts(c, indicator, total_weight) for c in carriers]
    carriers.sort(key=lambda c: (c.behind is None, -(c.behind or 0), c.unit.sort_key("vi")))
    return TargetQuotas(target, indicator, year, rec, carriers)


def _successor_in(card: Scorecard, code: str, year: int) -> Unit | None:
    later = card.org.lineage(code, year)
    return card.unit(later, year) if later else None


def _parts(carrier: Carrier, indicator: Indicator, total_weight: float) -> Carrier:
    """The carrier with what it still owes of its quota and how far behind its pace it is (see ``Carrier``)."""
    v = carrier.row.verdict
    if v.actual is None:
        return carrier
    sign = 1 if indicator.direction == "up" else -1
    remaining = sign * (carrier.quota - v.actual)
    reference = carrier.quota if v.final or v.expected is None else v.expected
    behind = sign * (reference - v.actual)
    if indicator.kind not in ADDITIVE_KINDS:
        if not carrier.weight or not total_weight:
            return carrier
        share = carrier.weight / total_weight
        remaining, behind = remaining * share, behind * share
    return Carrier(carrier.row, carrier.quota, carrier.weight, remaining, behind)


def reconciliation_sentence(quotas: TargetQuotas, lang: str = "vi") -> str:
    """``Các đơn vị được giao 26.500 / 28.000 đoàn viên; còn 1.500 chưa giao.`` (a ratio: the province's rate
    the quotas imply, weighted by the units' denominators)."""
    rec, ind = quotas.reconciliation, quotas.indicator
    n = rec.units
    if rec.implied is None:
        missing = ", ".join(rec.missing_weights)
        return (f"{n} đơn vị được giao chỉ tiêu; chưa đối chiếu được với mức của tỉnh vì thiếu mẫu số của: {missing}."
                if lang == "vi" else f"{n} units are given quotas; they cannot be reconciled with the province's "
                f"target: no denominator for {missing}.")
    target, implied = amount(rec.target, ind, lang), amount(rec.implied, ind, lang)
    gap = abs(rec.gap or 0.0)
    if rec.additive:
        given = _fraction(rec.implied, rec.target, ind, lang)
        if rec.short:
            left = fmt.short(gap, ind.kind, lang, ind.decimals or 0)
            return (f"Các đơn vị được giao {given}; còn {left} chưa giao." if lang == "vi" else
                    f"The units are given {given}; {left} not yet given to any unit.")
        if rec.over:
            return (f"Các đơn vị được giao {given}; giao vượt {amount(gap, ind, lang)}." if lang == "vi" else
                    f"The units are given {given}; {amount(gap, ind, lang)} more than the target.")
        return (f"Các đơn vị được giao đủ {target} ({n} đơn vị)." if lang == "vi" else
                f"The units are given the whole {target} ({n} units).")
    points = _points(gap, lang)
    if rec.short:
        return (f"Các mức giao tương đương {implied} cho toàn tỉnh, thấp hơn chỉ tiêu {target} {points} (tính theo "
                "mẫu số của từng đơn vị)." if lang == "vi" else f"The quotas amount to {implied} for the province, "
                f"{points} below the target of {target} (weighted by each unit's denominator).")
    return (f"Các mức giao tương đương {implied} cho toàn tỉnh, đủ chỉ tiêu {target} (tính theo mẫu số của từng "
            "đơn vị)." if lang == "vi" else f"The quotas amount to {implied} for the province, meeting the target "
            f"of {target} (weighted by each unit's denominator).")


def _fraction(part: float, whole: float, ind: Indicator, lang: str) -> str:
    """``26.500 / 28.000 đoàn viên``: both numbers, the unit of measure once."""
    text = amount(whole, ind, lang)
    number = amount(part, ind, lang).split(" ")[0]
    return f"{number} / {text}"


def _points(value: float, lang: str) -> str:
    return fmt.points(value, lang, signed=False)


def carriers_sentence(quotas: TargetQuotas, lang: str = "vi", named: bool = True) -> str:
    """Who carries the gap: ``5/20 đơn vị chậm so với tiến độ chỉ tiêu giao; thiếu nhiều nhất: …`` (``named``:
    with the three largest shortfalls; without, when a table beside it lists them)."""
    short, n = quotas.shortfall, len(quotas.carriers)
    if not short:
        return (f"Cả {n} đơn vị đều theo kịp tiến độ chỉ tiêu giao (năm {quotas.year})." if lang == "vi"
                else f"All {n} units keep pace with their quotas ({quotas.year}).")
    total = _size(sum(c.behind or 0 for c in short), quotas, lang)
    if not named:
        return (f"{len(short)}/{n} đơn vị chậm so với tiến độ chỉ tiêu giao (năm {quotas.year}), thiếu tổng cộng "
                f"{total}." if lang == "vi" else f"{len(short)}/{n} units are behind the pace of their quotas "
                f"({quotas.year}), {total} short in all.")
    names = ", ".join(f"{c.unit.name(lang)} ({_size(c.behind or 0, quotas, lang)})" for c in short[:3])
    return (f"{len(short)}/{n} đơn vị chậm so với tiến độ chỉ tiêu giao (năm {quotas.year}), thiếu tổng cộng {total}; "
            f"thiếu nhiều nhất: {names}." if lang == "vi" else
            f"{len(short)}/{n} units are behind the pace of their quotas ({quotas.year}), {total} short in all; the "
            f"largest shortfalls: {names}.")


AHEAD_NAMED = 3  # the units ahead a sentence names (the furthest ahead); the tables list every unit


def ahead_sentence(quotas: TargetQuotas, lang: str = "vi") -> str:
    """The units ahead of their quotas' pace, which the chart of who carries the gap leaves out: ``Vượt tiến độ
    chỉ tiêu giao: Công đoàn các Khu kinh tế tỉnh An Giang (vượt 4.400 đoàn viên).`` ("": none). The three
    furthest ahead by name, then how many more (a target divided among the nation's provinces may have dozens,
    and a slide has room for a few lines)."""
    ahead = quotas.ahead
    if not ahead:
        return ""
    names = ", ".join(f"{c.unit.name(lang)} ({'vượt' if lang == 'vi' else 'by'} {_size(-(c.behind or 0), quotas, lang)})"
                      for c in ahead[:AHEAD_NAMED])
    more = len(ahead) - AHEAD_NAMED
    if more > 0:
        names += f" và {more} đơn vị khác" if lang == "vi" else f" and {more} more"
    return (f"Vượt tiến độ chỉ tiêu giao: {names}." if lang == "vi" else f"Ahead of the pace of their quotas: {names}.")


def _size(value: float, quotas: TargetQuotas, lang: str) -> str:
    """A shortfall as written: ``1.906 đoàn viên``; a ratio's in points of the province's rate."""
    return _points(value, lang) if quotas.ratio else amount(value, quotas.indicator, lang)


def carriers_frame(quotas: TargetQuotas, lang: str = "vi") -> pd.DataFrame:
    """One row per unit: its quota, its figure, its status against the quota, its part of the gap."""
    return pd.DataFrame([{
        "unit": c.unit.code, "unit_name": c.unit.name(lang), "quota": c.quota, "actual": c.row.verdict.actual,
        "achievement_pct": c.row.verdict.achievement_pct, "status": c.row.status, "expected": c.row.verdict.expected,
        "remaining": c.remaining, "behind": c.behind} for c in quotas.carriers])

