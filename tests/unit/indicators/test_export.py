"""Exports of tables: Danish CSV and Excel, small numbers suppressed."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from services.indicators.export import indicator_rows, to_csv, to_xlsx

TABLE = {
    "period": {"label": "2026-Q1"},
    "indicators": [
        {"indicator_id": "OI-1.1", "name": "Andel i dagtilbud", "level": "overall", "unit": "percent",
         "direction": "higher_is_better", "baseline": 81.9, "value": 83.5, "numerator": None,
         "denominator": None, "comparison": 87.04, "target": None, "status": "no_target", "suppressed": False},
        {"indicator_id": "UL-OUT-1", "name": "Deltagere", "level": "output", "unit": "count",
         "direction": "higher_is_better", "baseline": None, "value": 3.0, "numerator": 3.0,
         "denominator": None, "comparison": None, "target": {"wording": "flere"}, "status": "on_track", "suppressed": True},
    ],
}  # fmt: skip


def test_a_csv_export_uses_semicolons_decimal_commas_and_hides_small_numbers() -> None:
    lines = to_csv(indicator_rows(TABLE)).splitlines()
    assert lines[0].startswith("periode;indikator;navn")
    assert ";81,9;83,5;;;87,04;;no_target" in lines[1]
    assert ";<5;;;" in lines[2]
    assert ";3" not in lines[2].split(";<5")[1]


def test_an_excel_export_has_a_header_and_one_row_per_indicator(tmp_path: Path) -> None:
    path = tmp_path / "indikatorer.xlsx"
    to_xlsx(indicator_rows(TABLE), path, "Indikatorer")
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("periode", "indikator", "navn")
    assert [r[1] for r in rows[1:]] == ["OI-1.1", "UL-OUT-1"]
    assert rows[2][7] == "<5"
