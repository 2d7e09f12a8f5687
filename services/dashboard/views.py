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


STATUS = {
    "on_track": "På rette vej",
    "off_track": "Ikke på rette vej",
    "no_target": "Intet mål",
    "monitor": "Følges",
    "no_data": "Ingen data",
}
LEVEL = {"overall": "Overordnet mål", "delmaal": "Delmål", "output": "Aktivitet"}


def shown(value: float | None, unit: str, hidden: bool = False) -> str:
    """A value as a Danish reader expects it; small numbers suppressed."""
    if hidden:
        return "<5"
    if value is None:
        return "–"
    if unit == "percent":
        return f"{danish_number(value, 1)} %"
    if unit == "grade":
        return danish_number(value, 2)
    return danish_number(value, 0 if float(value).is_integer() else 1)


def indicators_frame(result: dict[str, Any]) -> pd.DataFrame:
    rows = [
        {
            "Niveau": LEVEL.get(row["level"], row["level"]),
            "Indikator": row["indicator_id"],
            "Navn": row["name"],
            "Baseline": shown(row["baseline"], row["unit"]),
            "Seneste": shown(row["value"], row["unit"], row["suppressed"]),
            "Sammenligning": shown(row["comparison"], row["unit"]),
            "Mål": (row.get("target") or {}).get("wording", "–"),
            "Status": STATUS.get(row["status"], row["status"]),
        }
        for row in result["indicators"]
    ]
    return pd.DataFrame(rows)
