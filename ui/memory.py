"""Python's garbage collector in a dashboard process that lives for months.

Streamlit runs a full garbage collection after every page run (``runner.postScriptGC``). A full
collection walks every object the collector tracks, and the imports alone (Streamlit, pandas, Plotly,
DuckDB and ours) leave about 140.000 of them: every click paid 120–280 ms of collection in one piece
that holds the interpreter, so the end of the page (and the "finished" that lets the browser drop the
page before) waited behind it (benchmarks/README.md, "Where a click's time goes").

What the imports make lives as long as the process. ``settle`` moves it, once, when the server starts,
out of the collector's sight (``gc.freeze``): each collection then walks only what the page runs made
since, a few thousand objects (a millisecond or two). Frozen objects are still freed the ordinary way
when nothing refers to them; only a cycle among them would stay, and modules, classes and Plotly's
validators are never garbage.
"""

from __future__ import annotations

import atexit
import gc


def settle() -> None:
    """Freeze what exists now (call it after the imports, before the first visitor; again after more imports,
    ``ui.warmup``). At exit it is given back (``gc.unfreeze``), so the interpreter's last collection sees it."""
    gc.collect()  # garbage made while importing is freed, not frozen
    gc.freeze()
    if not _settled:
        _settled.append(True)
        atexit.register(gc.unfreeze)


_settled: list[bool] = []
