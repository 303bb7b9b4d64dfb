"""Opening the DuckDB file, who in this process holds it, and the one place where DuckDB's own errors become
user errors.

A DuckDB file is locked by the process that opens it: one process may write, or any number may read
(``read_only``), never both. So that the command line can read (and briefly write) while the dashboard
runs, nobody here holds the file longer than a unit of work: ``Access`` gives readers a shared read-only
connection, opened on demand and closed once nobody has used it for ``LINGER`` seconds, and gives a writer
a read-write connection for the moment of its write only. Opening waits up to ``LOCK_WAIT`` seconds while
another process holds the file, then says who holds it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import sys
import threading
import time
import weakref
from pathlib import Path

import duckdb

from metrics.vocabulary.errors import DatabaseBusy, DatabaseUnreadable

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "kpi.duckdb"

# Extensions that would try to download (excel, httpfs …) must fail at once on an offline machine.
# DuckDB would otherwise take up to 80 % of the machine's memory for its caches; with a limit it spills
# big work (a national import) to a temporary folder instead, and the dashboard stays small.
CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": True}
MEMORY_LIMIT = os.environ.get("KPI_MEMORY_LIMIT", "1GB")
# ``python -m metrics import`` is one import in a process of its own: it may use more, and spills less.
IMPORT_MEMORY_LIMIT = os.environ.get("KPI_IMPORT_MEMORY_LIMIT", "4GB")
# ``python -m metrics status`` reads each target's figures once: DuckDB's cache of the values table's blocks
# (400–500 MB for the nation's grassroots target) would only add to the listing's own memory (issue 17).
STATUS_MEMORY_LIMIT = os.environ.get("KPI_STATUS_MEMORY_LIMIT", "256MB")
# Once the organisation is read (its name order needs the 256 MB), each target's read is a scan of the values
# table: with a smaller cache DuckDB keeps fewer of its blocks (the grassroots target: +130 MB instead of +270).
STATUS_SCAN_MEMORY_LIMIT = os.environ.get("KPI_STATUS_SCAN_MEMORY_LIMIT", "64MB")
# How long opening waits while another process holds the file (an import of the other side, a reader
# while we want to write), and how long an unused connection stays open (opening costs 30–40 ms).
LOCK_WAIT = float(os.environ.get("KPI_LOCK_WAIT", "10"))
LINGER = float(os.environ.get("KPI_DB_LINGER", "2"))
RETRY_SECONDS = 0.1
_HOLDER = re.compile(r"\(PID (\d+)\)")


def set_memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> None:
    """Change the connection's DuckDB memory cap (``'4GB'``, ``'512MB'`` …)."""
    con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")


def private_files() -> None:
    """Files this process creates from now on (the database's write-ahead log, backups, the sign-in key,
    temporary files) are readable by their owner only: the command line and the dashboard call this first."""
    os.umask(os.umask(0) | 0o077)


def default_path() -> Path:
    """The database path: ``KPI_DB`` if set, else ``data/kpi.duckdb`` in the project."""
    return Path(os.environ.get("KPI_DB") or DEFAULT_DB)


def location(value: str | Path | None = None) -> Path | str:
    """Where the database is: a ``postgresql://`` URL (the PostgreSQL engine, kept as text) or a DuckDB file
    path. ``value`` is ``--db``; None: ``KPI_DB``, else ``data/kpi.duckdb``."""
    text = str(value) if value is not None else os.environ.get("KPI_DB") or str(DEFAULT_DB)
    return text if is_url(text) else Path(text)


def shown(location: Path | str) -> str:
    """How a message names the database: a file's full path, a URL without its password."""
    if isinstance(location, str):
        from metrics.storage.postgres import shown as shown_url

        return shown_url(location)
    return str(location.resolve())


