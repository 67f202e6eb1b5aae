"""Dates as UK reports print them, never from the clock.

Takes a ``datetime.date`` (or a ``YYYY-MM`` month); gives '14 June 2024' (no leading zero,
locale-independent).
"""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(value: dt.date) -> str:
    """'14 June 2024', the form UK reports use (no leading zero, locale-independent)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
