"""Every dashboard page, run by Streamlit's AppTest against the demo served by the
real services: what each page shows, and "as of" before and after a correction."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from services.dashboard.client import HttpDashboardClient
from services.dashboard.common import AS_OF_DAY, AS_OF_TOGGLE
from tests.demo import NORDVEST, DemoPlatform

APP = str(Path(__file__).parents[2] / "services" / "dashboard" / "app.py")
PLANS = {
    "Beboerprojekt Nordvest 2025-29",
    "Demo: Solhaven 2023-27",
    "Demo: Kildevænget 2024-28",
    "Demo: Engparken 2025-29",
}
# Nordvest's first January 2026 session of "Styrket skolegang" (ul-a2) is reported
# on 5 February and recounted (+5 participants) on 19 March 2026
BEFORE, AFTER = date(2026, 3, 18), date(2026, 3, 19)

pytestmark = pytest.mark.timeout(300)


def _app(
    platform: DemoPlatform, page: str | None = None, as_of: date | None = None
) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["client"] = HttpDashboardClient(platform.indicators_url)
    app.run()
    if page is not None:
        app.switch_page(f"pages/{page}.py")
        app.run()
    if as_of is not None:
        _labelled(app.toggle, AS_OF_TOGGLE).set_value(True).run()
        _labelled(app.date_input, AS_OF_DAY).set_value(as_of).run()
    _no_errors(app)
    return app


def _labelled(widgets: Any, label: str) -> Any:
    return next(w for w in widgets if w.label == label)


def _no_errors(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


def _frame(app: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page with these columns."""
    for table in app.dataframe:
        frame = table.value
        if isinstance(frame, pd.DataFrame) and set(columns) <= set(frame.columns):
            return frame
    raise AssertionError(f"no table with columns {columns}")


def _text(app: AppTest) -> str:
    return "\n".join(str(m.value) for m in [*app.markdown, *app.caption, *app.title])


def _choose_plan(app: AppTest, plan_id: str = NORDVEST) -> None:
    _labelled(app.selectbox, "Helhedsplan").set_value(plan_id).run()
    _no_errors(app)


def test_the_samarbejdsforum_page_shows_its_plans_side_by_side_with_status(
    demo_platform: DemoPlatform,
) -> None:
    app = _app(demo_platform)
    assert app.title[0].value == "Samarbejdsforum"
    assert "demodata" in _text(app)
    matrix = _frame(app, "Indikator", *PLANS)
    assert len(matrix) >= 9  # the 9 overall indicators, at least
    cells = " ".join(
        str(v) for v in matrix.drop(columns="Indikator").to_numpy().ravel()
    )
    assert "På rette vej" in cells
    assert "Ikke på rette vej" in cells
    table = _frame(
        app, "Indikator", "Plan", "Baseline", "Seneste", "Kommunen", "Status"
    )
    daycare = table[
        (table["Indikator"] == "OI-1.1") & (table["Plan"].str.startswith("Beboer"))
    ]
    assert daycare.iloc[0]["Baseline"] == "81,9 %"  # as agreed, in Danish format
    assert daycare.iloc[0]["Kommunen"] == "87,0 %"
    assert len(app.get("vega_lite_chart")) >= 1


def test_the_plan_page_shows_goals_outputs_activities_and_the_revision_timeline(
    demo_platform: DemoPlatform,
) -> None:
    app = _app(demo_platform, "plan")
    _choose_plan(app)
    indicators = _frame(app, "Niveau", "Indikator", "Seneste", "Status")
    assert (indicators["Niveau"] == "Overordnet mål").sum() == 9
    assert {e.label for e in app.expander} >= {
        "Strategisk samarbejdsaftale",
        "Delaftale: Uddannelse og livschancer",
    }
    outputs = _frame(app, "Kvartal", "Sessioner", "Indskrevne", "Aktive match")
    assert "2026-Q1" in set(outputs["Kvartal"])
    activities = _frame(app, "Aktivitet", "Status", "CFBU-type", "Dokumenteret effekt")
    assert len(activities) == 12
    assert "På pause" in set(activities["Status"])  # paused by the demo in June 2026
    assert (activities["Dokumenteret effekt"] == "✓").sum() == 10
    history = _frame(app, "Tidspunkt", "Hændelse", "Dokument", "Version")
    assert "Godkendt og i kraft" in set(history["Hændelse"])
    assert "Ændring udkastet" in set(history["Hændelse"])
    assert len(app.get("vega_lite_chart")) >= 3


def test_the_compare_page_shows_one_indicator_across_the_plans_over_time(
    demo_platform: DemoPlatform,
) -> None:
    app = _app(demo_platform, "compare")
    app.selectbox[1].set_value("UL-OUT-1").run()
    _no_errors(app)
    wide = _frame(app, "Kvartal", *PLANS)
    assert "2024-Q1" in set(wide["Kvartal"])  # Solhaven started in 2023
    assert len(app.get("vega_lite_chart")) == 1


