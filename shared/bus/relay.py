"""The relay: publishes a service's notification log, resumably (an outbox).

The log is the outbox: every stored event is already in it, in order. The relay
reads what follows its last published position, publishes it as one `Delivery`
(waiting for the broker's confirm), then records the new position with
eventsourcing's tracking recorder in the service's own store. A crash between the
two publishes the same events again, which consumers ignore.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.persistence import Tracking

from shared.contracts.envelope import Delivery

if TYPE_CHECKING:
    from collections.abc import Callable

    from shared.bus.log import PublishedLog


class Relay:
    """Publishes what the log holds beyond the last confirmed position."""

    def __init__(self, log: PublishedLog, batch_size: int = 500) -> None:
        self.log = log
        self.batch_size = batch_size
        self._tracking = log.app.factory.tracking_recorder()
        self._name = f"relay-{log.producer}"

    def published_position(self) -> int:
        return self._tracking.max_tracking_id(self._name) or 0

    def pump(self, publish: Callable[[Delivery], None], max_batches: int = 20) -> int:
        """Publish up to ``max_batches`` deliveries; return the events published."""
        sent = 0
        previous = self.published_position()
        for _ in range(max_batches):
            page = self.log.page(previous, self.batch_size)
            if page.upto <= previous:
                break
            delivery = Delivery(
                producer=self.log.producer,
                previous=previous,
                upto=page.upto,
                events=page.events,
            )
            publish(delivery)  # raises unless the broker confirmed it
            self._tracking.insert_tracking(Tracking(self._name, page.upto))
            sent += len(page.events)
            previous = page.upto
        return sent
