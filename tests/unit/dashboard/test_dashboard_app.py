"""The dashboard page, rendered by Streamlit's AppTest with a fake client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
from streamlit.testing.v1 import AppTest

from services.dashboard.views import danish_number

APP = str(Path(__file__).parents[3] / "services" / "dashboard" / "app.py")


class FakeClient:
    def __init__(self, result: dict[str, Any] | None = None) -> None:
        self.result = result

    def sessions(self, plan_id: str) -> dict[str, Any]:
        if self.result is None:
            raise requests.ConnectionError("indicators is not running")
        return {**self.result, "plan_id": plan_id}

    def indicators(self, plan_id: str) -> dict[str, Any]:
        return INDICATORS


RESULT = {
    "plan_name": "Beboerprojekt Nordvest 2025-29",
    "quarters": [
        {
            "quarter": "2025-Q3",
            "sessions": 12,
            "participants": 1180,
            "new_participants": 9,
        },
        {
            "quarter": "2025-Q4",
            "sessions": 40,
            "participants": 420,
            "new_participants": 30,
        },
    ],
    "total_sessions": 52,
    "total_participants": 1600,
}


INDICATORS = {
    "period": {"label": "2026-Q3"},
    "documented_effect": {"activities": 12, "with_documented_effect": 10, "share": 83.3},
    "indicators": [
        {"level": "overall", "indicator_id": "OI-1.1", "name": "Andel 1-5-årige i dagtilbud",
         "unit": "percent", "baseline": 81.9, "value": 83.25, "comparison": 87.04,
         "target": None, "status": "no_target", "suppressed": False},
        {"level": "output", "indicator_id": "UL-OUT-1", "name": "Deltagere",
         "unit": "count", "baseline": None, "value": 3, "comparison": None,
         "target": {"wording": "flere"}, "status": "on_track", "suppressed": True},
    ],
}  # fmt: skip


def test_the_page_shows_the_plan_its_totals_in_danish_format_and_a_table() -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state.client = FakeClient(RESULT)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Boligsociale helhedsplaner"
    assert at.header[0].value == "Beboerprojekt Nordvest 2025-29"
    assert [m.value for m in at.metric] == ["52", "1.600", "10 af 12"]
    assert "Demodata" in at.info[0].value
    table = at.dataframe[0].value
    assert list(table.columns) == ["Kvartal", "Sessioner", "Deltagere", "Nye deltagere"]
    assert table["Deltagere"].tolist() == [1180, 420]
    indicators = at.dataframe[1].value
    assert indicators["Baseline"].tolist() == ["81,9 %", "–"]
    assert indicators["Seneste"].tolist() == [
        "83,2 %",
        "<5",
    ]  # Danish format; <5 hidden
    assert indicators["Status"].tolist() == ["Intet mål", "På rette vej"]


def test_the_page_says_in_danish_when_the_numbers_cannot_be_fetched() -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state.client = FakeClient(None)
    at.run()
    assert not at.exception
    assert "Kunne ikke hente tal" in at.error[0].value


def test_danish_numbers_use_dots_for_thousands_and_a_decimal_comma() -> None:
    assert danish_number(1234567) == "1.234.567"
    assert danish_number(81.9, decimals=1) == "81,9"
