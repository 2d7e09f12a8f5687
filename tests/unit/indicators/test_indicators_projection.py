"""The indicators read model on a SQLite file: reporting quarters, the projection of
agreements' and activities' events, and sessions per quarter."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa

from services.indicators import views
from services.indicators.periods import quarter_bounds, quarter_of
from services.indicators.projection import IndicatorsProjection
from services.indicators.queries import UnknownPlanError, sessions_per_quarter
from shared.bus.follower import Follower
from shared.bus.views import metadata as tracking_metadata
from shared.contracts import agreements as contracts
from shared.contracts.activities import CourseHeld, SessionHeld
from shared.contracts.envelope import Delivery, IntegrationEvent, NotificationPage
from shared.contracts.registry import schema_uri
from shared.store import views_engine

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pydantic import BaseModel
    from sqlalchemy.engine import Engine

PLAN = "plan-a"
CPH = timezone(timedelta(hours=2))
RECORDED = datetime(2026, 2, 1, tzinfo=UTC)


# reporting periods


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2025, 1, 1), "2025-Q1"),
        (date(2025, 3, 31), "2025-Q1"),
        (date(2025, 4, 1), "2025-Q2"),
        (date(2025, 6, 30), "2025-Q2"),
        (date(2025, 7, 1), "2025-Q3"),
        (date(2025, 9, 30), "2025-Q3"),
        (date(2025, 10, 1), "2025-Q4"),
        (date(2025, 12, 31), "2025-Q4"),
        (date(2028, 2, 29), "2028-Q1"),
    ],
)
def test_a_day_falls_in_its_calendar_quarter(day: date, quarter: str) -> None:
    assert quarter_of(day) == quarter


def test_quarter_bounds_are_the_first_and_last_day_of_the_days_quarter() -> None:
    day = date(2024, 1, 1)  # a leap year, every day of it
    while day.year == 2024:
        start, end = quarter_bounds(day)
        assert start <= day <= end
        assert quarter_of(start) == quarter_of(end) == quarter_of(day)
        assert quarter_of(start - timedelta(days=1)) != quarter_of(day)
        assert quarter_of(end + timedelta(days=1)) != quarter_of(day)
        day += timedelta(days=1)


def test_the_last_quarter_ends_on_new_years_eve() -> None:
    assert quarter_bounds(date(2025, 11, 15)) == (date(2025, 10, 1), date(2025, 12, 31))


# the projection


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = views_engine(f"sqlite:///{tmp_path}/indicators.sqlite")
    views.metadata.create_all(engine)
    tracking_metadata.create_all(engine)
    yield engine
    engine.dispose()


def _event(
    position: int, data: BaseModel, time: datetime | None = None
) -> IntegrationEvent:
    return IntegrationEvent(
        id=f"e{position}",
        source="/test",
        type=data.TYPE,  # type: ignore[attr-defined]
        time=time or RECORDED,
        dataschema=schema_uri(data.TYPE, 1),  # type: ignore[attr-defined]
        data=data.model_dump(mode="json"),
        recordedtime=RECORDED,
        position=position,
    )


def _session(
    position: int,
    time: datetime,
    participants: int,
    new: int = 0,
    plan_id: str = PLAN,
    activity_id: str = "ul-a1",
) -> IntegrationEvent:
    data = SessionHeld(
        plan_id=plan_id,
        activity_id=activity_id,
        participants=participants,
        new_participants=new,
    )
    return _event(position, data, time)


def _plan(plan_id: str = PLAN, name: str = "Plan A") -> contracts.PlanRegistered:
    return contracts.PlanRegistered(
        plan_id=plan_id,
        name=name,
        kommune="Aarhus",
        period_start=date(2025, 1, 1),
        period_end=date(2028, 12, 31),
    )


def _apply(engine: Engine, producer: str, *events: IntegrationEvent) -> None:
    with engine.begin() as conn:
        IndicatorsProjection().apply(conn, producer, list(events))


def _rows(engine: Engine, table: sa.Table) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(table)).all())


def test_sessions_are_added_up_per_quarter_of_the_plan(engine: Engine) -> None:
    # given a plan and sessions in two quarters, in two deliveries
    _apply(engine, "agreements", _event(1, _plan()))
    _apply(
        engine,
        "activities",
        _session(1, datetime(2025, 7, 2, 16, tzinfo=CPH), 10, 4),
        _session(2, datetime(2025, 9, 30, 16, tzinfo=CPH), 8, 1),
    )
    _apply(
        engine,
        "activities",
        _session(3, datetime(2025, 9, 3, 16, tzinfo=CPH), 5),
        _session(4, datetime(2025, 10, 1, 16, tzinfo=CPH), 7, 2, activity_id="ul-a2"),
    )
    # when
    report = sessions_per_quarter(engine, PLAN)
    # then
    assert report == {
        "plan_id": PLAN,
        "plan_name": "Plan A",
        "quarters": [
            {
                "quarter": "2025-Q3",
                "sessions": 3,
                "participants": 23,
                "new_participants": 5,
            },
            {
                "quarter": "2025-Q4",
                "sessions": 1,
                "participants": 7,
                "new_participants": 2,
            },
        ],
        "total_sessions": 4,
        "total_participants": 30,
    }


def test_sessions_are_kept_per_activity_and_quarter(engine: Engine) -> None:
    _apply(
        engine,
        "activities",
        _session(1, datetime(2025, 7, 2, tzinfo=CPH), 10),
        _session(2, datetime(2025, 7, 9, tzinfo=CPH), 6, activity_id="ul-a2"),
        _session(3, datetime(2025, 7, 16, tzinfo=CPH), 4),
    )
    rows = {
        (r.activity_id, r.quarter): (r.sessions, r.participants)
        for r in _rows(engine, views.session_counts)
    }
    assert rows == {("ul-a1", "2025-Q3"): (2, 14), ("ul-a2", "2025-Q3"): (1, 6)}


def test_a_session_counts_in_the_quarter_of_its_own_local_day(
    engine: Engine,
) -> None:
    # 00:30 on 1 October in Denmark is still 30 September in UTC
    _apply(engine, "agreements", _event(1, _plan()))
    _apply(
        engine, "activities", _session(1, datetime(2025, 10, 1, 0, 30, tzinfo=CPH), 3)
    )
    [quarter] = sessions_per_quarter(engine, PLAN)["quarters"]
    assert quarter["quarter"] == "2025-Q4"


def test_sessions_of_another_plan_are_not_counted(engine: Engine) -> None:
    _apply(engine, "agreements", _event(1, _plan()), _event(2, _plan("plan-b", "B")))
    _apply(
        engine,
        "activities",
        _session(1, datetime(2025, 7, 2, tzinfo=CPH), 10),
        _session(2, datetime(2025, 7, 2, tzinfo=CPH), 99, plan_id="plan-b"),
    )
    assert sessions_per_quarter(engine, PLAN)["total_participants"] == 10
    assert sessions_per_quarter(engine, "plan-b")["total_participants"] == 99


def test_a_plan_without_sessions_has_no_quarters_and_zero_totals(
    engine: Engine,
) -> None:
    _apply(engine, "agreements", _event(1, _plan()))
    report = sessions_per_quarter(engine, PLAN)
    assert (report["quarters"], report["total_sessions"]) == ([], 0)
    assert report["total_participants"] == 0


def test_an_unknown_plan_is_an_error(engine: Engine) -> None:
    with pytest.raises(UnknownPlanError, match="plan-x"):
        sessions_per_quarter(engine, "plan-x")


def test_sessions_of_a_plan_never_registered_do_not_make_it_known(
    engine: Engine,
) -> None:
    _apply(engine, "activities", _session(1, datetime(2025, 7, 2, tzinfo=CPH), 10))
    with pytest.raises(UnknownPlanError):
        sessions_per_quarter(engine, PLAN)


def test_every_activity_event_is_kept_as_a_fact_and_no_agreements_event_is(
    engine: Engine,
) -> None:
    course = CourseHeld(
        plan_id=PLAN, activity_id="ul-a1", name="Kursus", participants=4
    )
    _apply(engine, "agreements", _event(1, _plan()))
    _apply(
        engine,
        "activities",
        _session(5, datetime(2025, 7, 2, tzinfo=CPH), 10),
        _event(6, course, datetime(2025, 7, 3, tzinfo=CPH)),
    )
    facts = _rows(engine, views.facts)
    assert [(f.position, f.type, f.plan_id) for f in facts] == [
        (5, SessionHeld.TYPE, PLAN),
        (6, CourseHeld.TYPE, PLAN),
    ]
    assert facts[1].data["name"] == "Kursus"


def test_the_registry_events_fill_plans_fora_members_and_activities(
    engine: Engine,
) -> None:
    _apply(
        engine,
        "agreements",
        _event(1, contracts.ForumRegistered(forum_id="forum-a", name="F", kommune="K")),
        _event(2, _plan()),
        _event(
            3,
            contracts.PlanJoinedForum(
                forum_id="forum-a", plan_id=PLAN, joined_on=date(2025, 1, 1)
            ),
        ),
        _event(
            4,
            contracts.ActivityPlanned(
                plan_id=PLAN,
                activity_id="ul-a1",
                name="Lektiecafé",
                cfbu_activity_type="lektiecafeer",
                cfbu_documented_effect=True,
            ),
        ),
        _event(5, contracts.BoardRegistered(board_id="board-a", name="B")),  # skipped
    )
    [plan] = _rows(engine, views.plans)
    assert (plan.plan_id, plan.period_start, plan.period_end) == (
        PLAN,
        date(2025, 1, 1),
        date(2028, 12, 31),
    )
    assert [(m.forum_id, m.plan_id) for m in _rows(engine, views.forum_members)] == [
        ("forum-a", PLAN)
    ]
    [activity] = _rows(engine, views.activities)
    assert (activity.activity_id, activity.documented_effect) == ("ul-a1", True)


def _approved(position: int, key: str, version: int, *ids: str) -> IntegrationEvent:
    indicators = [{"id": i, "name": i, "definition": {"kind": "measured"}} for i in ids]
    return _event(
        position,
        contracts.DocumentVersionApproved(
            plan_id=PLAN,
            kind="delaftale",
            key=key,
            version=version,
            imported=version == 1,
            content={"output_indicators": indicators},
        ),
    )


def test_an_approved_version_replaces_what_its_document_said_about_indicators(
    engine: Engine,
) -> None:
    _apply(
        engine,
        "agreements",
        _approved(1, "UL", 1, "UL-O1", "UL-O2"),
        _approved(2, "BE", 1, "BE-O1"),
    )
    # when version 2 of the UL delaftale drops one indicator
    _apply(engine, "agreements", _approved(3, "UL", 2, "UL-O1"))
    # then
    specs = {(s.document, s.indicator_id) for s in _rows(engine, views.indicator_specs)}
    assert specs == {("UL", "UL-O1"), ("BE", "BE-O1")}
    [spec] = [s for s in _rows(engine, views.indicator_specs) if s.document == "UL"]
    assert spec.spec == {"id": "UL-O1", "name": "UL-O1"}  # the definition is apart


def test_a_definition_from_the_same_date_replaces_and_from_a_later_date_adds(
    engine: Engine,
) -> None:
    def defined(position: int, on: date, op: str) -> IntegrationEvent:
        definition = {"kind": "measured", "note": op}
        return _event(
            position,
            contracts.IndicatorDefined(
                plan_id=PLAN,
                indicator_id="I1",
                effective_from=on,
                definition=definition,
            ),
        )

    _apply(engine, "agreements", defined(1, date(2025, 1, 1), "first"))
    _apply(engine, "agreements", defined(2, date(2025, 1, 1), "replaced"))
    _apply(engine, "agreements", defined(3, date(2026, 1, 1), "later"))
    rows = _rows(engine, views.indicator_definitions)
    assert [(r.effective_from, r.definition["note"]) for r in rows] == [
        (date(2025, 1, 1), "replaced"),
        (date(2026, 1, 1), "later"),
    ]


# through a follower: sessions are counted exactly once


class Log:
    def __init__(self, events: list[IntegrationEvent]) -> None:
        self.events = events

    def page(self, after: int, limit: int = 500) -> NotificationPage:
        events = [e for e in self.events if e.position > after][:limit]
        return NotificationPage(
            producer="activities",
            after=after,
            upto=events[-1].position if events else after,
            head=self.events[-1].position,
            events=events,
        )


def test_sessions_delivered_twice_or_overlapping_are_counted_once(
    engine: Engine,
) -> None:
    _apply(engine, "agreements", _event(1, _plan()))
    sessions = [
        _session(p, datetime(2025, 7, 2, tzinfo=CPH), 10, 1) for p in (2, 5, 6, 9)
    ]
    follower = Follower(engine, IndicatorsProjection(), {"activities": Log(sessions)})

    def delivery(previous: int, upto: int) -> Delivery:
        events = [e for e in sessions if previous < e.position <= upto]
        return Delivery(
            producer="activities", previous=previous, upto=upto, events=events
        )

    # when the bus delivers (0, 5], again (0, 5], then (2, 6] and, after a lost
    # delivery, (8, 9]
    assert follower.receive(delivery(0, 5)) == "applied"
    assert follower.receive(delivery(0, 5)) == "duplicate"
    assert follower.receive(delivery(2, 6)) == "applied"
    assert follower.receive(delivery(8, 9)) == "filled"
    # then each session was counted once
    [quarter] = sessions_per_quarter(engine, PLAN)["quarters"]
    assert (quarter["sessions"], quarter["participants"]) == (4, 40)
    assert quarter["new_participants"] == 4
    assert len(_rows(engine, views.facts)) == 4


def _change(position: int, data: BaseModel) -> IntegrationEvent:
    return _event(position, data, datetime(2025, 7, 2, 16, tzinfo=CPH))


def test_a_corrected_session_moves_its_quarters_counts_and_a_retracted_one_leaves(
    engine: Engine,
) -> None:
    from shared.contracts.activities import Corrected, EventRef, Retracted

    _apply(engine, "agreements", _event(1, _plan()))
    _apply(
        engine,
        "activities",
        _session(1, datetime(2025, 7, 2, 16, tzinfo=CPH), 10, 4),
        _session(2, datetime(2025, 7, 9, 16, tzinfo=CPH), 8, 1),
    )
    recount = {"plan_id": PLAN, "activity_id": "ul-a1", "participants": 15,
               "new_participants": 4}  # fmt: skip
    first = EventRef(source="/test", id="e1")
    # corrected twice (the second in the same delivery), then the other retracted
    _apply(
        engine,
        "activities",
        _change(3, Corrected(plan_id=PLAN, supersedes=first, corrected_type=SessionHeld.TYPE,
                             corrected_data=recount, reason="talt igen")),
        _change(4, Corrected(plan_id=PLAN, supersedes=first, corrected_type=SessionHeld.TYPE,
                             corrected_data={**recount, "participants": 12}, reason="igen")),
    )  # fmt: skip
    _apply(
        engine,
        "activities",
        _change(5, Retracted(plan_id=PLAN, retracts=EventRef(source="/test", id="e2"),
                             reason="dobbelt")),
        _change(6, Retracted(plan_id=PLAN, retracts=EventRef(source="/test", id="e2"),
                             reason="dobbelt igen")),
    )  # fmt: skip
    [quarter] = sessions_per_quarter(engine, PLAN)["quarters"]
    assert (quarter["sessions"], quarter["participants"]) == (1, 12)
    assert quarter["new_participants"] == 4
