"""Shaping query results for display (pure; tested without Streamlit)."""

from __future__ import annotations

from typing import Any

import pandas as pd

COLUMNS = {
    "quarter": "Kvartal",
    "sessions": "Sessioner",
    "participants": "Deltagere",
    "new_participants": "Nye deltagere",
}


def danish_number(value: float, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (Danish thousands and decimal separators)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def sessions_frame(result: dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(result["quarters"], columns=list(COLUMNS))
    return frame.rename(columns=COLUMNS)
