"""Tables as CSV (Danish: ``;`` and decimal comma) and as Excel sheets."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

SUPPRESSED = "<5"


def indicator_rows(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The indicator table as flat rows, small numbers suppressed."""
    return [
        {
            "periode": table["period"]["label"],
            "indikator": row["indicator_id"],
            "navn": row["name"],
            "niveau": row["level"],
            "enhed": row["unit"],
            "retning": row["direction"],
            "baseline": row["baseline"],
            "værdi": SUPPRESSED if row["suppressed"] else row["value"],
            "tæller": None if row["suppressed"] else row["numerator"],
            "nævner": None if row["suppressed"] else row["denominator"],
            "sammenligning": row["comparison"],
            "mål": (row.get("target") or {}).get("wording"),
            "status": row["status"],
        }
        for row in table["indicators"]
    ]


def session_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "kvartal": q["quarter"],
            "sessioner": q["sessions"],
            "deltagere": q["participants"],
            "nye deltagere": q["new_participants"],
        }
        for q in result["quarters"]
    ]


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Semicolon-separated with decimal commas, as Danish Excel opens it."""
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(rows[0].keys())
    for row in rows:
        writer.writerow([_danish(value) for value in row.values()])
    return out.getvalue()


def to_xlsx(rows: Sequence[dict[str, Any]], path: Path, title: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    if rows:
        sheet.append(list(rows[0].keys()))
        for row in rows:
            sheet.append(list(row.values()))
    book.save(path)


def _danish(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)
