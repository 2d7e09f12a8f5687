"""The relay without a broker: it publishes a service's log in order, as deliveries
whose positions chain, records a position only after the publish returned, and a new
relay on the same store resumes after the last confirmed position."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from services.agreements.application import Agreements
from services.agreements.integration import to_contract
from shared.bus.log import PublishedLog
from shared.bus.relay import Relay

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from eventsourcing.domain import DomainEventProtocol

    from shared.contracts.envelope import Delivery, IntegrationEvent

START, END = date(2025, 9, 1), date(2029, 8, 31)


class BrokerDownError(ConnectionError):
    """The broker did not confirm."""


class Broker:
    """Records what was published; can refuse, or lose the confirm of, a delivery."""

    def __init__(self) -> None:
        self.received: list[Delivery] = []
        self.refuse = False
        self.lose_confirm = False

    def __call__(self, delivery: Delivery) -> None:
        if self.refuse:
            raise BrokerDownError("no confirm")
        self.received.append(delivery)
        if self.lose_confirm:  # the broker has it, but the relay never hears so
            raise BrokerDownError("connection lost before the confirm")

    @property
    def chain(self) -> list[tuple[int, int]]:
        return [(d.previous, d.upto) for d in self.received]

    @property
    def positions(self) -> list[int]:
        return [e.position for d in self.received for e in d.events]


@pytest.fixture
def app() -> Iterator[Agreements]:
    app = Agreements()  # in memory
    yield app
    app.close()


def _boards(app: Agreements, *numbers: int) -> None:
    for n in numbers:
        app.register_board(f"board-{n}", f"Bestyrelse {n}")


def _relay(app: Agreements, batch_size: int = 500) -> Relay:
    return Relay(PublishedLog(app, "agreements", to_contract), batch_size=batch_size)


def _sqlite(tmp_path: Path) -> Agreements:
    return Agreements(f"sqlite:///{tmp_path}/agreements.sqlite")


def test_the_relay_publishes_every_event_in_order_with_previous_and_upto_chained(
    app: Agreements,
) -> None:
    _boards(app, *range(1, 8))
    broker = Broker()
    # when
    sent = _relay(app, batch_size=3).pump(broker)
    # then
    assert sent == 7
    assert broker.chain == [(0, 3), (3, 6), (6, 7)]
    assert broker.positions == [1, 2, 3, 4, 5, 6, 7]
    assert {d.producer for d in broker.received} == {"agreements"}
    assert [e.data["board_id"] for e in broker.received[0].events] == [
        "board-1",
        "board-2",
        "board-3",
    ]


def test_each_delivery_holds_at_most_the_batch_size_and_covers_its_events(
    app: Agreements,
) -> None:
    _boards(app, *range(1, 11))
    broker = Broker()
    _relay(app, batch_size=4).pump(broker)
    assert [len(d.events) for d in broker.received] == [4, 4, 2]
    for delivery in broker.received:
        assert all(delivery.previous < e.position <= delivery.upto for e in delivery.events)  # fmt: skip


def test_a_second_pump_with_nothing_new_publishes_nothing(app: Agreements) -> None:
    _boards(app, 1, 2)
    relay = _relay(app)
    broker = Broker()
    relay.pump(broker)
    # when
    assert relay.pump(broker) == 0
    # then
    assert broker.chain == [(0, 2)]
    assert relay.published_position() == 2


def test_the_next_pump_continues_the_chain_from_where_the_last_ended(
    app: Agreements,
) -> None:
    relay = _relay(app)
    broker = Broker()
    _boards(app, 1, 2)
    relay.pump(broker)
    _boards(app, 3)
    # when
    assert relay.pump(broker) == 1
    # then
    assert broker.chain == [(0, 2), (2, 3)]


def test_an_empty_log_publishes_nothing(app: Agreements) -> None:
    broker = Broker()
    assert _relay(app).pump(broker) == 0
    assert broker.received == []
    assert _relay(app).published_position() == 0


def test_a_pump_publishes_at_most_max_batches_deliveries(app: Agreements) -> None:
    _boards(app, *range(1, 6))
    relay = _relay(app, batch_size=2)
    broker = Broker()
    # when
    assert relay.pump(broker, max_batches=1) == 2
    # then the rest waits for the next pump
    assert relay.published_position() == 2
    assert relay.pump(broker, max_batches=1) == 2
    assert relay.pump(broker) == 1
    assert broker.chain == [(0, 2), (2, 4), (4, 5)]


def test_a_failing_publish_records_nothing_and_the_next_pump_sends_the_same_again(
    app: Agreements,
) -> None:
    _boards(app, 1, 2, 3)
    relay = _relay(app, batch_size=2)
    broker = Broker()
    relay.pump(broker, max_batches=1)
    broker.refuse = True
    # when the broker does not confirm
    with pytest.raises(BrokerDownError):
        relay.pump(broker)
    # then the position stays at the last confirmed delivery
    assert relay.published_position() == 2
    # and when it is back, the same delivery is sent
    broker.refuse = False
    assert relay.pump(broker) == 1
    assert broker.chain == [(0, 2), (2, 3)]


def test_a_relay_whose_confirm_was_lost_publishes_the_same_events_again(
    app: Agreements,
) -> None:
    _boards(app, 1, 2)
    relay = _relay(app)
    broker = Broker()
    broker.lose_confirm = True
    with pytest.raises(BrokerDownError):
        relay.pump(broker)
    broker.lose_confirm = False
    # when
    relay.pump(broker)
    # then at least once: the same delivery twice, which a follower ignores
    assert broker.chain == [(0, 2), (0, 2)]
    assert broker.received[0] == broker.received[1]


def test_after_a_crash_between_publish_and_recording_a_new_relay_resumes_from_the_store(
    tmp_path: Path,
) -> None:
    # given a relay that published (0, 2] and recorded it
    app = _sqlite(tmp_path)
    _boards(app, 1, 2)
    broker = Broker()
    _relay(app).pump(broker)
    # and then crashed after publishing (2, 4] but before recording it
    _boards(app, 3, 4)
    broker.lose_confirm = True
    with pytest.raises(BrokerDownError):
        _relay(app).pump(broker)
    app.close()
    # when a new process starts a relay on the same store
    broker.lose_confirm = False
    restarted = _sqlite(tmp_path)
    relay = _relay(restarted)
    assert relay.published_position() == 2
    relay.pump(broker)
    # then it publishes again from the last confirmed position, the same events
    assert broker.chain == [(0, 2), (2, 4), (2, 4)]
    assert broker.received[1].events == broker.received[2].events
    assert relay.published_position() == 4
    restarted.close()


def test_a_recorded_position_survives_a_restart_so_nothing_is_sent_twice(
    tmp_path: Path,
) -> None:
    app = _sqlite(tmp_path)
    _boards(app, 1, 2, 3)
    broker = Broker()
    _relay(app, batch_size=2).pump(broker)
    app.close()
    # when
    restarted = _sqlite(tmp_path)
    _boards(restarted, 4)
    _relay(restarted, batch_size=2).pump(broker)
    # then
    assert broker.chain == [(0, 2), (2, 3), (3, 4)]
    assert broker.positions == [1, 2, 3, 4]
    restarted.close()


def test_a_run_of_unpublished_events_still_moves_the_chain_on(
    app: Agreements,
) -> None:
    _boards(app, 1, 2, 3)

    def first_only(
        event: DomainEventProtocol, position: int
    ) -> IntegrationEvent | None:
        return to_contract(event, position) if position == 1 else None

    relay = Relay(PublishedLog(app, "agreements", first_only), batch_size=2)
    broker = Broker()
    # when
    assert relay.pump(broker) == 1
    # then the second delivery carries no events, but covers (2, 3]
    assert broker.chain == [(0, 2), (2, 3)]
    assert [len(d.events) for d in broker.received] == [1, 0]
    assert relay.published_position() == 3


def test_relays_of_two_producers_on_one_store_track_their_positions_apart(
    tmp_path: Path,
) -> None:
    app = _sqlite(tmp_path)
    _boards(app, 1, 2)
    first = Relay(PublishedLog(app, "first", to_contract))
    second = Relay(PublishedLog(app, "second", to_contract))
    # when
    first.pump(Broker())
    # then
    assert (first.published_position(), second.published_position()) == (2, 0)
    broker = Broker()
    second.pump(broker)
    assert broker.chain == [(0, 2)]
    app.close()
