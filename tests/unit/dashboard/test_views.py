"""The dashboard's pure shaping: Danish numbers, suppression, downloads, the
annual report's Excel and HTML files."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from services.dashboard.views import (
    annual_html,
    annual_xlsx,
    count_cell,
    danish_number,
    shown,
    to_csv_bytes,
    to_xlsx_bytes,
)

REPORT = {
    "plan_id": "p", "plan_name": "Demo: Solhaven <2023-27>", "kommune": "Københavns Kommune",
    "year": 2025, "as_of": None, "made_at": "2026-11-22T10:00:00+00:00",
    "indicators": [
        {"document": "strategisk", "indicator_id": "OI-1.1", "name": "Andel i dagtilbud",
         "unit": "percent", "baseline": 81.9, "value": 83.25, "comparison": 87.04,
         "target": None, "status": "on_track", "suppressed": False, "kind": "measured",
         "measured_source": "demodata"},
        {"document": "UL", "indicator_id": "UL-OUT-1", "name": "Deltagere", "unit": "count",
         "baseline": None, "value": None, "comparison": None, "target": {"wording": "flere"},
         "status": "no_data", "suppressed": True, "kind": "derived", "measured_source": None},
    ],
    "outputs": [{"activity_name": "Lektiecafé", "sessions": 52, "participants": 3,
                 "completions": 12}],
    "follow_ups": [{"held_on": "2025-02-20", "body": "bestyrelsen", "goals_reviewed": ["OG1"],
                    "decisions": ["godkendt"]}],
}  # fmt: skip


def test_numbers_are_written_the_danish_way_and_small_counts_of_people_hidden() -> None:
    assert danish_number(1234.5, 1) == "1.234,5"
    assert shown(81.9, "percent") == "81,9 %"
    assert shown(5.2, "grade") == "5,20"
    assert shown(3, "count", hidden=True) == "<5"
    assert shown(None, "count") == "–"
    assert count_cell("participants", 3) == "<5"
    assert count_cell("participants", 0) == "0"
    assert count_cell("sessions", 3) == "3"  # sessions are not people


def test_a_csv_download_opens_in_danish_excel() -> None:
    data = to_csv_bytes(pd.DataFrame({"Navn": ["a"], "Værdi": [81.9]}))
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines() == ["Navn;Værdi", "a;81,9"]


def test_an_excel_download_keeps_the_rows_and_drops_time_zones() -> None:
    frame = pd.DataFrame({"Tidspunkt": pd.to_datetime(["2026-03-19T09:00:00+00:00"]),
                          "Værdi": [5]})  # fmt: skip
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame, "Hændelser")))
    rows = list(book["Hændelser"].values)
    assert rows[0] == ("Tidspunkt", "Værdi")
    assert rows[1][1] == 5


def test_the_annual_report_is_a_workbook_with_a_sheet_per_table() -> None:
    book = load_workbook(io.BytesIO(annual_xlsx(REPORT)))
    assert book.sheetnames == ["Forside", "Indikatorer", "Aktiviteter", "Opfølgning"]
    indicators = list(book["Indikatorer"].values)
    assert indicators[1][1:5] == ("OI-1.1", "Andel i dagtilbud", "81,9 %", "83,2 %")
    assert indicators[2][4] == "<5"
    activities = list(book["Aktiviteter"].values)
    assert activities[1][0] == "Lektiecafé"
    assert "<5" in activities[1]  # three participants are too few to show


def test_the_annual_report_as_html_is_escaped_and_printable() -> None:
    page = annual_html(REPORT)
    assert "<h1>Årlig opfølgning 2025</h1>" in page
    assert "Demo: Solhaven &lt;2023-27&gt;" in page
    assert "<table" in page
    assert "2025-02-20" in page
