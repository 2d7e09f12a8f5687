"""Shaping query results for display: frames, Danish numbers, charts and the
annual report's files (pure; tested without Streamlit)."""

from __future__ import annotations

import html
import io
from typing import Any

import altair as alt
import pandas as pd

from services.indicators.outputs import PEOPLE  # the same rule of small numbers

SUPPRESSED = "<5"
Chart = alt.LayerChart | alt.FacetChart

STATUS = {
    "on_track": "På rette vej",
    "off_track": "Ikke på rette vej",
    "no_target": "Intet mål",
    "monitor": "Følges",
    "no_data": "Ingen data",
}
STATUS_COLOUR = {
    "På rette vej": "#c8e6c9",
    "Ikke på rette vej": "#ffcdd2",
    "Intet mål": "#eeeeee",
    "Følges": "#e3f2fd",
    "Ingen data": "#fafafa",
}
LEVEL = {"overall": "Overordnet mål", "delmaal": "Delmål", "output": "Aktivitet"}
DOCUMENT = {
    "strategisk": "Strategisk samarbejdsaftale",
    "UL": "Delaftale: Uddannelse og livschancer",
    "BE": "Delaftale: Beskæftigelse",
    "KF": "Delaftale: Kriminalitetsforebyggelse",
    "SM": "Delaftale: Sammenhængskraft og medborgerskab",
}
ACTIVITY_STATUS = {
    "planned": "Planlagt",
    "conditional": "Betinget",
    "active": "Aktiv",
    "paused": "På pause",
    "ended": "Afsluttet",
}
HISTORY = {
    ("in_force", "imported"): "Aftalt (indlæst)",
    ("in_force", "approved"): "Godkendt og i kraft",
    ("revision", "drafted"): "Ændring udkastet",
    ("revision", "edited"): "Udkast redigeret",
    ("revision", "submitted"): "Indsendt til godkendelse",
    ("revision", "approved"): "Godkendelse givet",
    ("follow_up", "held"): "Bestyrelsens opfølgning",
}
EVENT_TYPE = {
    "session-held": "Session afholdt",
    "participant-enrolled": "Deltager indskrevet",
    "participant-completed": "Deltager gennemført",
    "participant-dropped-out": "Deltager frafaldet",
    "outcome-recorded": "Resultat registreret",
    "match-established": "Match etableret",
    "match-ended": "Match afsluttet",
    "volunteer-recruited": "Frivillig rekrutteret",
    "volunteer-left": "Frivillig stoppet",
    "course-held": "Kursus afholdt",
    "indicator-measurement-reported": "Måling indberettet",
    "corrected": "Rettelse",
    "retracted": "Tilbagekaldelse",
}
OUTPUTS = {
    "sessions": "Sessioner",
    "participants": "Deltagere",
    "unique_participants": "Unikke deltagere",
    "enrolments": "Indskrevne",
    "completions": "Gennemførte",
    "drop_outs": "Frafaldne",
    "outcomes": "Resultater",
    "active_matches": "Aktive match",
    "active_volunteers": "Aktive frivillige",
    "courses": "Kurser",
    "course_participants": "Kursusdeltagere",
}