def is_url(location: object) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a DuckDB file."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def connect(path: str | Path | None = None, read_only: bool = False, *, memory_limit: str = MEMORY_LIMIT,
            wait: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting up to ``wait`` seconds while another process holds it; lock and format
    errors become messages that say what to do."""
    path = Path(path) if path else default_path()
    deadline = time.monotonic() + wait
    while True:
        try:
            return _connect(path, read_only, memory_limit, wait)
        except DatabaseBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(RETRY_SECONDS)


def _connect(path: Path, read_only: bool, memory_limit: str, waited: float) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise missing(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    try:
        con = duckdb.connect(str(path), read_only=read_only, config={**CONFIG, "memory_limit": memory_limit})
    except duckdb.IOException as exc:
        raise _translate_io_error(path, exc, waited) from exc
    except duckdb.Error as exc:
        raise _unreadable(path, exc) from exc
    if new:  # users' password hashes and every figure: for the account that runs the program only
        path.chmod(0o600)
    con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
    con.execute("SET enable_progress_bar = false")  # DuckDB's own bar would print into the command line's output
    return con


def exists(location: Path | str) -> bool:
    """Whether the database is there: the file, or (PostgreSQL) the tables of ``init``."""
    if isinstance(location, str):
        from metrics.storage.postgres import has_tables

        return has_tables(location)
    return location.exists()


def missing(path: Path | str) -> DatabaseUnreadable:
    path = shown(path) if isinstance(path, str) else path
    return DatabaseUnreadable(
        "database-missing",
        f"Chưa có cơ sở dữ liệu {path}. Để theo dõi kế hoạch của đơn vị mình: python -m metrics init, rồi nạp "
        "các tệp của mình (units import, targets import, import; xem docs/data-files.md). Chỉ để xem thử với số "
        "liệu mẫu của An Giang: python -m metrics init --demo.",
        f"There is no database at {path}. To track your own plan: python -m metrics init, then load your own files "
        "(units import, targets import, import; see docs/data-files.md). Only to try the product on An Giang's "
        "sample data: python -m metrics init --demo.")


def holder(message: str) -> tuple[str, str, int | None]:
    """Who holds the file, from DuckDB's message and the holder's command line: (vi, en, pid)."""
    found = _HOLDER.search(message)
    pid = int(found.group(1)) if found else None
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except (OSError, TypeError):
        words = []
    # The program's own words, not a script's text: a ``python -c`` script that imports metrics is no command.
    if any(Path(word).name == "streamlit" for word in words):
        return "dashboard (streamlit)", "the dashboard (streamlit)", pid
    if "metrics" in words:
        verb = " ".join(words[words.index("metrics") + 1:][:2]).strip()
        return f"một lệnh python -m metrics {verb}".rstrip(), f"a command python -m metrics {verb}".rstrip(), pid
    return "một chương trình khác", "another program", pid


def _translate_io_error(path: Path, exc: Exception, waited: float) -> Exception:
    text = str(exc)
    if "lock" in text.lower():
        return _busy(path, holder(text), waited)
    return _unreadable(path, exc)


def _busy(path: Path, who: tuple[str, str, int | None], waited: float) -> DatabaseBusy:
    """Said where it happens: the dashboard has no --db to offer, the command line has."""
    vi, en, pid = who
    process = f" (PID {pid})" if pid else ""
    waited_vi = f" Đã chờ {waited:g} giây." if waited else ""
    waited_en = f" Waited {waited:g} s." if waited else ""
    in_dashboard = "streamlit" in sys.modules  # a check, not an import: metrics never imports Streamlit
    todo_vi = ("Hãy đợi việc đó xong rồi tải lại trang." if in_dashboard else
               "Hãy đợi việc đó xong (hoặc dừng nó) rồi chạy lại lệnh, hoặc chỉ định một tệp khác bằng --db.")
    todo_en = ("Wait until it has finished, then reload the page." if in_dashboard else
               "Wait until it has finished (or stop it) and run the command again, or point to another file with --db.")
    return DatabaseBusy("database-busy", f"Cơ sở dữ liệu {path} đang được {vi}{process} sử dụng.{waited_vi} {todo_vi}",
                        f"The database {path} is in use by {en}{process}.{waited_en} {todo_en}")


def _unreadable(path: Path, exc: Exception) -> DatabaseUnreadable:
    return DatabaseUnreadable(
        "database-unreadable",
        f"Không mở được cơ sở dữ liệu {path}: {exc}. Tệp có thể bị hỏng hoặc được tạo bởi phiên bản khác. "
        "Hãy khôi phục từ bản sao lưu (python -m metrics restore THƯ_MỤC) hoặc tạo lại bằng "
        "python -m metrics init với một tệp mới.",
        f"Cannot open the database {path}: {exc}. The file may be damaged or made by another version. "
        "Restore a backup (python -m metrics restore DIR) or build a new file with "
        "python -m metrics init.",
    )


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """Run a block in one transaction: everything is written, or nothing."""
    cur = con.cursor()
    cur.begin()
    try:
        yield cur
    except BaseException:
        cur.rollback()
        raise
    else:
        cur.commit()
    finally:
        cur.close()


class _Held(threading.local):
    """What the current thread holds: nested read leases, and whether it is the writer."""

    reads = 0
    writing = False


class Access:
    """How this process holds one database file: not at all, read-only for any number of readers, or
    read-write for one writer at a time (readers wait for the writer, a waiting writer goes before new
    readers). A thread that reads and then writes gives its read leases back for the write and gets them
    again afterwards: what it read before the write is older than what it reads after.

    One per file and process (DuckDB refuses a second connection to a file with other settings).
    """

    _all: weakref.WeakValueDictionary[str, Access] = weakref.WeakValueDictionary()
    _all_lock = threading.Lock()

    @classmethod
    def of(cls, path: str | Path) -> Access:
        key = str(Path(path).resolve())
        with cls._all_lock:
            found = cls._all.get(key)
            if found is None:
                found = cls._all[key] = cls(Path(path))
            return found

    def __init__(self, path: Path):
        self.path = path
        self.memory_limit = MEMORY_LIMIT
        self.linger = LINGER
        self.wait = LOCK_WAIT
        self._con: duckdb.DuckDBPyConnection | None = None
        self._mode: str | None = None  # "ro" | "rw"
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0
        self._opening = False
        self._idle_since = 0.0
        self._timer: threading.Timer | None = None
        self._cond = threading.Condition()
        self._held = _Held()

    @property
    def is_open(self) -> bool:
        return self._con is not None

    @property
    def writer_waiting(self) -> bool:
        """Whether a write in this process waits for the reads to end (a long read that can stop may give way)."""
        return self._writers_waiting > 0

    @contextlib.contextmanager
    def reading(self):
        """A read lease: the connection (read-only, or the writer's own inside its write)."""
        held = self._held
        if held.writing:
            yield self._con
            return
        with self._cond:
            if held.reads == 0:
                self._cond.wait_for(lambda: not self._writer and not self._writers_waiting)
            self._readers += 1
            held.reads += 1
            try:
                self._connection("ro")
            except BaseException:
                self._release(held)
                raise
            con = self._con
        try:
            yield con
        finally:
            with self._cond:
                self._release(held)

    def _release(self, held: _Held) -> None:
        held.reads -= 1
        self._readers -= 1
        if self._readers == 0:
            self._idle()
        self._cond.notify_all()

    @contextlib.contextmanager
    def writing(self):
        """A write lease: the read-write connection, opened for this block and closed after it."""
        held = self._held
        if held.writing:
            yield self._con
            return
        suspended = held.reads
        with self._cond:
            self._readers -= suspended
            held.reads = 0
            self._writers_waiting += 1
            self._cond.notify_all()
            try:
                self._cond.wait_for(lambda: not self._writer and self._readers == 0)
                self._writer = held.writing = True
            finally:
                self._writers_waiting -= 1
            try:
                self._connection("rw")
            except BaseException:
                self._end_write(held, suspended)
                raise
            con = self._con
        try:
            yield con
        finally:
            with self._cond:
                self._end_write(held, suspended)

    def _end_write(self, held: _Held, suspended: int) -> None:
        self._writer = held.writing = False
        self._close()  # other processes may open the file again; readers here reopen it read-only
        self._readers += suspended
        held.reads = suspended
        if self._readers == 0:
            self._idle()
        self._cond.notify_all()

    def _connection(self, mode: str) -> None:
        """Make the connection fit ``mode`` (a read fits either). Called with the lock held; waiting for
        another process releases the lock meanwhile."""
        self._cond.wait_for(lambda: not self._opening)
        if self._con is not None and (mode == "ro" or self._mode == "rw"):
            return
        self._close()
        self._opening = True
        try:
            deadline = time.monotonic() + self.wait
            while True:
                try:
                    self._con = _connect(self.path, mode == "ro", self.memory_limit, self.wait)
                    self._mode = mode
                    return
                except DatabaseBusy:
                    if time.monotonic() >= deadline:
                        raise
                    self._cond.wait(RETRY_SECONDS)
        finally:
            self._opening = False
            self._cond.notify_all()

    def set_memory_limit(self, limit: str) -> None:
        self.memory_limit = limit
        with self._cond:
            if self._con is not None:
                set_memory_limit(self._con, limit)

    def release(self) -> None:
        """Close the connection now if nobody here uses it (the file is free for other processes)."""
        with self._cond:
            if self._readers == 0 and not self._writer and not self._opening:
                self._close()

    def _idle(self) -> None:
        if self._writer or self._writers_waiting:
            return
        if self.linger <= 0:
            self._close()
            return
        self._idle_since = time.monotonic()
        if self._timer is None:
            self._schedule(self.linger)

    def _schedule(self, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._cond:
            self._timer = None
            if self._readers or self._writer or self._opening or self._con is None:
                return
            left = self._idle_since + self.linger - time.monotonic()
            if left > 0:
                self._schedule(left)
            else:
                self._close()

    def _close(self) -> None:
        if self._con is not None:
            with contextlib.suppress(duckdb.Error):
                self._con.close()
        self._con, self._mode = None, None


@atexit.register
def _close_all() -> None:
    """Close what lingers when the process ends (DuckDB's bindings complain about connections left open)."""
    for access in list(Access._all.values()):
        with access._cond:
            access._close()

