"""Applies agreements' and activities' events to the indicators read model."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from services.indicators import views
from services.indicators.periods import quarter_of
from shared.contracts.activities import SessionHeld
from shared.contracts.agreements import (
    ActivityPlanned,
    ForumRegistered,
    PlanJoinedForum,
    PlanRegistered,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from shared.contracts.envelope import IntegrationEvent


class IndicatorsProjection:
    """One method per event type; unknown types are skipped (tracked all the same)."""

    def apply(self, conn: Connection, producer: str, event: IntegrationEvent) -> None:
        handler = _HANDLERS.get(event.type)
        if handler is not None:
            handler(conn, event)


def _forum_registered(conn: Connection, event: IntegrationEvent) -> None:
    forum = ForumRegistered.model_validate(event.data)
    conn.execute(sa.insert(views.fora).values(**forum.model_dump()))


def _plan_joined_forum(conn: Connection, event: IntegrationEvent) -> None:
    member = PlanJoinedForum.model_validate(event.data)
    conn.execute(sa.insert(views.forum_members).values(**member.model_dump()))


def _plan_registered(conn: Connection, event: IntegrationEvent) -> None:
    plan = PlanRegistered.model_validate(event.data)
    conn.execute(sa.insert(views.plans).values(**plan.model_dump()))


def _activity_planned(conn: Connection, event: IntegrationEvent) -> None:
    activity = ActivityPlanned.model_validate(event.data)
    conn.execute(
        sa.insert(views.activities).values(
            plan_id=activity.plan_id,
            activity_id=activity.activity_id,
            name=activity.name,
        )
    )


def _session_held(conn: Connection, event: IntegrationEvent) -> None:
    session = SessionHeld.model_validate(event.data)
    key = {
        "plan_id": session.plan_id,
        "activity_id": session.activity_id,
        "quarter": quarter_of(event.time.date()),
    }
    table = views.session_counts
    moved = conn.execute(
        sa.update(table)
        .where(*(table.c[name] == value for name, value in key.items()))
        .values(
            sessions=table.c.sessions + 1,
            participants=table.c.participants + session.participants,
            new_participants=table.c.new_participants + session.new_participants,
        )
    ).rowcount
    if not moved:
        conn.execute(
            sa.insert(table).values(
                **key,
                sessions=1,
                participants=session.participants,
                new_participants=session.new_participants,
            )
        )


_HANDLERS = {
    ForumRegistered.TYPE: _forum_registered,
    PlanJoinedForum.TYPE: _plan_joined_forum,
    PlanRegistered.TYPE: _plan_registered,
    ActivityPlanned.TYPE: _activity_planned,
    SessionHeld.TYPE: _session_held,
}
