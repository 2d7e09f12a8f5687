"""Reporting periods (pure functions)."""

from __future__ import annotations

from datetime import date, timedelta


def quarter_of(day: date) -> str:
    """The calendar quarter a day falls in, e.g. ``2025-Q3``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(day: date) -> tuple[date, date]:
    """The first and last day of the quarter a day falls in."""
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    following = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, following - timedelta(days=1)
