"""Rebuild the indicators read model from the leaders' logs, and prove it equal.

The rebuild reads the agreements and activities logs through the same published
mapping the services serve (`PublishedLog`), applies them with the same
`Follower` and projection into an empty database, and compares a hash of every
table with the incrementally built read model.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from services.indicators.projection import IndicatorsProjection
from services.indicators.views import metadata
from shared.bus.follower import Follower
from shared.bus.views import metadata as tracking_metadata

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from sqlalchemy.engine import Engine

    from shared.bus.follower import LeaderLog


def projection_hash(engine: Engine) -> str:
    """A SHA-256 over every row of every read-model table, in a stable order."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in [*tracking_metadata.sorted_tables, *metadata.sorted_tables]:
            rows = conn.execute(sa.select(table)).all()
            encoded = sorted(
                json.dumps([_plain(v) for v in row], sort_keys=True, default=str)
                for row in rows
            )
            digest.update(table.name.encode())
            for line in encoded:
                digest.update(line.encode())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text.replace("+00:00", "")  # SQLite drops the zone; compare the instant
    return value


def rebuild(
    target: Engine,
    leaders: Mapping[str, LeaderLog],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Apply the leaders' logs from zero into ``target``; return the events applied."""
    tracking_metadata.create_all(target)
    metadata.create_all(target)
    follower = Follower(target, IndicatorsProjection(), leaders, page_size=2000)
    applied = 0
    for name in leaders:
        while True:
            done = follower.catch_up(name)
            applied += done
            if progress is not None:
                progress(done)
            if done == 0:
                break
    return applied
