"""The follower: applies each leader event to its read model exactly once, whatever
the bus does (duplicates, overlaps, lost deliveries), and even with two followers on
one read model. Leaders are fakes whose positions skip numbers, as PostgreSQL's do,
or the real agreements log."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa

from services.agreements.application import Agreements
from services.agreements.integration import to_contract
from services.indicators import views as indicator_views
from services.indicators.projection import IndicatorsProjection
from services.indicators.queries import sessions_per_quarter
from shared.bus.follower import Follower, TrackingConflictError
from shared.bus.log import PublishedLog
from shared.bus.views import metadata as tracking_metadata
from shared.contracts.envelope import Delivery, IntegrationEvent, NotificationPage
from shared.store import views_engine

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from sqlalchemy.engine import Connection, Engine

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
POSITIONS = [3, 4, 7, 9, 10, 15]

applied_table = sa.Table(
    "applied",
    sa.MetaData(),
    sa.Column("producer", sa.String(20), nullable=False),
    sa.Column("event_id", sa.String(20), nullable=False),  # not unique, on purpose
)


class ProjectionBugError(RuntimeError):
    pass


class Recording:
    """A projection that writes one row per event; told to, it fails after writing."""

    def __init__(self) -> None:
        self.fail = False
        self.on_apply: Any = None
        self.current: Sequence[IntegrationEvent] = ()

    def apply(
        self, conn: Connection, producer: str, events: Sequence[IntegrationEvent]
    ) -> None:
        self.current = events
        conn.execute(
            sa.insert(applied_table),
            [{"producer": producer, "event_id": e.id} for e in events],
        )
        if self.on_apply is not None:
            self.on_apply()
        if self.fail:
            raise ProjectionBugError("projection bug")


class FakeLeader:
    """A leader's log whose positions skip numbers; it records where it was read."""

    def __init__(self, producer: str, positions: list[int]) -> None:
        self.producer = producer
        self.events = [_event(producer, p) for p in positions]
        self.pulls: list[tuple[int, int]] = []
        self.grow_on_read: list[int] = []

    def page(self, after: int, limit: int = 500) -> NotificationPage:
        self.pulls.append((after, limit))
        head = self.events[-1].position if self.events else 0
        events = [e for e in self.events if e.position > after][:limit]
        if self.grow_on_read:  # the log moves on while a follower reads it
            self.events.append(_event(self.producer, self.grow_on_read.pop(0)))
        return NotificationPage(
            producer=self.producer,
            after=after,
            upto=events[-1].position if events else after,
            head=head,
            events=events,
        )

    def delivery(self, previous: int, upto: int) -> Delivery:
        return Delivery(
            producer=self.producer,
            previous=previous,
            upto=upto,
            events=[e for e in self.events if previous < e.position <= upto],
        )


def _event(producer: str, position: int) -> IntegrationEvent:
    return IntegrationEvent(
        id=f"{producer}-{position}",
        source=f"/{producer}",
        type="dk.helhedsplan.test.thing-happened",
        time=NOW,
        dataschema="urn:helhed:schema:dk.helhedsplan.test.thing-happened:v1",
        data={},
        recordedtime=NOW,
        position=position,
    )


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = views_engine(f"sqlite:///{tmp_path}/follower.sqlite")
    tracking_metadata.create_all(engine)
    applied_table.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def leader() -> FakeLeader:
    return FakeLeader("p", POSITIONS)


@pytest.fixture
def projection() -> Recording:
    return Recording()


@pytest.fixture
def follower(engine: Engine, leader: FakeLeader, projection: Recording) -> Follower:
    return Follower(engine, projection, {"p": leader})


def _applied(engine: Engine, producer: str = "p") -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                sa.select(applied_table.c.event_id).where(
                    applied_table.c.producer == producer
                )
            ).scalars()
        )


def _ids(*positions: int) -> list[str]:
    return [f"p-{n}" for n in positions]


# deliveries


def test_a_first_delivery_is_applied_and_tracked_up_to_its_upto(
    follower: Follower, leader: FakeLeader, engine: Engine
) -> None:
    assert follower.receive(leader.delivery(0, 4)) == "applied"
    assert _applied(engine) == _ids(3, 4)
    assert follower.position("p") == 4
    assert leader.pulls == []


