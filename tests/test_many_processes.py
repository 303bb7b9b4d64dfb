"""Several processes on one PostgreSQL database: what one writes, every dashboard process shows on its next run.

Each dashboard process keeps its own caches (``ui.data``). A write from another process — a second dashboard
behind the proxy, the command line — reaches them through the change stamp (``Store.change_stamp``), which
every page run reads."""

from __future__ import annotations

import os

import pytest

from metrics.storage.store import Store
from tests.helpers import PASSWORD, cli, texts

pytestmark = pytest.mark.postgres


def test_an_undo_in_another_process_moves_the_change_stamp(postgres_demo_url):
    store = Store.open(postgres_demo_url)
    try:
        before, version = store.change_stamp(), store.data_version()
        cli("rollback", "1", db=postgres_demo_url)  # another process, its own connection
        after = store.change_stamp()
        assert after[0] > before[0] and after[1] == before[1]  # a value write; the catalogue did not change
        assert store.data_version() != version
    finally:
        store.close()


@pytest.mark.slow
def test_a_page_shows_on_its_next_run_what_the_command_line_changed(postgres_demo_url, dashboard):
    at = dashboard(postgres_demo_url)
    shown = texts(at)
    cli("rollback", "1", db=postgres_demo_url)  # the demo's figures go (a separate process)
    at.run()  # the same session, the same process's caches: its next run
    assert not at.exception, at.exception
    again = texts(at)
    assert again != shown
    assert again == texts(dashboard(postgres_demo_url))  # what a fresh process with empty caches shows


def test_a_sign_in_on_postgresql_is_braked_ticketed_and_redeemed_by_another_process(postgres_demo_url):
    """The sign-in form counts recent failures and issues a one-time ticket; the ticket's route may run in
    another process (a pool of its own). Both read the clock in SQL that must run on PostgreSQL too."""
    from metrics.storage import audit, sign_in, users

    form, route = Store.open(postgres_demo_url), Store.open(postgres_demo_url)
    try:
        users.add(form, "lan", "Lan", "analyst", PASSWORD, by="test", source="cli")
        audit.record(form, "lan", "sign-in-failed", source="web")
        assert audit.recent_failures(form, "lan", 15) == 1
        ticket = sign_in.issue_ticket(form, users.get(form, "lan"), "/import")
        redeemed = sign_in.redeem_ticket(route, ticket)
        assert redeemed is not None and redeemed.user.username == "lan"
        assert sign_in.redeem_ticket(route, ticket) is None  # once
    finally:
        form.close()
        route.close()


def test_a_dashboard_process_repeats_a_query_over_many_leases_of_its_pool(postgres_demo_url):
    """A long-running process asks the same thing in many units of work (who is signed in, on every page run);
    each gives its pooled connection back with ``DISCARD ALL``, which also drops the server's prepared
    statements. psycopg prepares a query after its fifth run and, from the second ``DISCARD ALL`` of a
    connection on, no longer notices they are gone: "prepared statement _pg3_0 does not exist"."""
    store = Store.open(postgres_demo_url)
    try:
        for _ in range(10):
            with store.reading():  # one page run: the same query more than once
                for _ in range(2):
                    assert store.rows("SELECT count(*) FROM users WHERE username = ?", ["lan"]) == [(0,)]
    finally:
        store.close()


