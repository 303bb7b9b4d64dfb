"""PostgreSQL as the second storage engine, behind the cursor API the store already uses with DuckDB.

``KPI_DB=postgresql://…`` (or ``--db postgresql://…``) chooses it; a file path keeps DuckDB. The seam is small
on purpose (docs/storage.md):

- ``Access`` gives each unit of work (``reading()``, ``writing()``) a connection of its own: PostgreSQL
  serialises writers itself, and no process holds a lock between units of work.
- ``Connection``/``Cursor`` offer the few DuckDB cursor calls the store makes: ``execute(sql, params)``
  returning the cursor, ``fetchall``, ``fetchone``, ``df``, ``begin``/``commit``/``rollback``,
  ``register``/``unregister`` (a pandas frame as a temporary table, sent with ``COPY … FROM STDIN``).
- ``translate`` rewrites the lexical differences only: ``?`` and ``$name`` parameters, ``%``, the type
  name ``DOUBLE``, ``COLLATE vi``/``en``, ``CREATE OR REPLACE TEMP TABLE``. What differs in meaning
  (QUALIFY, list functions, ``GROUP BY ALL``, ``BY NAME``, ``any_value`` …) is written once for both engines
  where SQL allows it, else asked of ``metrics.storage.dialect``.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pandas as pd

from metrics.vocabulary.errors import DatabaseUnreadable

VI_COLLATION = "vi-VN-x-icu"
EN_COLLATION = "en-US-x-icu"
TIME_ZONE = "Asia/Ho_Chi_Minh"
# ``prepare_threshold: None``: psycopg prepares a statement run five times on a connection, and ``DISCARD ALL``
# (a connection given back to the pool) drops it on the server while psycopg still counts it prepared: the
# next use failed ("prepared statement _pg3_0 does not exist") or the pool discarded the connection.
CONNECT: dict[str, Any] = {"autocommit": True, "options": f"-c TimeZone={TIME_ZONE}", "prepare_threshold": None}
# Connections a process keeps open to the server, lent to one unit of work at a time: opening one costs a few
# milliseconds, and a page run or a ``status`` makes hundreds of units of work.
POOL_SIZE = int(os.environ.get("KPI_DB_POOL", "8"))
# How long a unit of work waits for one of them when all are lent (a busy process), and how long a value write
# waits for the one before it (``queued``): past it, a message that the server is busy, not a traceback.
POOL_WAIT = float(os.environ.get("KPI_LOCK_WAIT", "30"))
WRITE_WAIT = float(os.environ.get("KPI_WRITE_WAIT", "300"))
# Keys of the advisory locks (``pg_advisory_lock``) this program takes: one value write at a time, one migration.
VALUE_WRITES_LOCK = 180_001
MIGRATIONS_LOCK = 180_002


def shown(url: str) -> str:
    """The URL without its password, for messages and the command line's output."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


# --- SQL: the lexical differences -----------------------------------------------------------------

_TOKENS = re.compile(r"""('(?:[^']|'')*')       # a string literal: left alone
                         |("(?:[^"]|"")*")      # a quoted identifier: left alone
                         |(\?)                  # a positional parameter
                         |\$([A-Za-z_]\w*)      # a named parameter
                         |(%)                   # psycopg's own marker, doubled
                         |\b(DOUBLE)\b(?!\s+PRECISION)
                         |\bCOLLATE\s+(vi|en)\b
                      """, re.VERBOSE | re.IGNORECASE)
_CREATE_OR_REPLACE = re.compile(r"^\s*CREATE\s+OR\s+REPLACE\s+TEMP(?:ORARY)?\s+TABLE\s+(\w+)", re.IGNORECASE)


def translate(sql: str) -> str:
    """DuckDB's spelling of a statement in PostgreSQL's (lexical differences only, see the module)."""
    def swap(found: re.Match) -> str:
        literal, quoted, positional, named, percent, double, collation = found.groups()
        if literal or quoted:  # left alone, but for psycopg's own marker
            return found.group(0).replace("%", "%%")
        if positional:
            return "%s"
        if named:
            return f"%({named})s"
        if percent:
            return "%%"
        if double:
            return "DOUBLE PRECISION"
        return f'COLLATE "{VI_COLLATION if collation.lower() == "vi" else EN_COLLATION}"'
    return _TOKENS.sub(swap, sql)


