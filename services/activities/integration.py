"""The one mapping from activities' stored events to published contracts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.activities.domain import ReceivedEvent
from shared.contracts.envelope import IntegrationEvent
from shared.contracts.registry import schema_uri

if TYPE_CHECKING:
    from eventsourcing.domain import DomainEventProtocol


def to_contract(event: DomainEventProtocol, position: int) -> IntegrationEvent | None:
    if not isinstance(event, ReceivedEvent.Received):
        return None
    return IntegrationEvent(
        id=event.event_id,
        source=event.source,
        type=event.event_type,
        time=event.time,
        subject=event.subject,
        dataschema=schema_uri(event.event_type, event.version),
        data=event.data,
        recordedtime=event.timestamp,
        position=position,
        late=event.late_since is not None,
    )
