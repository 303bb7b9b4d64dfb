"""The command line's CSV: written a piece at a time (issue 17), the same bytes as in one piece."""

from __future__ import annotations

import pandas as pd

from metrics.cli import output
from metrics.cli.output import TableWriter


def _listing(rows: int) -> pd.DataFrame:
    return pd.DataFrame({
        "unit": [f"CS{i:06d}" for i in range(rows)],
        "actual": [(-0.0 if i % 7 == 0 else i / 3) if i % 5 else None for i in range(rows)],
        "score": [2.5000004999 if i % 2 else 0.0 for i in range(rows)],
        "mixed": [1.23456789 if i % 3 else ("=cmd|x" if i % 2 else None) for i in range(rows)],
    })


def test_csv_in_pieces_is_the_csv_in_one_piece_rounded_as_round_does(capsys, monkeypatch):
    frame = _listing(50)
    with TableWriter("csv", digits=6) as out:
        out.write(frame)
    whole = capsys.readouterr().out
    monkeypatch.setattr(output, "CSV_ROWS", 7)
    with TableWriter("csv", digits=6) as out:
        out.write(frame)
    pieces = capsys.readouterr().out
    assert pieces == whole
    lines = whole.splitlines()
    assert len(lines) == 51 and lines[0] == "unit,actual,score,mixed"
    assert lines[1] == "CS000000,,0.0,"
    assert lines[4].startswith("CS000003,1.0,2.5,") and lines[4] != "CS000003,1.0,2.5,=cmd|x"  # a formula stays text
    assert lines[8] == "CS000007,-0.0,2.5,1.234568"  # -0.0 is not 0.0; round(v, 6), not v
    assert lines[2] == f"CS000001,{round(1 / 3, 6)},2.5,1.234568"
