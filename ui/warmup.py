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
   the very functions the pages call, so the keys are the same), what Về số liệu reads (the values by
   kind, who reported, who is late) and the import page's blank template (``ui.data.template``).

Everything goes into the caches the pages use anyway (per data version): nothing is shown, nothing is
written. A failure (the file held by a long import from the command line) is logged and tried again a few
times, a little later each time (``RETRY_SECONDS``); meanwhile, or after the last, a visitor builds it.

Each write makes a new data version, whose first visitor would judge it again (issue 17). The second step is
done again for it, in the background (``WARMER``, one warm-up at a time, the newest version first): asked by
the import page once an import, approval or undo is committed (``after_write``: the analyst does not wait for
it), and by each dashboard process's ``Watcher``, which notices a write by anyone (the command line, another
process behind the proxy) within a few seconds.
"""

from __future__ import annotations

import ast
import atexit
import datetime as dt
import importlib
import importlib.util
import os
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import plotly.io
from streamlit.logger import get_logger

from metrics.exports.pinned import pin
from metrics.exports.slides import build_deck
from metrics.judging.overdue import overdue
from metrics.storage import db
from ui import data, figures, memory, widgets

# Streamlit's console logger: the server's log says when the warm-up is done (the "dashboard" logger has no
# handler of its own, and Python drops its INFO lines).
log = get_logger("dashboard.warmup")
ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "views"
LANG = "vi"  # the language every visitor starts in
# How often each dashboard process looks for a write by someone else (``Watcher``).
# (At least half a second: 0 or less looked without pause, a query a turn on PostgreSQL.)
WATCH_SECONDS = max(0.5, float(os.environ.get("KPI_WATCH_SECONDS", "3")))
LEAST_WATCH_SECONDS = 0.01  # a watcher never looks more often (the tests look this often)


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
        with WARMER.turn():  # never beside a warm-up after a write (both fill the same caches)
            if WARMER.closed:
                return
            done = warm(lambda: WARMER.closed)  # (stopped at its next step when the process ends)
    except Superseded:  # a write meanwhile: the watcher asks for the new data to be warmed
        if not WARMER.closed:
            log.info("Warm-up at start left for a newer version of the data")
        return
    except Exception:  # a database that cannot be read now (an import holds the file): tried again a little later
        log.warning("Warm-up not done; tried again later", exc_info=True)
        WARMER.failed()
        return
    if done is not None:
        log.info("Warm-up done in %.1f s: %d modules, plan %s, %s, unit %s, %d charts", done.seconds, done.modules,
                 done.plan, done.year, done.unit, done.figures)


def warm(stop: Callable[[], bool] = lambda: False) -> Warmed | None:
    """Import what the pages import, then fill the caches of the default view; None when there is no plan.
    ``stop``: as ``default_view``'s."""
    began = time.perf_counter()
    modules = page_imports()
    for module in modules:
        importlib.import_module(module)
    memory.settle()  # the modules imported now are out of the collector's way too (not the data below: it changes)
    found = default_view(stop)
    return None if found is None else Warmed(len(modules), *found, time.perf_counter() - began)


class Superseded(Exception):
    """A newer data version was written while the default view of an older one was being warmed."""


def default_view(stop: Callable[[], bool] = lambda: False,
                 begun: tuple[tuple, object] | None = None) -> tuple[str, int, str, int] | None:
    """Judge the default view on the scorecard of the data as they are now and build its charts (the second
    step of ``warm``); its plan, year, unit and the number of charts kept; None when there is no plan.

    Each step reads under a lease of its own and gives the file back between steps (``give_way``): on DuckDB
    a writing process (an import from the command line) waits for one step, not for the whole warm-up (seconds
    at national scale, against its ``KPI_LOCK_WAIT``). A step that finds the data changed since the first, or
    ``stop`` true (a write of this process waits), raises ``Superseded``. ``begun``: the stamp and the scorecard
    the caller read (the warm-up is of them: data changed since raise ``Superseded``)."""
    with data.reading():
        stamp, card = current_stamp(), data.scorecard()
        if begun is not None and (stamp, card) != begun:
            raise Superseded
        if not card.plans:
            return None
        plan = next(iter(card.plans))
        year = year_shown(card, plan)
        root = card.root(plan, year)
        if root is None:
            return None
        card.plan_rows(plan, year)  # Tổng quan
    charts: list = []
    steps = (lambda: slideshow(plan, year), lambda: import_template(card, plan, year),
             lambda: charts.extend(target_charts(card, plan, year, root)),
             lambda: charts.append(units_chart(card, plan, year, root)),
             lambda: about_view(card, plan, year, root.code))
    for step in steps:
        give_way()
        if stop():
            raise Superseded
        with data.reading():
            if current_stamp() != stamp:
                raise Superseded
            step()
    for chart in charts:
        if chart is not None:
            plotly.io.to_json(chart, validate=False)  # as st.plotly_chart sends it
    return plan, year, root.code, len(figures.kept(card))


