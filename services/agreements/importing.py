"""Recording an agreement file as agreed: plan, activities, documents, definitions."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, TypeVar

from eventsourcing.persistence import IntegrityError

from services.agreements.application import STRATEGIC_KEY, AlreadyRegisteredError
from services.agreements.catalogue import activity_types
from services.agreements.domain.definitions import IndicatorDefinition
from services.agreements.domain.documents import AgreementDocument, DocumentKind
from services.agreements.domain.errors import AgreementsError
from services.agreements.domain.registry import ActivityStatus, Board, Forum, Plan

if TYPE_CHECKING:
    from uuid import UUID

    from eventsourcing.domain import Aggregate

    from services.agreements.agreement_file import AgreementFile
    from services.agreements.application import Agreements

A = TypeVar("A")

#: What a plan's registration carries besides name, kommune and period.
PLAN_DETAILS = {
    "bydel",
    "funding_frame",
    "totals",
    "housing_organisations",
    "survey_areas",
    "data_sources",
}


class UnknownActivityTypeError(AgreementsError):
    """An activity names a CFBU activity type the catalogue does not have."""


def digest_of(agreement: AgreementFile) -> str:
    canonical = json.dumps(agreement.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def import_agreement(app: Agreements, agreement: AgreementFile) -> str:
    """Register the plan (in its forum and under its board) with everything agreed,
    in one transaction: a refused import stores nothing."""
    _check_activity_types(agreement)
    spec = agreement.plan
    if Plan.create_id(spec.id) in app.repository:
        raise AlreadyRegisteredError(f"plan {spec.id!r} is already imported")
    aggregates: list[Aggregate] = []
    plan = Plan.register(
        spec.id,
        spec.name,
        spec.kommune,
        spec.period.start,
        spec.period.end,
        spec.model_dump(mode="json", include=PLAN_DETAILS),
    )
    aggregates.append(plan)
    if spec.forum is not None:
        forum = _existing(app, Forum, Forum.create_id(spec.forum.id)) or Forum(
            forum_id=spec.forum.id, name=spec.forum.name, kommune=spec.forum.kommune
        )
        forum.join(spec.id, joined_on=spec.period.start)
        aggregates.append(forum)
    if spec.board is not None:
        board = _existing(app, Board, Board.create_id(spec.board.id)) or Board(
            board_id=spec.board.id, name=spec.board.name
        )
        board.govern(spec.id)
        aggregates.append(board)
    for delaftale, activity in agreement.activities():
        plan.plan_activity(
            activity.id,
            activity.name,
            indsatsomraade=delaftale.indsatsomraade,
            cfbu_activity_type=activity.cfbu_activity_type,
            status=ActivityStatus(activity.status),
            spec=activity.model_dump(
                mode="json", exclude={"id", "name", "cfbu_activity_type", "status"}
            ),
        )
    digest = digest_of(agreement)
    documents = [
        (DocumentKind.STRATEGIC, STRATEGIC_KEY, agreement.strategic_agreement),
        *((DocumentKind.DELAFTALE, d.indsatsomraade, d) for d in agreement.delaftaler),
    ]
    aggregates += [
        AgreementDocument(
            plan_id=spec.id,
            kind=kind.value,
            key=key,
            content=content.model_dump(mode="json"),
            source_digest=digest,
        )
        for kind, key, content in documents
    ]
    aggregates += [
        IndicatorDefinition(
            plan_id=spec.id,
            indicator_id=indicator.id,
            effective_from=indicator.effective_from or spec.period.start,
            definition=indicator.definition.model_dump(mode="json"),
        )
        for indicator in agreement.indicators()
    ]
    try:
        app.save(*aggregates)
    except IntegrityError:
        raise AlreadyRegisteredError(
            f"plan {spec.id!r} (or one of its documents) is already registered"
        ) from None
    return spec.id


def _existing(app: Agreements, cls: type[A], aggregate_id: UUID) -> A | None:
    if aggregate_id not in app.repository:
        return None
    aggregate: Aggregate = app.repository.get(aggregate_id)
    assert isinstance(aggregate, cls)
    return aggregate


def _check_activity_types(agreement: AgreementFile) -> None:
    known = activity_types()
    for _, activity in agreement.activities():
        kind = activity.cfbu_activity_type
        if kind is not None and kind not in known:
            raise UnknownActivityTypeError(
                f"activity {activity.id}: no CFBU activity type {kind!r}"
            )
