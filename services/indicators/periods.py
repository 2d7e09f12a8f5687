"""Reporting periods (pure functions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date


def quarter_of(day: date) -> str:
    """The calendar quarter a day falls in, e.g. ``2025-Q3``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
