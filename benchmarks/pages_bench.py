"""Server-side run time of every dashboard page, on the demo data and on a 100× larger copy.

Not a test: prints figures. Each page is run with Streamlit's AppTest (the same script run the
server does, without the browser); the first run warms caches, then the median of several reruns
is reported, as a user clicking a selector would cause.

    .venv/bin/python benchmarks/pages_bench.py            # demo data and 100× copy
    .venv/bin/python benchmarks/pages_bench.py --scale 10 --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics.catalogue.loading import init_database  # noqa: E402
from metrics.storage.store import write_batch  # noqa: E402

PAGES = ["views/overview.py", "views/target.py", "views/units.py", "views/about.py"]


def scaled_copy(path: Path, scale: int) -> None:
    """The demo database with every upper-level union copied ``scale`` times (values with it)."""
    store = init_database(path, demo=True)
    units = store.frame("SELECT * EXCLUDE (level) FROM units WHERE kind NOT IN ('province', 'grassroots')")
    values = store.observations()
    values = values[values["unit"].isin(set(units["code"]))]
    copies, rows = [], []
    for i in range(1, scale):
        copies.append(units.assign(code=units["code"] + f"-x{i}", name_vi=units["name_vi"] + f" (bản sao {i})",
                                   name_en=units["name_en"] + f" (copy {i})", successor=None))
        rows.append(values.assign(unit=values["unit"] + f"-x{i}"))
    with store.transaction() as cur:
        extra = pd.concat(copies)
        extra["level"] = "upper"
        cur.register("extra", extra)
        cur.execute("INSERT INTO units BY NAME SELECT * FROM extra")
        write_batch(cur, pd.concat(rows).drop(columns=["batch"]), "illustrative", file_name=f"scale-{scale}")
        cur.execute("UPDATE catalogue_version SET version = version + 1")
    counts = store.rows("SELECT (SELECT count(DISTINCT code) FROM units), (SELECT count(*) FROM observations)")[0]
    store.close()
    print(f"  {path.name}: {counts[0]} units, {counts[1]} observation rows")


def time_pages(db: Path, runs: int) -> dict[str, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["KPI_DB"] = str(db)
    os.environ["KPI_PUBLIC"] = "1"  # the leaders' pages without sign-in, as the demo serves them
    st.cache_resource.clear()
    results = {}
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.run()
        at.switch_page(page).run()  # warm: caches filled
        assert not at.exception, at.exception
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            samples.append(time.perf_counter() - start)
        results[page] = statistics.median(samples)
    st.cache_resource.clear()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        demo, big = Path(tmp) / "demo.duckdb", Path(tmp) / f"x{args.scale}.duckdb"
        print("building databases …")
        init_database(demo, demo=True).close()
        scaled_copy(big, args.scale)
        table = {}
        for label, path in (("demo", demo), (f"{args.scale}×", big)):
            table[label] = time_pages(path, args.runs)
    print(f"\nmedian server-side rerun time of each page ({args.runs} reruns after a warm-up):")
    print(f"{'page':<22}" + "".join(f"{label:>12}" for label in table))
    for page in PAGES:
        print(f"{page:<22}" + "".join(f"{table[label][page]:>11.3f}s" for label in table))


if __name__ == "__main__":
    main()
