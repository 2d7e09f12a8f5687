"""Read-side queries, shared by the HTTP API and the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from services.indicators import views

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class UnknownPlanError(LookupError):
    """The indicators service has not seen this plan."""


def sessions_per_quarter(engine: Engine, plan_id: str) -> dict[str, Any]:
    """Sessions held and participants per quarter for one plan."""
    table = views.session_counts
    with engine.connect() as conn:
        plan = conn.execute(
            sa.select(views.plans.c.name).where(views.plans.c.plan_id == plan_id)
        ).first()
        if plan is None:
            raise UnknownPlanError(f"unknown plan {plan_id!r}")
        rows = conn.execute(
            sa.select(
                table.c.quarter,
                sa.func.sum(table.c.sessions),
                sa.func.sum(table.c.participants),
                sa.func.sum(table.c.new_participants),
            )
            .where(table.c.plan_id == plan_id)
            .group_by(table.c.quarter)
            .order_by(table.c.quarter)
        ).all()
    quarters = [
        {
            "quarter": quarter,
            "sessions": int(sessions),
            "participants": int(participants),
            "new_participants": int(new),
        }
        for quarter, sessions, participants, new in rows
    ]
    return {
        "plan_id": plan_id,
        "plan_name": plan.name,
        "quarters": quarters,
        "total_sessions": sum(q["sessions"] for q in quarters),
        "total_participants": sum(q["participants"] for q in quarters),
    }
