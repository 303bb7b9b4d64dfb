"""Getting an uploaded CSV into DuckDB as text, one row per line the person sees, row number kept.

A clean UTF-8 file is read by DuckDB's own ``read_csv`` (fast, parallel). Everything a careful
person would still accept takes the careful way: other encodings are transcoded to a temporary UTF-8
file first (in chunks, never the whole file in memory); blank lines, title rows above the header and
short rows (trailing empty cells left out) are read with Python's ``csv`` so every row keeps the number
a spreadsheet shows. Excel workbooks are read in ``workbook.py``.
"""

from __future__ import annotations

import codecs
import concurrent.futures
import contextlib
import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import charset_normalizer
import pandas as pd

from metrics.storage.files import guard
from metrics.storage.files.progress import Progress, run
from metrics.vocabulary.messages import FileRejected, problem
from metrics.vocabulary.problems import Problem

SAMPLE_BYTES = 1 << 16
CHUNK_BYTES = 1 << 22
CAREFUL_CHUNK_ROWS = 100_000
DELIMITERS = (",", ";", "\t", "|")
HEAD_RECORDS = 30
UTF8 = ("utf-8", "utf-8-sig")
MAX_BYTES = 2 << 30
NUL = b"\x00"
NUL_CHAR = "\x00"
# Windows-1258 writes Vietnamese tones as combining marks after the letter; these bytes are those marks.
CP1258_TONES = re.compile(rb"[\xcc\xec\xde\xd2\xf2]")
CP1258_LETTERS = re.compile(rb"[\xc3\xe3\xd0\xf0\xd5\xf5\xdd\xfd]")


@dataclass
class Sniffed:
    """What the first bytes of a text file say about it."""

    encoding: str  # a Python codec name: utf-8, utf-8-sig, utf-16, cp1258, cp1252 …
    delimiter: str
    head: list[list[str]]  # the first records, parsed, for finding the header
    uniform: bool  # every record of the sample has as many cells as the first


@dataclass
class Loaded:
    """A file in the ``raw`` view of a cursor: ``row`` (as the user sees it) and text cells c0 … cN."""

    width: int
    rows: int
    problems: list[Problem] = field(default_factory=list)
    path: str = "fast"  # fast | careful | excel (how it was read; reported in tests and benchmarks)


def is_utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8, allowing a character cut at the end of a sample."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        return True
    except UnicodeDecodeError:
        return False


def detect_encoding(head: bytes) -> str:
    """BOM first (UTF-32's before UTF-16's, which it starts with); then UTF-8 if the bytes are valid
    UTF-8; UTF-32 and UTF-16 without BOM by their zero bytes; Windows-1258 when the bytes look like
    Vietnamese written that way; Windows-1252 when they fit it; else charset-normalizer's guess.
    (``sniff`` refuses a UTF-8 file with a line of another code page before any code page is used.)"""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if is_utf8(head):
        return "utf-8"
    wide = _zero_pattern(head)
    if wide:
        return wide
    if CP1258_TONES.search(head) or len(CP1258_LETTERS.findall(head)) >= 3:
        return "cp1258"
    try:  # Western Windows is the other code page people here meet; small samples fool any detector
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(head).best()
        return best.encoding if best else "latin-1"


def _zero_pattern(head: bytes) -> str | None:
    """UTF-32 or UTF-16 without a BOM, by where the zero bytes of ASCII characters fall."""
    def zeros(lane: bytes) -> float:
        return lane.count(0) / max(len(lane), 1)
    lanes = [head[i::4] for i in range(4)]
    if len(head) >= 8 and zeros(lanes[0]) < 0.05 and min(map(zeros, lanes[1:])) > 0.9:
        return "utf-32-le"
    if len(head) >= 8 and zeros(lanes[3]) < 0.05 and min(map(zeros, lanes[:3])) > 0.9:
        return "utf-32-be"
    even, odd = head[0::2], head[1::2]
    if odd and zeros(odd) > 0.3 and zeros(even) < 0.05:
        return "utf-16-le"
    if even and zeros(even) > 0.3 and zeros(odd) < 0.05:
        return "utf-16-be"
    return None


UTF8_LETTERS = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _refuse_mixed_utf8(head: bytes) -> None:
    """Mostly UTF-8 (Vietnamese letters written as UTF-8) with bytes that are not: a line pasted from a
    file of another code page. Read as UTF-8 that line is lost, read as a code page every other one is
    garbled (mojibake): say where, and let the person save the file again."""
    if len(UTF8_LETTERS.findall(head)) < 3:
        return
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRejected("mixed-encoding", row=head[:exc.start].count(b"\n") + 1) from exc