def danish_number(value: float, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (Danish thousands and decimal separators)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def shown(value: float | None, unit: str, hidden: bool = False) -> str:
    """A value as a Danish reader expects it; small numbers suppressed."""
    if hidden:
        return SUPPRESSED
    if value is None:
        return "–"
    if unit == "percent":
        return f"{danish_number(value, 1)} %"
    if unit == "grade":
        return danish_number(value, 2)
    return danish_number(value, 0 if float(value).is_integer() else 1)


def count_cell(key: str, value: float | None) -> str:
    """A count as text (one type per column): people under 5 shown as <5."""
    number = value or 0
    if key in PEOPLE and 0 < number < 5:
        return SUPPRESSED
    return danish_number(number)


def event_type(kind: str) -> str:
    short = kind.rsplit(".", 1)[-1]
    return EVENT_TYPE.get(short, short)


# --- Samarbejdsforum ------------------------------------------------------------


def forum_frame(overview: dict[str, Any]) -> pd.DataFrame:
    """One row per shared indicator and plan: baseline → latest → target."""
    names = {p["plan_id"]: p["name"] for p in overview["plans"]}
    rows = []
    for indicator in overview["indicators"]:
        for plan_id, cell in indicator["plans"].items():
            unit = indicator["unit"]
            rows.append(
                {
                    "Indikator": indicator["indicator_id"],
                    "Navn": indicator["name"],
                    "Plan": names.get(plan_id, plan_id),
                    "Baseline": shown(cell["baseline"], unit),
                    "Seneste": shown(cell["value"], unit, cell["suppressed"]),
                    "Periode": cell["period"],
                    "Kommunen": shown(cell["comparison"], unit),
                    "Mål": cell["target"] or "–",
                    "Status": STATUS.get(cell["status"], cell["status"]),
                }
            )
    return pd.DataFrame(rows)


def status_matrix(overview: dict[str, Any]) -> pd.DataFrame:
    """Indicators × plans: the latest value (Danish) per cell, for colouring."""
    names = {p["plan_id"]: p["name"] for p in overview["plans"]}
    rows = []
    for indicator in overview["indicators"]:
        row = {"Indikator": f"{indicator['indicator_id']} {indicator['name']}"}
        for plan_id, name in names.items():
            cell = indicator["plans"].get(plan_id)
            row[name] = (
                "–"
                if cell is None
                else f"{shown(cell['value'], indicator['unit'], cell['suppressed'])}"
                f" · {STATUS.get(cell['status'], cell['status'])}"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def colour_status(text: Any) -> str:
    for status, colour in STATUS_COLOUR.items():
        if isinstance(text, str) and text.endswith(status):
            return f"background-color: {colour}"
    return ""


def forum_chart(overview: dict[str, Any], indicator_id: str) -> Chart:
    """One indicator across the forum's plans: baseline, latest and kommune."""
    indicator = next(
        i for i in overview["indicators"] if i["indicator_id"] == indicator_id
    )
    names = {p["plan_id"]: p["name"] for p in overview["plans"]}
    rows = []
    for plan_id, cell in indicator["plans"].items():
        for label, value in (
            ("Baseline", cell["baseline"]),
            ("Seneste", cell["value"]),
        ):
            if value is not None:
                rows.append({"Plan": names[plan_id], "Måling": label, "Værdi": value})
    frame = pd.DataFrame(rows, columns=["Plan", "Måling", "Værdi"])
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("Plan:N", title=None),
            xOffset="Måling:N",
            y=alt.Y("Værdi:Q", title=indicator["name"]),
            color=alt.Color("Måling:N", title=None),
            tooltip=list(frame.columns),
        )
    )
    comparison = [
        c["comparison"] for c in indicator["plans"].values() if c["comparison"]
    ]
    layers: list[Any] = [bars]
    if comparison:
        kommune = pd.DataFrame({"Kommunen": [comparison[0]]})
        layers.append(
            alt.Chart(kommune)
            .mark_rule(strokeDash=[6, 3], color="black")
            .encode(y="Kommunen:Q", tooltip=["Kommunen:Q"])
        )
    return alt.layer(*layers)


# --- Helhedsplan -----------------------------------------------------------------


def indicators_frame(result: dict[str, Any]) -> pd.DataFrame:
    rows = [
        {
            "Niveau": LEVEL.get(row["level"], row["level"]),
            "Indikator": row["indicator_id"],
            "Navn": row["name"],
            "Baseline": shown(row["baseline"], row["unit"]),
            "Seneste": shown(row["value"], row["unit"], row["suppressed"]),
            "Kommunen": shown(row["comparison"], row["unit"]),
            "Mål": (row.get("target") or {}).get("wording", "–"),
            "Status": STATUS.get(row["status"], row["status"]),
        }
        for row in result["indicators"]
    ]
    return pd.DataFrame(rows)


def series_frame(indicator: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Kvartal": p["period"],
                "Værdi": p["value"],
                "Skjult (<5)": p["suppressed"],
            }
            for p in indicator["series"]
        ],
        columns=["Kvartal", "Værdi", "Skjult (<5)"],
    )


def series_chart(
    frame: pd.DataFrame, baseline: float | None, comparison: float | None, title: str
) -> Chart:
    """Values over quarters against the baseline (grey) and the kommune (dashed)."""
    line = (
        alt.Chart(frame.dropna(subset=["Værdi"]))
        .mark_line(point=True)
        .encode(
            x=alt.X("Kvartal:N", title=None),
            y=alt.Y("Værdi:Q", title=title),
            tooltip=["Kvartal", "Værdi"],
        )
    )
    layers: list[Any] = [line]
    for value, label, dash in (
        (baseline, "Baseline", [2, 2]),
        (comparison, "Kommunen", [6, 3]),
    ):
        if value is not None:
            rule = pd.DataFrame({label: [value]})
            layers.append(
                alt.Chart(rule)
                .mark_rule(strokeDash=dash, color="gray")
                .encode(y=f"{label}:Q", tooltip=[f"{label}:Q"])
            )
    return alt.layer(*layers).properties(height=180)


