"""The indicator table: derived values by the definition in force, "as of" a recorded
time before and after a correction, direction-aware status, small numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from services.indicators.projection import IndicatorsProjection
from services.indicators.status import status, suppressed
from services.indicators.table import (
    activity_outputs,
    forum_comparison,
    indicator_series,
    indicator_table,
    lineage,
)
from services.indicators.views import metadata
from shared.bus.views import metadata as tracking_metadata
from shared.contracts import agreements as contracts
from shared.contracts.activities import Corrected, SessionHeld
from shared.contracts.envelope import IntegrationEvent
from shared.contracts.registry import schema_uri
from shared.store import views_engine

PLAN = "plan-table"
T0 = datetime(2026, 1, 10, 9, tzinfo=UTC)
SESSION = SessionHeld.TYPE
COUNT = {"kind": "derived", "measure": {"op": "count", "event_type": SESSION}}
TOTAL = {
    "kind": "derived",
    "measure": {"op": "sum", "event_type": SESSION, "field": "participants"},
}


def _event(
    position: int, data: Any, happened: datetime, recorded: datetime, ident: str = ""
) -> IntegrationEvent:
    return IntegrationEvent(
        id=ident or f"e{position}",
        source="/test",
        type=data.TYPE,
        time=happened,
        dataschema=schema_uri(data.TYPE, 1),
        data=data.model_dump(mode="json"),
        recordedtime=recorded,
        position=position,
    )


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = views_engine(f"sqlite:///{tmp_path}/indicators.sqlite")
    metadata.create_all(engine)
    tracking_metadata.create_all(engine)
    projection = IndicatorsProjection()
    spec = {
        "id": "OUT-1", "name": "Deltagere", "unit": "count", "direction": "higher_is_better",
        "baselines": [{"value": 10, "unit": "count"}], "comparison_baselines": [],
        "target": {"wording": "flere", "kind": "increase"},
    }  # fmt: skip
    agreements = [
        contracts.PlanRegistered(plan_id=PLAN, name="Testplan", kommune="K",
                                 period_start=date(2025, 1, 1), period_end=date(2028, 12, 31)),
        contracts.DocumentVersionApproved(plan_id=PLAN, kind="delaftale", key="UL", version=1,
                                          imported=True, content={"delmaal": [], "output_indicators": [spec]}),
        contracts.IndicatorDefined(plan_id=PLAN, indicator_id="OUT-1", effective_from=date(2025, 1, 1), definition=COUNT),
        contracts.IndicatorDefined(plan_id=PLAN, indicator_id="OUT-1", effective_from=date(2026, 1, 1), definition=TOTAL),
    ]  # fmt: skip
    with engine.begin() as conn:
        projection.apply(
            conn,
            "agreements",
            [_event(n + 1, d, T0, T0) for n, d in enumerate(agreements)],
        )
    yield engine, projection
    engine.dispose()


def _sessions(
    projection: IndicatorsProjection,
    engine: Any,
    rows: list[tuple[int, date, int, datetime]],
) -> None:
    events = [
        _event(position, SessionHeld(plan_id=PLAN, activity_id="a-1", participants=people),
               datetime.combine(day, datetime.min.time(), UTC), recorded)
        for position, day, people, recorded in rows
    ]  # fmt: skip
    with engine.begin() as conn:
        projection.apply(conn, "activities", events)


def test_a_value_is_computed_by_the_definition_in_force_for_its_period(
    engine: Any,
) -> None:
    engine, projection = engine
    _sessions(projection, engine, [(1, date(2025, 11, 3), 6, T0), (2, date(2025, 11, 10), 7, T0),
                                   (3, date(2026, 2, 2), 6, T0), (4, date(2026, 2, 9), 7, T0)])  # fmt: skip
    autumn = indicator_table(engine, PLAN, on=date(2025, 11, 30))["indicators"][0]
    winter = indicator_table(engine, PLAN, on=date(2026, 2, 28))["indicators"][0]
    assert (autumn["value"], winter["value"]) == (2.0, 13.0)  # a count, then a sum


def test_as_of_before_and_after_a_correction_gives_the_value_known_then_and_now(
    engine: Any,
) -> None:
    engine, projection = engine
    _sessions(
        projection, engine, [(1, date(2026, 2, 2), 6, T0), (2, date(2026, 2, 9), 7, T0)]
    )
    corrected_at = T0 + timedelta(days=30)
    correction = Corrected(plan_id=PLAN, supersedes={"source": "/test", "id": "e1"},  # type: ignore[arg-type]
                           corrected_type=SESSION, corrected_data={"plan_id": PLAN, "activity_id": "a-1", "participants": 16},
                           reason="optalt igen")  # fmt: skip
    with engine.begin() as conn:
        projection.apply(
            conn, "activities", [_event(3, correction, T0, corrected_at, "c1")]
        )
    then = indicator_table(
        engine, PLAN, as_of=T0 + timedelta(days=1), on=date(2026, 2, 28)
    )
    now = indicator_table(engine, PLAN, on=date(2026, 2, 28))
    assert then["indicators"][0]["value"] == 13.0
    assert now["indicators"][0]["value"] == 23.0
    assert then["as_of"] is not None


def test_status_respects_the_direction_of_an_indicator() -> None:
    falls = {"wording": "falder over perioden", "kind": "decrease_over_period"}
    assert (
        status("lower_is_better", falls, baseline=15.4, value=14.0, comparison=6.36)
        == "on_track"
    )
    assert (
        status("lower_is_better", falls, baseline=15.4, value=16.0, comparison=6.36)
        == "off_track"
    )
    reach = {"wording": "nå kommunens niveau", "kind": "reach_comparison_level"}
    assert status("lower_is_better", reach, 15.4, 6.0, 6.36) == "on_track"
    assert status("higher_is_better", reach, 81.9, 85.0, 87.04) == "off_track"
    converge = {"wording": "nærmer sig KK", "kind": "converge_to_comparison"}
    assert status("higher_is_better", converge, 58.8, 65.0, 72.3) == "on_track"
    assert status("monitor", falls, 10, 12, None) == "monitor"
    assert status("higher_is_better", None, 10, 12, None) == "no_target"
    assert status("higher_is_better", falls, 10, None, None) == "no_data"


def test_small_numbers_are_suppressed() -> None:
    assert suppressed("count", 4)
    assert not suppressed("count", 5)
    assert suppressed("percent", 50.0, numerator=2, denominator=4)
    assert not suppressed("percent", 50.0, numerator=20, denominator=40)


def test_the_lineage_of_a_value_lists_its_events_and_the_corrections_that_changed_it(
    engine: Any,
) -> None:
    engine, projection = engine
    _sessions(
        projection, engine, [(1, date(2026, 2, 2), 6, T0), (2, date(2026, 2, 9), 7, T0)]
    )
    correction = Corrected(plan_id=PLAN, supersedes={"source": "/test", "id": "e1"},  # type: ignore[arg-type]
                           corrected_type=SESSION, corrected_data={"plan_id": PLAN, "activity_id": "a-1", "participants": 16},
                           reason="optalt igen")  # fmt: skip
    with engine.begin() as conn:
        projection.apply(
            conn,
            "activities",
            [_event(3, correction, T0, T0 + timedelta(days=30), "c1")],
        )
    found = lineage(engine, PLAN, "OUT-1", on=date(2026, 2, 28))
    assert found["value"] == 23.0
    assert [(e["id"], e["changes"]) for e in found["events"]] == [
        ("e1", None),
        ("e2", None),
        ("c1", "/test e1"),
    ]
    before = lineage(
        engine, PLAN, "OUT-1", as_of=T0 + timedelta(days=1), on=date(2026, 2, 28)
    )
    assert [e["id"] for e in before["events"]] == ["e1", "e2"]


def test_a_forum_comparison_suppresses_small_counts(engine: Any) -> None:
    engine, projection = engine
    forum = [
        contracts.ForumRegistered(forum_id="forum-x", name="Forum", kommune="K"),
        contracts.PlanJoinedForum(
            forum_id="forum-x", plan_id=PLAN, joined_on=date(2025, 1, 1)
        ),
    ]
    with engine.begin() as conn:
        projection.apply(
            conn, "agreements", [_event(10 + n, d, T0, T0) for n, d in enumerate(forum)]
        )
    _sessions(projection, engine, [(1, date(2026, 2, 2), 3, T0)])  # participants 3 < 5
    compared = forum_comparison(engine, "forum-x", "OUT-1")
    [plan] = compared["plans"]
    assert (plan["suppressed"], plan["value"]) == (True, None)


def _corrected_february(engine: Any, projection: IndicatorsProjection) -> datetime:
    """Two February sessions (6 and 7 people); the first is corrected to 16 a
    month later. Returns when the correction was recorded."""
    _sessions(
        projection, engine, [(1, date(2026, 2, 2), 6, T0), (2, date(2026, 2, 9), 7, T0)]
    )
    corrected_at = T0 + timedelta(days=30)
    correction = Corrected(plan_id=PLAN, supersedes={"source": "/test", "id": "e1"},  # type: ignore[arg-type]
                           corrected_type=SESSION, corrected_data={"plan_id": PLAN, "activity_id": "a-1", "participants": 16},
                           reason="optalt igen")  # fmt: skip
    with engine.begin() as conn:
        projection.apply(
            conn, "activities", [_event(3, correction, T0, corrected_at, "c1")]
        )
    return corrected_at


def test_as_of_shows_the_value_as_reported_then_beside_the_value_known_now(
    engine: Any,
) -> None:
    engine, projection = engine
    corrected_at = _corrected_february(engine, projection)
    then = indicator_table(
        engine, PLAN, as_of=corrected_at - timedelta(days=1), on=date(2026, 2, 28)
    )
    [row] = then["indicators"]
    assert (row["value"], row["value_now"], row["changed_since"]) == (13.0, 23.0, True)
    after = indicator_table(engine, PLAN, as_of=corrected_at, on=date(2026, 2, 28))
    assert after["indicators"][0]["changed_since"] is False


def test_the_series_of_an_indicator_has_a_value_per_quarter_by_its_definition(
    engine: Any,
) -> None:
    engine, projection = engine
    _sessions(projection, engine, [(1, date(2025, 11, 3), 6, T0), (2, date(2025, 11, 10), 7, T0),
                                   (3, date(2026, 2, 2), 6, T0), (4, date(2026, 2, 9), 7, T0)])  # fmt: skip
    series = indicator_series(engine, PLAN, "OUT-1")
    values = {p["period"]: (p["value"], p["suppressed"]) for p in series["series"]}
    assert values["2025-Q1"] == (None, True)  # a count of 0 is under 5 too
    assert values["2025-Q4"] == (None, True)  # a count of 2 sessions is suppressed
    assert values["2026-Q1"] == (13.0, False)  # a sum under the 2026 definition
    assert list(values)[-1] == "2026-Q1"
    assert series["baseline"] == 10.0


def test_outputs_as_of_before_a_correction_count_what_was_reported_then(
    engine: Any,
) -> None:
    engine, projection = engine
    corrected_at = _corrected_february(engine, projection)
    then = activity_outputs(engine, PLAN, "quarter", corrected_at - timedelta(days=1))
    now = activity_outputs(engine, PLAN, "quarter")
    assert then["rows"][0]["participants"] == 13
    assert now["rows"][0]["participants"] == 23
    assert now["totals"][0]["sessions"] == 2
