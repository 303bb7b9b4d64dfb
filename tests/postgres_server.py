"""A throwaway PostgreSQL 15 server for the tests: a cluster in a temporary folder, on a free local port,
reachable only through a Unix socket in that folder and 127.0.0.1, stopped and deleted at the end.

``./scripts/test`` installs Debian's ``postgresql`` when it is missing. Run as root, the server runs as the
``postgres`` account (``initdb`` refuses root); otherwise as the current user.

    python -m tests.postgres_server        # start one, print its URL, stop it on Enter
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from metrics.storage.pg_backup import BIN_DIRS  # where Debian puts PostgreSQL 15's programs: one place

VI_COLLATION = "vi-VN-x-icu"


def bin_dir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are, or None when PostgreSQL is not installed."""
    for folder in BIN_DIRS:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """A running server: its data folder, port and the URL of its ``postgres`` database."""

    folder: Path
    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str = "template0") -> str:
        """A new database on this server, empty or a copy of the database ``template`` (a copy of a built
        database takes milliseconds, as a copied DuckDB file does); its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')
            con.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" ENCODING UTF8')
        return self.url(name)


def _as_owner(argv: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


@contextlib.contextmanager
def running(base: Path | None = None) -> Iterator[Server]:
    """Start a server for the block; stop it and delete its folder afterwards."""
    server = start(base)
    try:
        yield server
    finally:
        stop(server)


def start(base: Path | None = None) -> Server:
    """A new server in a new folder under ``base`` (the system's temporary folder by default); ``stop`` ends it."""
    binaries = bin_dir()
    if binaries is None:
        raise RuntimeError("PostgreSQL 15 is not installed: apt-get install -y postgresql (./scripts/test does it)")
    owner = _owner()
    folder = Path(tempfile.mkdtemp(prefix="kpi-pg-", dir=base))
    data = folder / "data"
    if owner:
        entry = pwd.getpwnam(owner)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    user = owner or pwd.getpwuid(os.geteuid()).pw_name
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    server = Server(folder, port, user)
    try:
        subprocess.run(_as_owner([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-E", "UTF8",
                                  "--locale-provider=libc", "--locale=C.UTF-8", "-U", user], owner), **quiet)
        options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        subprocess.run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                  str(folder / "server.log"), "-w", "start"], owner), **quiet)
        _check_collation(server)
    except BaseException:
        stop(server)
        raise
    return server


def stop(server: Server) -> None:
    """Stop the server (if it runs) and delete its folder."""
    data = server.folder / "data"
    binaries = bin_dir()
    if binaries is not None and (data / "postmaster.pid").exists():
        subprocess.run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                                 _owner()), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    shutil.rmtree(server.folder, ignore_errors=True)


def _owner() -> str | None:
    """The account the server runs as: ``postgres`` when we are root (``initdb`` refuses root), else us."""
    return "postgres" if os.geteuid() == 0 else None


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """The run's lock on its shared server (held while one process starts it, builds a template or stops it)."""
    with open(root / "postgres.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def shared(root: Path) -> Server:
    """The one server of a test run whose processes share the folder ``root`` (pytest-xdist's workers share
    their run's base temporary folder): the first process that asks starts it, the others find it there.
    It runs until ``stop_shared(root)``, which the run's first process calls at its end."""
    state = root / "postgres.json"
    with _locked(root):
        if state.exists():
            found = json.loads(state.read_text(encoding="utf-8"))
            return Server(Path(found["folder"]), int(found["port"]), str(found["user"]))
        server = start()
        _make_server_wide_role(server)
        state.write_text(json.dumps({"folder": str(server.folder), "port": server.port, "user": server.user}),
                         encoding="utf-8")
        return server


def _make_server_wide_role(server: Server) -> None:
    """The role of scoped writes belongs to the server, not to a database: the first migration on a server makes
    it, and two workers migrating their first databases at the same moment would both try (one fails with a
    duplicate role). Made once here, by the migration's own statement, before any worker migrates."""
    import psycopg

    from metrics.storage.migrations import SCOPED_ROLE_MADE

    with psycopg.connect(server.url(), autocommit=True) as con:
        con.execute(SCOPED_ROLE_MADE)


def stop_shared(root: Path) -> None:
    """Stop the run's shared server, if one was started under ``root``."""
    state = root / "postgres.json"
    if not state.exists():
        return
    with _locked(root):
        found = json.loads(state.read_text(encoding="utf-8"))
        stop(Server(Path(found["folder"]), int(found["port"]), str(found["user"])))
        state.unlink()


def built_once(server: Server, root: Path, name: str, build: Callable[[str], None]) -> str:
    """The database ``name`` on the run's shared server, built by ``build(url)`` by the first process that
    asks (the others wait for it and find it built); its name."""
    done = root / f"postgres-{name}.built"
    with _locked(root):
        if not done.exists():
            build(server.create_database(name))
            done.touch()
    return name


def _check_collation(server: Server) -> None:
    """Vietnamese names sort by the ICU collation the PostgreSQL engine uses: it must exist (ICU build)."""
    import psycopg

    with psycopg.connect(server.url()) as con:
        found = con.execute("SELECT count(*) FROM pg_collation WHERE collname = %s", [VI_COLLATION]).fetchone()
        if not found or not found[0]:
            raise RuntimeError(f"PostgreSQL has no collation {VI_COLLATION!r} (built without ICU?)")


if __name__ == "__main__":
    with running() as started:
        print(started.url(), flush=True)
        input("Enter stops the server. ")
