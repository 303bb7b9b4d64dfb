"""The dashboard's access to the database: one connection per process, one scorecard per data version."""

from __future__ import annotations

import logging

import streamlit as st

from metrics import db
from metrics.errors import UserError
from metrics.loading import init_database
from metrics.scorecard import Scorecard
from metrics.store import Store

log = logging.getLogger("dashboard")


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """Open the database; on the very first start (no file at all), build it from the shipped demo data.

    A file that exists but cannot be opened (damaged, another version, held by another program) raises
    the error that says what to do; it is never replaced by a new database. Nothing is cached on failure,
    so the next visit tries again (after the lock is freed or a backup restored).
    """
    db.private_files()
    path = db.default_path()
    if not path.exists():
        log.info("No database at %s: building it from the shipped data", path)
        return init_database(path, demo=True)
    try:
        return Store.open(path)
    except UserError as exc:
        log.error("Cannot open the database %s: %s", path, exc.en)
        raise


@st.cache_resource(show_spinner=False, max_entries=8)
def _scorecard(version: tuple, as_of: int | None) -> Scorecard:
    return Scorecard(store(), as_of=as_of)


def scorecard(as_of: int | None = None) -> Scorecard:
    """The scorecard for the data as it is now (or as of a batch), rebuilt when the data change.

    As of the newest batch is the data as they are now: one scorecard, not a second copy of the nation's
    organisation (the present page pins the newest batch by default)."""
    version = store().data_version()
    if as_of is not None and as_of >= version[0]:
        as_of = None
    return _scorecard(version, as_of)