# Longer than a waiting writer's retry (``metrics.storage.db.RETRY_SECONDS``): it finds the file free.
GIVE_WAY_SECONDS = 0.3


def give_way() -> None:
    """Between two steps of a warm-up: on DuckDB the file is closed (when no page of this process reads it)
    and left free a moment, so a process waiting to write it gets in."""
    access = data.store().access
    if isinstance(access, db.Access):
        access.release()
        time.sleep(GIVE_WAY_SECONDS)


def after_write() -> None:
    """Ask for the default view to be judged again on the new data, in the background (issue 17), once an import,
    an approval or an undo is committed: each made a new data version, whose first visitor would otherwise
    judge it (Đơn vị's matrix ~1.1 s at national scale). The analyst's page run does not wait for it."""
    WARMER.request()


# A warm-up that failed (the file held by a long import from the command line, past ``KPI_LOCK_WAIT``) is tried
# again after these pauses, one after the other; after the last the first visitor builds what it needs.
RETRY_SECONDS = (2.0, 10.0, 30.0)
# How long a process that ends waits for a warm-up under way to stop at its next step (``Warmer.close``).
EXIT_WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class Done:
    """One warm-up after a write, for the log and the tests."""

    stamp: tuple  # the database and its ``change_stamp`` warmed
    view: tuple[str, int, str, int] | None  # ``default_view``'s answer
    seconds: float


class Warmer:
    """The warm-ups of one dashboard process after writes: one at a time, in a thread of its own, always on the
    data as they are when it begins; a request made while one runs is served after it, and several requests
    waiting make one warm-up (of the newest version). A warm-up of an older version stops at its next step
    when a newer version is asked for (``default_view``'s ``stop``)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._running = threading.Lock()  # held by any warm-up of this process, the server's start-up one too
        self._wanted: tuple | None | bool = False  # False: nothing asked; None: the newest; else a stamp
        self._busy = False
        self._warming: tuple | None = None
        self._warmed: tuple | None = None
        self._card: weakref.ref | None = None  # the scorecard last warmed (no need to warm it twice)
        self._thread: threading.Thread | None = None
        self._failures = 0  # warm-ups failed in a row (``RETRY_SECONDS``)
        self.closed = False  # the process is ending: no warm-up begins, one under way stops at its next step
        self.done: list[Done] = []  # the last few, newest last

    def turn(self) -> threading.Lock:
        """The lock every warm-up of this process holds while it runs (two never run at once)."""
        return self._running

    def request(self, stamp: tuple | None = None) -> None:
        """Ask for the data as they are now to be warmed; ``stamp`` (the database and its change stamp, as
        ``current_stamp`` says) when known: one already warmed, or being warmed, is not asked for again."""
        with self._cond:
            if self.closed or (stamp is not None and stamp in (self._warming, self._warmed)):
                return
            self._wanted = None if (stamp is None or self._wanted is None) else stamp
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="kpi-warm-up-after-write", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def close(self, timeout: float = EXIT_WAIT_SECONDS) -> bool:
        """At the process's end: no warm-up begins after this, one under way stops at its next step, and this
        waits for it (up to ``timeout`` seconds; False if it had not ended). The interpreter's end halts a daemon
        thread wherever it is, and one halted inside the engine's C++ code (DuckDB, Arrow) aborts the whole
        process ("terminate called …", exit status 134) as it ends."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()
        if not self._running.acquire(timeout=timeout):
            return False
        self._running.release()
        return True

    def settled(self, timeout: float) -> bool:
        """Wait until nothing is asked for and no warm-up runs; False if ``timeout`` seconds passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: self._wanted is False and not self._busy, timeout)

    def warmed(self, stamp: tuple, timeout: float) -> bool:
        """Wait until the data of ``stamp`` are warmed; False if ``timeout`` seconds passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: self._warmed == stamp, timeout)

    def failed(self) -> None:
        """A warm-up failed: the data as they are then are asked for again after the next of ``RETRY_SECONDS``
        (a warm-up that succeeds meanwhile, after a write, starts the count again)."""
        with self._cond:
            self._failures += 1
            if self._failures > len(RETRY_SECONDS):
                log.warning("Warm-up given up after %d tries; the first visit builds what it needs", self._failures)
                return
            pause = RETRY_SECONDS[self._failures - 1]
        timer = threading.Timer(pause, self.request)
        timer.daemon = True
        timer.start()

    def superseded(self) -> bool:
        """The process is ending, or a write of this process waits for the warm-up's read to end. (Data changed
        since the warm-up began, by anyone, stop it at its next step anyway: ``default_view`` compares the
        change stamp. A request alone does not: it may ask for the very data being warmed.)"""
        return self.closed or bool(getattr(data.store().access, "writer_waiting", False))  # (PostgreSQL: never)

    def _serve(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._wanted is not False or self.closed)
                if self.closed:
                    return
                self._wanted, self._busy = False, True
            try:
                with self._running:
                    self._warm_now()
            except Superseded:  # done again once the write is over (a write may leave the data as they were)
                if not self.closed:
                    log.info("Warm-up after a write left for a newer version of the data")
                with self._cond:
                    if self._wanted is False:
                        self._wanted = None
            except Exception:  # a database that cannot be read now (an import holds the file): tried again later
                log.warning("Warm-up after a write not done; tried again later", exc_info=True)
                self.failed()
            finally:
                with self._cond:
                    self._busy, self._warming = False, None
                    self._cond.notify_all()

    def _warm_now(self) -> None:
        began = time.perf_counter()
        with self._cond:  # what was asked for until now is the data this warm-up reads
            self._wanted = False
        with data.reading():  # the stamp and the scorecard of one moment
            stamp, card = current_stamp(), data.scorecard()
            with self._cond:
                self._warming = stamp
        if self._card is None or self._card() is not card:
            view = default_view(self.superseded, (stamp, card))  # (its steps read under leases of their own)
            self._card = weakref.ref(card)
        else:
            view = None
        done = Done(stamp, view, time.perf_counter() - began)
        with self._cond:
            self._warmed, self._failures = stamp, 0
            self.done = [*self.done[-9:], done]
        if view is not None:
            log.info("Warm-up after a write done in %.1f s: data %s, plan %s, %s, unit %s, %d charts", done.seconds,
                     stamp[1], *view)


