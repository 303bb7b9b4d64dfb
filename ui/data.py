"""The dashboard's access to the database: one connection per process, one scorecard per data version."""

from __future__ import annotations

import logging

import streamlit as st

from metrics import db
from metrics.loading import init_database
from metrics.scorecard import Scorecard
from metrics.store import Store

log = logging.getLogger("dashboard")


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """Open the database; on the very first start, build it from the shipped demo data."""
    path = db.default_path()
    if not path.exists():
        log.info("No database at %s: building it from the shipped data", path)
        return init_database(path, demo=True)
    return Store.open(path)


@st.cache_resource(show_spinner=False, max_entries=8)
def _scorecard(version: tuple, as_of: int | None) -> Scorecard:
    return Scorecard(store(), as_of=as_of)


def scorecard(as_of: int | None = None) -> Scorecard:
    """The scorecard for the data as it is now (or as of a batch), rebuilt when the data change."""
    return _scorecard(store().data_version(), as_of)