def test_a_duplicate_delivery_is_reported_and_changes_nothing(
    follower: Follower, leader: FakeLeader, engine: Engine
) -> None:
    follower.receive(leader.delivery(0, 4))
    follower.receive(leader.delivery(4, 7))
    # when an old delivery comes again
    assert follower.receive(leader.delivery(0, 4)) == "duplicate"
    assert follower.receive(leader.delivery(4, 7)) == "duplicate"
    # then
    assert _applied(engine) == _ids(3, 4, 7)
    assert follower.position("p") == 7


def test_an_overlapping_delivery_applies_only_the_events_not_applied_yet(
    follower: Follower, leader: FakeLeader, engine: Engine
) -> None:
    follower.receive(leader.delivery(0, 4))
    # when a delivery covers (0, 9], of which (0, 4] was applied
    assert follower.receive(leader.delivery(0, 9)) == "applied"
    # then
    assert _applied(engine) == _ids(3, 4, 7, 9)
    assert follower.position("p") == 9


def test_a_delivery_after_a_lost_one_is_filled_from_the_leaders_log(
    follower: Follower, leader: FakeLeader, engine: Engine
) -> None:
    follower.receive(leader.delivery(0, 4))
    # when (4, 9] was lost and (9, 15] arrives
    assert follower.receive(leader.delivery(9, 15)) == "filled"
    # then everything was pulled from the tracked position, each applied once
    assert leader.pulls[0][0] == 4
    assert _applied(engine) == _ids(3, 4, 7, 9, 10, 15)
    assert follower.position("p") == 15


def test_a_gap_larger_than_a_page_is_filled_page_by_page(
    engine: Engine, leader: FakeLeader, projection: Recording
) -> None:
    follower = Follower(engine, projection, {"p": leader}, page_size=2)
    # when the very first delivery a follower sees follows position 10
    assert follower.receive(leader.delivery(10, 15)) == "filled"
    # then
    assert [after for after, _ in leader.pulls] == [0, 4, 9]
    assert {limit for _, limit in leader.pulls} == {2}
    assert _applied(engine) == _ids(*POSITIONS)
    assert follower.position("p") == 15


def test_deliveries_arriving_after_a_fill_are_duplicates(
    follower: Follower, leader: FakeLeader, engine: Engine
) -> None:
    follower.receive(leader.delivery(9, 15))  # filled from the log
    # when the lost deliveries turn up late
    assert follower.receive(leader.delivery(0, 4)) == "duplicate"
    assert follower.receive(leader.delivery(4, 9)) == "duplicate"
    # then
    assert _applied(engine) == _ids(*POSITIONS)


def test_a_delivery_without_events_still_moves_the_tracked_position(
    follower: Follower, engine: Engine
) -> None:
    # when the relay publishes a run of unpublished events: (0, 2], nothing in it
    empty = Delivery(producer="p", previous=0, upto=2, events=[])
    assert follower.receive(empty) == "applied"
    # then
    assert (follower.position("p"), _applied(engine)) == (2, [])


# catching up


def test_catching_up_from_zero_applies_the_whole_log_once(
    follower: Follower, leader: FakeLeader, engine: Engine
) -> None:
    assert follower.catch_up() == len(POSITIONS)
    assert _applied(engine) == _ids(*POSITIONS)
    assert follower.position("p") == 15
    # and again: nothing new
    assert follower.catch_up() == 0
    assert _applied(engine) == _ids(*POSITIONS)


def test_catching_up_pulls_pages_from_the_tracked_position(
    engine: Engine, leader: FakeLeader, projection: Recording
) -> None:
    follower = Follower(engine, projection, {"p": leader}, page_size=2)
    follower.receive(leader.delivery(0, 4))
    # when
    assert follower.catch_up("p") == 4
    # then
    assert [after for after, _ in leader.pulls] == [4, 9]
    assert _applied(engine) == _ids(*POSITIONS)


