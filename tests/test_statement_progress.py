"""A long statement of an import runs on a thread while its progress is reported (metrics/storage/files/progress.py)."""

from __future__ import annotations

import threading

import duckdb
import pytest

from metrics.storage.files import progress

LONG = "SELECT sum(i % 7) FROM range(20000000000) t(i)"  # minutes, unless stopped


def test_a_statement_whose_progress_report_is_stopped_is_stopped_too(tmp_path):
    """The page's run stopped by a rerun (or Ctrl-C) raises in the progress report: the statement is interrupted
    and its thread has ended before the caller's rollback, which then finds the transaction as it was begun."""
    con = duckdb.connect(str(tmp_path / "kpi.duckdb"))
    con.execute("CREATE TABLE kept (n INTEGER)")
    con.execute("BEGIN")
    con.execute("INSERT INTO kept VALUES (1)")

    def stop(fraction: float, step: str) -> None:
        if fraction > 0:  # (the first report is made before the statement starts)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        progress.run(con, LONG, None, stop, 0.0, 1.0, "writing")
    assert not [t for t in threading.enumerate() if t.name == "kpi-statement"]
    con.execute("ROLLBACK")
    assert con.execute("SELECT count(*) FROM kept").fetchall() == [(0,)]
    con.close()
