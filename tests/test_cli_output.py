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


def test_csv_text_is_pandas_to_csv_byte_for_byte():
    """The listing's own CSV writer (issue 17: a column at a time) against ``to_csv`` on every kind of column
    the ``status`` rows hold: floats (-0.0, NaN, inf, tiny, huge), nullable integers, booleans, text with commas,
    quotes and line breaks, mixed objects (a float, an int, True, None, a NumPy float), texts with gaps."""
    import numpy as np

    rows = 40
    floats = [-0.0, 0.0, float("nan"), float("inf"), -float("inf"), 1e-7, 1e16, 123456789.123, 1 / 3, 2.5]
    frame = pd.DataFrame({
        "f": [floats[i % len(floats)] for i in range(rows)],
        "i": pd.array([None if i % 4 == 0 else i for i in range(rows)], dtype="Int64"),
        "n": np.arange(rows, dtype=np.int64),
        "b": [i % 3 == 0 for i in range(rows)],
        "s": pd.array([None if i % 6 == 0 else ['Hà Nội, "cũ"', "a\nb", "x\ry", "", "-1", "plain"][i % 6]
                       for i in range(rows)], dtype="str"),
        "o": [[1.5, 2, True, None, np.float64(0.25), "t,x", float("nan")][i % 7] for i in range(rows)],
        "t": pd.Series([[None, "below", 'a "b"', "=x", "a\nb"][i % 5] for i in range(rows)], dtype=object),
        "a,b": [None] * rows,
    })
    assert output.csv_text(frame) == frame.to_csv(index=False, lineterminator="\n")
    assert output.csv_text(frame.iloc[:0]) == frame.iloc[:0].to_csv(index=False, lineterminator="\n")
    assert output.csv_text(frame, header=False) == frame.to_csv(index=False, header=False, lineterminator="\n")
    guarded = frame.assign(s=[output.safe_cell(v) for v in frame["s"]], o=[output.safe_cell(v) for v in frame["o"]],
                           t=[output.safe_cell(v) for v in frame["t"]])
    assert output.csv_text(frame, guard=True) == guarded.to_csv(index=False, lineterminator="\n")
    assert "'-1" in output.csv_text(frame, guard=True)


def test_csv_text_of_many_distinct_names_is_pandas_to_csv_byte_for_byte():
    """A column of 256 distinct texts or more (the nation's names and codes) is worded by Arrow's string
    kernels, not one Python call each: the same bytes as ``to_csv``, guarded as ``safe_cell`` guards."""
    starts = ["", "=", "+", "-", "@", "\t", "\r", '"', ",", ";", " ", "Đ", "\n", "\x00"]
    comma, quoted, broken = ",", '"q"', "\nb"
    names = [f"{starts[i % len(starts)]}Công đoàn {i}{comma if i % 5 == 0 else ''}{quoted if i % 7 == 0 else ''}"
             f"{broken if i % 11 == 0 else ''}" for i in range(300)] + [""] * 3
    frame = pd.DataFrame({"unit_name": names, "n": range(len(names))})
    assert output.csv_text(frame) == frame.to_csv(index=False, lineterminator="\n")
    guarded = frame.assign(unit_name=[output.safe_cell(v) for v in frame["unit_name"]])
    assert output.csv_text(frame, guard=True) == guarded.to_csv(index=False, lineterminator="\n")


def test_csv_text_of_text_columns_put_together_by_concat():
    """A target's listing judged partly one by one and partly in bulk is two frames put together by ``concat``:
    its text columns hold Arrow arrays in chunks, written as ``to_csv`` writes them (issue 17: the demo's 2025
    listing stopped on them)."""
    first = pd.DataFrame({"unit": pd.array(["A", None, "=B"], dtype="str"), "n": [1, 2, 3]})
    second = pd.DataFrame({"unit": pd.array(["C,D", "A"], dtype="str"), "n": [4, 5]})
    frame = pd.concat([first, second], ignore_index=True)
    assert output.csv_text(frame) == frame.to_csv(index=False, lineterminator="\n")
    guarded = frame.assign(unit=[output.safe_cell(v) for v in frame["unit"]])
    assert output.csv_text(frame, guard=True) == guarded.to_csv(index=False, lineterminator="\n")
