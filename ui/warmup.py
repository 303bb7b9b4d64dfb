"""The server warms itself at start, so that the first visitor's first click finds it ready.

A page's first visit in a fresh process paid 0.3–1 s more than a visit again (benchmarks/README.md): the
first import of what the page needs (the deck's ``python-pptx``, the template's ``openpyxl``, …), the
first judgement of the view on the scorecard, the first building of its charts. ``start`` does all of it
once, in a thread of its own, as soon as the server runs (``dashboard.py``'s lifespan), for the view every
visitor starts from (the first plan, its latest year with data, its own unit, in Vietnamese):

1. it imports every module a page script imports, then moves them out of the garbage collector's
   sight (``ui.memory.settle``), as the imports of the server's start already are;
2. it reads the scorecard of the data as they are now and, on it, the overview's rows, the matrix of
   Đơn vị, the first target of Chỉ tiêu with its units below, the charts of both pages (``ui.figures``,
   the very functions the pages call, so the keys are the same) and the import page's blank template
   (``ui.data.template``).

Everything goes into the caches the pages use anyway (per data version): nothing is shown, nothing is
written. A failure is logged and changes nothing: the first visitor then builds it, as before.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import plotly.io
from streamlit.logger import get_logger

from metrics.exports.pinned import pin
from ui import data, figures, memory, widgets

# Streamlit's console logger: the server's log says when the warm-up is done (the "dashboard" logger has no
# handler of its own, and Python drops its INFO lines).
log = get_logger("dashboard.warmup")
ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "views"
LANG = "vi"  # the language every visitor starts in


@dataclass(frozen=True)
class Warmed:
    """What the warm-up did, for the log (and the tests)."""

    modules: int  # modules the page scripts import
    plan: str
    year: int
    unit: str
    figures: int  # charts kept for the current data version
    seconds: float


def start() -> threading.Thread:
    """Warm the server in a background thread (the server answers meanwhile) and return the thread."""
    thread = threading.Thread(target=_warm_logged, name="kpi-warm-up", daemon=True)
    thread.start()
    return thread


def _warm_logged() -> None:
    try:
        done = warm()
    except Exception:  # a database that cannot be read now: the first visitor's page says why
        log.warning("Warm-up not done; the first visit builds what it needs", exc_info=True)
        return
    if done is not None:
        log.info("Warm-up done in %.1f s: %d modules, plan %s, %s, unit %s, %d charts", done.seconds, done.modules,
                 done.plan, done.year, done.unit, done.figures)


def warm() -> Warmed | None:
    """Import what the pages import, then fill the caches of the default view; None when there is no plan."""
    began = time.perf_counter()
    modules = page_imports()
    for module in modules:
        importlib.import_module(module)
    memory.settle()  # the modules imported now are out of the collector's way too (not the data below: it changes)
    found = default_view()
    return None if found is None else Warmed(len(modules), *found, time.perf_counter() - began)


def default_view() -> tuple[str, int, str, int] | None:
    """Judge the default view on the scorecard of the data as they are now and build its charts (the second
    step of ``warm``); its plan, year, unit and the number of charts kept; None when there is no plan."""
    with data.reading():
        card = data.scorecard()
        if not card.plans:
            return None
        plan = next(iter(card.plans))
        year = year_shown(card, plan)
        root = card.root(plan, year)
        if root is None:
            return None
        card.plan_rows(plan, year)  # Tổng quan, and the deck of Trình chiếu
        pin(data.store())  # Trình chiếu's pinned batch
        import_template(card, plan, year)
        charts = [*target_charts(card, plan, year, root), units_chart(card, plan, year, root)]
        for chart in charts:
            if chart is not None:
                plotly.io.to_json(chart, validate=False)  # as st.plotly_chart sends it
        return plan, year, root.code, len(figures.kept(card))


def after_write() -> None:
    """The default view warmed again on the new data, in the run that shows the success of an import, an
    approval or an undo (issue 17): each made a new data version, whose first visitor would otherwise judge it
    (Đơn vị's matrix ~1.1 s at national scale); the analyst's page has already drawn its message. A failure is
    logged and changes nothing (the first visitor builds what it needs)."""
    try:
        default_view()
    except Exception:
        log.warning("Warm-up after a write not done; the first visit builds what it needs", exc_info=True)


def page_imports() -> list[str]:
    """Every module the page scripts (and ``dashboard.py``) import, in the order they name them."""
    found: dict[str, None] = {}
    for script in [ROOT / "dashboard.py", *sorted(PAGES.glob("*.py"))]:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update({alias.name: None for alias in node.names})
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found[node.module] = None
                found.update({f"{node.module}.{alias.name}": None for alias in node.names
                              if _is_module(f"{node.module}.{alias.name}")})  # ``from metrics.exports import bundle``
    return list(found)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a name inside a module, not a module of a package
        return False


def year_shown(card, plan: str) -> int:
    """The year a visitor first sees (``ui.layout.selectors``: the plan's latest year with data)."""
    info = card.plans[plan]
    return min(max(card.latest_year(plan), int(info["start_year"])), int(info["end_year"]))


def target_charts(card, plan: str, year: int, root) -> list:
    """Chỉ tiêu as first opened: the plan's first target for its unit, its trend and its units ranked."""
    targets = card.targets(plan)
    if not targets:
        return []
    target = targets[0]
    unit = card.org.unit(root.code, year)
    if unit is None or not card.applies(target, unit):
        unit = root
    row = card.row(target, unit, year)
    charts = [figures.trend(card, row, year, LANG)]
    found = figures.quotas_of(card, target, year) if unit.code == root.code else None
    if found is not None:  # a target divided among the units: who carries its gap, not the ranking
        if found.shortfall:  # (as the page: no chart when no unit is behind)
            charts.append(figures.shortfall(card, found, LANG))
        return charts
    rows, judged = figures.breakdown_rows(card, target, unit, year)
    if any(r.verdict.actual is not None for r in rows):
        charts.append(figures.ranking(card, target, unit, year, LANG, judged, rows[:widgets.PAGE_SIZE]))
    return charts


def units_chart(card, plan: str, year: int, root):
    """Đơn vị as first opened: the plan's unit and the first page of the units below it × every target."""
    shown = [root, *card.children(root.code, year)[:widgets.PAGE_SIZE]]
    rows = card.evaluate(plan, year, units=[u.code for u in shown])
    return figures.matrix(card, plan, year, LANG, shown, rows) if rows else None


def import_template(card, plan: str, year: int) -> None:
    """Nhập dữ liệu as first opened: the blank template of the plan's unit and its upper-level unions."""
    years = range(int(card.plans[plan]["start_year"]), card.last_year(plan) + 1)
    if years:
        data.template(plan, year if year in years else years[0], None, LANG, False)
