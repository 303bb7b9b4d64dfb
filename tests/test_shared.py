"""The one copy of each small helper (metrics/vocabulary/shared.py)."""

import math

import pandas as pd
import pytest

from metrics.vocabulary.shared import local_times, number_or_none, sql_text


def test_an_sql_literal_doubles_its_quotes():
    assert sql_text("/tmp/O'Brien's/x.parquet") == "'/tmp/O''Brien''s/x.parquet'"
    assert sql_text(None) == "NULL"


@pytest.mark.parametrize("value", [None, math.nan, pd.NA, float("nan")])
def test_every_kind_of_missing_number_is_none(value):
    assert number_or_none(value) is None


def test_a_number_stays_a_number():
    assert number_or_none(3) == 3.0 and number_or_none("2.5") == 2.5


def test_times_stored_in_utc_read_in_vietnam():
    moment = pd.Timestamp("2026-12-31 20:00", tz="UTC")
    assert local_times(moment).strftime("%Y-%m-%d %H:%M") == "2027-01-01 03:00"
    assert local_times(pd.Series([moment])).iloc[0].hour == 3
