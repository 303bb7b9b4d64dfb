"""The part of the organisation one plan's deck and report read: the plan's line, not the nation's trees.

A deck judges the plan's unit (and the units its targets and quotas are set for) along its line — itself,
its predecessors and successors — and counts the units directly below them. At national scale that is a
hundred periods out of 264,000; reading and indexing them all was ~40 % of the deck's time (issue 17).

``plan_line`` is an ``Organisation`` over exactly those periods: every period of every unit linked to the
plan's units by a succession (either way, transitively), and every period of the units directly below one of
them. Each question the deck asks of a unit on the line (its periods, its children, its carriers, its
successors, a merger's parts) reads only those, so it answers as the whole organisation does; a year's whole
tree is refused (``tree``): it would hold only the line.
"""

from __future__ import annotations

from metrics.domain.organisation import Organisation, Unit
from metrics.storage.store import Store


class PlanLine(Organisation):
    """An organisation holding one plan's line and the units directly below it (see the module)."""

    def tree(self, year: int) -> dict[str, Unit]:
        raise RuntimeError("PlanLine holds one plan's line, not the tree of a year: use the whole Organisation")


def plan_line(store: Store, plan: str | None) -> PlanLine:
    """The periods a deck of ``plan`` (None: the default plan) reads, as an organisation."""
    seeds = _seeds(store, plan)
    line = _line(store, seeds)
    return PlanLine(store.unit_periods(sorted(line)))


def _seeds(store: Store, plan: str | None) -> set[str]:
    """The units the plan's rows are judged for: its own, those its targets are set for, those given quotas."""
    plan = plan or store.default_plan()
    found = {str(u) for (u,) in store.rows("SELECT unit FROM plans WHERE code = ?", [plan])}
    found |= {str(u) for (u,) in store.rows("SELECT DISTINCT unit FROM targets WHERE plan = ? AND unit IS NOT NULL "
                                            "AND unit <> ''", [plan])}
    found |= {str(u) for (u,) in store.rows("SELECT DISTINCT unit FROM target_quotas WHERE plan = ?", [plan])}
    return found


def _line(store: Store, seeds: set[str]) -> set[str]:
    """``seeds`` and every unit linked to one of them by successions, either way, however far."""
    links: dict[str, set[str]] = {}
    for code, successor in store.rows("SELECT DISTINCT code, successor FROM units WHERE successor IS NOT NULL "
                                      "AND successor <> ''"):
        links.setdefault(code, set()).add(successor)
        links.setdefault(successor, set()).add(code)
    found, stack = set(seeds), list(seeds)
    while stack:
        for other in links.get(stack.pop(), ()):
            if other not in found:
                found.add(other)
                stack.append(other)
    return found
