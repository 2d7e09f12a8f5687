"""The one mapping from agreements' stored events to published contracts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.agreements.domain.registry import Forum, Plan
from shared.contracts import agreements as contracts
from shared.contracts.envelope import IntegrationEvent
from shared.contracts.registry import schema_uri

if TYPE_CHECKING:
    from eventsourcing.domain import DomainEventProtocol
    from pydantic import BaseModel

SOURCE = "/helhed/agreements"


def to_contract(event: DomainEventProtocol, position: int) -> IntegrationEvent | None:
    data: BaseModel
    if isinstance(event, Forum.Registered):
        data = contracts.ForumRegistered(
            forum_id=event.forum_id, name=event.name, kommune=event.kommune
        )
        subject = event.forum_id
    elif isinstance(event, Forum.PlanJoined):
        data = contracts.PlanJoinedForum(
            forum_id=event.forum_id, plan_id=event.plan_id, joined_on=event.joined_on
        )
        subject = event.forum_id
    elif isinstance(event, Plan.Registered):
        data = contracts.PlanRegistered(
            plan_id=event.plan_id,
            name=event.name,
            kommune=event.kommune,
            period_start=event.period_start,
            period_end=event.period_end,
        )
        subject = event.plan_id
    elif isinstance(event, Plan.ActivityPlanned):
        data = contracts.ActivityPlanned(
            plan_id=event.plan_id,
            activity_id=event.activity_id,
            name=event.name,
            indsatsomraade=event.indsatsomraade,
            cfbu_activity_type=event.cfbu_activity_type,
        )
        subject = event.plan_id
    else:
        return None
    return IntegrationEvent(
        id=f"{event.originator_id}-{event.originator_version}",
        source=SOURCE,
        type=data.TYPE,  # type: ignore[attr-defined]
        time=event.timestamp,
        subject=subject,
        dataschema=schema_uri(data.TYPE, data.VERSION),  # type: ignore[attr-defined]
        data=data.model_dump(mode="json"),
        recordedtime=event.timestamp,
        position=position,
    )
