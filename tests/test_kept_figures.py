"""Charts are built once per data version (ui/figures.py): the same chart again is the kept one, and an
import shows new figures at once, never the kept ones of the data before it."""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from metrics.ingest import intake
from metrics.judging import charts
from ui import data, figures


@pytest.fixture
def dashboard(demo_db, monkeypatch):
    """The dashboard on its own demo database (the test imports into it), public; charts.trend counted."""
    path = demo_db
    monkeypatch.setenv("KPI_DB", str(path))
    monkeypatch.setenv("KPI_PUBLIC", "1")
    built = []
    trend = charts.trend
    monkeypatch.setattr(charts, "trend", lambda row, lang="vi": built.append(row.target["code"]) or trend(row, lang))
    st.cache_resource.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state["target"] = "NK3a"  # “Mái ấm công đoàn” houses, summed from the grassroots unions
    at.run()
    at.switch_page("views/target.py").run()
    assert not at.exception and not at.error
    yield at, built
    st.cache_resource.clear()  # releases the database file


def trend_spec(at) -> dict:
    return json.loads(next(c for c in at.get("plotly_chart") if "trend-NK3a" in c.proto.id).proto.spec)


def yearly_houses(spec: dict) -> list:
    bars = next(t for t in spec["data"] if t["type"] == "bar")
    return bars["y"] if isinstance(bars["y"], list) else bars["y"]["bdata"]


def test_the_same_chart_again_is_the_kept_one(dashboard):
    at, built = dashboard
    first = trend_spec(at)
    at.run()
    at.run()
    assert trend_spec(at) == first
    assert built == ["NK3a"]  # built once for three runs
    assert len(figures.kept(data.scorecard())) >= 2  # the trend and the units below it


def test_an_import_shows_new_figures_at_once(dashboard, tmp_path):
    at, built = dashboard
    before = trend_spec(at)
    store = data.store()  # the dashboard's own store: the import goes through it as the import page's does
    province = data.scorecard().root("DH-XI-2023-2028", 2026).code
    values = tmp_path / "houses.csv"
    values.write_text(f"unit,indicator,year,value\n{province},union_houses,2026,90\n", encoding="utf-8")
    report = intake.check(values, store=store)
    assert report.ok, report.problems
    intake.commit(store, report, user="test", source="web")
    at.run()
    after = trend_spec(at)
    assert built == ["NK3a", "NK3a"]  # a new data version: built again, not taken from the kept ones
    assert yearly_houses(before)[-1] != 90 and yearly_houses(after)[-1] == 90
    assert after["layout"]["datarevision"] != before["layout"]["datarevision"]  # the browser draws the new data