def test_catching_up_stops_at_the_head_the_leader_had_on_the_first_page(
    engine: Engine, projection: Recording
) -> None:
    leader = FakeLeader("p", [1, 2, 3])
    leader.grow_on_read = [4, 5, 6, 7, 8]  # one more event with every page read
    follower = Follower(engine, projection, {"p": leader}, page_size=1)
    # when
    applied = follower.catch_up()
    # then it did not chase a head that keeps moving
    assert applied == 3
    assert follower.position("p") == 3


def test_catching_up_an_empty_log_records_nothing(
    engine: Engine, projection: Recording
) -> None:
    follower = Follower(engine, projection, {"p": FakeLeader("p", [])})
    assert follower.catch_up() == 0
    assert follower.position("p") == 0
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM tracking")).scalar() == 0


def test_two_leaders_are_tracked_and_applied_apart(
    engine: Engine, projection: Recording
) -> None:
    leaders = {"p": FakeLeader("p", [2, 5]), "q": FakeLeader("q", [1, 2, 3])}
    follower = Follower(engine, projection, leaders)
    # when
    assert follower.catch_up("q") == 3
    # then
    assert (follower.position("p"), follower.position("q")) == (0, 3)
    assert follower.catch_up() == 2
    assert _applied(engine, "p") == ["p-2", "p-5"]
    assert _applied(engine, "q") == ["q-1", "q-2", "q-3"]


# two followers, one read model


def test_a_second_follower_on_the_same_read_model_sees_the_deliveries_as_duplicates(
    follower: Follower, leader: FakeLeader, projection: Recording, engine: Engine
) -> None:
    other = Follower(engine, projection, {"p": leader})
    follower.receive(leader.delivery(0, 4))
    assert other.receive(leader.delivery(0, 4)) == "duplicate"
    assert other.receive(leader.delivery(4, 9)) == "applied"
    assert follower.receive(leader.delivery(4, 9)) == "duplicate"
    assert _applied(engine) == _ids(3, 4, 7, 9)


@pytest.mark.parametrize("stale", [0, 4], ids=["first-ever", "later"])
def test_a_follower_with_a_stale_position_cannot_apply_what_another_applied(
    follower: Follower,
    leader: FakeLeader,
    projection: Recording,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    stale: int,
) -> None:
    # given a second follower that read the tracked position just before the
    # first one moved it on
    if stale:
        follower.receive(leader.delivery(0, stale))
    other = Follower(engine, projection, {"p": leader})
    monkeypatch.setattr(other, "position", lambda producer: stale)
    follower.receive(leader.delivery(stale, 9))
    before = _applied(engine)
    # when the second one applies the same delivery
    with pytest.raises(TrackingConflictError):
        other.receive(leader.delivery(stale, 9))
    # then its transaction rolled back: nothing applied twice, position unchanged
    assert _applied(engine) == before == _ids(3, 4, 7, 9)
    assert follower.position("p") == 9


