"""What approval costs on a national database (issue 19): approving a batch, writing a provisional correction
(the approved-only overlay made again in its transaction), and a page's reads of approved figures only against
the figures in force.

    uptime; .venv/bin/python benchmarks/approval.py --db PATH      # a copy of PATH is used, never PATH

``--db``: a database of ``synth``'s federation with its values imported (``run.py --national-db`` explains how
one is built). Times are CPU seconds of this process (DuckDB's threads included) and wall seconds; the reads are
the median of ``--reruns`` fresh reads, approved-only and in force alternating, so their ratio is of one run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics.ingest import intake  # noqa: E402
from metrics.judging.scorecard import APPROVED_FIGURES, APPROVED_VALUES, Scorecard  # noqa: E402
from metrics.storage import rollups  # noqa: E402
from metrics.storage.figure_sources import StoredFigures  # noqa: E402
from metrics.storage.store import Store, write_batch  # noqa: E402


def timed(work) -> tuple[dict, object]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()
    return {"cpu_s": round(time.process_time() - cpu, 3), "wall_s": round(time.perf_counter() - wall, 3)}, result


def overlay_now(store: Store) -> dict:
    """The approved-only overlay made again as the database stands (a whole provisional national import: every
    cell is in it), with how many cells and roll-ups it holds."""
    with store.transaction() as cur:
        spent, _ = timed(lambda: rollups.refresh_approved(cur))
    counts = store.rows("SELECT (SELECT count(*) FROM approved_cells), (SELECT count(*) FROM approved_rollups), "
                        "(SELECT count(*) FROM approved_pairs)")[0]
    return {**spent, "approved_cells": counts[0], "approved_rollups": counts[1], "approved_pairs": counts[2]}


def approve_all(store: Store) -> list[dict]:
    waiting = [int(b) for (b,) in store.rows("SELECT id FROM provisional_batches ORDER BY id")]
    rows = {b: store.rows("SELECT rows FROM batches WHERE id = ?", [b])[0][0] for b in waiting}
    return [{"batch": b, "rows": rows[b], **timed(lambda b=b: intake.approve(store, b, user="bench"))[0]}
            for b in waiting]


def correction(store: Store, cells: int) -> dict:
    """A provisional batch correcting ``cells`` grassroots values of the newest year (the overlay then holds them)."""
    year, indicator = store.rows("SELECT max(year), min(indicator) FROM current_values")[0]
    frame = store.frame("SELECT unit, indicator, year, value + 1 AS value, numerator, denominator, source, note "
                        "FROM current_values WHERE year = ? AND indicator = ? AND value IS NOT NULL "
                        "ORDER BY unit LIMIT ?", [year, indicator, cells])

    def write() -> int:
        with store.transaction() as cur:
            return write_batch(cur, frame, "import", provisional=True)

    spent, batch = timed(write)
    with store.transaction() as cur:  # the overlay alone, made again (what every write of values adds to itself)
        overlay, _ = timed(lambda: rollups.refresh_approved(cur))
    counts = store.rows("SELECT (SELECT count(*) FROM approved_cells), (SELECT count(*) FROM approved_rollups)")[0]
    return {"batch": batch, "cells": len(frame), "write": spent, "overlay_alone": overlay,
            "approved_cells": counts[0], "approved_rollups": counts[1]}


def reads(store: Store, reruns: int) -> dict:
    """A province and its children, every indicator: the reads a page makes (``StoredFigures.prefetch``)."""
    card = Scorecard(store)
    plan = store.default_plan()
    root = card.root(plan, card.latest_year(plan))
    province = card.children(root.code, card.latest_year(plan))[0]
    codes = [province.code, *(u.code for u in card.children(province.code, card.latest_year(plan)))]
    indicators = sorted(card.indicators)
    found: dict[str, list[dict]] = {"in_force": [], "approved_only": []}
    for _ in range(reruns):
        for name, kwargs in (("in_force", {}), ("approved_only", {"figures": APPROVED_FIGURES,
                                                                   "values": APPROVED_VALUES})):
            source = StoredFigures(store, card.indicators, **kwargs)
            spent, _ = timed(lambda source=source: source.prefetch(indicators, codes))
            found[name].append(spent)
    summary = {name: {k: statistics.median(r[k] for r in runs) for k in ("cpu_s", "wall_s")}
               for name, runs in found.items()}
    summary["units"], summary["indicators"] = len(codes), len(indicators)
    summary["ratio_cpu"] = round(summary["approved_only"]["cpu_s"] / max(summary["in_force"]["cpu_s"], 1e-6), 2)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--cells", type=int, default=2000)
    parser.add_argument("--reruns", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "n.duckdb"
        shutil.copy(args.db, path)
        store = Store.open(path)
        try:
            values = store.rows("SELECT count(*) FROM current_values")[0][0]
            result = {"values": values, "overlay_before_approval": overlay_now(store), "approve": approve_all(store), "reads_all_approved": reads(store, args.reruns),
                      "correction": correction(store, args.cells), "reads_with_correction": reads(store, args.reruns)}
        finally:
            store.close()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
