"""Small helpers every layer uses, one of each: an SQL text literal, a number or nothing, the local time zone."""

from __future__ import annotations

import pandas as pd

#: Vietnam's time zone: times are stored in UTC and shown in it.
LOCAL_ZONE = "Asia/Ho_Chi_Minh"


def sql_text(text) -> str:
    """``text`` as an SQL string literal (quotes doubled), ``NULL`` for None: for the few places where DuckDB
    takes no parameter (``COPY … TO 'file'``, ``read_parquet('file')``, a column of constants)."""
    return "NULL" if text is None else "'" + str(text).replace("'", "''") + "'"


def number_or_none(value) -> float | None:
    """A float, or None for a missing value (None, NaN, pandas' NA)."""
    if value is None or value is pd.NA or value != value:  # NaN is not equal to itself
        return None
    return float(value)


def local_times(moments):
    """Moments stored in UTC (a pandas Series or Timestamp, zone-aware) in Vietnam's time."""
    if isinstance(moments, pd.Series):
        return moments.dt.tz_convert(LOCAL_ZONE)
    return moments.tz_convert(LOCAL_ZONE) if moments.tzinfo else moments
