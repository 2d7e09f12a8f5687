"""Applies agreements' and activities' events to the indicators read model."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from services.indicators import views
from services.indicators.periods import quarter_of
from shared.contracts.activities import Corrected, Retracted, SessionHeld
from shared.contracts.agreements import (
    ActivityPlanned,
    ActivityStatusChanged,
    DocumentVersionApproved,
    FollowUpRecorded,
    ForumRegistered,
    IndicatorDefined,
    PlanJoinedForum,
    PlanRegistered,
    RevisionRecorded,
)
from shared.sql import add_to

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.engine import Connection

    from shared.contracts.envelope import IntegrationEvent


class IndicatorsProjection:
    """One function per event type; unknown types are skipped (tracked all the same).

    Sessions are added up per (plan, activity, quarter) in memory and written with
    one upsert per delivery: increments commute, so this equals event-by-event.
    """

    def apply(
        self, conn: Connection, producer: str, events: Sequence[IntegrationEvent]
    ) -> None:
        sessions: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        facts: list[dict[str, object]] = []
        for event in events:
            if event.type in (Corrected.TYPE, Retracted.TYPE):
                if facts:  # the changed event may be in this very delivery
                    conn.execute(sa.insert(views.facts), facts)
                    facts = []
                _change_session(conn, sessions, event)
            if producer == "activities":
                facts.append(_fact(event))
            if event.type == SessionHeld.TYPE:
                _add_session(sessions, event)
                continue
            handler = _HANDLERS.get(event.type)
            if handler is not None:
                handler(conn, event)
        if facts:
            conn.execute(sa.insert(views.facts), facts)
        add_to(
            conn,
            views.session_counts,
            [
                {
                    "plan_id": plan_id,
                    "activity_id": activity_id,
                    "quarter": quarter,
                    "sessions": counts[0],
                    "participants": counts[1],
                    "new_participants": counts[2],
                }
                for (plan_id, activity_id, quarter), counts in sessions.items()
            ],
            key=("plan_id", "activity_id", "quarter"),
            add=("sessions", "participants", "new_participants"),
        )


def _forum_registered(conn: Connection, event: IntegrationEvent) -> None:
    forum = ForumRegistered.model_validate(event.data)
    conn.execute(sa.insert(views.fora).values(**forum.model_dump()))


def _plan_joined_forum(conn: Connection, event: IntegrationEvent) -> None:
    member = PlanJoinedForum.model_validate(event.data)
    conn.execute(sa.insert(views.forum_members).values(**member.model_dump()))


def _plan_registered(conn: Connection, event: IntegrationEvent) -> None:
    plan = PlanRegistered.model_validate(event.data)
    conn.execute(
        sa.insert(views.plans).values(
            **plan.model_dump(
                include={"plan_id", "name", "kommune", "period_start", "period_end"}
            )
        )
    )


def _activity_planned(conn: Connection, event: IntegrationEvent) -> None:
    activity = ActivityPlanned.model_validate(event.data)
    conn.execute(
        sa.insert(views.activities).values(
            plan_id=activity.plan_id,
            activity_id=activity.activity_id,
            name=activity.name,
            cfbu_activity_type=activity.cfbu_activity_type,
            documented_effect=activity.cfbu_documented_effect,
            indsatsomraade=activity.indsatsomraade,
            status=activity.status,
        )
    )


def _activity_status_changed(conn: Connection, event: IntegrationEvent) -> None:
    changed = ActivityStatusChanged.model_validate(event.data)
    table = views.activities
    conn.execute(
        sa.update(table)
        .where(
            table.c.plan_id == changed.plan_id,
            table.c.activity_id == changed.activity_id,
        )
        .values(status=changed.status, status_from=changed.effective_from)
    )
    _history(conn, event, changed.plan_id, "activity_status", None, None,
             changed.status, changed.model_dump(mode="json"))  # fmt: skip


def _revision_recorded(conn: Connection, event: IntegrationEvent) -> None:
    step = RevisionRecorded.model_validate(event.data)
    detail = step.model_dump(
        mode="json", include={"by", "role", "reason", "significant"}
    )
    _history(conn, event, step.plan_id, "revision", step.key, step.version,
             step.action, detail)  # fmt: skip


def _follow_up_recorded(conn: Connection, event: IntegrationEvent) -> None:
    follow_up = FollowUpRecorded.model_validate(event.data)
    _history(conn, event, follow_up.plan_id, "follow_up", None, None, "held",
             follow_up.model_dump(mode="json"))  # fmt: skip


def _history(
    conn: Connection,
    event: IntegrationEvent,
    plan_id: str,
    kind: str,
    document: str | None,
    version: int | None,
    action: str | None,
    detail: dict[str, Any],
) -> None:
    conn.execute(
        sa.insert(views.plan_history).values(
            position=event.position, plan_id=plan_id, recorded=event.recordedtime,
            kind=kind, document=document, version=version, action=action,
            detail=detail,
        )
    )  # fmt: skip


def _add_session(
    sessions: dict[tuple[str, str, str], list[int]], event: IntegrationEvent
) -> None:
    data = event.data  # validated against SessionHeld when it was ingested
    counts = sessions[
        (data["plan_id"], data["activity_id"], quarter_of(event.time.date()))
    ]
    counts[0] += 1
    counts[1] += data["participants"]
    counts[2] += data.get("new_participants", 0)


def _change_session(
    conn: Connection,
    sessions: dict[tuple[str, str, str], list[int]],
    event: IntegrationEvent,
) -> None:
    """A correction or retraction of a session moves its quarter's counts by the
    difference to the session as known until now (the original, or its latest
    correction)."""
    target = event.data.get("supersedes") or event.data.get("retracts") or {}
    facts = views.facts
    original = conn.execute(
        sa.select(facts.c.type, facts.c.day, facts.c.data).where(
            facts.c.source == target.get("source"),
            facts.c.event_id == target.get("id"),
        )
    ).first()
    if original is None or original.type != SessionHeld.TYPE:
        return
    latest = conn.execute(
        sa.select(facts.c.type, facts.c.data)
        .where(
            facts.c.plan_id == str(event.data.get("plan_id", "")),
            facts.c.type.in_((Corrected.TYPE, Retracted.TYPE)),
        )
        .order_by(facts.c.position)
    ).all()
    current: dict[str, Any] | None = original.data
    for change in latest:
        ref = change.data.get("supersedes") or change.data.get("retracts")
        if ref != target:
            continue
        current = (
            change.data["corrected_data"] if change.type == Corrected.TYPE else None
        )
    if current is None:
        return  # already retracted
    after = event.data["corrected_data"] if event.type == Corrected.TYPE else None
    counts = sessions[
        (str(current["plan_id"]), str(current["activity_id"]), quarter_of(original.day))
    ]
    counts[0] += (after is not None) - 1
    counts[1] += (after or {}).get("participants", 0) - current.get("participants", 0)
    counts[2] += (after or {}).get("new_participants", 0) - current.get(
        "new_participants", 0
    )


def _fact(event: IntegrationEvent) -> dict[str, object]:
    return {
        "position": event.position,
        "source": event.source,
        "event_id": event.id,
        "type": event.type,
        "plan_id": str(event.data.get("plan_id", "")),
        "happened": event.time,
        "day": event.time.date(),
        "recorded": event.recordedtime,
        "late": event.late,
        "data": event.data,
    }


def _document_approved(conn: Connection, event: IntegrationEvent) -> None:
    """The version in force replaces what the document said about its indicators."""
    approved = DocumentVersionApproved.model_validate(event.data)
    table = views.indicator_specs
    conn.execute(
        sa.delete(table).where(
            table.c.plan_id == approved.plan_id, table.c.document == approved.key
        )
    )
    rows = [
        {"plan_id": approved.plan_id, "document": approved.key, **row}
        for row in _indicator_rows(approved.content)
    ]
    if rows:
        conn.execute(sa.insert(table), rows)
    _history(conn, event, approved.plan_id, "in_force", approved.key,
             approved.version, "imported" if approved.imported else "approved",
             {"log_position": approved.log_position})  # fmt: skip


def _indicator_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for goal in content.get("overall_goals", []):
        rows += [
            _spec("overall", goal["id"], goal["text"], i) for i in goal["indicators"]
        ]
    for delmaal in content.get("delmaal", []):
        rows += [
            _spec("delmaal", delmaal["id"], delmaal["text"], i)
            for i in delmaal["indicators"]
        ]
    rows += [
        _spec("output", None, None, i) for i in content.get("output_indicators", [])
    ]
    return rows


def _spec(
    level: str, goal: str | None, text: str | None, indicator: dict[str, Any]
) -> dict[str, Any]:
    return {
        "indicator_id": indicator["id"],
        "level": level,
        "goal": goal,
        "goal_text": text,
        "spec": {k: v for k, v in indicator.items() if k != "definition"},
    }


def _indicator_defined(conn: Connection, event: IntegrationEvent) -> None:
    defined = IndicatorDefined.model_validate(event.data)
    table = views.indicator_definitions
    key = (
        table.c.plan_id == defined.plan_id,
        table.c.indicator_id == defined.indicator_id,
        table.c.effective_from == defined.effective_from,
    )
    conn.execute(sa.delete(table).where(*key))
    conn.execute(
        sa.insert(table).values(
            plan_id=defined.plan_id,
            indicator_id=defined.indicator_id,
            effective_from=defined.effective_from,
            definition=defined.definition,
        )
    )


_HANDLERS = {
    DocumentVersionApproved.TYPE: _document_approved,
    IndicatorDefined.TYPE: _indicator_defined,
    ForumRegistered.TYPE: _forum_registered,
    PlanJoinedForum.TYPE: _plan_joined_forum,
    PlanRegistered.TYPE: _plan_registered,
    ActivityPlanned.TYPE: _activity_planned,
    ActivityStatusChanged.TYPE: _activity_status_changed,
    RevisionRecorded.TYPE: _revision_recorded,
    FollowUpRecorded.TYPE: _follow_up_recorded,
}
