"""The indicator table of a plan: value, baseline, comparison, target and status,
as known now or as known at a moment (``as_of``, by recorded time)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import TypeAdapter

from services.indicators import views
from services.indicators.formulas import Fact, evaluate
from services.indicators.outputs import Grain, outputs, totals
from services.indicators.periods import quarter_bounds, quarter_of
from services.indicators.queries import UnknownPlanError
from services.indicators.status import status, suppressed
from shared.contracts.activities import (
    Corrected,
    IndicatorMeasurementReported,
    Retracted,
)
from shared.contracts.definitions import Derived, Measured

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

DEFINITION: TypeAdapter[Derived | Measured] = TypeAdapter(Derived | Measured)
DOCUMENT_ORDER = {"strategisk": 0, "UL": 1, "BE": 2, "KF": 3, "SM": 4}
CHANGES = (Corrected.TYPE, Retracted.TYPE)


def indicator_table(
    engine: Engine, plan_id: str, as_of: datetime | None = None, on: date | None = None
) -> dict[str, Any]:
    """Every indicator of the plan for the quarter holding ``on`` (default: the
    latest quarter with activity), using only what was recorded by ``as_of``."""
    with engine.connect() as conn:
        plan = _plan(conn, plan_id)
        specs = conn.execute(
            sa.select(views.indicator_specs).where(
                views.indicator_specs.c.plan_id == plan_id
            )
        ).all()
        definitions = _definitions(conn, plan_id)
        day = on or latest_day(conn, plan_id, as_of) or date.today()
        start, end = quarter_bounds(day)
        since = date(end.year, 1, 1)  # the widest window a definition uses
        known = effective_facts(conn, plan_id, as_of, since, end)
        known_now = effective_facts(conn, plan_id, None, since, end) if as_of else known
        effect = documented_effect_share(conn, plan_id)
    ordered = sorted(
        specs, key=lambda s: (DOCUMENT_ORDER.get(s.document, 9), s.indicator_id)
    )
    measured = _measurements(known)
    measured_now = _measurements(known_now) if as_of else measured
    rows = []
    for spec in ordered:
        versions = definitions.get(spec.indicator_id, [])
        row = _row(spec, versions, known, start, end, measured)
        if as_of is not None:  # as reported then, beside as known now
            now = _row(spec, versions, known_now, start, end, measured_now)
            row["value_now"] = now["value"]
            row["changed_since"] = now["value"] != row["value"]
        rows.append(row)
    return {
        "plan_id": plan_id,
        "plan_name": plan.name,
        "as_of": as_of.isoformat() if as_of else None,
        "period": {"label": quarter_of(day), "start": start, "end": end},
        "indicators": rows,
        "documented_effect": effect,
    }


def _measurements(known: list[Fact]) -> list[Fact]:
    return [f for f in known if f.type == IndicatorMeasurementReported.TYPE]


def latest_day(conn: Connection, plan_id: str, as_of: datetime | None) -> date | None:
    """The day of the plan's latest activity event recorded by ``as_of``."""
    facts = views.facts
    query = sa.select(sa.func.max(facts.c.happened)).where(
        facts.c.plan_id == plan_id, facts.c.type.not_in(CHANGES)
    )
    if as_of is not None:
        query = query.where(facts.c.recorded <= as_of)
    found = conn.execute(query).scalar()
    if found is None:
        return None
    if isinstance(found, str):  # SQLite's max() gives the stored text
        found = datetime.fromisoformat(found)
    return _aware(found).date()


def indicator_series(
    engine: Engine, plan_id: str, indicator_id: str, as_of: datetime | None = None
) -> dict[str, Any]:
    """One indicator of a plan per quarter, from the plan's start to its latest
    quarter with activity, as known at ``as_of``."""
    with engine.connect() as conn:
        plan = _plan(conn, plan_id)
        spec = conn.execute(
            sa.select(views.indicator_specs).where(
                views.indicator_specs.c.plan_id == plan_id,
                views.indicator_specs.c.indicator_id == indicator_id,
            )
        ).first()
        if spec is None:
            raise UnknownPlanError(
                f"plan {plan_id!r} has no indicator {indicator_id!r}"
            )
        versions = _definitions(conn, plan_id).get(indicator_id, [])
        last = latest_day(conn, plan_id, as_of) or plan.period_start
        known = effective_facts(conn, plan_id, as_of)
    points = series_points(spec, versions, known, plan.period_start,
                           min(last, plan.period_end))  # fmt: skip
    body = spec.spec
    return {
        "plan_id": plan_id,
        "plan_name": plan.name,
        "indicator_id": indicator_id,
        "name": body.get("name"),
        "unit": body.get("unit", "count"),
        "direction": body.get("direction"),
        "baseline": _first_value(body.get("baselines", [])),
        "comparison": _first_value(body.get("comparison_baselines", [])),
        "target": body.get("target"),
        "as_of": as_of.isoformat() if as_of else None,
        "series": points,
    }


