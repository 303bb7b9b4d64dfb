"""What the command line writes: tables on standard output, files named by ``--out``.

A CSV on standard output is opened in a spreadsheet as often as it is read by a script, so its text
cells pass ``safe_cell`` like every spreadsheet the dashboard writes (``=cmd|…`` stays text). A file
named by ``--out`` is never written over without ``--force``, and never when it is the database the
command works on (or its write-ahead log); it is written whole or not at all.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from metrics.vocabulary.errors import UserError
from metrics.vocabulary.text import safe_cell

CSV_ROWS = 20_000  # rows of a CSV written at a time
TEXT_KINDS = {"string", "empty", "boolean", "integer", "date", "datetime"}  # columns with no float to round


class TableWriter:
    """CSV (one header) or a JSON array, written piece by piece to standard output."""

    def __init__(self, fmt: str, digits: int | None = None):
        self.fmt, self.digits, self.started = fmt, digits, False

    def __enter__(self):
        return self

    def write(self, frame: pd.DataFrame) -> None:
        if self.fmt == "json":
            frame = self._rounded(frame)
            body = frame.to_json(orient="records", force_ascii=False, indent=1).strip()[1:-1].strip()
            if body:
                sys.stdout.write(("[\n" if not self.started else ",\n") + body)
                self.started = True
            return
        # a CSV goes out CSV_ROWS rows at a time: the nation's 133,000 grassroots rows are never a second and a
        # third copy in memory (rounded, then one string), and the bytes are the same as in one piece
        for start in range(0, max(len(frame), 1), CSV_ROWS):
            part = self._rounded(frame.iloc[start:start + CSV_ROWS])
            part = part.assign(**{c: _safe(part[c]) for c in part.columns if part[c].dtype.kind == "O"}
                               ).rename(columns=safe_cell)
            sys.stdout.write(part.to_csv(index=False, header=not self.started, lineterminator="\n"))
            self.started = True

    def _rounded(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.digits is None:
            return frame
        digits = self.digits
        return frame.assign(**{c: _rounded(frame[c], digits) for c in frame.columns if frame[c].dtype.kind in "fO"})

    def __exit__(self, *exc):
        if self.fmt == "json":
            sys.stdout.write("\n]\n" if self.started else "[]\n")
        return False


def _rounded(column: pd.Series, digits: int) -> pd.Series:
    """Floats rounded as ``round`` does (a national listing: a column at a time, not a cell at a time): a column
    of floats once per distinct value, a column of text not at all."""
    if column.dtype == np.float64:  # distinct by their bits: -0.0 stays -0.0
        codes, distinct = pd.factorize(column.to_numpy().view(np.int64))
        rounded = np.array([round(v, digits) for v in distinct.view(np.float64).tolist()], dtype=np.float64)
        return pd.Series(rounded[codes], index=column.index, dtype=column.dtype)
    if pd.api.types.infer_dtype(column, skipna=True) in TEXT_KINDS:
        return column
    return pd.Series([round(v, digits) if isinstance(v, float) else v for v in column.tolist()], index=column.index,
                     dtype=column.dtype)


def _safe(column: pd.Series) -> pd.Series:
    """``safe_cell`` on every cell of a text (or mixed) column, asked once per distinct value."""
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    if len(distinct) > len(column) // 4:
        return pd.Series([safe_cell(v) for v in column.tolist()], index=column.index, dtype=column.dtype)
    guarded = pd.Series([safe_cell(v) for v in distinct.tolist()] + [column[codes == -1].iloc[0] if (
        codes == -1).any() else None], dtype=object)
    return pd.Series(guarded.to_numpy()[codes], index=column.index, dtype=column.dtype)


def write_table(frame: pd.DataFrame, fmt: str, digits: int | None = None) -> None:
    with TableWriter(fmt, digits) as out:
        out.write(frame)


def write_file(path: Path, content: bytes, *, force: bool, database: Path | str) -> None:
    """Write ``content`` to ``path`` as a whole (a temporary file beside it, then renamed)."""
    check_out(path, force=force, database=database)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise UserError("unwritable-output",
                        f"Không ghi được tệp {path} ({exc.strerror}). Kiểm tra quyền ghi vào thư mục, tệp có đang "
                        "mở trong chương trình khác không, hoặc chọn đường dẫn khác bằng --out.",
                        f"Cannot write {path} ({exc.strerror}). Check that the folder is writable and the file is "
                        "not open in another program, or choose another path with --out.") from exc


def check_out(path: Path, *, force: bool, database: Path | str) -> None:
    """Refuse a missing folder, a folder, the live database, or an existing file without ``force``."""
    folder = path.parent
    if not folder.is_dir():
        raise UserError("missing-folder", f"Thư mục {folder} không tồn tại. Hãy tạo thư mục hoặc chọn đường dẫn khác "
                        "bằng --out.", f"The folder {folder} does not exist. Create it or choose another path with --out.")
    if path.is_dir():
        raise UserError("output-is-a-folder", f"{path} là một thư mục. Hãy ghi tên tệp sau --out, ví dụ {path / 'bao-cao.pdf'}.",
                        f"{path} is a folder. Give a file name after --out, e.g. {path / 'report.pdf'}.")
    if _is_database(path, database):
        raise UserError("output-is-database",
                        f"{path} là cơ sở dữ liệu đang dùng (hoặc nhật ký ghi của nó); không bao giờ ghi đè lên nó, kể cả "
                        "với --force. Hãy chọn tên tệp khác bằng --out.",
                        f"{path} is the database in use (or its write-ahead log); it is never written over, not even "
                        "with --force. Choose another file name with --out.")
    if path.exists() and not force:
        raise UserError("output-exists", f"Tệp {path} đã có; không ghi đè. Hãy chọn tên khác, hoặc thêm --force để thay "
                        "thế nó.", f"The file {path} already exists; it was not overwritten. Choose another name, or add "
                        "--force to replace it.")


def _is_database(path: Path, database: Path | str) -> bool:
    if isinstance(database, str):  # a PostgreSQL URL: no file of ours to protect
        return False
    live = Path(database).resolve()
    return path.resolve() in (live, Path(str(live) + ".wal"))
