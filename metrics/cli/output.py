"""What the command line writes: tables on standard output, files named by ``--out``.

A CSV on standard output is opened in a spreadsheet as often as it is read by a script, so its text
cells pass ``safe_cell`` like every spreadsheet the dashboard writes (``=cmd|…`` stays text). A file
named by ``--out`` is never written over without ``--force``, and never when it is the database the
command works on (or its write-ahead log); it is written whole or not at all.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from metrics.vocabulary.errors import UserError
from metrics.vocabulary.text import DANGEROUS_START, safe_cell

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
            sys.stdout.write(csv_text(part, header=not self.started, guard=True))
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


def csv_text(frame: pd.DataFrame, header: bool = True, guard: bool = False) -> str:
    """``frame.to_csv(index=False, lineterminator="\\n")``, the same bytes, a column at a time (the nation's
    listing is 6.7 M cells): each column's cells made text as pandas makes them (a float column by numpy's
    ``astype(str)`` once per distinct value; an object column by ``repr`` for floats and ``str`` for the rest;
    empty for a missing value), quoted as the ``csv`` module quotes (``QUOTE_MINIMAL``), joined by commas.
    ``guard``: every text cell and header passes ``safe_cell`` first. Frames with other columns (dates) and
    one-column frames go to pandas."""
    if len(frame.columns) < 2 or not all(_plain_kind(frame[c]) for c in frame.columns):
        if guard:
            frame = frame.assign(**{c: _safe(frame[c]) for c in frame.columns if frame[c].dtype.kind == "O"}
                                 ).rename(columns=safe_cell)
        return frame.to_csv(index=False, header=header, lineterminator="\n")
    names = [safe_cell(c) if guard else c for c in frame.columns]
    head = ",".join(_quoted(str(c)) for c in names) + "\n" if header else ""
    if not len(frame):
        return head
    rows = pc.binary_join_element_wise(*[_texts(frame[c], guard) for c in frame.columns], ",")
    rows = pc.binary_join_element_wise(rows, "\n", "")  # (each row's line end: the rows' bytes are then one buffer)
    offsets, data = rows.buffers()[1:3]
    first, last = np.frombuffer(offsets, dtype=np.int32, count=len(rows) + 1, offset=rows.offset * 4)[[0, -1]]
    return head + data.to_pybytes()[first:last].decode("utf-8")


def _plain_kind(column: pd.Series) -> bool:
    dtype = column.dtype
    return (dtype == np.float64 or isinstance(dtype, pd.StringDtype) or pd.api.types.is_integer_dtype(dtype)
            or (isinstance(dtype, np.dtype) and dtype.kind in "bO"))


def _quoting_characters() -> tuple[str, ...]:
    """The characters that make ``csv.writer`` (as pandas calls it) quote a cell: asked of the module itself, since
    Python 3.12 added the carriage return to 3.11's comma, quote and line terminator."""
    found = []
    for character in ',"\n\r\t ;\'':
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow([f"a{character}b", "c"])
        if out.getvalue().startswith('"'):
            found.append(character)
    return tuple(found)


QUOTING = _quoting_characters()


def _quoted(text: str) -> str:
    """A cell as ``csv.writer`` writes it with ``QUOTE_MINIMAL``: in quotes when it holds one of ``QUOTING``
    (its quotes doubled)."""
    if any(character in text for character in QUOTING):
        return '"' + text.replace('"', '""') + '"'
    return text


def _word(value, guard: bool) -> str:
    """One present cell as ``to_csv`` writes it (``csv`` writes a float by ``repr``, anything else by ``str``)."""
    if isinstance(value, str):
        return _quoted(safe_cell(value) if guard else value)
    return _quoted(repr(float(value)) if isinstance(value, float) else str(value))


def _texts(column: pd.Series, guard: bool) -> pa.Array:
    """A column's cells as ``to_csv`` writes them, as Arrow texts (a missing value empty)."""
    if column.dtype == np.float64:  # distinct by their bits: -0.0 stays -0.0
        codes, distinct = pd.factorize(column.to_numpy().view(np.int64))
        floats = distinct.view(np.float64)
        return pa.array(np.where(np.isnan(floats), "", floats.astype(str)), type=pa.string()).take(codes)
    if isinstance(column.dtype, pd.StringDtype):  # every cell a text or missing: a column at a time
        texts = pa.array(column, type=pa.string())  # (a column put together by ``concat``: in chunks)
        encoded = pc.dictionary_encode(texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts)
        distinct = encoded.dictionary
        words = _text_words(distinct, guard) if len(distinct) >= 256 else pa.array(
            [_word(v, guard) for v in distinct.to_pylist()], type=pa.string())  # (a few: no kernel's cost per call)
        return words.take(encoded.indices).fill_null("")
    missing = pd.isna(column).to_numpy()
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) not in ("string", "empty"):
        # (mixed kinds: 1, 1.0 and True are one key to a hash, so cell by cell; texts and gaps go by distinct value)
        return pa.array(["" if gone else _word(v, guard) for v, gone in zip(column.tolist(), missing.tolist())],
                        type=pa.string())
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    values = distinct.tolist()
    if len(values) >= 256 and all(type(v) is str for v in values):  # (the nation's 133,000 names and codes)
        words = _text_words(pa.array(values, type=pa.string()), guard).to_pylist() + [""]
    else:
        words = [_word(v, guard) for v in values] + [""]  # code -1, a missing value, is the last
    return pa.array(words, type=pa.string()).take(np.where(codes < 0, len(values), codes))


def _text_words(texts: pa.Array, guard: bool) -> pa.Array:
    """``_word`` of each text, a column at a time (Arrow's kernels): ``safe_cell``, then quoted as ``_quoted``."""
    if not len(texts):
        return texts
    if guard:
        risky = pc.match_substring_regex(texts, pattern="^" + _any_of(DANGEROUS_START))
        texts = pc.if_else(risky, pc.binary_join_element_wise("'", texts, ""), texts)
    quoted = pc.match_substring_regex(texts, pattern=_any_of(QUOTING))
    doubled = pc.replace_substring(texts, pattern='"', replacement='""')
    return pc.if_else(quoted, pc.binary_join_element_wise('"', doubled, '"', ""), texts)


def _any_of(characters: tuple[str, ...]) -> str:
    """A regular expression (RE2, as Arrow reads it) matching any one of ``characters``."""
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in characters) + "]"


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
