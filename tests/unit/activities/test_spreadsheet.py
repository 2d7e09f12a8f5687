"""Activity records from CSV and Excel sheets with Danish conventions."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from typer.testing import CliRunner

from services.activities.application import Activities
from services.activities.spreadsheet import Mapping, SheetError, to_events
from services.activities.views import known_activities, known_plans, metadata
from services.cli.commands import app as cli
from shared.settings import Settings
from shared.store import views_engine

PLAN = "plan-test"
SOURCE = "/helhed/import/test"


def _csv(tmp_path: Path, text: str, bom: bool = False, name: str = "ark.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


SHEET = (
    "Aktivitet;Dato;Deltagere;Nye deltagere;Varighed;Note\n"
    "lektiecafe;1.9.2025;12;2;1,5 t;god stemning\n"
    "lektiecafe;2025-09-08;9;1;90;\n"
    "lektiecafe;31.2.2025;5;0;60;\n"
    "lektiecafe;15.9.2025;mange;0;60;\n"
    ";;;;;\n"
)


@pytest.mark.parametrize("bom", [True, False])
def test_a_danish_csv_becomes_session_events_and_bad_rows_are_named(
    tmp_path: Path, bom: bool
) -> None:
    sheet = to_events(_csv(tmp_path, SHEET, bom), PLAN, SOURCE, Mapping())
    assert sheet.rows == 4  # the empty row is skipped
    assert [row for row, _ in sheet.events] == [2, 3]
    first = sheet.events[0][1]
    assert first["type"] == "dk.helhedsplan.activity.session-held"
    assert first["time"].startswith("2025-09-01T12:00:00+02:00")
    assert first["data"] == {
        "plan_id": PLAN,
        "activity_id": "lektiecafe",
        "participants": 12,
        "new_participants": 2,
        "duration_minutes": 90,
        "note": "god stemning",
    }
    assert [(p.row, p.column) for p in sheet.problems] == [
        (4, "Dato"),
        (5, "Deltagere"),
    ]
    assert "31.2.2025" in sheet.problems[0].message


def test_a_comma_separated_file_and_other_date_styles_are_read(tmp_path: Path) -> None:
    text = "aktivitet,dato,deltagere\nlektiecafe,01-10-2025,3\nlektiecafe,2/10/2025,4\n"
    sheet = to_events(_csv(tmp_path, text), PLAN, SOURCE, Mapping())
    assert [e["time"][:10] for _, e in sheet.events] == ["2025-10-01", "2025-10-02"]
    assert not sheet.problems


def test_importing_the_same_file_twice_gives_the_same_ids(tmp_path: Path) -> None:
    path = _csv(tmp_path, SHEET)
    first = [e["id"] for _, e in to_events(path, PLAN, SOURCE, Mapping()).events]
    again = [e["id"] for _, e in to_events(path, PLAN, SOURCE, Mapping()).events]
    assert first == again
    assert len(set(first)) == 2


def test_an_excel_sheet_with_date_cells_and_event_types_by_danish_name(
    tmp_path: Path,
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Hændelse", "Aktivitet", "Dato", "Deltager", "Resultat", "Deltagere"])
    sheet.append(["session", "jobcafe", datetime(2025, 10, 6), None, None, 7])
    sheet.append(["tilmelding", "jobcafe", date(2025, 10, 6), "p-17", None, None])
    sheet.append(["resultat", "jobcafe", "7.10.2025", "p-17", "fået job", None])
    sheet.append(["fest", "jobcafe", "8.10.2025", None, None, None])
    path = tmp_path / "ark.xlsx"
    book.save(path)
    read = to_events(path, PLAN, SOURCE, Mapping())
    assert [e["type"].rsplit(".", 1)[1] for _, e in read.events] == [
        "session-held",
        "participant-enrolled",
        "outcome-recorded",
    ]
    assert read.events[2][1]["data"]["kind"] == "got_job"
    assert [(p.row, p.column) for p in read.problems] == [(5, "Hændelse")]


def test_a_mapping_file_reads_another_layout(tmp_path: Path) -> None:
    path = _csv(tmp_path, "When;Who came;Activity code\n3.11.2025;6;lektiecafe\n")
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(
        "columns: {When: date, Who came: participants, Activity code: activity_id}\n"
        "defaults: {new_participants: 0}\n",
        encoding="utf-8",
    )
    sheet = to_events(path, PLAN, SOURCE, Mapping.load(mapping_file))
    assert sheet.events[0][1]["data"]["participants"] == 6
    assert sheet.events[0][1]["data"]["new_participants"] == 0


def test_a_sheet_without_a_date_column_is_refused_whole(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="dato"):
        to_events(_csv(tmp_path, "aktivitet;deltagere\nx;1\n"), PLAN, SOURCE, Mapping())


def _known_plan(data_dir: Path) -> None:
    engine = views_engine(Settings(data_dir=data_dir).database_url("activities"))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(known_plans).values(
                plan_id=PLAN,
                period_start=date(2025, 9, 1),
                period_end=date(2029, 8, 31),
            )
        )
        conn.execute(
            sa.insert(known_activities).values(plan_id=PLAN, activity_id="lektiecafe")
        )
    engine.dispose()


def test_helhed_ingest_stores_the_good_rows_reports_the_bad_and_dry_run_stores_nothing(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "var"
    _known_plan(data_dir)
    path = _csv(tmp_path, SHEET + "ukendt;20.9.2025;4;0;60;\n")
    runner = CliRunner()
    args = ["ingest", str(path), "--plan", PLAN, "--data-dir", str(data_dir)]
    dry = runner.invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 1
    store = Activities(Settings(data_dir=data_dir).database_url("activities"))
    try:
        assert (store.recorder.max_notification_id() or 0) == 0
    finally:
        store.close()
    done = runner.invoke(cli, args)
    assert done.exit_code == 1  # some rows were refused
    assert "2 gemt" in done.output
    assert "ukendt" in done.output  # row 7: the plan has no such activity
    again = runner.invoke(cli, args)
    assert "2 kendt i forvejen" in again.output
    store = Activities(Settings(data_dir=data_dir).database_url("activities"))
    try:
        assert store.recorder.max_notification_id() == 2
    finally:
        store.close()
