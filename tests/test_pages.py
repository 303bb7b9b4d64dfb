"""Every page through Streamlit's AppTest on a real demo database."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from metrics.loading import init_database


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "kpi.duckdb"
    init_database(path, demo=True).close()
    return path


@pytest.fixture
def app(demo_path, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(demo_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield lambda: AppTest.from_file("../dashboard.py", default_timeout=60)
    st.cache_resource.clear()  # releases the DuckDB file lock


def test_overview_lists_every_target_of_the_plan(app):
    at = app().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 27
    assert table.iloc[:, 1].str.startswith("NK1a").any()


def test_first_start_builds_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(tmp_path / "new.duckdb"))
    st.cache_resource.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    st.cache_resource.clear()
    assert not at.exception
    assert (tmp_path / "new.duckdb").exists()
    assert len(at.dataframe[0].value) == 27