def test_a_follower_with_a_stale_position_cannot_fill_a_gap_twice(
    follower: Follower,
    leader: FakeLeader,
    projection: Recording,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = Follower(engine, projection, {"p": leader})
    monkeypatch.setattr(other, "position", lambda producer: 0)
    follower.catch_up()
    with pytest.raises(TrackingConflictError):
        other.receive(leader.delivery(10, 15))
    assert _applied(engine) == _ids(*POSITIONS)


def test_a_delivery_arriving_while_one_is_applied_is_deferred(
    follower: Follower, leader: FakeLeader, projection: Recording, engine: Engine
) -> None:
    answers: list[str] = []
    projection.on_apply = lambda: answers.append(
        follower.receive(leader.delivery(4, 7))
    )
    # when a second delivery arrives while the first is being applied
    follower.receive(leader.delivery(0, 4))
    # then it is deferred (the leader's log covers it later), not applied
    assert answers == ["deferred"]
    assert _applied(engine) == _ids(3, 4)
    projection.on_apply = None
    assert follower.receive(leader.delivery(4, 7)) == "applied"


# failures


def test_events_a_projection_cannot_apply_are_parked_and_the_stream_goes_on(
    follower: Follower, leader: FakeLeader, projection: Recording, engine: Engine
) -> None:
    follower.receive(leader.delivery(0, 4))
    projection.fail = True
    # when the projection fails on every event of a delivery (after writing rows)
    assert follower.receive(leader.delivery(4, 9)) == "applied"
    # then none of their rows were kept, they are parked with the reason, and
    # tracking moved past them
    assert _applied(engine) == _ids(3, 4)
    assert follower.position("p") == 9
    parked = follower.parked()
    assert [(p["position"], p["event_id"]) for p in parked] == [(7, "p-7"), (9, "p-9")]
    assert parked[0]["reason"] == "ProjectionBugError: projection bug"
    assert follower.parked_count() == 2
    # and the next delivery is applied as usual
    projection.fail = False
    assert follower.receive(leader.delivery(9, 15)) == "applied"
    assert _applied(engine) == _ids(3, 4, 10, 15)


def test_only_the_poison_event_of_a_delivery_is_parked(
    follower: Follower, leader: FakeLeader, projection: Recording, engine: Engine
) -> None:
    def poison_at_seven() -> None:
        if any(event.position == 7 for event in projection.current):
            raise ProjectionBugError("cannot apply p-7")

    projection.on_apply = poison_at_seven
    assert follower.catch_up() == len(POSITIONS) - 1
    assert _applied(engine) == _ids(3, 4, 9, 10, 15)
    assert [p["event_id"] for p in follower.parked()] == ["p-7"]
    assert follower.position("p") == 15


def test_a_database_that_cannot_be_reached_is_not_poison(
    follower: Follower, leader: FakeLeader, projection: Recording, engine: Engine
) -> None:
    def unreachable() -> None:
        raise sa.exc.OperationalError("SELECT 1", {}, ConnectionError("gone"))

    projection.on_apply = unreachable
    with pytest.raises(sa.exc.OperationalError):
        follower.catch_up()
    assert (follower.position("p"), follower.parked_count()) == (0, 0)
    projection.on_apply = None
    assert follower.catch_up() == len(POSITIONS)


def test_a_leader_that_cannot_be_read_leaves_the_read_model_as_it_was(
    follower: Follower,
    leader: FakeLeader,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    follower.receive(leader.delivery(0, 4))

    def down(after: int, limit: int = 500) -> NotificationPage:
        raise ConnectionError("leader down")

    monkeypatch.setattr(leader, "page", down)
    with pytest.raises(ConnectionError):
        follower.receive(leader.delivery(9, 15))
    assert (follower.position("p"), _applied(engine)) == (4, _ids(3, 4))


# with the real agreements log and the indicators projection


@pytest.fixture
def indicators(tmp_path: Path) -> Iterator[Engine]:
    engine = views_engine(f"sqlite:///{tmp_path}/indicators.sqlite")
    tracking_metadata.create_all(engine)
    indicator_views.metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_the_indicators_read_model_follows_the_agreements_log_exactly_once(
    indicators: Engine,
) -> None:
    agreements = Agreements()
    log = PublishedLog(agreements, "agreements", to_contract)
    follower = Follower(indicators, IndicatorsProjection(), {"agreements": log}, 2)
    agreements.register_forum("forum-a", "F", "Aarhus")
    agreements.register_plan(
        "plan-a", "Plan A", "Aarhus", date(2025, 1, 1), date(2028, 12, 31), "forum-a"
    )
    agreements.plan_activity("plan-a", "ul-a1", "Lektiecafé")
    # when the follower catches up, and the relay's deliveries arrive afterwards
    assert follower.catch_up() == 4
    first = log.page(0, 2)
    late = Delivery(
        producer="agreements", previous=0, upto=first.upto, events=first.events
    )
    assert follower.receive(late) == "duplicate"
    # then
    assert sessions_per_quarter(indicators, "plan-a")["plan_name"] == "Plan A"
    with indicators.connect() as conn:
        members = conn.execute(sa.select(indicator_views.forum_members)).all()
        activities = conn.execute(sa.select(indicator_views.activities)).all()
    assert [(m.forum_id, m.plan_id) for m in members] == [("forum-a", "plan-a")]
    assert [a.activity_id for a in activities] == ["ul-a1"]
    assert follower.position("agreements") == 4
    agreements.close()
