"""Shared fixtures: real DuckDB files built once per session from the shipped demo data or from small text
files, and copied for each test or module that uses one (a copy takes milliseconds, a build seconds); the
dashboard through Streamlit's AppTest. Plain helpers are in ``tests/helpers.py``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from metrics.catalogue.loading import init_database
from metrics.storage import postgres
from metrics.storage.store import Store
from tests import postgres_server as postgres_server_module
from tests.helpers import MINI, copy_database, run_cli


def _run_root(config: pytest.Config) -> Path:
    """The folder every process of this test run shares: the base temporary folder of the run's first process
    (pytest-xdist's workers each have a folder inside it)."""
    base = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    return base.parent if hasattr(config, "workerinput") else base


@pytest.fixture(scope="session")
def postgres_server(pytestconfig) -> postgres_server_module.Server:
    """A throwaway PostgreSQL 15 server for the run (tests/postgres_server.py), one for all the xdist workers:
    the first that needs it starts it, the run's first process stops it at the end (``pytest_unconfigure``).
    ``./scripts/test`` installs Debian's postgresql when it is missing; a bare ``pytest`` without it skips."""
    if postgres_server_module.bin_dir() is None:
        pytest.skip("PostgreSQL 15 is not installed: ./scripts/test installs it (apt-get install -y postgresql)")
    return postgres_server_module.shared(_run_root(pytestconfig))


def pytest_unconfigure(config: pytest.Config) -> None:
    """The run's first process (not an xdist worker) stops the run's shared PostgreSQL server, if any started."""
    if not hasattr(config, "workerinput") and hasattr(config, "_tmp_path_factory"):
        base = config._tmp_path_factory._basetemp  # type: ignore[attr-defined]  # None: no test made a folder
        if base is not None:
            postgres_server_module.stop_shared(base)


@pytest.fixture
def postgres_url(postgres_server, request) -> str:
    """The test's own empty PostgreSQL database (named after the test), as a ``postgresql://`` URL."""
    return postgres_server.create_database(_database_name("t", request.node.nodeid))


@pytest.fixture(scope="session")
def postgres_demo_template(postgres_server, pytestconfig) -> str:
    """The name of a PostgreSQL database holding the demo (``init --demo``), built once for the run (by the first
    xdist worker that needs it): never open it, copy it (``postgres_demo_url``)."""
    def build(url: str) -> None:
        init_database(url, demo=True).close()
        postgres.Access.of(url).close()  # a template database is copied only while nobody is connected to it

    return postgres_server_module.built_once(postgres_server, _run_root(pytestconfig), "demo_template", build)


@pytest.fixture
def postgres_demo_url(postgres_server, postgres_demo_template, request) -> str:
    """The test's own copy of the PostgreSQL demo database."""
    return postgres_server.create_database(_database_name("d", request.node.nodeid), template=postgres_demo_template)


def _database_name(prefix: str, test: str) -> str:
    """A database name per test (PostgreSQL keeps 63 bytes of a name: a digest keeps parametrized ones apart)."""
    readable = "".join(c if c.isalnum() else "_" for c in test.rsplit("::", 1)[-1].lower())[:40]
    return f"{prefix}_{readable}_{hashlib.sha1(test.encode()).hexdigest()[:10]}"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo database (``init --demo``), built once: never open it, copy it (``copy_database``)."""
    path = tmp_path_factory.mktemp("templates") / "demo.duckdb"
    init_database(path, demo=True).close()
    return path


@pytest.fixture(scope="session")
def mini_template(tmp_path_factory) -> Path:
    """The database of tests/fixtures/mini (a province that merges in 2025, two districts), built once:
    never open it, copy it."""
    path = tmp_path_factory.mktemp("templates") / "mini.duckdb"
    init_database(path, demo=True, data_dir=MINI).close()
    return path


@pytest.fixture(scope="session")
def mini_plan_template(tmp_path_factory) -> Path:
    """The mini province's units and plan without figures, loaded once with the documented commands
    (``init``, ``units import``, ``targets import``): never open it, copy it (``mini_plan_db``)."""
    path = tmp_path_factory.mktemp("templates") / "mini-plan.duckdb"
    run_cli("init", db=path)
    run_cli("units", "import", MINI / "units.csv", db=path)
    run_cli("targets", "import", MINI / "plans.csv", MINI / "indicators.csv", MINI / "targets.csv", db=path)
    return path


@pytest.fixture
def mini_plan_db(mini_plan_template, tmp_path) -> Path:
    """The test's own copy of the mini province's units and plan (no figures)."""
    return copy_database(mini_plan_template, tmp_path)


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Path:
    """The test's own demo database file, to read or to write."""
    return copy_database(demo_template, tmp_path)


@pytest.fixture
def mini_store(mini_template, tmp_path):
    """The test's own open store of the mini database."""
    store = Store.open(copy_database(mini_template, tmp_path, "mini.duckdb"))
    yield store
    store.close()


@pytest.fixture
def dashboard(monkeypatch) -> Iterator[Callable]:
    """Open the dashboard through AppTest: ``dashboard(db, page=None, public=True, **session)`` runs
    dashboard.py on ``db`` (``$KPI_DB``), with these session values, then switches to ``page`` if given, and
    asserts the run raised nothing and showed no error. Caches are cleared before and after (a cached
    store keeps the DuckDB file lock)."""
    def open_page(db: Path, page: str | None = None, public: bool = True, **session):
        monkeypatch.setenv("KPI_DB", str(db))
        if public:
            monkeypatch.setenv("KPI_PUBLIC", "1")  # the leaders' pages, open to anyone
        st.cache_resource.clear()
        st.cache_data.clear()
        at = AppTest.from_file("../dashboard.py", default_timeout=60)
        for key, value in session.items():
            at.session_state[key] = value
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        return at

    yield open_page
    st.cache_resource.clear()  # releases the DuckDB file lock


# What a test costs, roughly, by its kind (seconds on two cores): enough to order the files, heaviest first.
_EXPECTED_SECONDS = {"browser": 12.0, "slow": 5.0}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The test files in the order of their expected time, longest first (``./scripts/test`` keeps this order
    with ``--no-loadscope-reorder``, so xdist hands each worker a file as it finishes one): a long file of a few
    browser tests then starts early instead of running alone at the end while the other core idles. Within a
    file the tests keep their order."""
    def expected(item: pytest.Item) -> float:
        kinds = [seconds for mark, seconds in _EXPECTED_SECONDS.items() if item.get_closest_marker(mark)]
        return max(kinds, default=0.3)

    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    weight = {name: sum(map(expected, tests)) for name, tests in files.items()}
    items[:] = [item for name in sorted(files, key=lambda name: -weight[name]) for item in files[name]]
