"""The follower: applies leaders' events to a read model exactly once.

Each delivery is applied in one transaction together with the follower's tracking
row for that producer, moved by compare-and-set from the position the delivery
follows to the position it covers. So:

- a duplicate (``upto`` not beyond the tracked position) changes nothing;
- a delivery that overlaps what was applied applies only the new events;
- a delivery that follows a position beyond the tracked one reveals a gap (a lost
  message, or a start after downtime), which is filled by pulling the leader's log;
- two followers of the same producer on the same read model cannot both apply the
  same events: the second compare-and-set fails and its transaction rolls back;
- an event the projection cannot apply (a "poison" event) is parked with the
  reason, in the transaction that moves tracking past it, so the stream goes on;
  a database that cannot be reached is not poison: the error is raised and the
  delivery is tried again later.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa
from sqlalchemy import exc

from shared.bus.views import parked_table, tracking_table

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sqlalchemy.engine import Connection, Engine

    from shared.contracts.envelope import Delivery, IntegrationEvent, NotificationPage


class Projection(Protocol):
    """Read-model code: applies a run of one producer's events, in log order,
    inside the caller's transaction."""

    def apply(
        self, conn: Connection, producer: str, events: Sequence[IntegrationEvent]
    ) -> None: ...


class LeaderLog(Protocol):
    """A leader's log as a follower reads it (HTTP in services, direct in tests)."""

    def page(self, after: int, limit: int = 500) -> NotificationPage: ...


class TrackingConflictError(RuntimeError):
    """Another follower moved the tracked position first."""


log = logging.getLogger(__name__)

#: Errors of the database or its connection: not the event's fault, so never
#: parked; the delivery is tried again.
INFRASTRUCTURE = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.DisconnectionError,
    exc.TimeoutError,
    TrackingConflictError,
)


class Follower:
    """Applies deliveries and pulled pages from one or more leaders."""

    def __init__(
        self,
        engine: Engine,
        projection: Projection,
        leaders: Mapping[str, LeaderLog],
        page_size: int = 1000,
    ) -> None:
        self.engine = engine
        self.projection = projection
        self.leaders = dict(leaders)
        self.page_size = page_size
        self._lock = threading.Lock()

    def position(self, producer: str) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(tracking_table.c.position).where(
                    tracking_table.c.producer == producer
                )
            ).scalar()
        return int(found or 0)

    def receive(self, delivery: Delivery) -> str:
        """Apply a delivery: "applied", "duplicate", "filled" or "deferred".

        "deferred": another worker is applying this producer's log right now; it,
        the next delivery or the catch-up timer will cover these events (from the
        leader's log), so waiting here would only tie up a worker.
        """
        if not self._lock.acquire(blocking=False):
            return "deferred"
        try:
            last = self.position(delivery.producer)
            if delivery.upto <= last:
                return "duplicate"
            if delivery.previous > last:
                self._catch_up(delivery.producer, until=delivery.upto)
                return "filled"
            count = self._apply(delivery.producer, last, delivery.upto, delivery.events)
            log.debug(
                "applied %d events of %s up to %d",
                count,
                delivery.producer,
                delivery.upto,
                extra={
                    "producer": delivery.producer,
                    "position": delivery.upto,
                    "count": count,
                },
            )
            return "applied"
        finally:
            self._lock.release()

    def catch_up(self, producer: str | None = None) -> int:
        """Pull every leader's (or one leader's) log up to the head it has now."""
        applied = 0
        with self._lock:
            for name in [producer] if producer else list(self.leaders):
                applied += self._catch_up(name, until=None)
        return applied

    def _catch_up(self, producer: str, until: int | None) -> int:
        """Pull pages after the tracked position until ``until``, or else until the
        head the leader reported on the first page (not a head that keeps moving)."""
        leader = self.leaders[producer]
        applied = 0
        last = self.position(producer)
        while until is None or last < until:
            page = leader.page(last, self.page_size)
            if page.upto <= last:
                break
            if until is None:
                until = page.head
            applied += self._apply(producer, last, page.upto, page.events)
            last = page.upto
        return applied

    def _apply(
        self,
        producer: str,
        last: int,
        upto: int,
        events: Sequence[IntegrationEvent],
    ) -> int:
        fresh = [event for event in events if event.position > last]
        try:
            with self.engine.begin() as conn:
                _move_tracking(conn, producer, last, upto)
                if fresh:
                    self.projection.apply(conn, producer, fresh)
        except INFRASTRUCTURE:
            raise
        except Exception:  # some event of the run is poison: find it, one by one
            if self.position(producer) != last:
                raise TrackingConflictError(
                    f"tracking of {producer} moved past {last} concurrently"
                ) from None
            return self._apply_singly(producer, last, upto, fresh)
        return len(fresh)

    def _apply_singly(
        self, producer: str, last: int, upto: int, events: Sequence[IntegrationEvent]
    ) -> int:
        applied = 0
        for event in events:
            try:
                with self.engine.begin() as conn:
                    _move_tracking(conn, producer, last, event.position)
                    self.projection.apply(conn, producer, [event])
                applied += 1
            except INFRASTRUCTURE:
                raise
            except Exception as error:
                with self.engine.begin() as conn:
                    _move_tracking(conn, producer, last, event.position)
                    _park(conn, producer, event, error)
                log.error(
                    "parked %s event %s at %d: %s",
                    producer,
                    event.id,
                    event.position,
                    error,
                    extra={"event_id": event.id, "position": event.position},
                )
            last = event.position
        if last < upto:
            with self.engine.begin() as conn:
                _move_tracking(conn, producer, last, upto)
        return applied

    def parked(self) -> list[dict[str, Any]]:
        """The events parked so far, with the reason, in log order."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(parked_table).order_by(
                    parked_table.c.producer, parked_table.c.position
                )
            ).all()
        return [dict(row._mapping) for row in rows]

    def parked_count(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).select_from(parked_table)
                ).scalar_one()
            )


def _park(
    conn: Connection, producer: str, event: IntegrationEvent, error: Exception
) -> None:
    conn.execute(
        sa.insert(parked_table).values(
            producer=producer,
            position=event.position,
            source=event.source,
            event_id=event.id,
            type=event.type,
            recorded=event.recordedtime.isoformat(),
            reason=f"{type(error).__name__}: {error}"[:2000],
        )
    )


def _move_tracking(conn: Connection, producer: str, last: int, upto: int) -> None:
    if last == 0:
        moved = conn.execute(
            sa.update(tracking_table)
            .where(tracking_table.c.producer == producer)
            .where(tracking_table.c.position == 0)
            .values(position=upto)
        ).rowcount
        if not moved:  # first delivery ever: a concurrent insert conflicts
            try:
                conn.execute(
                    sa.insert(tracking_table).values(producer=producer, position=upto)
                )
            except exc.IntegrityError as error:
                raise TrackingConflictError(
                    f"tracking of {producer} was started concurrently"
                ) from error
        return
    moved = conn.execute(
        sa.update(tracking_table)
        .where(tracking_table.c.producer == producer)
        .where(tracking_table.c.position == last)
        .values(position=upto)
    ).rowcount
    if moved != 1:
        raise TrackingConflictError(f"tracking of {producer} is no longer at {last}")