def outputs_frame(result: dict[str, Any]) -> pd.DataFrame:
    """The plan's outputs per quarter (all activities); few people hidden."""
    rows = []
    for total in result["totals"]:
        row: dict[str, Any] = {"Kvartal": total["period"]}
        for key, heading in OUTPUTS.items():
            row[heading] = count_cell(key, total.get(key))
        rows.append(row)
    return pd.DataFrame(rows)


def outputs_long(result: dict[str, Any]) -> pd.DataFrame:
    """Outputs per quarter in long form, for a chart (no people counts under 5)."""
    rows = [
        {"Kvartal": t["period"], "Output": OUTPUTS[key], "Antal": t.get(key) or 0}
        for t in result["totals"]
        for key in ("sessions", "enrolments", "completions", "courses")
    ]
    return pd.DataFrame(rows, columns=["Kvartal", "Output", "Antal"])


def activities_frame(
    result: dict[str, Any], plan: dict[str, Any] | None = None
) -> pd.DataFrame:
    rows = [
        {
            "Aktivitet": a["name"],
            "Status": ACTIVITY_STATUS.get(
                a.get("status") or "", a.get("status") or "–"
            ),
            "CFBU-type": a["cfbu_activity_type"] or "–",
            "Dokumenteret effekt": "✓" if a["documented_effect"] else "–",
        }
        for a in result["activities"]
    ]
    return pd.DataFrame(rows)


def history_frame(history: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for entry in history["entries"]:
        kind, action = entry["kind"], entry["action"]
        if kind == "activity_status":
            what = (
                f"Aktivitet {entry['detail']['activity_id']}: "
                + ACTIVITY_STATUS.get(action, action)
            )
        else:
            what = HISTORY.get((kind, action), f"{kind} {action}")
        document = DOCUMENT.get(entry["document"] or "", entry["document"] or "")
        rows.append(
            {
                "Tidspunkt": pd.Timestamp(entry["recorded"]).tz_convert(
                    "Europe/Copenhagen"
                ),
                "Hændelse": what,
                "Dokument": document,
                "Version": entry["version"],
                "Begrundelse": (entry["detail"] or {}).get("reason") or "",
            }
        )
    return pd.DataFrame(
        rows, columns=["Tidspunkt", "Hændelse", "Dokument", "Version", "Begrundelse"]
    )


def history_chart(frame: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_circle(size=120)
        .encode(
            x=alt.X("Tidspunkt:T", title=None),
            y=alt.Y("Hændelse:N", title=None),
            color=alt.Color("Dokument:N", title=None),
            tooltip=["Tidspunkt:T", "Hændelse", "Dokument", "Version", "Begrundelse"],
        )
        .properties(height=220)
    )


# --- Revision ------------------------------------------------------------------


def events_frame(log: dict[str, Any]) -> pd.DataFrame:
    rows = [
        {
            "Position": e["position"],
            "Type": event_type(e["type"]),
            "Dag": e["day"],
            "Registreret": pd.Timestamp(e["recordedtime"]).tz_convert(
                "Europe/Copenhagen"
            ),
            "Kilde": e["source"],
            "Id": e["id"],
            "For sent": "ja" if e["late"] else "",
            "Rettet senere": "ja" if e["changed_later"] else "",
            "Retter": e["changes"] or "",
        }
        for e in log["events"]
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "Position",
            "Type",
            "Dag",
            "Registreret",
            "Kilde",
            "Id",
            "For sent",
            "Rettet senere",
            "Retter",
        ],
    )


def lineage_frame(result: dict[str, Any]) -> pd.DataFrame:
    rows = [
        {
            "Type": event_type(e["type"]),
            "Tidspunkt": e["time"][:10],
            "Registreret": pd.Timestamp(e["recordedtime"]).tz_convert(
                "Europe/Copenhagen"
            ),
            "Kilde": e["source"],
            "Id": e["id"],
            "For sent": "ja" if e["late"] else "",
            "Retter": e["changes"] or "",
        }
        for e in result["events"]
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "Type",
            "Tidspunkt",
            "Registreret",
            "Kilde",
            "Id",
            "For sent",
            "Retter",
        ],
    )


