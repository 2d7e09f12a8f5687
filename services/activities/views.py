"""What activities knows of plans and their activities, from agreements' events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from shared import access
from shared.contracts.agreements import (
    ActivityPlanned,
    FollowUpRecorded,
    PlanRegistered,
    TokenIssued,
    TokenRevoked,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
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

known_tokens = sa.Table(
    "known_tokens",
    metadata,
    sa.Column("token_id", sa.String(40), primary_key=True),
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column("grants", sa.JSON, nullable=False),
    sa.Column("source_prefixes", sa.JSON, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False),
)

#: The board's follow-ups: events of a period followed up on are late.
known_follow_ups = sa.Table(
    "known_follow_ups",
    metadata,
    sa.Column("plan_id", sa.String(100), primary_key=True),
    sa.Column("held_on", sa.Date, primary_key=True),
)


class KnownPlansProjection:
    """Applies agreements' events: plans, activities, follow-ups and tokens."""

    def apply(
        self, conn: Connection, producer: str, events: Sequence[IntegrationEvent]
    ) -> None:
        for event in events:
            handler = _HANDLERS.get(event.type)
            if handler is not None:
                handler(conn, event.data)


def _plan_registered(conn: Connection, data: dict[str, Any]) -> None:
    plan = PlanRegistered.model_validate(data)
    conn.execute(
        sa.insert(known_plans).values(
            plan_id=plan.plan_id,
            period_start=plan.period_start,
            period_end=plan.period_end,
        )
    )


def _activity_planned(conn: Connection, data: dict[str, Any]) -> None:
    activity = ActivityPlanned.model_validate(data)
    conn.execute(
        sa.insert(known_activities).values(
            plan_id=activity.plan_id, activity_id=activity.activity_id
        )
    )


def _follow_up_recorded(conn: Connection, data: dict[str, Any]) -> None:
    follow_up = FollowUpRecorded.model_validate(data)
    key = {"plan_id": follow_up.plan_id, "held_on": follow_up.held_on}
    exists = conn.execute(
        sa.select(known_follow_ups.c.plan_id).where(
            *(known_follow_ups.c[name] == value for name, value in key.items())
        )
    ).first()
    if exists is None:
        conn.execute(sa.insert(known_follow_ups).values(**key))


def _token_issued(conn: Connection, data: dict[str, Any]) -> None:
    token = TokenIssued.model_validate(data)
    conn.execute(
        sa.insert(known_tokens).values(
            token_id=token.token_id,
            digest=token.digest,
            grants=token.grants,
            source_prefixes=token.source_prefixes,
            revoked=False,
        )
    )


def _token_revoked(conn: Connection, data: dict[str, Any]) -> None:
    token = TokenRevoked.model_validate(data)
    conn.execute(
        sa.update(known_tokens)
        .where(known_tokens.c.token_id == token.token_id)
        .values(revoked=True)
    )


_HANDLERS: dict[str, Callable[[Connection, dict[str, Any]], None]] = {
    PlanRegistered.TYPE: _plan_registered,
    ActivityPlanned.TYPE: _activity_planned,
    FollowUpRecorded.TYPE: _follow_up_recorded,
    TokenIssued.TYPE: _token_issued,
    TokenRevoked.TYPE: _token_revoked,
}


class SqlTokens:
    """Tools' and users' tokens, as agreements published them (digests only)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def authenticate(self, secret: str) -> access.Principal:
        digest = access.digest(secret)
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(known_tokens).where(known_tokens.c.digest == digest)
            ).first()
        if row is None or row.revoked:
            raise access.UnauthenticatedError("unknown or revoked token")
        return access.Principal(
            token_id=row.token_id,
            label=row.token_id,
            grants=tuple(access.Grant.model_validate(g) for g in row.grants),
            source_prefixes=tuple(row.source_prefixes),
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
