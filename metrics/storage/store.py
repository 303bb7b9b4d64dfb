"""The one module that holds the SQL: reads of the catalogue and observations, batch writes, undo.

Observations are value versions, never deleted; the only change a version sees is being closed
(``replaced_by``: the batch that replaced it) or opened again by an undo. Every import is a batch; the
value of a cell (unit × indicator × year) is the one from the newest batch that has not been rolled back,
which is its one open version (the ``current_values`` view). A rollback is itself a batch, so the state
after any batch can be shown again ("as of").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import threading
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from metrics.domain.records import Plan
from metrics.storage import db, dialect, migrations, postgres, rollups
from metrics.vocabulary.errors import UserError

OBSERVATION_COLUMNS = ["unit", "indicator", "year", "value", "numerator", "denominator",
                       "source", "note", "provenance"]
VALUE_BATCH_KINDS = ("published", "illustrative", "import")


def _live_batches(as_of: int | None, approved: bool = False) -> tuple[str, list]:
    """SQL condition (on alias ``b``) for the batches in force after batch ``as_of`` (None = now);
    ``approved``: of those, only the approved ones."""
    only = " AND b.approved_at IS NOT NULL" if approved else ""
    if as_of is None:
        return "b.rolled_back_by IS NULL" + only, []
    return "b.id <= ? AND (b.rolled_back_by IS NULL OR b.rolled_back_by > ?)" + only, [as_of, as_of]


class Store:
    """A DuckDB database of units, plans, targets and observation versions.

    The store holds no connection of its own: each unit of work takes one from the file's ``Access`` —
    ``cursor()`` to read, ``transaction()`` to write, ``reading()`` to hold the data still over a longer
    read (a page, a report). Between them the file is free for other processes.
    """

    def __init__(self, access: db.Access | postgres.Access, read_only: bool = False):
        self.access = access
        self.path = access.path
        self.read_only = read_only

    @classmethod
    def open(cls, path: str | Path | None = None, read_only: bool = False) -> Store:
        """The database at ``path`` (a DuckDB file, or a ``postgresql://`` URL), opened once to check it (and
        migrated, unless read-only)."""
        where = db.location(path) if path else db.location()
        if isinstance(where, str):
            return cls._open_postgres(where, read_only)
        path = where
        store = cls(db.Access.of(path), read_only)
        if read_only:
            with store.access.reading():
                pass
        elif not path.exists() or store._pending_migrations():
            with store.access.writing() as con:
                migrations.migrate(con)
        return store

    @classmethod
    def _open_postgres(cls, url: str, read_only: bool) -> Store:
        store = cls(postgres.Access.of(url), read_only)
        if read_only:
            if not postgres.has_tables(url):  # reached, but never made: as a missing DuckDB file
                raise db.missing(url)
        elif store._pending_migrations():
            with store.access.writing() as con, postgres.advisory_lock(con, postgres.MIGRATIONS_LOCK, 600):
                migrations.migrate(con)  # (one process at a time: the second finds them applied)
        return store

    @property
    def engine(self) -> str:
        """``duckdb`` or ``postgresql``: the few SQL spellings that differ ask (``metrics.storage.dialect``)."""
        return "postgresql" if isinstance(self.access, postgres.Access) else "duckdb"

    def _pending_migrations(self) -> bool:
        with self.access.reading() as con:
            return migrations.pending(con)

    def close(self) -> None:
        """Free the file now if nothing else in this process is using it."""
        self.access.release()

    @contextlib.contextmanager
    def cursor(self):
        """A cursor per unit of work: DuckDB connections must not be shared between threads."""
        with self.access.reading() as con:
            cur = con.cursor()
            try:
                yield cur
            finally:
                cur.close()

    @contextlib.contextmanager
    def reading(self):
        """Hold the database for a longer read: nothing changes under it (another process cannot write,
        a write in this process waits) unless the same thread writes meanwhile."""
        with self.access.reading():
            yield self

    @contextlib.contextmanager
    def transaction(self):
        """A cursor in one write transaction: everything is written, or nothing."""
        if self.read_only:
            raise RuntimeError(f"{self.path} was opened read-only")
        with self.access.writing() as con, db.transaction(con) as cur:
            yield cur

    @contextlib.contextmanager
    def queued_transaction(self):
        """``transaction()`` for a value write (an import, an undo): on PostgreSQL, writers from any process
        queue for one advisory lock, and each begins its snapshot once the one before it has committed, so
        imports of different provinces all land (each rolls up the national figures over the other's values)
        instead of failing on the shared roll-ups. Yields the cursor and whether it waited for another writer.
        On DuckDB the same as ``transaction()`` (one writing process), never waited."""
        if self.engine != "postgresql":
            with self.transaction() as cur:
                yield cur, False
            return
        with self.access.writing() as con:
            con.end_snapshot()  # (a read's snapshot held by the page run: not kept open while the writer queues)
            try:
                with (postgres.advisory_lock(con, postgres.VALUE_WRITES_LOCK, postgres.WRITE_WAIT) as waited,
                      self.transaction() as cur):
                    yield cur, waited
            finally:
                con.after_write()  # (the page run's reads go on in a snapshot of their own, also after a wait given up)

    def frame(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).df()

    def arrow(self, sql: str, params: list | None = None) -> pa.Table:
        """The result as an Arrow table: on DuckDB straight from the engine (1.3 M grassroots values: a third less
        memory and CPU than ``.df()``), on PostgreSQL from its frame."""
        with self.cursor() as cur:
            if isinstance(cur, duckdb.DuckDBPyConnection):
                return cur.sql(sql, params=params or None).to_arrow_table()
            return pa.Table.from_pandas(cur.execute(sql, params or []).df(), preserve_index=False)

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).fetchall()

    # --- catalogue ------------------------------------------------------------------------------

    def plans(self, year: int | None = None) -> pd.DataFrame:
        """Every plan, the one a person expects by default first: in force in ``year`` (default: this year;
        else the nearest in time), then the widest scope (the level of its unit: the nation, a province, an
        upper-level union), the longest term, the latest start."""
        year = int(year or dt.date.today().year)
        return self.frame("""
            SELECT p.* FROM plans p
            LEFT JOIN (SELECT code, min(CASE level WHEN 'national' THEN 0 WHEN 'province' THEN 1
                                                   WHEN 'upper' THEN 2 ELSE 3 END) AS scope
                       FROM units GROUP BY code) u ON u.code = p.unit
            ORDER BY CASE WHEN $year < p.start_year THEN p.start_year - $year
                          WHEN $year > p.end_year THEN $year - p.end_year ELSE 0 END,
                     coalesce(u.scope, 9), p.end_year - p.start_year DESC, p.start_year DESC, p.code""",
                          {"year": year})

    def plan(self, code: str) -> Plan:
        found = self.frame("SELECT * FROM plans WHERE code = ?", [code])
        if found.empty:
            known = ", ".join(self.plans()["code"]) or "—"
            raise UserError("unknown-plan", f"Không có kế hoạch “{code}”. Các kế hoạch hiện có: {known}.",
                            f"There is no plan “{code}”. Known plans: {known}.")
        return Plan.from_row(found.iloc[0].to_dict())

    def chosen_plan(self, code: str | None) -> str:
        """``code``, else the default plan; "None" in a database without plans (``plan`` then says none is known)."""
        return str(code or self.default_plan())

    def default_plan(self) -> str | None:
        """The plan in force with the widest scope (see ``plans``)."""
        plans = self.plans()
        return None if plans.empty else str(plans.iloc[0]["code"])

    def targets(self, plan: str) -> pd.DataFrame:
        return self.frame("SELECT * FROM targets WHERE plan = ? ORDER BY sort_order, code", [plan])

    def quotas(self, plan: str | None = None) -> pd.DataFrame:
        """The units' quotas of the plan's targets (every plan's, without ``plan``)."""
        if plan is None:
            return self.frame("SELECT * FROM target_quotas ORDER BY plan, target, unit")
        return self.frame("SELECT * FROM target_quotas WHERE plan = ? ORDER BY target, unit", [plan])

    def indicators(self) -> pd.DataFrame:
        return self.frame("SELECT * FROM indicators ORDER BY code")

    def unit_periods(self, codes: list[str] | None = None) -> pd.DataFrame:
        """Every unit period, with its rank in Vietnamese (``COLLATE vi``) and English name order; with ``codes``,
        only the periods of those units and of the units directly below them (a plan's line, ranked among
        themselves). On DuckDB read through Arrow (the nation's 264,000 periods: half the CPU and memory of
        ``.df()``), as the same frame ``.df()`` gives."""
        where, params = "", []
        if codes is not None:
            within, joined = dialect.of(self), "|".join(sorted(codes))
            where, params = f"WHERE {within.in_codes('?', 'code')} OR {within.in_codes('?', 'parent')}", [joined, joined]
        with self.cursor() as cur:
            if isinstance(cur, duckdb.DuckDBPyConnection):
                # each distinct name ranked once, not each period carried whole through two sorts (the nation's
                # 264,000 periods hold 134,000 names: 0.6 s of the nation's status); ``dense_rank`` over the
                # distinct names gives the same numbers, peers being those the collation finds equal
                sql = f"""
                    WITH u AS (SELECT * FROM units {where}),
                    vi AS (SELECT name_vi AS name, dense_rank() OVER (ORDER BY name_vi COLLATE vi) AS rank_vi
                           FROM (SELECT DISTINCT name_vi FROM u) n),
                    en AS (SELECT name_en AS name, dense_rank() OVER (ORDER BY name_en COLLATE en) AS rank_en
                           FROM (SELECT DISTINCT name_en FROM u) n)
                    SELECT u.*, vi.rank_vi, en.rank_en FROM u
                    JOIN vi ON vi.name IS NOT DISTINCT FROM u.name_vi JOIN en ON en.name IS NOT DISTINCT FROM u.name_en
                    ORDER BY code, valid_from"""
                return frame_of(cur.sql(sql, params=params or None).to_arrow_table())
            sql = f"""
                SELECT *, dense_rank() OVER (ORDER BY name_vi COLLATE vi) AS rank_vi,
                          dense_rank() OVER (ORDER BY name_en COLLATE en) AS rank_en
                FROM (SELECT * FROM units {where}) u ORDER BY code, valid_from"""
            return cur.execute(sql, params).df()

    def period_totals(self) -> pd.DataFrame:
        return self.frame("SELECT * FROM period_totals ORDER BY unit, indicator, from_year")

    # --- observations ---------------------------------------------------------------------------

    def observations(self, indicators: list[str] | None = None, as_of: int | None = None,
                     units: list[str] | None = None) -> pd.DataFrame:
        """The value in force of every cell (optionally as it was right after batch ``as_of``)."""
        sql, params = in_force_sql(as_of, indicators=indicators, units=units)
        return self.frame(f"{sql} ORDER BY o.indicator, o.unit, o.year", params)

    def batches(self) -> pd.DataFrame:
        return self.frame("SELECT * FROM batches ORDER BY id")

    def waiting(self, as_of: int | None = None) -> list[int]:
        """The imports not approved (now) in force right after batch ``as_of`` (None: now): what an approved-only
        view leaves out, and what marks a figure provisional. One undone since without approval was in force
        then, unapproved: it counts."""
        if as_of is None:
            return [int(b) for (b,) in self.rows("SELECT id FROM provisional_batches ORDER BY id")]
        live, params = _live_batches(as_of)
        return [int(b) for (b,) in self.rows(
            f"SELECT b.id FROM batches b WHERE b.id IN ({rollups.UNAPPROVED}) AND {live} ORDER BY b.id",
            params)]

    def data_version(self) -> tuple:
        """Changes whenever anything a page shows could have changed (for caches)."""
        with self.cursor() as cur:
            return data_version(cur)

    def change_stamp(self) -> tuple[int, int]:
        """Two counters that every write a page could show bumps in its own transaction, from any process: value
        batches and undos (``value_writes``), units, plans, indicators and targets (``catalogue_version``). Two
        one-row tables read in one statement: cheap enough for every page run of every dashboard process, where
        ``data_version`` counts over ``batches``."""
        with self.cursor() as cur:
            return change_stamp(cur)

    def is_empty(self) -> bool:
        return self.rows("SELECT count(*) FROM plans")[0][0] == 0


class CursorStore(Store):
    """The store as one cursor sees it: its transaction, its temporary tables. Threads take turns."""

    def __init__(self, store: Store, cur):
        super().__init__(store.access, store.read_only)
        self._cur = cur
        self._lock = threading.Lock()

    @property
    def engine(self) -> str:
        """The cursor's engine: a check on PostgreSQL runs on a private DuckDB (``metrics.ingest.scratch``)."""
        return dialect.of(self._cur).name

    @contextlib.contextmanager
    def cursor(self):
        with self._lock:
            yield self._cur


def frame_of(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as DuckDB's ``.df()`` makes it: text as pandas' ``str`` (NaN missing), a text column with no
    value as objects (None), days as ``datetime64[us]``."""
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get,
                            date_as_object=False)
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_string(column.type) and column.null_count == len(column):
            frame[name] = pd.Series([None] * len(column), index=frame.index, dtype=object)
        elif pa.types.is_date(column.type):
            frame[name] = frame[name].astype("datetime64[us]")
    return frame


def in_force_sql(as_of: int | None = None, *, indicators: list[str] | None = None,
                 units: list[str] | None = None, series: str | None = None,
                 years: list[int] | None = None, approved: bool = False) -> tuple[str, list]:
    """A SELECT of the observation in force for every cell (alias ``o``), and its parameters.

    ``series`` names a relation with distinct ``unit, indicator`` pairs visible to the cursor that runs
    the query (an import's staging table): only those series are read. ``years``: only those years.
    ``approved`` (with ``as_of``): the state after batch ``as_of`` over the approved batches only, each cell as
    its newest approved batch then in force left it (now: the kept overlay ``approved_values`` says the same).
    """
    if approved and as_of is None:
        raise ValueError("the approved values in force now are the view approved_values")
    filters, params = [], []
    if years is not None:  # constants, not a parameter: DuckDB then skips other years' row groups
        filters.append(f"o.year IN ({', '.join(str(int(y)) for y in years) or 'NULL'})")
    for column, wanted in (("indicator", indicators), ("unit", units)):
        if wanted is not None:
            filters.append(f"o.{column} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(wanted))
    join = f"JOIN {series} k ON o.unit = k.unit AND o.indicator = k.indicator" if series else ""
    columns = "o.unit, o.indicator, o.year, o.value, o.numerator, o.denominator, o.source, o.note, o.provenance, o.batch"
    if as_of is None:  # the values in force now: the open versions (the view current_values)
        where = f"WHERE {' AND '.join(filters)}" if filters else ""
        return f"SELECT {columns} FROM current_values o {join} {where}", params
    live, live_params = _live_batches(as_of, approved)
    where = " AND ".join([live, *filters])
    return f"""
        SELECT {columns} FROM (
            SELECT {columns}, row_number() OVER (PARTITION BY o.unit, o.indicator, o.year ORDER BY o.batch DESC) AS nth
            FROM observations o JOIN batches b ON o.batch = b.id {join}
            WHERE {where}) o
        WHERE o.nth = 1""", live_params + params


def data_version(cur) -> tuple:
    """``Store.data_version`` read in the caller's cursor (so inside its transaction)."""
    # (the second: every undo and every approval adds one to it)
    return tuple(cur.execute("""SELECT (SELECT coalesce(max(id), 0) FROM batches),
                                       (SELECT count(rolled_back_by) + count(approved_at) FROM batches),
                                       (SELECT max(version) FROM catalogue_version),
                                       (SELECT count(*) FROM schema_migrations)""").fetchall()[0])


# PostgreSQL plans the roll-ups from its statistics of ``observations``, which nothing refreshes inside the
# transaction: after 100,000 values written into a new database it still counted none, joined them row by row,
# and the roll-up of a generated file ran for minutes (killed after 5). ``ANALYZE`` (a sample) sees the
# transaction's own rows.
ANALYZE_AFTER = 10_000


def limit_writes_to(cur, scope: str | None) -> None:
    """In the caller's transaction, on PostgreSQL: the rest of it runs as the role ``kpi_scoped`` with
    ``kpi.scope`` = ``scope``, so the database refuses a value of a unit outside the scope's subtree
    (row-level security, migration 0019), whatever the program checked. No scope, or DuckDB: nothing."""
    if not scope or not dialect.of(cur).postgres:
        return
    cur.execute("SELECT set_config('kpi.scope', ?, true)", [scope])
    cur.execute(f"SET LOCAL ROLE {migrations.SCOPED_ROLE}")


def change_stamp(cur) -> tuple[int, int]:
    """``Store.change_stamp`` read in the caller's cursor."""
    writes, catalogue = cur.execute("SELECT (SELECT max(count) FROM value_writes), "
                                    "(SELECT max(version) FROM catalogue_version)").fetchall()[0]
    return int(writes or 0), int(catalogue or 0)


def write_batch(cur, frame: pd.DataFrame | str, kind: str, *, file_name: str | None = None,
                sha256: str | None = None, user: str | None = None, note: str | None = None,
                replaces: bool = True, provisional: bool = False, in_order: str | None = None) -> int:
    """Record a batch and its observation versions in the caller's transaction; return the batch id.

    ``frame`` has the columns of ``OBSERVATION_COLUMNS`` (``provenance`` may be missing: it then
    follows the batch kind, ``import`` → ``imported``). It may also be the name of a table or view
    with those columns, visible to ``cur`` (an import stages millions of rows there, not in pandas).
    The versions in force of the same cells are closed (``replaced_by`` = the new batch) and the new ones
    appended open: each value is written once. ``replaces=False``: the caller knows no cell has a value
    yet (an import whose check found only new cells), and the search for versions to close is skipped.
    ``provisional``: the batch waits for an approver (``approve_batch``); otherwise it is approved as it is
    written (the shipped figures, a catalogue's published values). ``in_order``: the name of a relation holding
    the rows of ``frame`` in (indicator, year, unit) order, written as they come instead of ``frame`` sorted (an
    import sorts its cells before putting their codes and long texts back, ``preview.written_sql``).
    """
    if kind not in VALUE_BATCH_KINDS:
        raise ValueError(f"unknown batch kind {kind!r}")
    default_provenance = "imported" if kind == "import" else kind
    if isinstance(frame, str):
        source, count = frame, cur.execute(f"SELECT count(*) FROM {frame}").fetchall()[0][0]
    else:
        rows = frame.copy()
        for column in OBSERVATION_COLUMNS:
            if column not in rows:
                rows[column] = None
        source, count = "incoming_observations", len(rows)
        dialect.stage(cur, source, rows[OBSERVATION_COLUMNS], like="observations")
    _serialise(cur)
    batch = cur.execute(
        "INSERT INTO batches (kind, file_name, sha256, rows, user_name, note, approved_at, approved_by) "
        "VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? THEN NULL ELSE now() END, CASE WHEN ? THEN NULL ELSE ? END) RETURNING id",
        [kind, file_name, sha256, count, user, note, provisional, provisional, user]).fetchall()[0][0]
    if replaces:
        _close_versions(cur, source, batch)
    # On DuckDB in (indicator, year, unit) order, as migration 0024 stored the values before: a file comes unit by
    # unit, and a target's read of its indicator then skips the blocks of the others (DuckDB's ranges per block).
    # PostgreSQL reads every page of the table whatever their order: no sort there.
    order = "" if dialect.of(cur).postgres or in_order else "ORDER BY indicator, year, unit"
    cur.execute(f"""
        INSERT INTO observations (unit, indicator, year, value, numerator, denominator, source, note,
                                  provenance, batch, replaced_by)
        SELECT unit, indicator, year, value, numerator, denominator, source, note,
               coalesce(provenance, ?), ?, NULL
        FROM {in_order or source} {order}""", [default_provenance, batch])
    if source == "incoming_observations":
        dialect.unstage(cur, source)
    if dialect.of(cur).postgres and count >= ANALYZE_AFTER:
        cur.execute("ANALYZE observations")
    rollups.apply_batch(cur, batch)
    return batch


def _close_versions(cur, source: str, batch: int) -> None:
    """The versions in force of the cells of ``source`` are replaced by ``batch``. The source's years are
    given as constants, so DuckDB skips the blocks of other years before joining."""
    years = [int(y) for (y,) in cur.execute(f"SELECT DISTINCT year FROM {source}").fetchall() if y is not None]
    if not years:
        return
    cur.execute(f"""
        UPDATE observations o SET replaced_by = ?
        FROM (SELECT DISTINCT unit, indicator, year FROM {source}) k
        WHERE o.replaced_by IS NULL AND o.year IN ({", ".join(map(str, years))})
          AND o.unit = k.unit AND o.indicator = k.indicator AND o.year = k.year""", [batch])


def _serialise(cur) -> None:
    """Value writes go one at a time: a second transaction writing batches at the same moment conflicts
    here (DuckDB raises on commit or at once), instead of both writing against what each had read."""
    cur.execute("UPDATE value_writes SET count = count + 1")


def rollback_batch(cur, batch: int, user: str | None = None) -> int:
    """Undo one value batch: its cells fall back to what they were, later batches stay in force.

    Its versions still in force are closed by the rollback, and the newest version of each of those cells
    whose batch is still in force is opened again (a cell the batch created has none: it goes)."""
    found = value_batch(cur, batch)
    if found["rolled_back_by"] is not None:
        raise UserError("already-rolled-back",
                        f"Đợt nhập {batch} đã được hoàn tác (bởi thao tác #{found['rolled_back_by']}).",
                        f"Batch {batch} was already rolled back (by #{found['rolled_back_by']}).")
    _serialise(cur)
    undo = cur.execute("INSERT INTO batches (kind, user_name, reverts, rows) VALUES ('rollback', ?, ?, 0) "
                       "RETURNING id", [user, batch]).fetchall()[0][0]
    cur.execute("UPDATE batches SET rolled_back_by = ? WHERE id = ?", [undo, batch])
    cur.execute("""CREATE OR REPLACE TEMP TABLE batch_cells AS
                   SELECT unit, indicator, year FROM observations WHERE batch = ? AND replaced_by IS NULL""", [batch])
    cur.execute("UPDATE observations SET replaced_by = ? WHERE batch = ? AND replaced_by IS NULL", [undo, batch])
    cur.execute("""
        UPDATE observations o SET replaced_by = NULL
        FROM (SELECT o.unit, o.indicator, o.year, max(o.batch) AS batch
              FROM observations o JOIN batch_cells k USING (unit, indicator, year)
              JOIN batches b ON b.id = o.batch
              WHERE b.rolled_back_by IS NULL GROUP BY o.unit, o.indicator, o.year) p
        WHERE o.unit = p.unit AND o.indicator = p.indicator AND o.year = p.year AND o.batch = p.batch""")
    rollups.revert_batch(cur, "batch_cells")
    cur.execute("DROP TABLE batch_cells")
    return undo


def value_batch(cur, batch: int) -> dict:
    """The value batch ``batch`` (kind, rolled_back_by, approved, approved_by), or the message that there is none.
    (Whether approved, not when: a TIMESTAMPTZ fetched from DuckDB needs pytz, which is not installed.)"""
    found = cur.execute("SELECT kind, rolled_back_by, approved_at IS NOT NULL, approved_by FROM batches WHERE id = ?",
                        [int(batch)]).fetchall()
    if not found or found[0][0] not in VALUE_BATCH_KINDS:
        raise UserError("unknown-batch", f"Không có đợt nhập số {batch}. Xem danh sách: python -m metrics history",
                        f"There is no import batch {batch}. See the list: python -m metrics history")
    return dict(zip(("kind", "rolled_back_by", "approved", "approved_by"), found[0]))


def approve_batch(cur, batch: int, user: str | None) -> None:
    """Approve a provisional batch: its figures count as approved from now on (the roll-ups of its indicator ×
    year pairs lose the provisional mark; the approved-only overlay is made again)."""
    found = value_batch(cur, batch)
    if found["rolled_back_by"] is not None:
        raise UserError("approve-rolled-back",
                        f"Đợt nhập {batch} đã được hoàn tác (thao tác #{found['rolled_back_by']}) nên không duyệt được.",
                        f"Batch {batch} was rolled back (operation #{found['rolled_back_by']}), so it cannot be approved.")
    if found["approved"]:
        by = found["approved_by"] or "—"
        raise UserError("already-approved", f"Đợt nhập {batch} đã được duyệt (bởi {by}); không cần duyệt lại.",
                        f"Batch {batch} is already approved (by {by}); there is nothing to approve again.")
    _serialise(cur)
    cur.execute("UPDATE batches SET approved_at = now(), approved_by = ? WHERE id = ?", [user, int(batch)])
    rollups.apply_batch(cur, int(batch))


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
