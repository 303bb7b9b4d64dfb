"""Progress reports from long imports: ``progress(fraction, step)`` with a step code the caller words.

DuckDB reports how far a running query is; a query runs in a worker thread while the calling thread
(in the dashboard: the page's own script thread, the only one allowed to draw) passes the figures on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Progress = Callable[[float, str], None]
STEPS = ("reading", "checking", "comparing", "writing")
POLL_SECONDS = 0.2


def run(cur, sql: str, params: list | None, progress: Progress | None, low: float, high: float,
        step: str) -> None:
    """Execute ``sql`` on ``cur``; while it runs, report progress between ``low`` and ``high``."""
    if progress is None:
        cur.execute(sql, params or [])
        return
    progress(low, step)
    failure: list[BaseException] = []

    def work():
        try:
            cur.execute(sql, params or [])
        except BaseException as exc:  # handed to the calling thread below
            failure.append(exc)

    cur.execute("SET enable_progress_bar = true")
    cur.execute("SET enable_progress_bar_print = false")
    worker = threading.Thread(target=work, name="kpi-statement", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(POLL_SECONDS)
            done = cur.query_progress() if worker.is_alive() else 100.0
            if done >= 0:
                progress(low + (high - low) * min(done, 100.0) / 100.0, step)
    except BaseException:  # (Ctrl-C, or the page's run stopped by a rerun): the statement is stopped and waited
        cur.interrupt()    # for, so the caller's rollback finds no statement running and nothing outlives it
        worker.join()
        raise
    if failure:
        raise failure[0]