def series_points(
    spec: Any,
    versions: list[tuple[date, dict[str, Any]]],
    known: list[Fact],
    first: date,
    last: date,
) -> list[dict[str, Any]]:
    """An indicator's value per quarter from ``first`` to ``last``."""
    measurements = _measurements(known)
    points = []
    day = first
    while day <= last:
        start, end = quarter_bounds(day)
        row = _row(spec, versions, known, start, end, measurements)
        points.append(
            {
                "period": quarter_of(day),
                "start": start,
                "end": end,
                "value": None if row["suppressed"] else row["value"],
                "numerator": None if row["suppressed"] else row["numerator"],
                "denominator": None if row["suppressed"] else row["denominator"],
                "suppressed": row["suppressed"],
                "status": row["status"],
                "events": row["events"],
            }
        )
        day = end + timedelta(days=1)
    return points


def activity_outputs(
    engine: Engine,
    plan_id: str,
    grain: Grain = "quarter",
    as_of: datetime | None = None,
) -> dict[str, Any]:
    """Every activity's outputs per period (month, quarter, year or plan to
    date), as known at ``as_of``, with the plan's totals per period."""
    with engine.connect() as conn:
        plan = _plan(conn, plan_id)
        known = effective_facts(conn, plan_id, as_of)
        activities = conn.execute(
            sa.select(views.activities)
            .where(views.activities.c.plan_id == plan_id)
            .order_by(views.activities.c.activity_id)
        ).all()
    rows = outputs(known, grain)
    names = {a.activity_id: a.name for a in activities}
    for row in rows:
        row["activity_name"] = names.get(row["activity_id"], row["activity_id"])
    return {
        "plan_id": plan_id,
        "plan_name": plan.name,
        "grain": grain,
        "as_of": as_of.isoformat() if as_of else None,
        "activities": [
            {
                "activity_id": a.activity_id,
                "name": a.name,
                "cfbu_activity_type": a.cfbu_activity_type,
                "documented_effect": a.documented_effect,
                "indsatsomraade": a.indsatsomraade,
                "status": a.status,
                "status_from": a.status_from,
            }
            for a in activities
        ],
        "rows": rows,
        "totals": totals(rows),
    }


def _plan(conn: Connection, plan_id: str) -> Any:
    plan = conn.execute(
        sa.select(views.plans).where(views.plans.c.plan_id == plan_id)
    ).first()
    if plan is None:
        raise UnknownPlanError(f"unknown plan {plan_id!r}")
    return plan


def documented_effect_share(conn: Connection, plan_id: str) -> dict[str, Any]:
    """The share of the plan's activities that follow a CFBU activity type with
    documented effect."""
    table = views.activities
    rows = (
        conn.execute(
            sa.select(table.c.documented_effect).where(table.c.plan_id == plan_id)
        )
        .scalars()
        .all()
    )
    with_effect = sum(1 for effect in rows if effect)
    return {
        "activities": len(rows),
        "with_documented_effect": with_effect,
        "share": round(with_effect / len(rows) * 100, 1) if rows else None,
    }


def _definitions(
    conn: Connection, plan_id: str
) -> dict[str, list[tuple[date, dict[str, Any]]]]:
    table = views.indicator_definitions
    found: dict[str, list[tuple[date, dict[str, Any]]]] = {}
    for row in conn.execute(
        sa.select(table)
        .where(table.c.plan_id == plan_id)
        .order_by(table.c.effective_from)
    ):
        found.setdefault(row.indicator_id, []).append(
            (row.effective_from, row.definition)
        )
    return found


