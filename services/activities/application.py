"""The activities application: stores each posted event once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.persistence import IntegrityError

from services.activities.domain import ReceivedEvent, content_hash, received_id
from shared.eventstore import ServiceApplication

if TYPE_CHECKING:
    from uuid import UUID

    from services.activities.validation import ValidEvent
    from shared.contracts.ingest import Status


class Activities(ServiceApplication):
    """Received events, one aggregate each, keyed by (source, id)."""

    name = "activities"

    def ingest(self, events: list[ValidEvent]) -> list[Status]:
        """Store the events; per event "accepted", "duplicate" or "conflict"."""
        statuses: list[Status | None] = [None] * len(events)
        fresh: dict[UUID, tuple[int, ReceivedEvent]] = {}
        for index, valid in enumerate(events):
            aggregate = _received(valid)
            earlier = fresh.get(aggregate.id)
            if earlier is not None:  # the same (source, id) twice in one batch
                same = earlier[1].digest == aggregate.digest
                statuses[index] = "duplicate" if same else "conflict"
                continue
            fresh[aggregate.id] = (index, aggregate)
        try:
            self.save(*(aggregate for _, aggregate in fresh.values()))
            for index, _ in fresh.values():
                statuses[index] = "accepted"
        except IntegrityError:
            # some were stored before: nothing of this save was; settle one by one
            for index, _ in fresh.values():
                statuses[index] = self._save_one(events[index])
        return [status or "conflict" for status in statuses]

    def _save_one(self, valid: ValidEvent) -> Status:
        aggregate = _received(valid)  # a fresh copy: a failed save drained the last
        try:
            self.save(aggregate)
        except IntegrityError:
            stored: ReceivedEvent = self.repository.get(aggregate.id)
            return "duplicate" if stored.digest == aggregate.digest else "conflict"
        return "accepted"

    def is_stored(self, source: str, event_id: str) -> bool:
        return received_id(source, event_id) in self.repository

    def type_of(self, source: str, event_id: str) -> str | None:
        """The type of a stored event, or None."""
        aggregate_id = received_id(source, event_id)
        if aggregate_id not in self.repository:
            return None
        stored: ReceivedEvent = self.repository.get(aggregate_id)
        return stored.event_type


def _received(valid: ValidEvent) -> ReceivedEvent:
    incoming = valid.incoming
    data = valid.data.model_dump(mode="json")
    return ReceivedEvent(
        source=incoming.source,
        event_id=incoming.id,
        event_type=incoming.type,
        version=valid.version,
        time=incoming.time,
        subject=incoming.subject,
        data=data,
        digest=content_hash(incoming.type, incoming.time, incoming.subject, data),
        late_since=valid.late_since,
    )
