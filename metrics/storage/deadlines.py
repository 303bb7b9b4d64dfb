"""Reporting deadlines (one per plan and year) and the units' contacts: the SQL of both.

A deadline is written by an administrator (``python -m metrics deadlines set``, the admin page) or loaded from a
deadlines file (``deadlines import``); setting one again replaces it. Reads return plain values.
"""

from __future__ import annotations

import datetime as dt

from metrics.domain.deadlines import Contact


def set_deadline(cur, plan: str, year: int, due: dt.date, *, note: str | None = None, by: str | None = None) -> None:
    """Set (or replace) the deadline of ``plan``'s figures for ``year``, in the caller's transaction."""
    cur.execute("DELETE FROM reporting_deadlines WHERE plan = ? AND year = ?", [plan, int(year)])
    cur.execute("INSERT INTO reporting_deadlines (plan, year, due, note, set_by) VALUES (?, ?, ?, ?, ?)",
                [plan, int(year), due, note, by])
    cur.execute("UPDATE catalogue_version SET version = version + 1")  # pages that show it read again


def deadline(store, plan: str, year: int) -> dt.date | None:
    """The deadline of ``plan``'s figures for ``year``, or None when none is set."""
    found = store.rows("SELECT due FROM reporting_deadlines WHERE plan = ? AND year = ?", [plan, int(year)])
    return _day(found[0][0]) if found else None


def deadlines(store, plan: str | None = None) -> list[tuple[str, int, dt.date, str | None, str | None]]:
    """Every deadline set (of one plan, if given): ``(plan, year, due, note, set_by)``, by plan and year."""
    where, params = ("WHERE plan = ?", [plan]) if plan else ("", [])
    return [(p, int(y), _day(d), n, b) for p, y, d, n, b in store.rows(
        f"SELECT plan, year, due, note, set_by FROM reporting_deadlines {where} ORDER BY plan, year", params)]


def contacts(store, codes: list[str], year: int) -> dict[str, Contact]:
    """Each unit's contact as of 31 December of ``year`` (its period then; else its latest period with one)."""
    if not codes:
        return {}
    rows = store.rows("""
        SELECT code, contact_name, contact_phone, contact_email FROM units
        WHERE code IN (SELECT unnest(?::VARCHAR[]))
          AND (contact_name IS NOT NULL OR contact_phone IS NOT NULL OR contact_email IS NOT NULL)
        ORDER BY code, CASE WHEN valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) THEN 1 ELSE 0 END,
                 valid_from""", [list(codes), dt.date(year, 12, 31), dt.date(year, 12, 31)])
    found: dict[str, Contact] = {}
    for code, name, phone, email in rows:  # the period in force on 31 December comes last, and wins
        found[code] = Contact(name or None, phone or None, email or None)
    return found


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
