"""Crash safety: an import killed with SIGKILL in the middle of its write leaves the database exactly as it
was before, and the next start (the command line, the dashboard) works."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from metrics.catalogue.loading import init_database, load_units
from metrics.storage.store import Store
from tests.helpers import ROOT, cli

UNIONS = 12_000  # × 7 counted indicators × 6 years = 504,000 values: a write of a few tenths of a second
GROWTH = 256 * 1024  # the file has grown by a block: DuckDB is writing the new rows, not yet committed


def big_import(folder: Path) -> tuple[Path, Path]:
    """The demo database with ``UNIONS`` grassroots unions, and a file of figures for all of them."""
    db = folder / "kpi.duckdb"
    store = init_database(db, demo=True)
    try:
        codes = [f"BG-{i:05d}" for i in range(UNIONS)]
        pd.DataFrame({"code": codes, "name_vi": [f"CĐCS thử {c}" for c in codes], "kind": "grassroots",
                      "sector": "non_state", "parent": "883", "valid_from": "2010-01-01", "valid_to": "2025-06-30",
                      "source": "illustrative: crash test"}).to_csv(folder / "units.csv", index=False)
        assert load_units(store, folder / "units.csv").ok
        counted = [c for (c,) in store.rows("SELECT code FROM indicators WHERE kind IN ('stock', 'flow') ORDER BY code")]
    finally:
        store.close()
    years = np.arange(2019, 2025)
    frame = pd.DataFrame({"unit": np.repeat(codes, len(counted) * len(years)),
                          "indicator": np.tile(np.repeat(counted, len(years)), UNIONS),
                          "year": np.tile(years, UNIONS * len(counted))})
    frame["value"] = np.arange(len(frame)) // len(years) % 500 + 100 + frame["year"] - 2019  # smooth: no warnings
    values = folder / "big.csv"
    frame.to_csv(values, index=False)
    return db, values


def snapshot(db: Path) -> dict[str, pd.DataFrame]:
    store = Store.open(db, read_only=True)
    try:
        return {table: store.frame(f"SELECT * FROM {table} ORDER BY ALL")
                for table in ("observations", "batches", "audit", "value_writes")}
    finally:
        store.close()


def kill_inside_the_write(db: Path, values: Path) -> None:
    """Start the import, wait for its write to begin and the file to grow, and SIGKILL it there."""
    size = db.stat().st_size
    wal = Path(str(db) + ".wal")
    printed = db.with_suffix(".out")
    with open(printed, "w") as out:  # a pipe left unread would stop the import once full
        process = subprocess.Popen([sys.executable, "-m", "metrics", "import", str(values), "--db", str(db),
                                    "--progress"], stdout=out, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    for line in process.stderr:
        if line.startswith("writing"):
            break
    deadline = time.monotonic() + 60
    while process.poll() is None and db.stat().st_size < size + GROWTH and time.monotonic() < deadline:
        time.sleep(0.002)
    committed, grown = wal.exists(), db.stat().st_size >= size + GROWTH
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the import finished before it could be killed: use more rows"
    assert grown and not committed  # new rows were in the file, not yet committed
    assert "Đã nhập đợt" not in printed.read_text(encoding="utf-8")


@pytest.mark.slow
def test_an_import_killed_mid_write_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    db, values = big_import(tmp_path)
    before = snapshot(db)
    kill_inside_the_write(db, values)
    after = snapshot(db)  # reopening replays nothing uncommitted
    for table, frame in before.items():
        pd.testing.assert_frame_equal(after[table], frame, obj=table)
    assert cli("status", "--year", "2024", db=db).stdout.startswith("plan,target,")
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_PUBLIC", "1")
    st.cache_resource.clear()
    try:
        at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    finally:
        st.cache_resource.clear()
    assert not at.exception and not at.error and at.title[0].value == "Tổng quan"
