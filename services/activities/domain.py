"""One aggregate per received event, identified by its (source, id)."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

if TYPE_CHECKING:
    from datetime import date, datetime

NAMESPACE = uuid5(NAMESPACE_URL, "urn:helhed:activities")


def received_id(source: str, event_id: str) -> UUID:
    """The aggregate id of an event: the store's uniqueness makes posting idempotent."""
    return uuid5(NAMESPACE, f"{source}\x1f{event_id}")


def content_hash(
    event_type: str, time: datetime, subject: str | None, data: dict[str, Any]
) -> str:
    canonical = json.dumps(
        [event_type, time.isoformat(), subject, data],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class ReceivedEvent(Aggregate):
    """An event a project posted, as accepted (the original never changes)."""

    TOPIC = "activities.ReceivedEvent"

    class Created(Aggregate.Created):
        TOPIC = "activities.ReceivedEventCreated"

    class Received(Aggregate.Created):
        TOPIC = "activities.Received"
        source: str
        event_id: str
        event_type: str
        version: int
        time: datetime
        subject: str | None
        data: dict[str, Any]
        digest: str
        late_since: date | None

    @staticmethod
    def create_id(source: str, event_id: str, **_: Any) -> UUID:
        return received_id(source, event_id)

    @event(Received)
    def __init__(
        self,
        source: str,
        event_id: str,
        event_type: str,
        version: int,
        time: datetime,
        subject: str | None,
        data: dict[str, Any],
        digest: str,
        late_since: date | None = None,
    ) -> None:
        self.source = source
        self.event_id = event_id
        self.event_type = event_type
        self.version = version
        self.time = time
        self.subject = subject
        self.data = data
        self.digest = digest
        self.late_since = late_since