def detect_delimiter(text: str) -> tuple[str, list[list[str]], bool]:
    """The delimiter that splits the sample into the most regular table with the most columns."""
    lines = text.splitlines(keepends=True)
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut the last line
    sample = "".join(lines)
    best = None
    for delimiter in DELIMITERS:
        try:  # newline="": a bare CR (old Mac line ends, or inside a quoted cell) is the reader's to judge
            records = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)][:HEAD_RECORDS]
        except csv.Error:  # not a table with this delimiter
            continue
        filled = [r for r in records if any(cell.strip() for cell in r)]
        if not filled:
            continue
        widths = [len(r) for r in filled]
        width = max(widths)
        regular = sum(w == width for w in widths) / len(widths)
        score = (width > 1, regular >= 0.8, width, regular)
        if best is None or score > best[0]:
            best = (score, delimiter, records)
    if best is None:
        return ",", [], True
    records = best[2]
    return best[1], records, len({len(r) for r in records}) == 1


def sniff(path: Path, encoding: str | None = None) -> Sniffed:
    """Encoding, delimiter and first records; a binary file or one of thousands of columns stops here."""
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    given, encoding = encoding, encoding or detect_encoding(head)
    if not _wide_encoding(encoding):
        offset = guard.binary_offset(head)
        if offset is not None:
            raise FileRejected("unreadable-file", f"binary:{offset}")
        if not given and encoding not in UTF8:
            _refuse_mixed_utf8(head)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    delimiter, records, uniform = detect_delimiter(text.lstrip("\ufeff"))
    guard.check_csv_width(records)
    return Sniffed(encoding, delimiter, records, uniform)


def _wide_encoding(encoding: str) -> bool:
    """UTF-16 and UTF-32 text is full of zero bytes; every other encoding a CSV comes in has none."""
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


# --- one pass over the bytes: fingerprint, transcoding, blank lines --------------------------------

@dataclass
class Scan:
    sha256: str
    size: int
    utf8_path: Path  # the file itself, or its UTF-8 transcoding
    blank_inside: bool  # a blank line with content after it (DuckDB would skip it, shifting row numbers)
    controls: bool = True  # some byte may be a control character (the check looks for them only then)


def scan(path: Path, encoding: str, workdir: Path, progress: Progress | None = None) -> Scan:
    """Hash the file and find blank lines; transcode to UTF-8 (NFC) on the way when it is not UTF-8."""
    utf8 = encoding in UTF8
    wide = _wide_encoding(encoding)
    target = path if utf8 else workdir / "transcoded.csv"
    digest, size, blanks, controls = hashlib.sha256(), path.stat().st_size, _BlankLines(), _ControlBytes()
    with open(path, "rb") as handle, contextlib.ExitStack() as stack:
        out = None if utf8 else stack.enter_context(open(target, "wb"))
        transcoder = None if utf8 else _Transcoder(encoding)
        for block in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(block)
            if not wide and NUL in block:  # binary further down than the sample looked
                raise FileRejected("unreadable-file", f"binary:{handle.tell() - len(block) + block.index(NUL)}")
            if transcoder and out:
                block = transcoder.feed(block)
                out.write(block)
            blanks.feed(block)
            controls.feed(block)
            if progress:
                progress(0.05 * handle.tell() / max(size, 1), "reading")
        if transcoder and out:
            rest = transcoder.finish()
            out.write(rest)
            blanks.feed(rest)
            controls.feed(rest)
    return Scan(digest.hexdigest(), size, target, blanks.inside, controls.found)


class _Transcoder:
    """Bytes of any encoding in, UTF-8 NFC out, whole lines at a time (a tone mark may follow its letter)."""

    def __init__(self, encoding: str):
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.carry = ""
        self.read = 0  # characters decoded before this block (for saying where a NUL is)

    def feed(self, block: bytes) -> bytes:
        text = self.carry + self.decoder.decode(block)
        if NUL_CHAR in text:  # a NUL written in UTF-16 or UTF-32: binary, as a NUL byte is in any other encoding
            raise FileRejected("unreadable-file", f"binary:{self.read + text.index(NUL_CHAR)}")
        self.read += len(text) - len(self.carry)
        cut = text.rfind("\n") + 1
        self.carry, text = text[cut:], text[:cut]
        return unicodedata.normalize("NFC", text).encode("utf-8")

    def finish(self) -> bytes:
        text, self.carry = self.carry + self.decoder.decode(b"", final=True), ""
        if NUL_CHAR in text:
            raise FileRejected("unreadable-file", f"binary:{self.read + text.index(NUL_CHAR)}")
        return unicodedata.normalize("NFC", text).encode("utf-8")


