"""Tables every follower's read-model database has."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: Per producer: the log position this read model has applied up to.
tracking_table = sa.Table(
    "tracking",
    metadata,
    sa.Column("producer", sa.String(100), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
)

#: Events a projection could not apply ("poison"): kept aside with the reason, so
#: the stream goes on; the event itself stays in the leader's log. Deterministic
#: (no wall-clock time), so a rebuild parks the same rows.
parked_table = sa.Table(
    "parked",
    metadata,
    sa.Column("producer", sa.String(100), primary_key=True),
    sa.Column("position", sa.BigInteger, primary_key=True),
    sa.Column("source", sa.String(300), nullable=False),
    sa.Column("event_id", sa.String(200), nullable=False),
    sa.Column("type", sa.String(200), nullable=False),
    sa.Column("recorded", sa.String(40), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)
