"""The dashboard's access to the database: one store per process, one scorecard per data version.

The store holds no connection between page runs: a run reads through a shared read-only connection
(``reading``), a write opens the file for writing only for its own moment, and an idle dashboard leaves the
file free, so the command line can read and write while the dashboard runs (``metrics.storage.db.Access``).
"""

from __future__ import annotations

import logging
import os

import pandas as pd
import streamlit as st

from metrics.catalogue.loading import init_database
from metrics.domain.organisation import Organisation
from metrics.ingest import templates
from metrics.judging.scorecard import Scorecard
from metrics.storage import db, dialect
from metrics.storage.store import Store

log = logging.getLogger("dashboard")


def builds_demo() -> bool:
    """Whether a missing database is built from the shipped An Giang demo: only the demo's own file
    (``data/kpi.duckdb``, no ``KPI_DB``) or when asked for (``KPI_DEMO=1``). Any other federation's
    database is made with its own files, never filled with An Giang's."""
    wanted = os.environ.get("KPI_DEMO", "").strip().lower() in ("1", "true", "yes", "on")
    where = db.location()
    return wanted or (not isinstance(where, str) and where.resolve() == db.DEFAULT_DB.resolve())


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """Open the database; on the very first start of the demo (no file at all), build it from the shipped data.

    A file that exists but cannot be opened (damaged, another version, held by another program) raises
    the error that says what to do; it is never replaced by a new database. Nothing is cached on failure,
    so the next visit tries again (after the lock is freed or a backup restored).
    """
    db.private_files()
    path = db.location()  # a DuckDB file, or a postgresql:// URL (docs/storage.md)
    if not db.exists(path):
        if not builds_demo():
            raise db.missing(path)
        log.info("No database at %s: building it from the shipped demo data", path)
        init_database(path, demo=True).close()
    try:
        return Store.open(path)
    except Exception as exc:
        log.error("Cannot open the database %s: %s", db.shown(path), getattr(exc, "en", exc))
        raise


def reading():
    """Hold the data still for one page run: a read lease on the database for the whole run."""
    return store().reading()


@st.cache_resource(show_spinner=False, max_entries=8)
def _scorecard(version: tuple, as_of: int | None, approved_only: bool = False) -> Scorecard:
    return Scorecard(store(), as_of=as_of, org=organisation(version[2:], _units_fingerprint()),
                     approved_only=approved_only)


def _units_fingerprint() -> tuple:
    """What the units table holds, in one number (a restored backup may have the same catalogue version)."""
    row_hash = dialect.of(store()).row_hash("code, valid_from, valid_to, parent, successor, name_vi, name_en, sector, "
                                            "level, kind, official_code")
    return tuple(store().rows(f"SELECT count(*), sum({row_hash}) FROM units")[0])


@st.cache_resource(show_spinner=False, max_entries=2)
def organisation(catalogue: tuple, units: tuple) -> Organisation:
    """The units and their trees, kept across imports of figures: an import changes no unit, so the first page
    after it need not build the nation's trees again (~7 s at national scale). ``catalogue``: the catalogue's
    and the schema's version (``Store.data_version``'s last two), which a units load changes; ``units``: the
    units table's fingerprint."""
    return Organisation(store().unit_periods())


@st.cache_resource(show_spinner=False, max_entries=4)
def _data_version(stamp: tuple[int, int]) -> tuple:
    """``Store.data_version`` (which counts over ``batches``) read once per change stamp, not once per run."""
    return store().data_version()


def data_version() -> tuple:
    """The version of the data as they are now, noticed on the next run whichever process wrote them.

    Every dashboard process (there may be several behind a proxy, docs/scaling.md) keeps its own caches; a write
    from another process or the command line bumps a counter in the database (``Store.change_stamp``), which
    each run reads: one statement over two one-row tables. The full version is read only when it moved."""
    return _data_version(store().change_stamp())


def batches() -> pd.DataFrame:
    """The batches table (the as-of picker of every page lists them), read again only when the data change."""
    return _batches(data_version()).copy()


@st.cache_resource(show_spinner=False, max_entries=2)
def _batches(version: tuple) -> pd.DataFrame:
    return store().batches()


def scorecard(as_of: int | None = None, approved_only: bool = False) -> Scorecard:
    """The scorecard for the data as it is now (or as of a batch; or approved figures only), rebuilt when the
    data change.

    As of the newest batch is the data as they are now: one scorecard, not a second copy of the nation's
    organisation (the present page pins the newest batch by default). Approved only: of the data now, or of the
    state as of a batch (a presentation pinned approved only keeps it when a later import arrives)."""
    version = data_version()
    if as_of is not None and as_of >= version[0]:
        as_of = None
    return _scorecard(version, as_of, approved_only)


def template(plan: str, year: int, units: list[str] | None = None, lang: str = "vi",
             filled: bool = False, within: str | None = None) -> tuple[pd.DataFrame, bytes]:
    """The import template's rows for ``units`` (None: the plan's unit and its upper-level unions) and its CSV,
    kept with the scorecard of the data as they are now: building them took ~0.2 s of every visit to the import
    page. Shared by every session: nothing may change them."""
    def build() -> tuple[pd.DataFrame, bytes]:
        frame = templates.rows(store(), plan, year, units or None, lang, filled=filled, within=within)
        return frame, templates.as_csv(frame, lang)

    return scorecard().memo(("template", plan, year, tuple(units or ()), lang, filled, within), build)
