"""The dashboard keeps the organisation across imports of figures: the first page after an import does not
read and build the units again (at national scale that was most of a 7 s first open)."""

from __future__ import annotations

import pytest
import streamlit as st

from tests.helpers import cli, copy_database
from ui import data


@pytest.fixture
def demo(demo_template, tmp_path, monkeypatch):
    path = copy_database(demo_template, tmp_path)
    monkeypatch.setenv("KPI_DB", str(path))
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()  # releases the database file


def test_an_import_of_figures_keeps_the_organisation(demo, tmp_path):
    with data.reading():
        before = data.scorecard()
        plan = before.store.default_plan()
        cell = before.store.frame("SELECT unit, indicator, year, value FROM current_values WHERE value IS NOT NULL "
                                  "AND numerator IS NULL ORDER BY ALL LIMIT 1")
    cell["value"] = cell["value"] + 1
    values = tmp_path / "values.csv"
    cell.to_csv(values, index=False)
    cli("import", values, "--plan", plan, db=demo)  # the dashboard holds no connection between page runs
    with data.reading():
        after = data.scorecard()
        figure = after.figure(cell["indicator"][0], cell["unit"][0], int(cell["year"][0]))
    assert after is not before and figure.value == cell["value"][0]  # the new figures are judged...
    assert after.org is before.org  # ...with the organisation read before the import