BLANK_BYTES = b" \t\r\n\x0b\x0c"
# An empty line (LF LF, or the LF CR LF of an empty line ending in CRLF): one search for both. Two ``bytes.find`` cost 0.31 s of CPU on a
# 172 MB file (every line's LF is a candidate start), the expression 0.10 s.
BLANK_LINE = re.compile(rb"\n\r?\n")


class _BlankLines:
    """Whether a blank line has content after it (DuckDB skips blank lines, which would shift row numbers)."""

    def __init__(self):
        self.first_blank: int | None = None
        self.last_content = -1
        self.offset = 0
        self.tail = b""

    def feed(self, block: bytes) -> None:
        """Look at one chunk without copying it (two copies of every chunk cost more than the hash)."""
        if self.first_blank is None:
            edge = self.tail + block[:2]  # a blank line split between two chunks
            found = [match.start() + shift for match, shift in ((BLANK_LINE.search(edge), -len(self.tail)),
                                                                 (BLANK_LINE.search(block), 0)) if match]
            if found:
                self.first_blank = self.offset + min(found)
        end = len(block) - 1
        while end >= 0 and block[end] in BLANK_BYTES:  # usually a step or two: chunks end in a newline
            end -= 1
        if end >= 0:
            self.last_content = self.offset + end
        self.offset += len(block)
        self.tail = block[-2:]

    @property
    def inside(self) -> bool:
        return self.first_blank is not None and self.first_blank < self.last_content


# C0 controls other than tab, line feed and carriage return, and DEL: one byte each in UTF-8. C1 (U+0080–U+009F)
# is two bytes, C2 80 … C2 9F. The check's rule (``validate.CONTROL``) names the same characters.
C0_AND_DEL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
C1_LEAD = 0xC2
NOT_CONTROL = bytes(b for b in range(256) if b not in C0_AND_DEL and b != C1_LEAD)
C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


class _ControlBytes:
    """Whether the UTF-8 text holds a control character anywhere (header, helper columns and all): a clean
    file, nearly every file, spares the check its look at every cell. One ``translate`` per chunk (C speed)
    keeps only the bytes that can start one; a C2 lead byte is looked at again with the byte after it."""

    def __init__(self):
        self.found = False
        self.tail = b""

    def feed(self, block: bytes) -> None:
        if self.found or not block:
            return
        kept = block.translate(None, NOT_CONTROL)
        if kept.strip(bytes([C1_LEAD])):
            self.found = True
        elif kept or self.tail:
            self.found = C1_UTF8.search(self.tail + block) is not None
        self.tail = block[-1:] if block[-1] == C1_LEAD else b""  # a C1 character split between two chunks


# --- into DuckDB -----------------------------------------------------------------------------------

def scan_and_load(cur, path: Path, sniffed: Sniffed, width: int, header_row: int, workdir: Path,
                  progress: Progress | None = None) -> tuple[Scan, Loaded]:
    """Fingerprint the file and fill the cursor's ``raw`` view with ``width`` cells a row (the header's width).

    DuckDB's reader when the file allows exact row numbers (same width everywhere, no blank line inside);
    the careful reader otherwise. A UTF-8 file is scanned (hash, blank lines, stray binary) on a second
    thread while DuckDB reads it, as the two take about as long as each other; a blank line found by the
    scan sends the file the careful way after all, and a binary one rejects it as before.
    """
    loaded = None
    if sniffed.encoding in UTF8 and sniffed.uniform:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            scanning = pool.submit(scan, path, sniffed.encoding, workdir)  # no progress: it belongs to this thread
            try:
                loaded = _load_fast(cur, path, sniffed.delimiter, width, progress)
            finally:
                scanned = scanning.result()  # a binary file is rejected even when DuckDB failed first
    else:
        scanned = scan(path, sniffed.encoding, workdir, progress)
        if sniffed.uniform and not scanned.blank_inside:
            loaded = _load_fast(cur, scanned.utf8_path, sniffed.delimiter, width, progress)
    if loaded is not None and not scanned.blank_inside:
        return scanned, loaded
    cur.execute("DROP TABLE IF EXISTS raw_table")
    return scanned, _load_careful(cur, scanned, sniffed.delimiter, width, header_row, progress)