def changes_frame(changes: dict[str, Any]) -> pd.DataFrame:
    rows = [
        {
            "Indikator": v["indicator_id"],
            "Navn": v["name"],
            "Kendt ved godkendelsen": shown(v["then"], v["unit"]),
            "Kendt nu": shown(v["now"], v["unit"]),
        }
        for v in changes["values"]
    ]
    return pd.DataFrame(
        rows, columns=["Indikator", "Navn", "Kendt ved godkendelsen", "Kendt nu"]
    )


# --- Årlig opfølgning -------------------------------------------------------------


def annual_frames(report: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The annual follow-up as the tables the board approves."""
    indicators = pd.DataFrame(
        [
            {
                "Dokument": DOCUMENT.get(r["document"], r["document"]),
                "Indikator": r["indicator_id"],
                "Navn": r["name"],
                "Baseline": shown(r["baseline"], r["unit"]),
                f"Værdi {report['year']}": shown(
                    r["value"], r["unit"], r["suppressed"]
                ),
                "Kommunen": shown(r["comparison"], r["unit"]),
                "Mål": (r.get("target") or {}).get("wording", "–"),
                "Status": STATUS.get(r["status"], r["status"]),
                "Kilde": r.get("measured_source")
                or ("aktivitetsdata" if r["kind"] == "derived" else "–"),
            }
            for r in report["indicators"]
        ]
    )
    outputs = pd.DataFrame(
        [
            {"Aktivitet": r["activity_name"]}
            | {heading: count_cell(key, r.get(key)) for key, heading in OUTPUTS.items()}
            for r in report["outputs"]
        ]
    )
    follow_ups = pd.DataFrame(
        [
            {
                "Dato": f["held_on"],
                "Organ": f["body"],
                "Mål gennemgået": ", ".join(f["goals_reviewed"]),
                "Beslutninger": "; ".join(f["decisions"]),
            }
            for f in report["follow_ups"]
        ],
        columns=["Dato", "Organ", "Mål gennemgået", "Beslutninger"],
    )
    return {"Indikatorer": indicators, "Aktiviteter": outputs, "Opfølgning": follow_ups}


def annual_xlsx(report: dict[str, Any]) -> bytes:
    """The annual follow-up as an Excel workbook, one sheet per table."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        pd.DataFrame(
            {
                "Felt": ["Helhedsplan", "År", "Kendt pr.", "Dannet"],
                "Værdi": [
                    report["plan_name"],
                    report["year"],
                    report["as_of"] or "nu",
                    report["made_at"],
                ],
            }
        ).to_excel(writer, sheet_name="Forside", index=False)
        for name, frame in annual_frames(report).items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return out.getvalue()


def annual_html(report: dict[str, Any]) -> str:
    """The annual follow-up as a printable HTML page (print it to PDF)."""
    name = html.escape(report["plan_name"])
    parts = [
        "<!doctype html><html lang='da'><head><meta charset='utf-8'>",
        f"<title>Årlig opfølgning {report['year']}: {name}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
        "margin-bottom:2em}td,th{border:1px solid #999;padding:4px 8px;font-size:10pt}"
        "th{background:#eee}</style></head><body>",
        f"<h1>Årlig opfølgning {report['year']}</h1>",
        f"<p><b>{name}</b>, {html.escape(report['kommune'])}. "
        f"Tal kendt pr. {html.escape(report['as_of'] or 'dannelsestidspunktet')}; "
        f"dannet {html.escape(report['made_at'])}. Tal under 5 vises som &lt;5.</p>",
    ]
    for name, frame in annual_frames(report).items():
        parts.append(f"<h2>{html.escape(name)}</h2>")
        parts.append(frame.to_html(index=False, escape=True, na_rep="–"))
    parts.append("</body></html>")
    return "\n".join(parts)


# --- downloads -------------------------------------------------------------------


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Semicolons and decimal commas, with a BOM: Danish Excel opens it as is."""
    text = frame.to_csv(index=False, sep=";", decimal=",")
    return text.encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, title: str) -> bytes:
    out = io.BytesIO()
    plain = frame.copy()
    for column in plain.columns:  # Excel keeps no time zones
        if isinstance(plain[column].dtype, pd.DatetimeTZDtype):
            plain[column] = plain[column].dt.tz_localize(None)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        plain.to_excel(writer, sheet_name=title[:31] or "Ark", index=False)
    return out.getvalue()