def effective_facts(
    conn: Connection,
    plan_id: str,
    as_of: datetime | None,
    since: date | None = None,
    until: date | None = None,
) -> list[Fact]:
    """The plan's activity events as known at ``as_of``: corrections applied,
    retractions removed (the originals stay in the log).

    With ``since``/``until`` only events that happened on those days are read
    (with every correction, retraction and measurement of the plan), so a query
    for one period reads that period's rows, not the plan's whole history.
    """
    facts = views.facts
    query = sa.select(facts).where(facts.c.plan_id == plan_id)
    if since is not None and until is not None:
        first = datetime.combine(since, time.min, UTC) - timedelta(days=1)
        last = datetime.combine(until, time.max, UTC) + timedelta(days=1)
        query = query.where(
            sa.or_(
                facts.c.happened.between(first, last),
                facts.c.type.in_((*CHANGES, IndicatorMeasurementReported.TYPE)),
            )
        )
    if as_of is not None:
        query = query.where(facts.c.recorded <= as_of)
    rows = conn.execute(query.order_by(views.facts.c.position)).all()
    current: dict[tuple[str, str], Fact] = {}
    for row in rows:
        key = (row.source, row.event_id)
        if row.type == Corrected.TYPE:
            target = (row.data["supersedes"]["source"], row.data["supersedes"]["id"])
            original = current.get(target)
            if original is not None:
                current[target] = Fact(
                    original.source,
                    original.event_id,
                    row.data["corrected_type"],
                    original.time,
                    row.data["corrected_data"],
                )
        elif row.type == Retracted.TYPE:
            current.pop(
                (row.data["retracts"]["source"], row.data["retracts"]["id"]), None
            )
        else:
            current[key] = Fact(
                row.source, row.event_id, row.type, _aware(row.happened), row.data
            )
    return list(current.values())


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _in_force(
    versions: list[tuple[date, dict[str, Any]]], day: date
) -> dict[str, Any] | None:
    current = None
    for effective_from, definition in versions:
        if effective_from <= day:
            current = definition
    return current


def _row(
    spec: Any,
    versions: list[tuple[date, dict[str, Any]]],
    known: list[Fact],
    start: date,
    end: date,
    measurements: list[Fact] | None = None,
) -> dict[str, Any]:
    body = spec.spec
    baseline = _first_value(body.get("baselines", []))
    comparison = _first_value(body.get("comparison_baselines", []))
    raw = _in_force(versions, end)
    definition = DEFINITION.validate_python(raw) if raw else Measured()
    value = numerator = denominator = None
    measured_source = measured_period = None
    used = 0
    if isinstance(definition, Derived):
        result = evaluate(definition, known, start, end)
        value, numerator, denominator, used = (
            result.value,
            result.numerator,
            result.denominator,
            len(result.events),
        )
    else:
        latest = _latest_measurement(
            spec.indicator_id, known if measurements is None else measurements, end
        )
        if latest is not None:
            value, numerator, denominator = (
                latest.value,
                latest.numerator,
                latest.denominator,
            )
            measured_source = latest.source_id
            measured_period = f"{latest.period_start} – {latest.period_end}"
            used = 1
    unit = body.get("unit", "count")
    return {
        "indicator_id": spec.indicator_id,
        "name": body.get("name"),
        "document": spec.document,
        "level": spec.level,
        "goal": spec.goal,
        "unit": unit,
        "direction": body.get("direction"),
        "kind": definition.kind,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "measured_source": measured_source,
        "measured_period": measured_period,
        "events": used,
        "baselines": body.get("baselines", []),
        "comparison_baselines": body.get("comparison_baselines", []),
        "baseline": baseline,
        "comparison": comparison,
        "target": body.get("target"),
        "status": status(
            body.get("direction", "monitor"),
            body.get("target"),
            baseline,
            value,
            comparison,
        ),
        "suppressed": suppressed(unit, value, numerator, denominator),
    }


def _first_value(baselines: list[dict[str, Any]]) -> float | None:
    for baseline in baselines:
        if baseline.get("value") is not None:
            return float(baseline["value"])
    return None


def _latest_measurement(
    indicator_id: str, known: list[Fact], end: date
) -> IndicatorMeasurementReported | None:
    reported = [
        IndicatorMeasurementReported.model_validate(f.data)
        for f in known
        if f.type == IndicatorMeasurementReported.TYPE
        and f.data.get("indicator_id") == indicator_id
    ]
    reported = [m for m in reported if m.period_end <= end]
    return max(reported, key=lambda m: (m.period_end, m.period_start), default=None)


