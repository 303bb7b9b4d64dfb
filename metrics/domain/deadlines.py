"""Reporting deadlines and contacts, without a database: dates as Vietnamese documents write them
(``15/01/2026``), how late a unit is, and whether a contact's phone or email is well formed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")
EMAIL = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+?[0-9][0-9 .\-()]*")
PHONE_DIGITS = (8, 15)  # a Vietnamese landline with its area code has 10 or 11, a mobile 10, +84 … 11


def parse_day(text: str) -> dt.date:
    """``dd/mm/yyyy`` (the Vietnamese form) or ``yyyy-mm-dd``; ValueError(vi, en) otherwise."""
    text = text.strip()
    try:
        found = DAY_FIRST.fullmatch(text)
        if found:
            day, month, year = (int(g) for g in found.groups())
            return dt.date(year, month, day)
        if ISO_DAY.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"“{text}” không phải ngày dạng ngày/tháng/năm (ví dụ 15/01/2026).",
                     f"“{text}” is not a date as day/month/year (e.g. 15/01/2026).")


def days_late(due: dt.date, on: dt.date) -> int:
    """Whole days from the deadline to ``on`` (0 on the deadline itself and before it)."""
    return max(0, (on - due).days)


def email_problem(text: str) -> tuple[str, str] | None:
    """Why ``text`` is not one email address (vi, en), or None when it is."""
    if EMAIL.fullmatch(text.strip()):
        return None
    return (f"“{text}” không phải địa chỉ email (ví dụ vanphong@ldld.angiang.vn). Hãy ghi một địa chỉ, hoặc để trống.",
            f"“{text}” is not an email address (e.g. office@ldld.angiang.vn). Give one address, or leave it empty.")


def phone_problem(text: str) -> tuple[str, str] | None:
    """Why ``text`` is not one phone number (vi, en), or None when it is: digits, spaces, dots, dashes,
    brackets and a leading +, with 8 to 15 digits."""
    digits = sum(ch.isdigit() for ch in text)
    if PHONE.fullmatch(text.strip()) and PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        return None
    return (f"“{text}” không phải số điện thoại (ví dụ 0296 3852 123 hoặc +84 296 3852 123: 8–15 chữ số). "
            "Hãy ghi một số, hoặc để trống.",
            f"“{text}” is not a phone number (e.g. 0296 3852 123 or +84 296 3852 123: 8 to 15 digits). "
            "Give one number, or leave it empty.")


@dataclass(frozen=True)
class Contact:
    """Who to call at a unit about its report (every field may be empty)."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None

    def line(self) -> str:
        """``Nguyễn Thị Lan · 0296 3852 123 · lan@…``: the parts given, or an empty string."""
        return " · ".join(p for p in (self.name, self.phone, self.email) if p)
