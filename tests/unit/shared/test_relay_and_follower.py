"""The relay and the follower without a broker: at-least-once publishing, resumed
from the store; exactly-once applying, with gaps filled from the leader's log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services.agreements.application import Agreements
from services.agreements.integration import to_contract
from shared.bus.follower import Follower, TrackingConflictError
from shared.bus.log import PublishedLog
from shared.bus.relay import Relay
from shared.bus.views import metadata as tracking_metadata
from shared.contracts.envelope import Delivery, IntegrationEvent, NotificationPage
from shared.store import views_engine

START, END = date(2025, 9, 1), date(2029, 8, 31)


def _agreements(tmp_path: Path) -> Agreements:
    return Agreements(f"sqlite:///{tmp_path}/agreements.sqlite")


def _register(app: Agreements, *plans: str) -> None:
    for plan in plans:
        app.register_plan(plan, plan.title(), "K", START, END)


def test_the_relay_publishes_the_log_in_order_with_its_positions_chained(
    tmp_path: Path,
) -> None:
    app = _agreements(tmp_path)
    _register(app, "plan-a", "plan-b", "plan-c")
    published: list[Delivery] = []
    relay = Relay(PublishedLog(app, "agreements", to_contract), batch_size=2)
    assert relay.pump(published.append) == 3
    assert [(d.previous, d.upto) for d in published] == [(0, 2), (2, 3)]
    assert [e.data["plan_id"] for d in published for e in d.events] == [
        "plan-a",
        "plan-b",
        "plan-c",
    ]
    assert relay.pump(published.append) == 0  # nothing new
    app.close()


def test_a_relay_that_crashed_before_recording_publishes_again_from_the_last_confirmed(
    tmp_path: Path,
) -> None:
    app = _agreements(tmp_path)
    _register(app, "plan-a")
    first = Relay(PublishedLog(app, "agreements", to_contract))
    first.pump(lambda delivery: None)  # confirmed, position 1 recorded
    _register(app, "plan-b")

    def broker_down(delivery: Delivery) -> None:
        raise ConnectionError("no confirm")

    with pytest.raises(ConnectionError):
        first.pump(broker_down)
    app.close()
    # a new relay on the same store resumes after the last confirmed position
    app = _agreements(tmp_path)
    resumed: list[Delivery] = []
    Relay(PublishedLog(app, "agreements", to_contract)).pump(resumed.append)
    assert [(d.previous, d.upto) for d in resumed] == [(1, 2)]
    app.close()


class Counting:
    """A projection that counts plans, and can be told to fail."""

    def __init__(self) -> None:
        self.fail = False

    def apply(
        self, conn: Connection, producer: str, events: Sequence[IntegrationEvent]
    ) -> None:
        if self.fail:
            raise RuntimeError("projection bug")
        conn.execute(sa.text("UPDATE counter SET n = n + :k"), {"k": len(events)})


class Leader:
    """A leader's log whose positions skip numbers, as PostgreSQL's may."""

    def __init__(self, positions: list[int]) -> None:
        self.events = [_event(p) for p in positions]
        self.pulls: list[int] = []

    def page(self, after: int, limit: int = 500) -> NotificationPage:
        self.pulls.append(after)
        events = [e for e in self.events if e.position > after][:limit]
        upto = events[-1].position if events else after
        return NotificationPage(
            producer="p",
            after=after,
            upto=upto,
            head=self.events[-1].position,
            events=events,
        )

    def delivery(self, previous: int, *positions: int) -> Delivery:
        return Delivery(producer="p", previous=previous, upto=positions[-1],
                        events=[e for e in self.events if e.position in positions])  # fmt: skip


def _event(position: int) -> IntegrationEvent:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return IntegrationEvent(id=f"e{position}", source="/p", type="t", time=now, dataschema="urn:x",
                            data={}, recordedtime=now, position=position)  # fmt: skip


@pytest.fixture
def follower(tmp_path: Path) -> Any:
    engine = views_engine(f"sqlite:///{tmp_path}/views.sqlite")
    tracking_metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE counter (n INTEGER)"))
        conn.execute(sa.text("INSERT INTO counter VALUES (0)"))
    leader = Leader([3, 4, 7, 9, 10])
    projection = Counting()
    yield Follower(engine, projection, {"p": leader}), leader, projection, engine
    engine.dispose()


def _count(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT n FROM counter")).scalar_one())


def test_a_duplicate_delivery_changes_nothing(follower: Any) -> None:
    follower, leader, _, engine = follower
    assert follower.receive(leader.delivery(0, 3, 4)) == "applied"
    assert follower.receive(leader.delivery(0, 3, 4)) == "duplicate"
    assert (_count(engine), follower.position("p")) == (2, 4)


def test_an_overlapping_delivery_applies_only_what_is_new(follower: Any) -> None:
    follower, leader, _, engine = follower
    follower.receive(leader.delivery(0, 3, 4))
    assert follower.receive(leader.delivery(3, 4, 7)) == "applied"
    assert (_count(engine), follower.position("p")) == (3, 7)


def test_a_lost_delivery_is_detected_and_filled_from_the_leaders_log(
    follower: Any,
) -> None:
    follower, leader, _, engine = follower
    follower.receive(leader.delivery(0, 3, 4))
    # the delivery (4, 7] was lost; the next one follows 7, not 4
    assert follower.receive(leader.delivery(7, 9, 10)) == "filled"
    assert leader.pulls == [4]
    assert (_count(engine), follower.position("p")) == (5, 10)


def test_a_follower_starting_late_catches_up_to_the_head_it_saw(follower: Any) -> None:
    follower, _, _, engine = follower
    assert follower.catch_up() == 5
    assert (_count(engine), follower.position("p")) == (5, 10)


def test_two_followers_on_one_read_model_never_apply_twice(follower: Any) -> None:
    first, leader, projection, engine = follower
    second = Follower(engine, projection, {"p": leader})
    first.receive(leader.delivery(0, 3, 4))
    assert second.receive(leader.delivery(0, 3, 4)) == "duplicate"
    # had the second one read position 0 just before the first moved it, its
    # compare-and-set from 0 fails and its transaction rolls back
    with pytest.raises(TrackingConflictError):
        second._apply("p", 0, 4, leader.delivery(0, 3, 4).events)
    assert first.catch_up() == 3
    assert second.catch_up() == 0
    assert _count(engine) == 5


def test_a_failing_projection_keeps_no_rows_and_parks_the_events(
    follower: Any,
) -> None:
    follower, leader, projection, engine = follower
    projection.fail = True
    assert follower.receive(leader.delivery(0, 3, 4)) == "applied"
    assert (_count(engine), follower.position("p")) == (0, 4)
    assert follower.parked_count() == 2
    projection.fail = False
    assert follower.receive(leader.delivery(0, 3, 4)) == "duplicate"
