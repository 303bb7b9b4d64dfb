"""Import speed: a generated 1,000,000-row values file, full import versus DuckDB's bare read_csv.

Not a test: prints figures. The catalogue is the shipped An Giang one plus ``--unions`` generated
grassroots unions (two periods each, like the shipped ones: under a district federation until
30/6/2025, under a commune union after), reporting every indicator for 2019–2026 — a large province's
whole history in one file. Numbers are written the Vietnamese way (``1.234``, ``92,14``), ratios with
numerator and denominator, so every rule of the check runs. The file must pass validation.

Timed, in one run:
  * the full import: ``ingest.check`` (read, validate, compare, judge statuses) + ``ingest.commit``;
  * DuckDB's own ``read_csv`` (auto-detected) of the same file into a bare table of a fresh database.

    .venv/bin/python benchmarks/import_bench.py                 # 2,800 unions → 1,008,000 rows
    .venv/bin/python benchmarks/import_bench.py --unions 280    # a tenth, for a quick look
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics.catalogue.loading import init_database, load_units  # noqa: E402
from metrics.ingest import intake as ingest  # noqa: E402
from metrics.storage.store import Store  # noqa: E402

YEARS = list(range(2019, 2027))
DISTRICTS = ["883", "884", "886", "887", "888", "889", "890", "891", "892", "893", "894"]


def generated_units(store: Store, count: int, path: Path) -> None:
    """``count`` grassroots unions, each moved from a district federation to a commune union in 2025."""
    communes = [c for (c,) in store.rows("SELECT DISTINCT code FROM units WHERE kind = 'commune_union'")]
    rows = []
    for i in range(count):
        code, name = f"BG-{i:05d}", f"Công đoàn cơ sở Doanh nghiệp thử {i:05d}"
        common = {"code": code, "name_vi": name, "name_en": f"Test enterprise union {i:05d}", "kind": "grassroots",
                  "sector": "non_state", "successor": "", "official_code": "", "source": "illustrative: benchmark"}
        rows.append({**common, "parent": DISTRICTS[i % len(DISTRICTS)], "valid_from": "2010-01-01",
                     "valid_to": "2025-06-30"})
        rows.append({**common, "parent": communes[i % len(communes)], "valid_from": "2025-07-01", "valid_to": ""})
    pd.DataFrame(rows).to_csv(path, index=False)
    result = load_units(store, path)
    assert result.ok, result.problems[:5]


def vi_number(values: np.ndarray, decimals: int = 0) -> np.ndarray:
    """``1234`` → ``1.234``, ``92.14`` → ``92,14``: the way Vietnamese spreadsheets write numbers."""
    if decimals == 0:
        return np.array([f"{int(v):,}".replace(",", ".") for v in values], dtype=object)
    return np.array([f"{v:.{decimals}f}".replace(".", ",") for v in values], dtype=object)


def generated_file(store: Store, count: int, path: Path) -> int:
    """One row per union × indicator × year, smooth series (no implausible jumps), ';'-separated."""
    rng = np.random.default_rng(7)
    indicators = store.indicators()[["code", "kind"]].to_dict("records")
    units = [f"BG-{i:05d}" for i in range(count)]
    frames = []
    for indicator in indicators:
        unit_col = np.repeat(units, len(YEARS))
        year_col = np.tile(YEARS, len(units))
        growth = np.tile(np.arange(len(YEARS)), len(units))
        base = np.repeat(rng.integers(40, 4000, len(units)), len(YEARS))
        frame = pd.DataFrame({"đơn vị": unit_col, "chỉ tiêu": indicator["code"], "năm": year_col,
                              "giá trị": "", "tử số": "", "mẫu số": ""})
        if indicator["kind"] in ("stock", "flow"):
            frame["giá trị"] = vi_number(base + growth * (base // 50))
        elif indicator["kind"] == "rate":
            frame["tử số"] = rng.integers(0, 3, len(frame)).astype(str)
            frame["mẫu số"] = "1"
        else:
            denominator = np.repeat(rng.integers(20, 400, len(units)), len(YEARS))
            numerator = np.minimum(denominator, (denominator * (0.8 + 0.02 * growth)).astype(int))
            frame["tử số"], frame["mẫu số"] = numerator.astype(str), denominator.astype(str)
            frame["giá trị"] = vi_number(np.floor(numerator / denominator * 10000) / 100, 2)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    table.to_csv(path, sep=";", index=False)
    return len(table)


def timed_import(store: Store, path: Path) -> dict:
    steps: dict[str, float] = {}
    start = time.perf_counter()

    def progress(fraction: float, step: str) -> None:
        steps.setdefault(step, time.perf_counter() - start)

    report = ingest.check(path, store=store, progress=progress)
    checked = time.perf_counter() - start
    assert report.ok, report.problem_table("en").head(20).to_string()
    result = ingest.commit(store, report, user="benchmark")
    total = time.perf_counter() - start
    return {"report": report, "result": result, "steps": steps, "check": checked, "total": total}


def bare_read_csv(path: Path, folder: Path) -> float:
    con = duckdb.connect(str(folder / "bare.duckdb"))
    start = time.perf_counter()
    con.execute("CREATE TABLE bare AS SELECT * FROM read_csv(?)", [str(path)])
    seconds = time.perf_counter() - start
    con.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unions", type=int, default=2800, help="generated grassroots unions (45 × 8 rows each)")
    parser.add_argument("--keep", type=Path, help="folder to keep the file and databases in (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kpi-import-bench-") as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        store = init_database(folder / "kpi.duckdb", demo=True, force=True)
        generated_units(store, args.unions, folder / "units.csv")
        path = folder / "values.csv"
        started = time.perf_counter()
        rows = generated_file(store, args.unions, path)
        print(f"generated {rows:,} rows ({path.stat().st_size / 2**20:.0f} MB) in {time.perf_counter() - started:.1f} s")
        run = timed_import(store, path)
        store.close()
        bare = bare_read_csv(path, folder)
    report, steps = run["report"], run["steps"]
    print(f"read by: {report.reader}; convention: {report.convention}; counts: {report.counts}; "
          f"warnings: {report.counts_by_code}")
    marks = [(s, t) for s, t in sorted(steps.items(), key=lambda kv: kv[1])] + [("commit", run["check"])]
    phases = ", ".join(f"{a} {b_time - a_time:.2f} s" for (a, a_time), (_, b_time) in zip(marks, marks[1:]))
    print(f"phases: {phases}, writing {run['total'] - run['check']:.2f} s")
    print(f"full import (check + commit): {run['total']:.2f} s = {rows / run['total']:,.0f} rows/s "
          f"(check {run['check']:.2f} s, commit {run['total'] - run['check']:.2f} s)")
    print(f"DuckDB read_csv into a bare table: {bare:.2f} s = {rows / bare:,.0f} rows/s")
    print(f"ratio full import / bare read_csv: {run['total'] / bare:.1f}×")


if __name__ == "__main__":
    main()
