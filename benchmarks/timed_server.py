"""``streamlit run`` with every script run timed: for benchmarks/browser_bench.py --breakdown.

    python benchmarks/timed_server.py run dashboard.py --server.port 8501 …    # as ``streamlit run``

Each run of the page script (Streamlit's ``ScriptRunner._run_script``, reruns included) appends one line to
the file ``$KPI_BENCH_RUNS``: when it ended (``time.time()``), how long it took and how much of that went to
Python's garbage collector (ms), tab-separated. Works with any checkout of the dashboard: it only wraps
Streamlit. Not a test, never used by the dashboard itself.
"""

from __future__ import annotations

import gc
import os
import sys
import time

from streamlit.runtime.scriptrunner import script_runner

LOG = os.environ.get("KPI_BENCH_RUNS")
_started: list[float] = [0.0]
_spent: list[float] = [0.0]


def _collector(phase: str, info: dict) -> None:
    if phase == "start":
        _started[0] = time.perf_counter()
    else:
        _spent[0] += time.perf_counter() - _started[0]


def _timed(run):
    def timed_run(self, rerun_data):
        _spent[0] = 0.0
        start = time.perf_counter()
        try:
            return run(self, rerun_data)
        finally:
            took = time.perf_counter() - start
            if LOG:
                with open(LOG, "a", encoding="utf-8") as out:
                    out.write(f"{time.time():.3f}\t{took * 1000:.1f}\t{_spent[0] * 1000:.1f}\n")
    return timed_run


def main() -> int:
    gc.callbacks.append(_collector)
    script_runner.ScriptRunner._run_script = _timed(script_runner.ScriptRunner._run_script)
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