def head_rows(sniffed: Sniffed) -> list[tuple]:
    """The sample's records as ``(row, cell, …)``, for finding the header before reading the rest."""
    return [(number, *record) for number, record in enumerate(sniffed.head, start=1) if record]


def _columns(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


def _load_fast(cur, path: Path, delimiter: str, width: int, progress) -> Loaded | None:
    columns = {name: "VARCHAR" for name in _columns(width)}
    run(cur, """
        CREATE OR REPLACE TEMP TABLE raw_table AS
        SELECT * FROM read_csv(?, header = false, auto_detect = false, columns = ?, delim = ?,
                               quote = '"', escape = '"', store_rejects = true, encoding = 'utf-8')""",
        [str(path), columns, delimiter], progress, 0.05, 0.45, "reading")
    rejected = cur.execute("SELECT count(*) FROM reject_errors").fetchall()[0][0]
    if rejected:
        cur.execute("DROP TABLE raw_table")
        return None
    cur.execute(f"""CREATE OR REPLACE TEMP VIEW raw AS
                    SELECT CAST(rowid + 1 AS INTEGER) AS row, {", ".join(columns)} FROM raw_table""")
    rows = cur.execute("SELECT count(*) FROM raw_table").fetchall()[0][0]
    return Loaded(width, rows, path="fast")


def _load_careful(cur, scanned: Scan, delimiter: str, width: int, header_row: int, progress) -> Loaded:
    """Python's csv reader: blank lines keep their row number, short rows are padded, long rows reported."""
    names = _columns(width)
    cur.execute(f"""CREATE OR REPLACE TEMP TABLE raw_table (row INTEGER, {", ".join(f"{n} VARCHAR" for n in names)})""")
    problems, chunk, count = [], [], 0
    with open(scanned.utf8_path, encoding="utf-8-sig", newline="") as handle:
        for number, record in _records(handle, delimiter):
            if not record:
                continue
            if len(record) > width:
                if number > header_row and any(cell.strip() for cell in record[width:]):
                    problems.append(problem(number, None, delimiter.join(record)[:300], "wrong-field-count",
                                            detail=f"{len(record)} > {width}"))
                    continue
                record = record[:width]
            chunk.append([number, *(cell if cell != "" else None for cell in record),
                          *([None] * (width - len(record)))])
            count += 1
            if len(chunk) >= CAREFUL_CHUNK_ROWS:
                _insert(cur, chunk, names)
                chunk = []
                if progress:
                    progress(0.05 + 0.4 * min(_bytes_read(handle) / max(scanned.size, 1), 1), "reading")
    _insert(cur, chunk, names)
    cur.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_table")
    return Loaded(width, count, problems, path="careful")


def _records(handle, delimiter: str):
    """(row number, cells) of every record; a cell beyond the csv module's limit stops the file."""
    reader = csv.reader(handle, delimiter=delimiter)
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileRejected("cell-too-long", f">{csv.field_size_limit()}", row=number + 1) from exc
            raise FileRejected("unreadable-file", str(exc)[:200]) from exc
        except UnicodeDecodeError as exc:  # UTF-8 at the start, another code page further down
            raise FileRejected("mixed-encoding", row=_first_bad_line(handle.name)) from exc
        number += 1
        yield number, record


def _first_bad_line(path: str) -> int | None:
    """The line (as an editor numbers it) of the first bytes that are not UTF-8."""
    decoder, lines = codecs.getincrementaldecoder("utf-8")(), 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK_BYTES), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return lines + block[:max(exc.start, 0)].count(b"\n") + 1
            lines += block.count(b"\n")
    return None


def _insert(cur, chunk: list[list], names: list[str]) -> None:
    if not chunk:
        return
    frame = pd.DataFrame(chunk, columns=["row", *names]).astype({"row": "int32", **{n: "object" for n in names}})
    cur.register("raw_chunk", frame)
    cur.execute("INSERT INTO raw_table SELECT * FROM raw_chunk")
    cur.unregister("raw_chunk")


def _bytes_read(handle: io.TextIOWrapper) -> int:
    """How far into the file a text handle opened with ``open`` has read (its buffer is a BufferedReader)."""
    return cast(io.BufferedReader, handle.buffer).tell()
