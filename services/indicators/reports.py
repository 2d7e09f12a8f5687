"""Read-side reports for the dashboard and the auditor: a forum's plans side by
side, every indicator's series, a plan's agreement history, the event log, what
changed since the last approval, and the annual follow-up of one year."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from services.indicators import views
from services.indicators.queries import forum
from services.indicators.table import (
    CHANGES,
    _definitions,
    _plan,
    _row,
    activity_outputs,
    effective_facts,
    indicator_table,
    latest_day,
    series_points,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def forum_overview(
    engine: Engine, forum_id: str, as_of: datetime | None = None
) -> dict[str, Any]:
    """A Samarbejdsforum's plans side by side on the indicators they share:
    baseline, latest value, target, comparison and status; small numbers hidden."""
    found = forum(engine, forum_id)
    shared = {i["indicator_id"] for i in found["shared_indicators"]}
    tables = {
        p["plan_id"]: indicator_table(engine, p["plan_id"], as_of)
        for p in found["plans"]
    }
    indicators: dict[str, dict[str, Any]] = {}
    for plan_id, table in tables.items():
        for row in table["indicators"]:
            if row["indicator_id"] not in shared:
                continue
            entry = indicators.setdefault(
                row["indicator_id"],
                {
                    "indicator_id": row["indicator_id"],
                    "name": row["name"],
                    "unit": row["unit"],
                    "direction": row["direction"],
                    "level": row["level"],
                    "plans": {},
                },
            )
            entry["plans"][plan_id] = {
                "period": table["period"]["label"],
                "baseline": row["baseline"],
                "value": None if row["suppressed"] else row["value"],
                "suppressed": row["suppressed"],
                "comparison": row["comparison"],
                "target": (row.get("target") or {}).get("wording"),
                "status": row["status"],
                "value_now": row.get("value_now"),
                "changed_since": row.get("changed_since", False),
            }
    return {
        "forum_id": forum_id,
        "forum_name": found["name"],
        "kommune": found["kommune"],
        "as_of": as_of.isoformat() if as_of else None,
        "plans": [
            {
                "plan_id": p["plan_id"],
                "name": p["name"],
                "period": tables[p["plan_id"]]["period"]["label"],
                "documented_effect": tables[p["plan_id"]]["documented_effect"],
            }
            for p in found["plans"]
        ],
        "indicators": sorted(
            indicators.values(),
            key=lambda i: (i["level"] != "overall", i["indicator_id"]),
        ),
    }


def plan_series(
    engine: Engine, plan_id: str, as_of: datetime | None = None
) -> dict[str, Any]:
    """Every indicator of a plan per quarter (one read of the plan's facts)."""
    with engine.connect() as conn:
        plan = _plan(conn, plan_id)
        specs = conn.execute(
            sa.select(views.indicator_specs).where(
                views.indicator_specs.c.plan_id == plan_id
            )
        ).all()
        definitions = _definitions(conn, plan_id)
        last = latest_day(conn, plan_id, as_of) or plan.period_start
        known = effective_facts(conn, plan_id, as_of)
    last = min(last, plan.period_end)
    return {
        "plan_id": plan_id,
        "plan_name": plan.name,
        "as_of": as_of.isoformat() if as_of else None,
        "indicators": [
            {
                "indicator_id": spec.indicator_id,
                "name": spec.spec.get("name"),
                "document": spec.document,
                "level": spec.level,
                "goal": spec.goal,
                "goal_text": spec.goal_text,
                "unit": spec.spec.get("unit", "count"),
                "direction": spec.spec.get("direction"),
                "series": series_points(
                    spec,
                    definitions.get(spec.indicator_id, []),
                    known,
                    plan.period_start,
                    last,
                ),
            }
            for spec in sorted(specs, key=lambda s: s.indicator_id)
        ],
    }


def plan_history(
    engine: Engine, plan_id: str, as_of: datetime | None = None
) -> dict[str, Any]:
    """The plan's agreement history in log order: revisions, versions in force,
    activity status changes and the board's follow-ups."""
    table = views.plan_history
    query = sa.select(table).where(table.c.plan_id == plan_id)
    if as_of is not None:
        query = query.where(table.c.recorded <= as_of)
    with engine.connect() as conn:
        plan = _plan(conn, plan_id)
        rows = conn.execute(query.order_by(table.c.position)).all()
    return {
        "plan_id": plan_id,
        "plan_name": plan.name,
        "as_of": as_of.isoformat() if as_of else None,
        "entries": [
            {
                "position": row.position,
                "recorded": _iso(row.recorded),
                "kind": row.kind,
                "document": row.document,
                "version": row.version,
                "action": row.action,
                "detail": row.detail,
            }
            for row in rows
        ],
    }


def event_log(
    engine: Engine,
    plan_id: str,
    as_of: datetime | None = None,
    event_type: str | None = None,
    source: str | None = None,
    since: date | None = None,
    until: date | None = None,
    flag: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> dict[str, Any]:
    """The plan's activity events as recorded, newest first, with filters: type,
    source (prefix), the days they happened on, and ``flag`` = late, corrected
    (corrections, retractions and the events they changed)."""
    facts = views.facts
    known = [facts.c.plan_id == plan_id]
    if as_of is not None:
        known.append(facts.c.recorded <= as_of)
    where = list(known)
    if event_type:
        where.append(facts.c.type == event_type)
    if source:
        where.append(facts.c.source.startswith(source, autoescape=True))
    if since:
        where.append(facts.c.day >= since)
    if until:
        where.append(facts.c.day <= until)
    with engine.connect() as conn:
        _plan(conn, plan_id)
        changes = conn.execute(
            sa.select(facts.c.data).where(*known, facts.c.type.in_(CHANGES))
        ).all()
        changed: set[tuple[str, str]] = set()
        for change in changes:
            target = _target(change.data)
            if target is not None:
                changed.add(target)
        if flag == "late":
            where.append(facts.c.late.is_(True))
        elif flag == "corrected":
            keys = [sa.and_(facts.c.source == s, facts.c.event_id == i)
                    for s, i in changed]  # fmt: skip
            where.append(sa.or_(facts.c.type.in_(CHANGES), *keys))
        total = conn.execute(
            sa.select(sa.func.count()).select_from(facts).where(*where)
        ).scalar_one()
        rows = conn.execute(
            sa.select(facts)
            .where(*where)
            .order_by(facts.c.position.desc())
            .limit(limit)
            .offset(offset)
        ).all()
    return {
        "plan_id": plan_id,
        "as_of": as_of.isoformat() if as_of else None,
        "total": total,
        "events": [
            {
                "position": row.position,
                "source": row.source,
                "id": row.event_id,
                "type": row.type,
                "time": _iso(row.happened),
                "day": row.day,
                "recordedtime": _iso(row.recorded),
                "late": row.late,
                "changed_later": (row.source, row.event_id) in changed,
                "changes": " ".join(_target(row.data) or ()) or None,
                "data": row.data,
            }
            for row in rows
        ],
    }


def changes_since_approval(engine: Engine, plan_id: str) -> dict[str, Any]:
    """Since the last approval or follow-up of the plan: the values that have
    changed (as known then vs now), and the events recorded since, late ones and
    corrections counted apart."""
    table = views.plan_history
    with engine.connect() as conn:
        _plan(conn, plan_id)
        last = conn.execute(
            sa.select(table)
            .where(
                table.c.plan_id == plan_id,
                table.c.kind.in_(("in_force", "follow_up")),
            )
            .order_by(table.c.position.desc())
            .limit(1)
        ).first()
        if last is None:
            return {"plan_id": plan_id, "since": None, "values": [], "events": {}}
        since = _aware(last.recorded)
        facts = views.facts
        counts = conn.execute(
            sa.select(facts.c.late, facts.c.type, sa.func.count())
            .where(facts.c.plan_id == plan_id, facts.c.recorded > since)
            .group_by(facts.c.late, facts.c.type)
        ).all()
    then = indicator_table(engine, plan_id, as_of=since)
    return {
        "plan_id": plan_id,
        "since": since.isoformat(),
        "since_kind": last.kind,
        "since_detail": {"document": last.document, "version": last.version},
        "values": [
            {
                "indicator_id": row["indicator_id"],
                "name": row["name"],
                "unit": row["unit"],
                "then": row["value"],
                "now": row["value_now"],
            }
            for row in then["indicators"]
            if row.get("changed_since")
        ],
        "events": {
            "recorded": sum(n for _, _, n in counts),
            "late": sum(n for late, _, n in counts if late),
            "corrections": sum(n for _, kind, n in counts if kind in CHANGES),
        },
    }


def annual_report(
    engine: Engine, plan_id: str, year: int, as_of: datetime | None = None
) -> dict[str, Any]:
    """The annual follow-up of one plan and year: every indicator for the whole
    year (measured: the year's measurement; derived: over the year), the
    activities' outputs of the year, and the board's follow-ups held in it."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    with engine.connect() as conn:
        plan = _plan(conn, plan_id)
        specs = conn.execute(
            sa.select(views.indicator_specs).where(
                views.indicator_specs.c.plan_id == plan_id
            )
        ).all()
        definitions = _definitions(conn, plan_id)
        known = effective_facts(conn, plan_id, as_of, start, end)
    rows = []
    for spec in sorted(
        specs, key=lambda s: (s.document != "strategisk", s.indicator_id)
    ):
        row = _row(spec, definitions.get(spec.indicator_id, []), known, start, end)
        if row["suppressed"]:
            row.update(value=None, numerator=None, denominator=None)
        rows.append(row)
    outputs = activity_outputs(engine, plan_id, "year", as_of)
    history = plan_history(engine, plan_id, as_of)["entries"]
    return {
        "plan_id": plan_id,
        "plan_name": plan.name,
        "kommune": plan.kommune,
        "year": year,
        "as_of": as_of.isoformat() if as_of else None,
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "indicators": rows,
        "outputs": [r for r in outputs["rows"] if r["period"] == str(year)],
        "follow_ups": [
            e["detail"]
            for e in history
            if e["kind"] == "follow_up" and str(e["detail"]["held_on"])[:4] == str(year)
        ],
    }


def _target(data: Any) -> tuple[str, str] | None:
    ref = (
        data.get("supersedes") or data.get("retracts")
        if isinstance(data, dict)
        else None
    )
    return (ref["source"], ref["id"]) if ref else None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return _aware(moment).isoformat()


def day_end(day: date) -> datetime:
    """The last moment of a day (UTC), for "as known at the end of that day"."""
    return datetime.combine(day, time.max, UTC)
