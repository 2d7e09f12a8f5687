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
