"""Shared fixtures: real DuckDB files built from small text files; users and sign-ins for page tests."""

import os
import shutil
from pathlib import Path

import pytest

from metrics.catalogue.loading import init_database
from metrics.storage import sign_in as signing
from metrics.storage import users
from metrics.storage.store import Store
from ui.auth import TOKEN

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
PASSWORD = "mật khẩu thử nghiệm"


def copy_database(template: Path, folder: Path) -> Path:
    """A test's own ``kpi.duckdb``: a copy of a database built once per module (building takes seconds)."""
    path = folder / "kpi.duckdb"
    shutil.copy(template, path)
    return path


@pytest.fixture
def mini_store(tmp_path):
    """A database built from tests/fixtures/mini: a province that merges in 2025, two districts."""
    store = init_database(tmp_path / "mini.duckdb", demo=True, data_dir=MINI)
    yield store
    store.close()


def add_user(path: Path, username: str, role: str, password: str = PASSWORD) -> None:
    """A user in the database file at ``path`` (closed again: the page under test opens it)."""
    store = Store.open(path)
    try:
        users.add(store, username, username.title(), role, password, by="test", source="cli")
    finally:
        store.close()


def sign_in(at, username: str) -> None:
    """Seed an ``AppTest`` session with the sign-in the cookie would carry (the database is ``$KPI_DB``):
    a real token, signed with the database's key, with the session version the user has now. AppTest
    sends no cookies, so it goes into the session's state, where it is checked exactly like a cookie."""
    store = Store.open(os.environ["KPI_DB"])
    try:
        at.session_state[TOKEN] = signing.token(users.get(store, username), users.cookie_key(store))
    finally:
        store.close()
