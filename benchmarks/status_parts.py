"""Where the CPU of the nation's ``status`` goes: the command run in this process, a few of its parts timed.

    cd CHECKOUT; uptime; .venv/bin/python PATH/TO/status_parts.py --db COPY [--year 2026]

Prints the process's CPU time (``time.process_time``: DuckDB's threads included) spent in each part, the
imports and the whole; the listing itself is kept in memory and only its rows are counted. A part missing
from the checkout (an older branch) is left out, so the same script times main and a branch side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import sys
import time
from pathlib import Path

START = time.process_time()
sys.path.insert(0, str(Path.cwd()))  # the checkout it is run in (main or a branch, side by side)

from metrics.cli import commands, output  # noqa: E402
from metrics.judging import bulk, scorecard  # noqa: E402

PARTS = (
    (scorecard.Scorecard, "__init__", "scorecard: catalogue and organisation read"),
    (scorecard.Scorecard, "units_for", "units_for: the plan's units (main)"),
    (bulk, "_roster", "roster: the plan's units as columns"),
    (bulk, "_judged_one_by_one", "one by one (Scorecard.row)"),
    (bulk, "_lines", "bulk: each unit's line"),
    (bulk, "read_grid", "bulk: the figures read into the grid"),
    (bulk, "_records", "bulk: the records"),
    (output.TableWriter, "write", "the CSV"),
)


def _timed(owner, name: str, label: str, spent: dict[str, float]) -> None:
    function = getattr(owner, name, None)
    if function is None:
        return

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - started

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--year", default="2026")
    args = parser.parse_args()
    imports = time.process_time() - START
    spent: dict[str, float] = {}
    for owner, name, label in PARTS:
        _timed(owner, name, label, spent)
    listing = io.StringIO()
    with contextlib.redirect_stdout(listing):
        commands.main(["--db", args.db, "status", "--year", args.year, "--format", "csv"])
    total = time.process_time() - START
    print(f"imports                                        {imports:6.2f} s")
    for label, seconds in spent.items():
        print(f"{label:<46} {seconds:6.2f} s")
    print(f"{'the rest':<46} {total - imports - sum(spent.values()):6.2f} s")
    print(f"{'total CPU':<46} {total:6.2f} s ({listing.getvalue().count(chr(10)) - 1} rows)")


if __name__ == "__main__":
    main()