def test_the_audit_page_filters_the_log_shows_lineage_and_proves_the_rebuild(
    demo_platform: DemoPlatform,
) -> None:
    app = _app(demo_platform, "audit")
    _choose_plan(app, "demo-solhaven-2023-27")
    events = _frame(app, "Position", "Type", "For sent", "Rettet senere")
    assert len(events) > 100
    app.selectbox[2].set_value("late").run()  # Markering: only late ones
    _no_errors(app)
    late = _frame(app, "Position", "Type", "For sent")
    assert len(late) > 0
    assert set(late["For sent"]) == {"ja"}
    app.selectbox[2].set_value("corrected").run()
    corrected = _frame(app, "Position", "Type", "Retter", "Rettet senere")
    assert {"Rettelse", "Tilbagekaldelse"} <= set(corrected["Type"])
    lineage = _frame(app, "Type", "Tidspunkt", "Registreret", "Kilde", "Id")
    assert len(lineage) > 0
    assert "Siden" in _text(app)  # changed since the last approval
    app.button(key="rebuild").click().run()
    _no_errors(app)
    assert any("Identiske" in s.value for s in app.success)


def test_the_annual_page_shows_the_years_report_and_offers_excel_and_html(
    demo_platform: DemoPlatform,
) -> None:
    app = _app(demo_platform, "annual")
    _choose_plan(app, "demo-solhaven-2023-27")
    year = next(s for s in app.selectbox if s.label == "År")
    year.set_value(2025).run()
    _no_errors(app)
    indicators = _frame(app, "Indikator", "Værdi 2025", "Status")
    assert "OI-1.1" in set(indicators["Indikator"])
    assert indicators["Værdi 2025"].ne("–").any()
    outputs = _frame(app, "Aktivitet", "Sessioner", "Gennemførte")
    assert len(outputs) > 3
    follow_ups = _frame(app, "Dato", "Organ", "Mål gennemgået")
    assert list(follow_ups["Dato"]) == ["2025-02-20"]
    labels = {b.proto.label for b in app.get("download_button")}
    assert {"Hent som Excel", "Hent som HTML (kan udskrives som PDF)"} <= labels


def _nordvest_value(app: AppTest, page: str) -> Any:
    """Nordvest's UL-OUT-1 (participants in Styrket skolegang) as the page shows it."""
    if page == "forum":
        table = _frame(app, "Indikator", "Plan", "Seneste")
        row = table[
            (table["Indikator"] == "UL-OUT-1") & table["Plan"].str.startswith("Beboer")
        ]
        return row.iloc[0]["Seneste"]
    if page in ("plan", "audit"):
        _choose_plan(app)
        table = _frame(app, "Indikator", "Seneste")
        return table[table["Indikator"] == "UL-OUT-1"].iloc[0]["Seneste"]
    if page == "compare":
        app.selectbox[1].set_value("UL-OUT-1").run()
        wide = _frame(app, "Kvartal", "Beboerprojekt Nordvest 2025-29")
        return wide[wide["Kvartal"] == "2026-Q1"].iloc[0][
            "Beboerprojekt Nordvest 2025-29"
        ]
    _choose_plan(app)
    next(s for s in app.selectbox if s.label == "År").set_value(2026).run()
    table = _frame(app, "Indikator", "Værdi 2026")
    return table[table["Indikator"] == "UL-OUT-1"].iloc[0]["Værdi 2026"]


@pytest.mark.parametrize("page", ["forum", "plan", "compare", "audit", "annual"])
def test_as_of_before_a_correction_shows_the_earlier_value_on_every_page(
    demo_platform: DemoPlatform, page: str
) -> None:
    before = _nordvest_value(
        _app(demo_platform, page if page != "forum" else None, BEFORE), page
    )
    after = _nordvest_value(
        _app(demo_platform, page if page != "forum" else None, AFTER), page
    )
    assert (
        float(str(after).replace(".", "").replace(",", "."))
        == float(str(before).replace(".", "").replace(",", ".")) + 5
    ), (before, after)


def test_the_as_of_moment_and_the_chosen_plan_follow_the_reader_to_other_pages(
    demo_platform: DemoPlatform,
) -> None:
    app = _app(demo_platform, "plan", BEFORE)
    _choose_plan(app, "demo-kildevaenget-2024-28")
    app.switch_page("pages/annual.py")
    app.run()
    _no_errors(app)
    assert _labelled(app.selectbox, "Helhedsplan").value == "demo-kildevaenget-2024-28"
    assert _labelled(app.toggle, AS_OF_TOGGLE).value is True
    assert any("18.03.2026" in w.value for w in app.warning)
