"""The indicators service's read-model tables."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

fora = sa.Table(
    "fora",
    metadata,
    sa.Column("forum_id", sa.String(100), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kommune", sa.String(100), nullable=False),
)

forum_members = sa.Table(
    "forum_members",
    metadata,
    sa.Column("forum_id", sa.String(100), primary_key=True),
    sa.Column("plan_id", sa.String(100), primary_key=True),
    sa.Column("joined_on", sa.Date, nullable=False),
)

plans = sa.Table(
    "plans",
    metadata,
    sa.Column("plan_id", sa.String(100), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kommune", sa.String(100), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
)

activities = sa.Table(
    "activities",
    metadata,
    sa.Column("plan_id", sa.String(100), primary_key=True),
    sa.Column("activity_id", sa.String(100), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("cfbu_activity_type", sa.String(100), nullable=True),
    sa.Column("documented_effect", sa.Boolean, nullable=True),
    sa.Column("indsatsomraade", sa.String(10), nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("status_from", sa.Date, nullable=True),
)

#: A plan's agreement history: revisions drafted, submitted and approved, versions
#: in force, activity status changes and the board's follow-ups, in log order.
plan_history = sa.Table(
    "plan_history",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True),  # in agreements' log
    sa.Column("plan_id", sa.String(100), nullable=False, index=True),
    sa.Column("recorded", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),  # revision, in_force, ...
    sa.Column("document", sa.String(30), nullable=True),
    sa.Column("version", sa.Integer, nullable=True),
    sa.Column("action", sa.String(30), nullable=True),
    sa.Column("detail", sa.JSON, nullable=False),
)

#: Sessions held per activity and quarter (the spine's thin slice).
session_counts = sa.Table(
    "session_counts",
    metadata,
    sa.Column("plan_id", sa.String(100), primary_key=True),
    sa.Column("activity_id", sa.String(100), primary_key=True),
    sa.Column("quarter", sa.String(7), primary_key=True),
    sa.Column("sessions", sa.Integer, nullable=False),
    sa.Column("participants", sa.Integer, nullable=False),
    sa.Column("new_participants", sa.Integer, nullable=False),
)

#: What was agreed for each indicator of a plan (from the versions in force).
indicator_specs = sa.Table(
    "indicator_specs",
    metadata,
    sa.Column("plan_id", sa.String(100), primary_key=True),
    sa.Column("indicator_id", sa.String(50), primary_key=True),
    sa.Column("document", sa.String(30), nullable=False),  # strategisk or UL/BE/KF/SM
    sa.Column("level", sa.String(10), nullable=False),  # overall, delmaal, output
    sa.Column("goal", sa.String(50), nullable=True),  # goal or delmål id
    sa.Column("goal_text", sa.Text, nullable=True),
    sa.Column("spec", sa.JSON, nullable=False),  # name, unit, direction, baselines …
)

#: How each indicator is obtained, from the date each version takes effect.
indicator_definitions = sa.Table(
    "indicator_definitions",
    metadata,
    sa.Column("plan_id", sa.String(100), primary_key=True),
    sa.Column("indicator_id", sa.String(50), primary_key=True),
    sa.Column("effective_from", sa.Date, primary_key=True),
    sa.Column("definition", sa.JSON, nullable=False),
)

#: Every activity event, bitemporal: when it happened and when it was recorded.
facts = sa.Table(
    "facts",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True),  # in activities' log
    sa.Column("source", sa.String(300), nullable=False),
    sa.Column("event_id", sa.String(200), nullable=False),
    sa.Column("type", sa.String(200), nullable=False),
    sa.Column("plan_id", sa.String(100), nullable=False),
    sa.Column("happened", sa.DateTime(timezone=True), nullable=False),
    sa.Column("day", sa.Date, nullable=False),  # the local day it happened on
    sa.Column("recorded", sa.DateTime(timezone=True), nullable=False),
    sa.Column("late", sa.Boolean, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.UniqueConstraint("source", "event_id"),
    sa.Index("facts_by_plan_and_day", "plan_id", "happened"),
    sa.Index("facts_by_plan_and_type", "plan_id", "type"),
)
