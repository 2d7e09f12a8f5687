"""The one mapping from agreements' stored events to published contracts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.domain import DomainEvent

from services.agreements.catalogue import activity_types
from services.agreements.domain.definitions import IndicatorDefinition
from services.agreements.domain.documents import AgreementDocument
from services.agreements.domain.registry import Board, Forum, Plan
from services.agreements.domain.tokens import AccessToken
from shared.contracts import agreements as contracts
from shared.contracts.envelope import IntegrationEvent
from shared.contracts.registry import schema_uri

if TYPE_CHECKING:
    from eventsourcing.domain import DomainEventProtocol
    from pydantic import BaseModel

SOURCE = "/helhed/agreements"


def to_contract(event: DomainEventProtocol, position: int) -> IntegrationEvent | None:
    assert isinstance(event, DomainEvent)
    found = _data(event)
    if found is None:
        return None
    data, subject = found
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


def _data(event: DomainEventProtocol) -> tuple[BaseModel, str | None] | None:
    match event:
        case Forum.Registered():
            return contracts.ForumRegistered(
                forum_id=event.forum_id, name=event.name, kommune=event.kommune
            ), event.forum_id
        case Forum.PlanJoined():
            return contracts.PlanJoinedForum(
                forum_id=event.forum_id,
                plan_id=event.plan_id,
                joined_on=event.joined_on,
            ), event.forum_id
        case Forum.PlanLeft():
            return contracts.PlanLeftForum(
                forum_id=event.forum_id, plan_id=event.plan_id, left_on=event.left_on
            ), event.forum_id
        case Board.Registered():
            return contracts.BoardRegistered(
                board_id=event.board_id, name=event.name
            ), event.board_id
        case Board.Governs():
            return contracts.BoardGovernsPlan(
                board_id=event.board_id, plan_id=event.plan_id
            ), event.plan_id
        case Plan.Registered():
            return contracts.PlanRegistered(
                plan_id=event.plan_id,
                name=event.name,
                kommune=event.kommune,
                period_start=event.period_start,
                period_end=event.period_end,
                details=event.details,
            ), event.plan_id
        case Plan.ActivityPlanned():
            return contracts.ActivityPlanned(
                plan_id=event.plan_id,
                activity_id=event.activity_id,
                name=event.name,
                indsatsomraade=event.indsatsomraade,
                cfbu_activity_type=event.cfbu_activity_type,
                cfbu_documented_effect=_documented_effect(event.cfbu_activity_type),
                status=event.status,
                spec=event.spec,
            ), event.plan_id
        case Plan.ActivityStatusChanged():
            return contracts.ActivityStatusChanged(
                plan_id=event.plan_id,
                activity_id=event.activity_id,
                status=event.status,
                effective_from=event.effective_from,
                reason=event.reason,
            ), event.plan_id
        case Plan.FollowUpRecorded():
            return contracts.FollowUpRecorded(
                plan_id=event.plan_id,
                held_on=event.held_on,
                body=event.body,
                goals_reviewed=event.goals_reviewed,
                decisions=event.decisions,
            ), event.plan_id
        case _:
            return _document_data(event) or _other_data(event)


def _document_data(event: DomainEventProtocol) -> tuple[BaseModel, str | None] | None:
    match event:
        case AgreementDocument.Imported():
            return contracts.DocumentVersionApproved(
                plan_id=event.plan_id,
                kind=event.kind,
                key=event.key,
                version=1,
                imported=True,
                content=event.content,
            ), event.plan_id
        case AgreementDocument.Approved() if event.complete:
            assert event.content is not None
            return contracts.DocumentVersionApproved(
                plan_id=event.plan_id,
                kind=event.kind,
                key=event.key,
                version=event.version,
                imported=False,
                content=event.content,
                log_position=event.log_position,
            ), event.plan_id
        case AgreementDocument.Approved():
            return _revision(event, "approved", by=event.approved_by, role=event.role)
        case AgreementDocument.Drafted():
            return _revision(
                event, "drafted", reason=event.reason, significant=event.significant
            )
        case AgreementDocument.Edited():
            return _revision(event, "edited")
        case AgreementDocument.Submitted():
            return _revision(event, "submitted", by=event.submitted_by)
    return None


def _revision(
    event: DomainEventProtocol, action: str, **details: object
) -> tuple[BaseModel, str | None]:
    data = contracts.RevisionRecorded.model_validate(
        {
            "plan_id": event.plan_id,  # type: ignore[attr-defined]
            "kind": event.kind,  # type: ignore[attr-defined]
            "key": event.key,  # type: ignore[attr-defined]
            "version": event.version,  # type: ignore[attr-defined]
            "action": action,
            **details,
        }
    )
    return data, data.plan_id


def _other_data(event: DomainEventProtocol) -> tuple[BaseModel, str | None] | None:
    match event:
        case IndicatorDefinition.Defined():
            return contracts.IndicatorDefined(
                plan_id=event.plan_id,
                indicator_id=event.indicator_id,
                effective_from=event.effective_from,
                definition=event.definition,
            ), event.plan_id
        case IndicatorDefinition.Redefined():
            return contracts.IndicatorDefined(
                plan_id=event.plan_id,
                indicator_id=event.indicator_id,
                effective_from=event.effective_from,
                definition=event.definition,
                reason=event.reason,
            ), event.plan_id
        case AccessToken.Issued():
            return contracts.TokenIssued(
                token_id=event.token_id,
                digest=event.digest,
                grants=event.grants,
                source_prefixes=event.source_prefixes,
            ), None
        case AccessToken.Revoked():
            return contracts.TokenRevoked(token_id=event.token_id), None
    return None


def _documented_effect(activity_type: str | None) -> bool | None:
    if activity_type is None:
        return None
    known = activity_types().get(activity_type)
    return known.documented_effect if known else None
