"""The product on one machine with several dashboard processes: PostgreSQL, N ``streamlit run dashboard.py``
processes on local ports and HAProxy in front of them (``deploy/haproxy.cfg``), started together and stopped
together. ``deploy/run`` runs ``main``; the browser test and ``benchmarks/load.py`` use the same pieces.

    deploy/run                          # PostgreSQL in deploy/state/, the demo if empty, 2 processes, port 8080
    deploy/run --processes 4 --port 80
    KPI_DB=postgresql://kpi:…@db.example/kpi deploy/run --processes 2     # a server of your own

Every process reads the same database and signs sign-in cookies with the same key (``KPI_COOKIE_KEY``, or the
file ``KPI_COOKIE_KEY_FILE``; made once in the state folder when neither is given), and Streamlit's own cookie
secret is shared too, so a browser the proxy moves to another process stays signed in.

A dashboard process that ends is started again on its port by ``deploy/run`` (``revive``: at most ``RESTARTS``
times within ``RESTART_WINDOW`` seconds, with a message each time); HAProxy routes around it meanwhile.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
STATE = HERE / "state"
START_WAIT = 90.0  # seconds a process may take to answer its health check (a cold start on a busy machine)
# deploy/run starts again a dashboard process that ends, on the same port (HAProxy's health check takes it back);
# one that ends more than RESTARTS times within RESTART_WINDOW seconds is left down, and deploy/run says so.
RESTARTS = 5
RESTART_WINDOW = 600.0


@dataclass
class Dashboard:
    """One dashboard process: its number (HAProxy's server ``d<number>``), port, address and log, the process
    running now, and when it ended before (for the limit on restarts)."""

    number: int
    port: int
    url: str
    log: Path
    command: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    exits: list[float] = field(default_factory=list)

    @property
    def given_up(self) -> bool:
        """Ended more than ``RESTARTS`` times within the window: left down (``revive`` no longer touches it)."""
        return len(self.exits) > RESTARTS

    def start(self) -> None:
        """Start the process (again), its output appended to its log, its pid in ``<log>.pid``."""
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.log.with_suffix(".pid").write_text(f"{self.process.pid}\n", encoding="ascii")


@dataclass(frozen=True)
class Stack:
    """What runs: the proxy's address (the one to give people), the database, and the processes (each with its
    own address; deploy/run restarts one that ends)."""

    url: str
    db: str
    processes: tuple[Dashboard, ...] = ()

    @property
    def backends(self) -> tuple[str, ...]:
        """Each dashboard process's own address."""
        return tuple(d.url for d in self.processes)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen | None = None, log: Path | None = None,
                 wait: float = START_WAIT) -> None:
    """Until ``url``/_stcore/health answers 200; a process that ends meanwhile, or no answer in time, raises."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url} ended with code {process.returncode} before it answered; see {log}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {wait:.0f} s; see {log}")


def stop(process: subprocess.Popen, wait: float = 20.0) -> None:
    """End one process we started: SIGTERM, then SIGKILL after ``wait`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- PostgreSQL ----------------------------------------------------------------------------------------------

@contextlib.contextmanager
def postgres(state: Path, port: int) -> Iterator[str]:
    """A PostgreSQL 15 cluster of our own in ``state/postgres`` (made on first use, kept across runs), listening on
    127.0.0.1:``port`` only, with a database ``kpi``; yields its URL and stops the server at the end. As root the
    server runs as the ``postgres`` account (``initdb`` refuses root). Local connections are trusted: for one
    machine; a shared server is given with ``KPI_DB`` instead."""
    if not (PG_BIN / "pg_ctl").exists():
        raise RuntimeError("PostgreSQL 15 is not installed: apt-get install -y postgresql")
    owner = "postgres" if os.geteuid() == 0 else None
    user = owner or pwd.getpwuid(os.geteuid()).pw_name
    folder = state / "postgres"
    data = folder / "data"

    def as_owner(*argv: str) -> list[str]:
        return ["runuser", "-u", owner, "--", *argv] if owner else list(argv)

    if not (data / "PG_VERSION").exists():
        folder.mkdir(parents=True, exist_ok=True)
        if owner:
            entry = pwd.getpwnam(owner)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        subprocess.run(as_owner(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-E", "UTF8",
                                "--locale-provider=libc", "--locale=C.UTF-8", "-U", user),
                       check=True, stdout=subprocess.DEVNULL)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(as_owner(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"),
                            "-w", "start"), check=True, stdout=subprocess.DEVNULL)
    try:
        import psycopg

        with psycopg.connect(f"postgresql://{user}@127.0.0.1:{port}/postgres", autocommit=True) as con:
            if not con.execute("SELECT 1 FROM pg_database WHERE datname = 'kpi'").fetchone():
                con.execute("CREATE DATABASE kpi TEMPLATE template0 ENCODING UTF8")
        yield f"postgresql://{user}@127.0.0.1:{port}/kpi"
    finally:
        subprocess.run(as_owner(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"),
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ensure_database(db: str, demo: bool) -> None:
    """``init`` (``--demo`` when asked) on a database that has no tables yet; a database in use is left alone."""
    from metrics.storage import db as databases

    location = db if db.startswith(("postgresql://", "postgres://")) else Path(db)
    if databases.exists(location):
        return
    subprocess.run([sys.executable, "-m", "metrics", "init", *(["--demo"] if demo else []), "--db", db],
                   cwd=ROOT, check=True)


# --- the shared secrets --------------------------------------------------------------------------------------

def shared_secrets(state: Path) -> dict[str, str]:
    """The environment every dashboard process shares: the sign-in key (``KPI_COOKIE_KEY``/``_FILE`` as given,
    else a key file made once in ``state``, mode 600) and Streamlit's cookie secret (its XSRF cookie), kept
    beside it."""
    state.mkdir(parents=True, exist_ok=True)
    shared = {}
    if not (os.environ.get("KPI_COOKIE_KEY") or os.environ.get("KPI_COOKIE_KEY_FILE")):
        shared["KPI_COOKIE_KEY_FILE"] = str(_secret_file(state / "cookie.key"))
    if not os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET"):
        shared["STREAMLIT_SERVER_COOKIE_SECRET"] = _secret_file(state / "streamlit-cookie.secret").read_text().strip()
    return shared


def _secret_file(path: Path) -> Path:
    with contextlib.suppress(FileExistsError):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48))
    return path


# --- dashboards and the proxy --------------------------------------------------------------------------------

def dashboard_command(port: int, base_path: str = "") -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1", "--server.port", str(port),
            *(["--server.baseUrlPath", base_path.strip("/")] if base_path.strip("/") else [])]


@contextlib.contextmanager
def dashboards(count: int, db: str, logs: Path, env: dict[str, str] | None = None,
               base_path: str = "") -> Iterator[tuple[Dashboard, ...]]:
    """``count`` dashboard processes on free local ports against ``db``, all started before any is waited for
    (they start side by side); yields them and stops them all at the end (the ones running then)."""
    logs.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, **(env or {}), "KPI_DB": db}
    prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    started: list[Dashboard] = []
    try:
        for number in range(1, count + 1):
            port, log = free_port(), logs / f"dashboard-{number}.log"
            log.write_text("", encoding="utf-8")
            started.append(Dashboard(number, port, f"http://127.0.0.1:{port}{prefix}", log,
                                     dashboard_command(port, base_path), environment))
            started[-1].start()
        for dashboard in started:
            wait_healthy(dashboard.url, dashboard.process, dashboard.log)
        yield tuple(started)
    finally:
        for dashboard in started:
            if dashboard.process is not None and dashboard.process.poll() is None:
                dashboard.process.terminate()
        for dashboard in started:
            if dashboard.process is not None:
                stop(dashboard.process)


def revive(dashboard: Dashboard, now: float | None = None) -> str | None:
    """Start again a process that ended, unless it ended more than ``RESTARTS`` times within ``RESTART_WINDOW``
    seconds (then it stays down, and HAProxy sends its browsers to the others); what happened, in words, or
    None when it runs (or was given up before)."""
    if dashboard.given_up or dashboard.process is None or dashboard.process.poll() is None:
        return None
    code = dashboard.process.returncode
    now = time.monotonic() if now is None else now
    dashboard.exits = [t for t in dashboard.exits if now - t < RESTART_WINDOW] + [now]
    name, minutes = f"dashboard process d{dashboard.number} ({dashboard.url})", f"{RESTART_WINDOW / 60:g} min"
    if dashboard.given_up:
        return (f"{name} ended with code {code}, {len(dashboard.exits)} times within {minutes}: not restarted again "
                f"(HAProxy sends its browsers to the other processes); see {dashboard.log}")
    dashboard.start()
    return (f"{name} ended with code {code}; restarted ({len(dashboard.exits)} of at most {RESTARTS} within "
            f"{minutes}); see {dashboard.log}")


def proxy_config(backends: tuple[str, ...], bind: str, base_path: str = "") -> str:
    prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    servers = "\n".join(
        f"    server d{n} {url.split('://', 1)[1].split('/', 1)[0]} cookie d{n} check inter 2s fall 3 rise 1"
        for n, url in enumerate(backends, 1))
    template = string.Template((HERE / "haproxy.cfg").read_text(encoding="utf-8"))
    return template.substitute(bind=bind, health=f"{prefix}/_stcore/health", servers=servers)


@contextlib.contextmanager
def proxy(backends: tuple[str, ...], port: int, logs: Path, host: str = "127.0.0.1",
          base_path: str = "") -> Iterator[str]:
    """HAProxy on ``host:port`` in front of ``backends`` (deploy/haproxy.cfg), in the foreground (``-db``) as our
    child; yields its address and stops it at the end."""
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        raise RuntimeError("HAProxy is not installed: apt-get install -y haproxy")
    logs.mkdir(parents=True, exist_ok=True)
    config = logs / "haproxy.cfg"
    config.write_text(proxy_config(backends, f"{host}:{port}", base_path), encoding="utf-8")
    subprocess.run([haproxy, "-c", "-q", "-f", str(config)], check=True)
    log = logs / "haproxy.log"
    with open(log, "w") as out:
        process = subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT)
    prefix = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}{prefix}"
    try:
        wait_healthy(url, process, log, wait=30)
        yield url
    finally:
        stop(process, wait=5)


@contextlib.contextmanager
def running(count: int, db: str, logs: Path, port: int | None = None, env: dict[str, str] | None = None,
            host: str = "127.0.0.1", base_path: str = "") -> Iterator[Stack]:
    """``count`` dashboard processes on ``db`` behind the proxy (on ``port``, a free one when None)."""
    with contextlib.ExitStack() as stack:
        processes = stack.enter_context(dashboards(count, db, logs, env, base_path))
        url = stack.enter_context(proxy(tuple(d.url for d in processes), port or free_port(), logs, host,
                                        base_path))
        yield Stack(url, db, processes)


# --- deploy/run ----------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PostgreSQL, N dashboard processes and HAProxy on one machine; "
                                                 "Ctrl-C stops them all.")
    parser.add_argument("--processes", type=int, default=2, help="dashboard processes (about one per core)")
    parser.add_argument("--port", type=int, default=8080, help="the proxy's port, the one people open")
    parser.add_argument("--host", default="127.0.0.1", help="the proxy's address (0.0.0.0: every interface)")
    parser.add_argument("--base-path", default="", help="serve under a path, e.g. /kpi (server.baseUrlPath)")
    parser.add_argument("--db", default=os.environ.get("KPI_DB"),
                        help="a postgresql:// URL (default $KPI_DB); without one, a server of our own in --state")
    parser.add_argument("--state", type=Path, default=STATE, help="our PostgreSQL cluster, keys and logs")
    parser.add_argument("--pg-port", type=int, default=5433, help="the port of our own PostgreSQL")
    parser.add_argument("--no-demo", action="store_true", help="an empty database gets `init`, not `init --demo`")
    args = parser.parse_args(argv)
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    signal.signal(signal.SIGTERM, _interrupted)
    # Ctrl-C stops everything even when we were started with SIGINT ignored (a shell's background job, nohup):
    # Python then leaves it ignored, and everything ran on, the dashboards and HAProxy with it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    logs = args.state / "logs"
    with contextlib.ExitStack() as stack:
        try:
            db = args.db or stack.enter_context(postgres(args.state, args.pg_port))
            ensure_database(db, demo=not args.no_demo)
            env = shared_secrets(args.state)
            started = stack.enter_context(running(args.processes, db, logs, args.port, env, args.host, args.base_path))
            print(f"{started.url} — {args.processes} dashboard processes behind HAProxy on {_shown(db)}; "
                  f"logs in {logs}; Ctrl-C stops everything", flush=True)
            watch(started)
            return 1
        except KeyboardInterrupt:
            print("stopping", flush=True)
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            print(f"deploy/run: {exc}", file=sys.stderr)
            return 1
    return 0


def watch(started: Stack, every: float = 5.0, misses: int = 3, tick: float = 1.0) -> None:
    """Restart a dashboard process that ends (``revive``: with a limit, and a message either way); return when
    the proxy stops answering (``misses`` health checks in a row, one every ``every`` seconds): then say so, and
    everything stops. Meanwhile HAProxy's own health check routes around a process that is down."""
    missed, checked = 0, time.monotonic()
    while missed < misses:
        time.sleep(tick)
        for dashboard in started.processes:
            said = revive(dashboard)
            if said:
                print(f"deploy/run: {said}", file=sys.stderr, flush=True)
        if time.monotonic() - checked < every:
            continue
        checked = time.monotonic()
        try:
            answered = urllib.request.urlopen(f"{started.url}/_stcore/health", timeout=every).status == 200
        except OSError:
            answered = False
        missed = 0 if answered else missed + 1
    print(f"deploy/run: {started.url} stopped answering; stopping everything", file=sys.stderr)


def _interrupted(*_) -> None:
    """SIGTERM (a service manager stopping us) stops everything as Ctrl-C does."""
    raise KeyboardInterrupt


def _shown(db: str) -> str:
    """The database's URL without its password."""
    if "@" in db and "://" in db:
        scheme, rest = db.split("://", 1)
        credentials, where = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}@{where}"
    return db


if __name__ == "__main__":
    raise SystemExit(main())