WARMER = Warmer()
atexit.register(WARMER.close)  # (run before the interpreter halts its daemon threads)


def current_stamp() -> tuple:
    """The database this process reads and its ``change_stamp``: what a warm-up warms."""
    return str(db.location()), data.store().change_stamp()


class Watcher:
    """Notices a write by anyone (the command line, another dashboard process behind the proxy, this one) and
    asks for its data to be warmed (``WARMER``), so that a page's first visitor after it finds it judged.

    Every ``every`` seconds: on DuckDB, the file's and its write-ahead log's size and time (no connection: an
    idle database stays free for the command line); only when they moved, the change stamp (one tiny query).
    On PostgreSQL the change stamp itself (one statement over two one-row tables)."""

    def __init__(self, every: float):
        self.every = max(every, LEAST_WATCH_SECONDS)
        self._stopping = threading.Event()
        self.ready = threading.Event()  # set once the change stamp to compare with is read
        self.looks = 0  # how many times it looked (the tests wait on it)
        self.thread = threading.Thread(target=self._run, name="kpi-warm-watch", daemon=True)

    def stop(self, timeout: float = 30) -> None:
        self._stopping.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        mark: tuple | None = None
        stamp: tuple | None = None
        wait = 0.0  # the stamp to compare with at once, then every ``every`` seconds
        while not self._stopping.wait(wait):
            wait = self.every
            self.looks += 1
            try:
                now = file_mark()
                if now is not None and now == mark:
                    continue
                found = current_stamp()
                mark = now  # only once the stamp is read: a busy file is looked at again next time
                if stamp is not None and found != stamp:
                    WARMER.request(found)
                stamp = found
                self.ready.set()
            except Exception:  # a database busy or gone for now: looked at again next time
                log.debug("Change stamp not read", exc_info=True)


def watch(every: float = WATCH_SECONDS) -> Watcher:
    """Start watching the database for writes (``Watcher``), in a thread of its own; ``stop`` it when done."""
    watcher = Watcher(every)
    watcher.thread.start()
    return watcher


def file_mark() -> tuple | None:
    """What a write to a DuckDB file changes (its size and time, and its write-ahead log's); None on PostgreSQL."""
    where = db.location()
    if isinstance(where, str):
        return None
    wal = where.with_name(where.name + ".wal")
    return tuple((s.st_ino, s.st_size, s.st_mtime_ns) if (s := _stat(f)) else None for f in (where, wal))


def _stat(path: Path):
    try:
        return path.stat()
    except FileNotFoundError:
        return None


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


def slideshow(plan: str, year: int) -> None:
    """Trình chiếu as first opened (``views/present.py``): the newest batch pinned and its deck, on the approved
    figures only when a batch waits for approval (every import does until approved: a scorecard of its own)."""
    pinned = pin(data.store())
    build_deck(data.scorecard(pinned.batch, pinned.approved_only), plan, year, LANG, pinned)


def about_view(card, plan: str, year: int, unit: str) -> None:
    """Về số liệu as first opened (``views/about.py``): the values by kind, who reported what since the plan's
    baseline year and who is late today, for the plan's unit; the published values (~1.7 s at national scale)."""
    card.provenance_counts()
    years = [y for y in card.years(plan) if y > int(card.plans[plan]["start_year"])]
    card.completeness(plan, years, unit)
    overdue(card, plan, year, dt.date.today(), unit, LANG)
    card.published_values()


def import_template(card, plan: str, year: int) -> None:
    """Nhập dữ liệu as first opened: the blank template of the plan's unit and its upper-level unions."""
    years = range(int(card.plans[plan]["start_year"]), card.last_year(plan) + 1)
    if years:
        data.template(plan, year if year in years else years[0], None, LANG, False)
