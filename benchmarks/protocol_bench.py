"""Each page's request-to-finished time over Streamlit's protocol, beside the server's own script run.

    .venv/bin/python benchmarks/protocol_bench.py                    # this checkout
    .venv/bin/python benchmarks/protocol_bench.py --root /work/main  # another one

One session (``stream_session.StreamSession``: no browser, nothing drawn) opens each leader's page in turn,
``--rounds`` times, 1,5 s apart, on a ``streamlit run`` of a copy of the demo data whose script runs are
timed (``timed_server.py``). What the request waits for beyond the script run is the server's own, outside
the page: e.g. Streamlit's walk of every loaded module for its file watcher after a run that imported
something (a page's first visit). Not a test: it prints figures. Results: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.stream_session import StreamSession  # noqa: E402
from metrics.catalogue.loading import init_database  # noqa: E402
from tests.browser.conftest import streamlit_server  # noqa: E402

PAGES = ["overview", "target", "units", "about", "present"]


async def visits(url: str, runs: Path, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """(request to finished, the server's script runs meanwhile), ms, per page and round."""
    found: dict[str, list[tuple[float, float]]] = {page: [] for page in PAGES}
    async with StreamSession(url) as session:
        await session.open("")
        for _ in range(rounds):
            for page in PAGES:
                await asyncio.sleep(1.5)
                since = time.time()
                run = await session.open(page)
                if run.errors:
                    raise RuntimeError(f"{page}: {run.errors}")
                await asyncio.sleep(0.05)  # the run's line is written just after its last message
                lines = [line.split("\t") for line in runs.read_text().splitlines()]
                server = sum(float(ms) for ended, ms, _ in lines if float(ended) >= since)
                found[page].append((run.seconds * 1000, server))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--settle", type=float, default=8.0, help="seconds between the server's start and the first visit")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kpi-protocol-bench-"))
    try:
        data, runs = folder / "kpi.duckdb", folder / "runs"
        init_database(data, demo=True).close()
        env = {"KPI_PUBLIC": "1", "KPI_BENCH_RUNS": str(runs)}
        if args.root.resolve() != ROOT:
            env["PYTHONDONTWRITEBYTECODE"] = "1"  # another checkout: no bytecode written into its folder
        print(f"{time.strftime('%Y-%m-%d %H:%M')}, {args.root}, load average {os.getloadavg()[0]:.2f}")
        with streamlit_server(data, extra_env=env, root=args.root.resolve(),
                              launcher=(str(ROOT / "benchmarks" / "timed_server.py"),)) as url:
            time.sleep(args.settle)  # a person does not click the moment the server is up
            found = asyncio.run(visits(url, runs, args.rounds))
        print(f"done, load average {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{'page':9} {'first: request→finished':>24} {'server run':>11} {'again: request→finished':>24} {'server run':>11}")
    for page, times in found.items():
        again = times[1:] or times
        print(f"{page:9} {times[0][0]:23.0f}  {times[0][1]:10.0f}  {statistics.median(t[0] for t in again):23.0f}  "
              f"{statistics.median(t[1] for t in again):10.0f}")


if __name__ == "__main__":
    main()
