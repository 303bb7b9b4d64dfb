"""Time to build every export on the demo data: the deck, the PDF and Excel reports, the data CSV.

Not a test: prints figures (median of ``--runs`` runs, after one warm-up run that loads fonts and
modules). "end to end" is what ``python -m metrics export`` does inside the process: pin the batch,
judge the plan on that state (a fresh ``Scorecard``), build the model, write the file. The last
column is the file alone, from a ready model (what the page's download buttons do).

    .venv/bin/python benchmarks/export_bench.py [--runs 3] [--plan DH-XI-2023-2028] [--lang vi]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics.catalogue.loading import init_database  # noqa: E402
from metrics.exports import bundle  # noqa: E402
from metrics.exports.pinned import pin  # noqa: E402
from metrics.judging.scorecard import Scorecard  # noqa: E402


def median_seconds(work, runs: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plan", default="DH-XI-2023-2028")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = init_database(Path(folder) / "demo.duckdb", demo=True)
        pinned = pin(store)
        card = Scorecard(store, as_of=pinned.as_of)
        model = bundle.make_deck(card, pinned, bundle.Choice("pptx", args.plan, lang=args.lang))
        print(f"Demo data, plan {args.plan}, {len(model.rows)} targets, {len(model.slides)} slides, "
              f"{pinned.line('en')}; median of {args.runs} runs")
        print(f"{'export':<8}{'size':>10}{'end to end':>14}{'file only':>12}")
        for fmt in bundle.FORMATS:
            choice = bundle.Choice(fmt, args.plan, lang=args.lang)
            size = len(bundle.build(store, choice))
            total = median_seconds(lambda choice=choice: bundle.build(store, choice), args.runs)
            alone = "—" if fmt == "csv" else f"{median_seconds(lambda f=fmt: bundle.render(model, f), args.runs):.2f} s"
            print(f"{fmt:<8}{size / 1024:>8.0f} KB{total:>12.2f} s{alone:>12}")
        model_time = median_seconds(lambda: bundle.make_deck(Scorecard(store, as_of=pinned.as_of), pinned,
                                                             bundle.Choice("pptx", args.plan, lang=args.lang)),
                                    args.runs)
        print(f"judging the plan and building the slide model (shared by all): {model_time:.2f} s")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
