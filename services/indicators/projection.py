"""Applies agreements' and activities' events to the indicators read model."""

from __future__ import annotations

from collections import defaultdict
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
        for event in events:
            if event.type == SessionHeld.TYPE:
                _add_session(sessions, event)
                continue
            handler = _HANDLERS.get(event.type)
            if handler is not None:
                handler(conn, event)
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
        )
    )


def _add_session(
    sessions: dict[tuple[str, str, str], list[int]], event: IntegrationEvent
) -> None:
    session = SessionHeld.model_validate(event.data)
    counts = sessions[
        (session.plan_id, session.activity_id, quarter_of(event.time.date()))
    ]
    counts[0] += 1
    counts[1] += session.participants
    counts[2] += session.new_participants


_HANDLERS = {
    ForumRegistered.TYPE: _forum_registered,
    PlanJoinedForum.TYPE: _plan_joined_forum,
    PlanRegistered.TYPE: _plan_registered,
    ActivityPlanned.TYPE: _activity_planned,
}
