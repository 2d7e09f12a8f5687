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


def fora(engine: Engine) -> dict[str, Any]:
    """Every Samarbejdsforum with its member plans."""
    with engine.connect() as conn:
        found = conn.execute(sa.select(views.fora).order_by(views.fora.c.name)).all()
        members = conn.execute(
            sa.select(
                views.forum_members.c.forum_id,
                views.forum_members.c.joined_on,
                views.plans,
            )
            .join(views.plans, views.plans.c.plan_id == views.forum_members.c.plan_id)
            .order_by(views.plans.c.name)
        ).all()
    return {
        "fora": [
            {
                "forum_id": forum.forum_id,
                "name": forum.name,
                "kommune": forum.kommune,
                "plans": [
                    {
                        "plan_id": m.plan_id,
                        "name": m.name,
                        "kommune": m.kommune,
                        "period_start": m.period_start,
                        "period_end": m.period_end,
                        "joined_on": m.joined_on,
                    }
                    for m in members
                    if m.forum_id == forum.forum_id
                ],
            }
            for forum in found
        ]
    }


def forum(engine: Engine, forum_id: str) -> dict[str, Any]:
    """One Samarbejdsforum with its plans and the indicators they share."""
    for found in fora(engine)["fora"]:
        if found["forum_id"] == forum_id:
            plan_ids = [p["plan_id"] for p in found["plans"]]
            found["shared_indicators"] = shared_indicators(engine, plan_ids)
            return dict(found)
    raise UnknownPlanError(f"unknown Samarbejdsforum {forum_id!r}")


def shared_indicators(engine: Engine, plan_ids: list[str]) -> list[dict[str, Any]]:
    """The indicators every one of these plans has (by id), with their names."""
    specs = views.indicator_specs
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(specs.c.plan_id, specs.c.indicator_id, specs.c.spec).where(
                specs.c.plan_id.in_(plan_ids)
            )
        ).all()
    holders: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for row in rows:
        holders.setdefault(row.indicator_id, set()).add(row.plan_id)
        names.setdefault(row.indicator_id, row.spec.get("name") or row.indicator_id)
    return [
        {"indicator_id": ident, "name": names[ident]}
        for ident in sorted(holders)
        if plan_ids and holders[ident] >= set(plan_ids)
    ]
