"""Tables as CSV (Danish: ``;`` and decimal comma) and as Excel sheets."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from services.indicators.outputs import PEOPLE
from services.indicators.status import SMALL

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


def lineage_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The events behind one value, with the corrections against them."""
    return [
        {
            "indikator": result["indicator_id"],
            "periode": result["period"]["label"],
            "kilde": event["source"],
            "hændelse": event["id"],
            "type": event["type"].rsplit(".", 1)[-1],
            "tidspunkt": event["time"],
            "registreret": event["recordedtime"],
            "for sent": "ja" if event["late"] else "nej",
            "retter": event["changes"] or "",
            "position": event["position"],
        }
        for event in result["events"]
    ]


def compare_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One indicator across a Samarbejdsforum's plans, small numbers suppressed."""
    return [
        {
            "indikator": result["indicator_id"],
            "plan": plan["plan_name"],
            "periode": plan["period"],
            "baseline": plan["baseline"],
            "værdi": SUPPRESSED if plan["suppressed"] else plan["value"],
            "sammenligning": plan["comparison"],
            "status": plan["status"],
        }
        for plan in result["plans"]
    ]


def series_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One indicator of a plan per quarter."""
    return [
        {
            "indikator": result["indicator_id"],
            "kvartal": point["period"],
            "værdi": SUPPRESSED if point["suppressed"] else point["value"],
            "tæller": point["numerator"],
            "nævner": point["denominator"],
            "baseline": result["baseline"],
            "sammenligning": result["comparison"],
            "status": point["status"],
        }
        for point in result["series"]
    ]


OUTPUT_COLUMNS = {
    "sessions": "sessioner",
    "participants": "deltagere",
    "unique_participants": "unikke deltagere",
    "enrolments": "indskrevne",
    "completions": "gennemførte",
    "drop_outs": "frafaldne",
    "outcomes": "resultater",
    "matches_started": "nye match",
    "matches_ended": "afsluttede match",
    "active_matches": "aktive match",
    "median_match_days": "matchvarighed (median, dage)",
    "volunteers_recruited": "nye frivillige",
    "volunteers_left": "frivillige stoppet",
    "active_volunteers": "aktive frivillige",
    "courses": "kurser",
    "course_participants": "kursusdeltagere",
}


def output_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Outputs per activity and period; counts under 5 of people are suppressed."""
    rows = []
    for row in result["rows"]:
        flat: dict[str, Any] = {
            "periode": row["period"],
            "aktivitet": row["activity_name"],
        }
        for name, heading in OUTPUT_COLUMNS.items():
            flat[heading] = _small(name, row[name])
        flat["resultater efter art"] = ", ".join(
            f"{OUTCOME_DA.get(kind, kind)}: {_small('outcomes', count)}"
            for kind, count in row["outcomes_by_kind"].items()
        )
        rows.append(flat)
    return rows


#: Outcome kinds as Danish readers know them.
OUTCOME_DA = {
    "started_education": "startet uddannelse",
    "completed_education": "gennemført uddannelse",
    "got_job": "fået job",
    "got_leisure_job": "fået fritidsjob",
    "closer_to_work": "tættere på arbejdsmarkedet",
    "eviction_averted": "udsættelse afværget",
    "debt_counselling_completed": "gældsrådgivning gennemført",
    "joined_association": "meldt ind i forening",
    "other": "andet",
}


def _small(name: str, value: Any) -> Any:
    if name in PEOPLE and isinstance(value, int) and 0 < value < SMALL:
        return SUPPRESSED
    return value
