"""Helpers shared by test modules: the command line run as a user runs it, fixture folders, users and
sign-ins for page tests, a test's own copy of a database. Fixtures live in ``conftest.py``; plain functions
and constants live here, so a test module never imports another test module (or a conftest) for them."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

from metrics.storage import sign_in as signing
from metrics.storage import users
from metrics.storage.store import Store
from ui.auth import TOKEN

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
PASSWORD = "mật khẩu thử nghiệm"
SHORT_WAIT = {"KPI_LOCK_WAIT": "1"}  # a held file is reported after one second, not the usual ten


def cli(*args, db=None, check=True, env=None):
    """``python -m metrics ARGS [--db DB]`` in a subprocess from the checkout; asserts success when ``check``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    command = [sys.executable, "-m", "metrics", *map(str, args)]
    if db is not None:
        command += ["--db", str(db)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def run_cli(*args, db=None, check=True, env=None, stdin=None) -> subprocess.CompletedProcess:
    """``python -m metrics ARGS [--db DB]`` through ``metrics.cli.main`` in this process, with the same result
    record as ``cli``: for a test that needs what a command does or says, not how a process ends (exit code of
    an uncaught error, traceback, start-up), which ``cli`` keeps testing. Saves the ~2 s start of a process.
    ``env`` holds variables set for the command alone (``None`` removes one); ``stdin`` is its standard input."""
    from metrics.cli import main

    argv = [*map(str, args), *(["--db", str(db)] if db is not None else [])]
    out, err = io.StringIO(), io.StringIO()
    mask = os.umask(0o022)
    os.umask(mask)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _environment(env or {}), \
                _standard_input(stdin):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.umask(mask)  # main() makes the process's files private: not the test process's
    done = subprocess.CompletedProcess([sys.executable, "-m", "metrics", *argv], code, out.getvalue(), err.getvalue())
    if check:
        assert done.returncode == 0, done.stderr
    return done


@contextlib.contextmanager
def _environment(changes: dict[str, str | None]):
    """The process's environment with ``changes`` (a ``None`` value removes the variable), put back after."""
    with mock.patch.dict(os.environ, {name: str(value) for name, value in changes.items() if value is not None}):
        for name in [name for name, value in changes.items() if value is None]:
            os.environ.pop(name, None)
        yield


def _standard_input(text: str | None):
    return contextlib.nullcontext() if text is None else mock.patch.object(sys, "stdin", io.StringIO(text))


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def copy_database(template: Path, folder: Path, name: str = "kpi.duckdb") -> Path:
    """A test's own database: a copy of one built once (building takes seconds, a copy milliseconds)."""
    path = folder / name
    shutil.copy(template, path)
    return path


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


def texts(at) -> str:
    """Every text element of an AppTest page, Markdown escapes removed."""
    return "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader,
                                             *at.info, *at.warning]).replace("\\", "")


def open_copy(template: Path, folder: Path, name: str = "kpi.duckdb") -> Store:
    """An open store on the test's own copy of ``template`` (the caller closes it)."""
    return Store.open(copy_database(template, folder, name))


def assert_last_import_undoes(path) -> None:
    """An upgraded database goes on: the undo of its last import in force takes that import's values out."""
    from metrics.ingest import intake
    from metrics.storage.store import Store

    store = Store.open(path)
    try:
        last = store.rows("SELECT max(id) FROM batches WHERE kind = 'import' AND rolled_back_by IS NULL")[0][0]
        intake.undo(store, last, user="test")
        assert store.rows("SELECT count(*) FROM current_values WHERE batch = ?", [last]) == [(0,)]
    finally:
        store.close()
