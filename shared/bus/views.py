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