def lineage(
    engine: Engine,
    plan_id: str,
    indicator_id: str,
    as_of: datetime | None = None,
    on: date | None = None,
) -> dict[str, Any]:
    """Where one value came from: the events it was computed from (as known at
    ``as_of``), and every correction or retraction recorded against them."""
    table = indicator_table(engine, plan_id, as_of, on)
    row = next(
        (r for r in table["indicators"] if r["indicator_id"] == indicator_id), None
    )
    if row is None:
        raise UnknownPlanError(f"plan {plan_id!r} has no indicator {indicator_id!r}")
    start, end = table["period"]["start"], table["period"]["end"]
    with engine.connect() as conn:
        known = effective_facts(conn, plan_id, as_of)
        versions = _definitions(conn, plan_id).get(indicator_id, [])
        raw = _in_force(versions, end)
        definition = DEFINITION.validate_python(raw) if raw else Measured()
        if isinstance(definition, Derived):
            used = set(evaluate(definition, known, start, end).events)
        else:
            latest = _latest_measurement_fact(indicator_id, known, end)
            used = {(latest.source, latest.event_id)} if latest else set()
        query = sa.select(views.facts).where(views.facts.c.plan_id == plan_id)
        if as_of is not None:
            query = query.where(views.facts.c.recorded <= as_of)
        rows = conn.execute(query.order_by(views.facts.c.position)).all()
    events = []
    for fact in rows:
        target = _target_of(fact)
        if (fact.source, fact.event_id) in used or target in used:
            events.append(
                {
                    "source": fact.source,
                    "id": fact.event_id,
                    "type": fact.type,
                    "time": _aware(fact.happened).isoformat(),
                    "recordedtime": _aware(fact.recorded).isoformat(),
                    "late": fact.late,
                    "position": fact.position,
                    "changes": f"{target[0]} {target[1]}" if target else None,
                }
            )
    return {
        "plan_id": plan_id,
        "indicator_id": indicator_id,
        "as_of": table["as_of"],
        "period": table["period"],
        "value": row["value"],
        "definition": raw,
        "events": events,
    }


def _target_of(fact: Any) -> tuple[str, str] | None:
    if fact.type == Corrected.TYPE:
        return (fact.data["supersedes"]["source"], fact.data["supersedes"]["id"])
    if fact.type == Retracted.TYPE:
        return (fact.data["retracts"]["source"], fact.data["retracts"]["id"])
    return None


def _latest_measurement_fact(
    indicator_id: str, known: list[Fact], end: date
) -> Fact | None:
    candidates = [
        f
        for f in known
        if f.type == IndicatorMeasurementReported.TYPE
        and f.data.get("indicator_id") == indicator_id
        and date.fromisoformat(f.data["period_end"]) <= end
    ]
    return max(
        candidates,
        key=lambda f: (f.data["period_end"], f.data["period_start"]),
        default=None,
    )


def forum_comparison(
    engine: Engine, forum_id: str, indicator_id: str, as_of: datetime | None = None
) -> dict[str, Any]:
    """One indicator across a Samarbejdsforum's plans, small numbers suppressed."""
    with engine.connect() as conn:
        forum = conn.execute(
            sa.select(views.fora).where(views.fora.c.forum_id == forum_id)
        ).first()
        if forum is None:
            raise UnknownPlanError(f"unknown Samarbejdsforum {forum_id!r}")
        members = (
            conn.execute(
                sa.select(views.forum_members.c.plan_id)
                .where(views.forum_members.c.forum_id == forum_id)
                .order_by(views.forum_members.c.plan_id)
            )
            .scalars()
            .all()
        )
    plans = []
    for plan_id in members:
        table = indicator_table(engine, plan_id, as_of)
        row = next(
            (r for r in table["indicators"] if r["indicator_id"] == indicator_id), None
        )
        if row is None:
            continue
        plans.append(
            {
                "plan_id": plan_id,
                "plan_name": table["plan_name"],
                "period": table["period"]["label"],
                "value": None if row["suppressed"] else row["value"],
                "suppressed": row["suppressed"],
                "baseline": row["baseline"],
                "comparison": row["comparison"],
                "status": row["status"],
                "unit": row["unit"],
            }
        )
    return {
        "forum_id": forum_id,
        "forum_name": forum.name,
        "indicator_id": indicator_id,
        "plans": plans,
    }
