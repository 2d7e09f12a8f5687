"""What activities knows of plans and their activities, from agreements' events."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from shared.contracts.agreements import ActivityPlanned, PlanRegistered

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
        with engine.connect() as conn:
            for plan_id, start, end in conn.execute(sa.select(known_plans)):
                self._plans[plan_id] = (start, end)
            for plan_id, activity_id in conn.execute(sa.select(known_activities)):
                self._activities.add((plan_id, activity_id))

    def period(self, plan_id: str) -> tuple[date, date] | None:
        return self._plans.get(plan_id)

    def has_activity(self, plan_id: str, activity_id: str) -> bool:
        return (plan_id, activity_id) in self._activities
