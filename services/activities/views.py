"""What activities knows of plans and their activities, from agreements' events."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from shared.contracts.agreements import (
    ActivityPlanned,
    FollowUpRecorded,
    PlanRegistered,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from sqlalchemy.engine import Connection, Engine

    from shared.contracts.envelope import IntegrationEvent

metadata = sa.MetaData()

known_plans = sa.Table(
    "known_plans",
    metadata,
    sa.Column("plan_id", sa.String(100), primary_key=True),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
)

known_activities = sa.Table(
    "known_activities",
    metadata,
    sa.Column("plan_id", sa.String(100), primary_key=True),
    sa.Column("activity_id", sa.String(100), primary_key=True),
)

#: The board's follow-ups: events of a period followed up on are late.
known_follow_ups = sa.Table(
    "known_follow_ups",
    metadata,
    sa.Column("plan_id", sa.String(100), primary_key=True),
    sa.Column("held_on", sa.Date, primary_key=True),
)


class KnownPlansProjection:
    """Applies agreements' events to the known plans and activities."""

    def apply(
        self, conn: Connection, producer: str, events: Sequence[IntegrationEvent]
    ) -> None:
        for event in events:
            self._apply_one(conn, event)

    def _apply_one(self, conn: Connection, event: IntegrationEvent) -> None:
        if event.type == PlanRegistered.TYPE:
            plan = PlanRegistered.model_validate(event.data)
            conn.execute(
                sa.insert(known_plans).values(
                    plan_id=plan.plan_id,
                    period_start=plan.period_start,
                    period_end=plan.period_end,
                )
            )
        elif event.type == FollowUpRecorded.TYPE:
            follow_up = FollowUpRecorded.model_validate(event.data)
            exists = conn.execute(
                sa.select(known_follow_ups.c.plan_id).where(
                    known_follow_ups.c.plan_id == follow_up.plan_id,
                    known_follow_ups.c.held_on == follow_up.held_on,
                )
            ).first()
            if exists is None:
                conn.execute(
                    sa.insert(known_follow_ups).values(
                        plan_id=follow_up.plan_id, held_on=follow_up.held_on
                    )
                )
        elif event.type == ActivityPlanned.TYPE:
            activity = ActivityPlanned.model_validate(event.data)
            conn.execute(
                sa.insert(known_activities).values(
                    plan_id=activity.plan_id, activity_id=activity.activity_id
                )
            )


class SqlKnownPlans:
    """The `KnownPlans` port over the read model, loaded once per request."""

    def __init__(self, engine: Engine) -> None:
        self._plans: dict[str, tuple[date, date]] = {}
        self._activities: set[tuple[str, str]] = set()
        self._follow_ups: dict[str, list[date]] = {}
        with engine.connect() as conn:
            for plan_id, held_on in conn.execute(
                sa.select(known_follow_ups).order_by(known_follow_ups.c.held_on)
            ):
                self._follow_ups.setdefault(plan_id, []).append(held_on)
            for plan_id, start, end in conn.execute(sa.select(known_plans)):
                self._plans[plan_id] = (start, end)
            for plan_id, activity_id in conn.execute(sa.select(known_activities)):
                self._activities.add((plan_id, activity_id))

    def period(self, plan_id: str) -> tuple[date, date] | None:
        return self._plans.get(plan_id)

    def has_activity(self, plan_id: str, activity_id: str) -> bool:
        return (plan_id, activity_id) in self._activities

    def followed_up_since(self, plan_id: str, day: date) -> date | None:
        """The first follow-up held on or after ``day``, if the board has met since."""
        return next(
            (held for held in self._follow_ups.get(plan_id, []) if held >= day), None
        )
