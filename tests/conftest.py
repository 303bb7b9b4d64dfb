"""Shared fixtures: real DuckDB files built from small text files."""

from pathlib import Path

import pytest

from metrics.loading import init_database

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture
def mini_store(tmp_path):
    """A database built from tests/fixtures/mini: a province that merges in 2025, two districts."""
    store = init_database(tmp_path / "mini.duckdb", demo=True, data_dir=MINI)
    yield store
    store.close()