def _statements(sql: str) -> list[str]:
    """``CREATE OR REPLACE TEMP TABLE x AS …`` is two statements in PostgreSQL."""
    found = _CREATE_OR_REPLACE.match(sql)
    if not found:
        return [sql]
    return [f"DROP TABLE IF EXISTS {found.group(1)}",
            _CREATE_OR_REPLACE.sub(f"CREATE TEMP TABLE {found.group(1)}", sql, count=1)]


# --- values -------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """A value psycopg can send: numpy scalars become Python ones, NaN and NaT become NULL."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _params(params: Any) -> Any:
    if params is None:
        return None
    if isinstance(params, dict):
        return {k: _plain_param(v) for k, v in params.items()}
    return [_plain_param(v) for v in params]


def _plain_param(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return _plain(value)


# --- connections --------------------------------------------------------------------------------

class WriteConflict(Exception):
    """Two transactions wrote the same rows at once and this one lost (PostgreSQL's serialization failure or
    deadlock): nothing of it stays. The callers that write turn it into their message (as DuckDB's
    ``TransactionException``)."""


class OutsideScope(Exception):
    """Row-level security refused a scoped writer's row (migration 0019): a value outside their subtree."""


@contextlib.contextmanager
def _conflicts_named():
    import psycopg

    try:
        yield
    except (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected) as exc:
        raise WriteConflict(str(exc)) from exc
    except psycopg.errors.InsufficientPrivilege as exc:
        if "row-level security" in str(exc):
            raise OutsideScope(str(exc)) from exc
        raise


class Cursor:
    """The DuckDB cursor calls the store makes, on one PostgreSQL connection."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self._cur = connection.raw.cursor()

    def execute(self, sql: str, params: Any = None) -> Cursor:
        values = _params(params)
        *before, statement = _statements(translate(sql))
        with self._recovering(), _conflicts_named():
            for plain in before:  # (DROP TABLE IF EXISTS: no parameters)
                self._cur.execute(plain)
            # parameters always given, even none: psycopg then reads %% as %
            self._cur.execute(statement, values if values is not None else [])
        return self

    @contextlib.contextmanager
    def _recovering(self):
        """A statement that fails inside a read's snapshot leaves it usable (``Connection.after_failure``)."""
        try:
            yield
        except Exception:
            self.connection.after_failure()
            raise

    def fetchall(self) -> list[tuple]:
        return list(self._cur.fetchall()) if self._cur.description else []

    def fetchone(self) -> tuple | None:
        return self._cur.fetchone() if self._cur.description else None

    def df(self) -> pd.DataFrame:
        """The result as a frame with DuckDB's column types: integers stay integers unless they hold NULL
        (then float, NaN), reals are float, texts object, NUMERIC (PostgreSQL's sum of bigints) float."""
        names = [d.name for d in self._cur.description or []]
        types = [d.type_code for d in self._cur.description or []]
        rows = self._cur.fetchall() if self._cur.description else []
        frame = pd.DataFrame.from_records(rows, columns=names, coerce_float=True)
        for name, oid in zip(names, types, strict=True):
            frame[name] = _column(frame[name], oid)
        return frame

    def begin(self) -> None:
        """A write sees one snapshot and fails, rather than waits and goes on, when another transaction changed
        a row it changes (``value_writes``, ``catalogue_version``): as in DuckDB, the second writer is told. A
        read's snapshot held on the connection ends first: the write sees the newest data."""
        self.connection.end_snapshot()
        self._cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        self.connection.writing = True

    def commit(self) -> None:
        try:
            with _conflicts_named():
                self._cur.execute("COMMIT")
        finally:
            self.connection.after_write()

    def rollback(self) -> None:
        try:
            self._cur.execute("ROLLBACK")
        finally:
            self.connection.after_write()

    def register(self, name: str, frame: pd.DataFrame, like: str | None = None) -> None:
        """``frame`` as the temporary table ``name``, its columns typed as in table ``like`` (else from the
        frame's own types), its rows sent with ``COPY … FROM STDIN``."""
        columns = list(frame.columns)
        with self._recovering():
            self._cur.execute(f"DROP TABLE IF EXISTS {name}")
            if like:
                listed = ", ".join(f'"{c}"' for c in columns)
                self._cur.execute(f"CREATE TEMP TABLE {name} AS SELECT {listed} FROM {like} LIMIT 0")
            else:
                typed = ", ".join(f'"{c}" {_pg_type(frame[c])}' for c in columns)
                self._cur.execute(f"CREATE TEMP TABLE {name} ({typed})")
            listed = ", ".join(f'"{c}"' for c in columns)
            with self._cur.copy(f"COPY {name} ({listed}) FROM STDIN") as copy:
                for row in frame.itertuples(index=False, name=None):
                    copy.write_row([_plain(v) for v in row])

    def copy_out(self, copy_sql: str, path: str | Path) -> None:
        """``COPY … TO STDOUT`` into the file ``path`` on this machine (the server's ``COPY … TO 'file'`` would
        write on the server, as its own account)."""
        with self._recovering(), open(path, "wb") as out, self._cur.copy(copy_sql) as copy:
            for chunk in copy:
                out.write(chunk)

    def unregister(self, name: str) -> None:
        self._cur.execute(f"DROP TABLE IF EXISTS {name}")

    def close(self) -> None:
        self._cur.close()


_INTEGERS = {20: ("int64", "Int64"), 21: ("int16", "Int16"), 23: ("int32", "Int32")}  # int8, int2, int4
_REALS = {700, 701, 1700}  # float4, float8, numeric
_TEXTS = {25, 1043}  # text, varchar
_DATES = {1082}
_TIMESTAMPS = {1114, 1184}


def _column(column: pd.Series, oid: int) -> pd.Series:
    """A column typed as DuckDB's ``df()`` types it: INTEGER int32 (Int32 with NULLs), BIGINT int64, reals
    and NUMERIC float64, texts ``str`` (object when all NULL), TIMESTAMPTZ in the product's time zone."""
    if oid in _INTEGERS:
        plain, nullable = _INTEGERS[oid]
        return column.astype(nullable if column.isna().any() else plain)
    if oid in _REALS:
        return column.astype("float64")
    if oid in _TEXTS:
        return column if column.isna().all() else column.astype("str")
    if oid == 1184:
        return pd.to_datetime(column, utc=True).dt.tz_convert(TIME_ZONE)
    if oid in _TIMESTAMPS or oid in _DATES:
        return pd.to_datetime(column)
    if oid == 16 and not column.isna().any():  # boolean
        return column.astype(bool)
    return column


def _pg_type(column: pd.Series) -> str:
    kind = column.dtype.kind
    if kind == "b":
        return "BOOLEAN"
    if kind in "iu":
        return "BIGINT"
    if kind == "f":
        return "DOUBLE PRECISION"
    if kind == "M":
        return "TIMESTAMP"
    sample = column.dropna()
    first = sample.iloc[0] if len(sample) else None
    if isinstance(first, dt.datetime):
        return "TIMESTAMP"
    if isinstance(first, dt.date):
        return "DATE"
    if isinstance(first, (int, np.integer)):
        return "BIGINT"
    if isinstance(first, (float, np.floating)):
        return "DOUBLE PRECISION"
    return "VARCHAR"


class Connection:
    """One PostgreSQL connection in autocommit mode: a transaction is the cursor's ``begin``…``commit``.

    A read lease may hold a snapshot on it (``hold_snapshot``): its reads then run in one REPEATABLE READ
    transaction and see one state of the data, as a DuckDB file held for reading does (an import committed by
    another process meanwhile is in none of them). A write on the connection ends that snapshot first and
    begins a new one after its commit, so the reads after it see it."""

    def __init__(self, url: str, raw: Any = None):
        """A new connection to ``url``, or ``raw``, one lent by the pool."""
        import psycopg

        self.held = False  # a read lease wants its reads in one snapshot
        self.snapshot = False  # that snapshot's transaction is open
        self.writing = False  # a write's transaction is open
        if raw is not None:
            self.raw = raw
            return
        try:
            self.raw = psycopg.connect(url, **CONNECT)
        except psycopg.OperationalError as exc:
            raise unreachable(url, exc) from exc

    def cursor(self) -> Cursor:
        return Cursor(self)

    def execute(self, sql: str, params: Any = None) -> Cursor:
        return self.cursor().execute(sql, params)

    def hold_snapshot(self) -> None:
        self.held = True
        self._begin_snapshot()

    def _begin_snapshot(self) -> None:
        if self.held and not self.snapshot and not self.writing:
            self.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            self.snapshot = True

    def end_snapshot(self) -> None:
        """End the read's transaction (COMMIT keeps the temporary tables made in it; after a failed statement it
        rolls back)."""
        if self.snapshot:
            self.snapshot = False
            self.raw.execute("COMMIT")

    def release_snapshot(self) -> None:
        """The read lease ends: its snapshot too. A connection lost meanwhile says nothing more here (the read's
        own error, if any, is the one to hear; the pool drops a broken connection)."""
        self.held = False
        with self._unless_lost():
            self.end_snapshot()

    def after_write(self) -> None:
        self.writing = False
        self._begin_snapshot()

    def after_failure(self) -> None:
        """A statement failed inside the read's snapshot and the server aborted its transaction: PostgreSQL
        refuses every later statement of it, so the reads go on in a new one (the caller hears of the failure
        all the same). A failure the server never saw (a parameter Python could not send) leaves the snapshot
        as it was; a connection lost leaves the first error to be heard."""
        import psycopg

        if not self.snapshot or self.raw.closed:
            return
        if self.raw.info.transaction_status != psycopg.pq.TransactionStatus.INERROR:
            return
        self.snapshot = False
        with self._unless_lost():
            self.raw.execute("ROLLBACK")
            self._begin_snapshot()

    @contextlib.contextmanager
    def _unless_lost(self):
        """A statement that only tidies up: a connection lost meanwhile raises nothing more here."""
        import psycopg

        try:
            yield
        except psycopg.Error:
            if not self.raw.closed:
                raise

    def close(self) -> None:
        self.raw.close()


def unreachable(url: str, exc: Exception) -> DatabaseUnreadable:
    where = shown(url)
    return DatabaseUnreadable(
        "database-unreachable",
        f"Không kết nối được cơ sở dữ liệu PostgreSQL {where}: {str(exc).strip()}. Kiểm tra máy chủ đang chạy, "
        "địa chỉ, cổng, tên người dùng và tên cơ sở dữ liệu trong KPI_DB (hoặc --db).",
        f"Cannot connect to the PostgreSQL database {where}: {str(exc).strip()}. Check that the server is running "
        "and the host, port, user name and database name in KPI_DB (or --db).")


def busy(url: str) -> DatabaseUnreadable:
    where = shown(url)
    return DatabaseUnreadable(
        "database-busy",
        f"Máy chủ cơ sở dữ liệu {where} đang bận: cả {POOL_SIZE} kết nối của tiến trình này đều đang được dùng "
        f"sau {POOL_WAIT:g} giây chờ. Không có gì được ghi. Hãy thử lại sau ít phút (quản trị viên có thể tăng "
        "KPI_DB_POOL hoặc KPI_LOCK_WAIT).",
        f"The database server {where} is busy: all {POOL_SIZE} connections of this process were in use for "
        f"{POOL_WAIT:g} seconds. Nothing was written. Try again in a few minutes (an administrator may raise "
        "KPI_DB_POOL or KPI_LOCK_WAIT).")


@contextlib.contextmanager
def advisory_lock(con: Connection, key: int, wait: float | None = None):
    """Hold the session-level advisory lock ``key`` over the block (taken before any transaction begins, so
    the block's snapshot is taken after the holder before it committed); yields whether it had to wait.
    ``wait`` (seconds): past it, ``LockWaitTimeout``. Released at the end, and by ``DISCARD ALL`` in any case."""
    import psycopg

    waited = not con.execute("SELECT pg_try_advisory_lock(?)", [key]).fetchall()[0][0]
    if waited:
        con.execute(f"SET lock_timeout = '{int((wait or 0) * 1000)}ms'")
        try:
            con.execute("SELECT pg_advisory_lock(?)", [key])
        except psycopg.errors.LockNotAvailable as exc:
            raise LockWaitTimeout(str(exc)) from exc
        finally:
            con.execute("RESET lock_timeout")
    try:
        yield waited
    finally:
        con.execute("SELECT pg_advisory_unlock(?)", [key])


class LockWaitTimeout(Exception):
    """A writer waited longer than ``WRITE_WAIT`` for the one before it."""


class Access:
    """How this process uses one PostgreSQL database: each unit of work (``reading``, ``writing``) borrows a
    connection from the process's pool and gives it back after (its temporary tables and settings discarded).
    The server orders concurrent writers; no lock is held between units of work."""

    _all: dict[str, Access] = {}
    _all_lock = threading.Lock()

    @classmethod
    def of(cls, url: str) -> Access:
        with cls._all_lock:
            return cls._all.setdefault(url, cls(url))

    def __init__(self, url: str):
        self.path = url  # the store names its database by ``path``
        self.url = url
        self._held = threading.local()
        self._pool: Any = None
        self._pool_lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return getattr(self._held, "con", None) is not None

    @contextlib.contextmanager
    def reading(self):
        """A read lease: the outermost of a thread holds one snapshot over its block (``Connection``)."""
        outermost = getattr(self._held, "con", None) is None
        with self._lease() as con:
            if not outermost:
                yield con
                return
            con.hold_snapshot()
            try:
                yield con
            finally:
                con.release_snapshot()

    @contextlib.contextmanager
    def writing(self):
        """A write lease: the thread's connection (PostgreSQL has no file lock to take); a write's transaction
        ends the read's snapshot it may hold (``Cursor.begin``)."""
        with self._lease() as con:
            yield con

    @contextlib.contextmanager
    def _lease(self):
        """The thread's connection (nested leases share it, so a temporary table lives through the outer one)."""
        held = self._held
        if getattr(held, "con", None) is not None:
            yield held.con
            return
        from psycopg_pool import PoolTimeout

        pool = self._opened_pool()
        try:
            borrowed = pool.connection(timeout=POOL_WAIT)
            raw = borrowed.__enter__()
        except PoolTimeout as exc:  # every connection lent for POOL_WAIT seconds: busy, not unreachable
            raise busy(self.url) from exc
        except Exception as exc:  # the server went away since the pool opened
            raise unreachable(self.url, exc) from exc
        held.con = Connection(self.url, raw)
        try:
            yield held.con
        except BaseException as exc:
            held.con = None
            borrowed.__exit__(type(exc), exc, exc.__traceback__)
            raise
        held.con = None
        borrowed.__exit__(None, None, None)

    def _opened_pool(self):
        """The pool, opened on first use after one plain connection proved the server is there (a wrong URL
        then says why at once, rather than after the pool's wait)."""
        with self._pool_lock:
            if self._pool is None:
                from psycopg_pool import ConnectionPool

                Connection(self.url).close()
                self._pool = ConnectionPool(self.url, min_size=1, max_size=POOL_SIZE, kwargs=CONNECT,
                                            reset=_discard, open=True, name="kpi")
            return self._pool

    def set_memory_limit(self, limit: str) -> None:
        """DuckDB's memory cap has no meaning here (the server's own settings apply)."""

    def release(self) -> None:
        """Nothing is held between units of work (the pool's idle connections hold no lock)."""

    def close(self) -> None:
        with self._pool_lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


def _discard(raw) -> None:
    """A connection given back forgets its temporary tables and session settings (``DISCARD ALL``)."""
    raw.execute("DISCARD ALL")


@atexit.register
def _close_all() -> None:
    for access in list(Access._all.values()):
        access.close()


# The schema ``public`` dropped and made again as PostgreSQL 15 makes it: a bare ``CREATE SCHEMA public`` lacks
# the usage every role has on it, and the role of a scoped writer (``kpi_scoped``) then saw no table at all.
SCHEMA_RECREATED = ("DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public AUTHORIZATION pg_database_owner",
                    "GRANT USAGE ON SCHEMA public TO PUBLIC", "COMMENT ON SCHEMA public IS 'standard public schema'")


def reset(url: str) -> None:
    """Empty the database (``init --force``): every table, view and sequence of its ``public`` schema."""
    con = Connection(url)
    try:
        for sql in SCHEMA_RECREATED:
            con.execute(sql)
    finally:
        con.close()


def has_tables(url: str) -> bool:
    con = Connection(url)
    try:
        found = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").fetchall()
        return bool(found[0][0])
    finally:
        con.close()
