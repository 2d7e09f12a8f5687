"""Aggregates to response models (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.contracts.agreements_api import (
    ChangeOut,
    ChangesOut,
    DefinitionOut,
    DocumentChangesOut,
    DocumentOut,
    PlanOut,
    VersionOut,
)

if TYPE_CHECKING:
    from datetime import date

    from services.agreements.application import DocumentChanges
    from services.agreements.domain.definitions import IndicatorDefinition
    from services.agreements.domain.documents import AgreementDocument
    from services.agreements.domain.registry import Plan


def document_out(document: AgreementDocument) -> DocumentOut:
    return DocumentOut(
        plan_id=document.plan_id,
        kind=document.kind.value,
        key=document.key,
        in_force=document.approved.number,
        versions=[
            VersionOut(
                number=v.number,
                status=v.status.value,
                reason=v.reason,
                significant=v.significant,
                needs=sorted(v.needs),
                approvals={role.value: by for role, by in v.approvals.items()},
                approved_at=v.approved_at,
                content=v.content,
            )
            for v in document.versions
        ],
    )


def plan_out(plan: Plan, documents: list[AgreementDocument]) -> PlanOut:
    return PlanOut(
        plan_id=plan.plan_id,
        name=plan.name,
        kommune=plan.kommune,
        period_start=plan.period_start,
        period_end=plan.period_end,
        details=plan.details,
        activities=plan.activities,
        follow_ups=plan.follow_ups,
        documents=[
            {
                "kind": d.kind.value,
                "key": d.key,
                "in_force": d.approved.number,
                "latest": d.latest.number,
                "latest_status": d.latest.status.value,
            }
            for d in documents
        ],
    )


def changes_out(plan_id: str, documents: list[DocumentChanges]) -> ChangesOut:
    return ChangesOut(
        plan_id=plan_id,
        documents=[
            DocumentChangesOut(
                kind=d.kind,
                key=d.key,
                approved_version=d.approved_version,
                approved_at=d.approved_at,
                latest_version=d.latest_version,
                latest_status=d.latest_status,
                changes=[
                    ChangeOut(path=c.path, kind=c.kind, before=c.before, after=c.after)
                    for c in d.changes
                ],
            )
            for d in documents
        ],
    )


def definition_out(definition: IndicatorDefinition, on: date) -> DefinitionOut:
    return DefinitionOut(
        plan_id=definition.plan_id,
        indicator_id=definition.indicator_id,
        on=on,
        definition=definition.in_force(on),
        versions=[
            {"effective_from": start.isoformat(), "definition": body}
            for start, body in definition.versions
        ],
    )