@pytest.mark.slow
def test_deploy_run_serves_through_the_proxy_restarts_a_dead_process_and_ctrl_c_stops_everything(postgres_demo_url, tmp_path):
    """Ctrl-C stops everything, also when deploy/run was started with SIGINT ignored (a shell's background job,
    nohup): it never stopped then, and left PostgreSQL's clients, the dashboards and HAProxy running."""
    import re
    import select
    import signal
    import socket
    import subprocess
    import time
    import urllib.request
    from pathlib import Path

    from deploy.stack import free_port, wait_healthy
    from tests.helpers import ROOT

    port = free_port()
    env = {**os.environ, "KPI_DB": postgres_demo_url, "KPI_PUBLIC": "1"}
    # started with SIGINT ignored, as a shell's background job is (Ctrl-C must stop it all the same)
    run = subprocess.Popen([str(ROOT / "deploy" / "run"), "--processes", "2", "--port", str(port), "--state",
                            str(tmp_path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    backends: list[int] = []
    try:
        first = run.stdout.readline()  # printed once the proxy and both processes answer
        assert first.startswith(f"http://127.0.0.1:{port} — 2 dashboard processes"), first
        backends = [int(p) for p in re.findall(r"^ +server d\d 127\.0\.0\.1:(\d+)",
                                                (tmp_path / "logs" / "haproxy.cfg").read_text(), re.M)]
        assert len(backends) == 2
        answered = {urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).headers["X-KPI-Backend"]
                    for _ in range(4)}  # no cookie sent back: each request is a new browser
        assert answered == {"d1", "d2"}
        assert (tmp_path / "cookie.key").stat().st_mode & 0o077 == 0  # the shared sign-in key, owner only

        killed = int((tmp_path / "logs" / "dashboard-1.pid").read_text())
        os.kill(killed, signal.SIGKILL)  # a process dies (its memory, a crash)
        while Path(f"/proc/{killed}/stat").exists() and Path(f"/proc/{killed}/stat").read_text().split()[2] not in "ZX":
            time.sleep(0.01)  # (its sockets are closed once it is a zombie, before deploy/run reaps it)
        for _ in range(4):  # at once, before the health check notices: the proxy sends each request on to d2
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
                assert page.status == 200 and page.headers["X-KPI-Backend"] == "d2"
        ready, _, _ = select.select([run.stdout], [], [], 60)
        said = run.stdout.readline() if ready else ""
        assert "d1" in said and "restarted (1 of at most 5" in said, said
        wait_healthy(f"http://127.0.0.1:{backends[0]}", wait=120)  # the same port again: HAProxy takes it back
        assert int((tmp_path / "logs" / "dashboard-1.pid").read_text()) != killed
    finally:
        run.send_signal(signal.SIGINT)
        try:
            stopped = run.wait(timeout=60)
        except subprocess.TimeoutExpired:  # (Ctrl-C not heard: stopped anyway, so nothing is left running)
            run.terminate()
            run.wait(timeout=120)
            stopped = None
        assert stopped == 0
    for closed in (port, *backends):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", closed)) != 0, f"port {closed} still answers"


def test_deploy_run_restarts_a_process_that_ends_only_so_many_times(tmp_path):
    """A process that ends at once every time (a broken install) is started again up to ``RESTARTS`` times within
    ``RESTART_WINDOW``, then left down with a message; one that ended long ago does not count."""
    import sys

    from deploy import stack

    ending = stack.Dashboard(1, 0, "http://127.0.0.1:0", tmp_path / "dashboard-1.log",
                             [sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ))
    ending.start()
    said = []
    for minute in range(stack.RESTARTS + 2):
        assert ending.process is not None
        ending.process.wait()
        said.append(stack.revive(ending, now=1000.0 + minute))
    assert all(f"code 3; restarted ({n} of at most {stack.RESTARTS}" in s for n, s in enumerate(said[:-2], 1))
    assert "not restarted again" in said[-2] and said[-1] is None and ending.given_up
    assert (tmp_path / "dashboard-1.pid").read_text().strip() == str(ending.process.pid)

    again = stack.Dashboard(2, 0, "http://127.0.0.1:0", tmp_path / "dashboard-2.log",
                            [sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ),
                            exits=[0.0] * stack.RESTARTS)  # ended as often, but longer ago than the window
    again.start()
    again.process.wait()
    assert "restarted (1 of" in stack.revive(again, now=stack.RESTART_WINDOW + 1.0)
    again.process.wait()
