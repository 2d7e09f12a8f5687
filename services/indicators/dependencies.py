"""Builds the indicators backend from settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from services.indicators.projection import IndicatorsProjection
from services.indicators.views import metadata
from shared.bus.following import http_follower
from shared.bus.views import tracking_table
from shared.store import views_engine

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from shared.bus.follower import Follower
    from shared.settings import Settings


log = logging.getLogger(__name__)


@dataclass
class IndicatorsBackend:
    follower: Follower
    engine: Engine

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings) -> IndicatorsBackend:
    engine = views_engine(settings.database_url("indicators"))
    reset_if_outdated(engine)
    follower = http_follower(
        settings, "indicators", engine, metadata, IndicatorsProjection()
    )
    return IndicatorsBackend(follower=follower, engine=engine)


def reset_if_outdated(engine: Engine) -> bool:
    """The read model is disposable: if its tables lack a column this version
    writes, drop them and the tracking rows, so the follower rebuilds it from the
    leaders' logs. True if it did."""
    inspector = sa.inspect(engine)
    present = set(inspector.get_table_names())
    outdated = any(
        table.name in present
        and {c.name for c in table.columns}
        - {c["name"] for c in inspector.get_columns(table.name)}
        for table in metadata.sorted_tables
    )
    if not outdated:
        return False
    metadata.drop_all(engine)
    if tracking_table.name in present:
        with engine.begin() as conn:
            conn.execute(sa.delete(tracking_table))
    log.warning("indicators read model was outdated: dropped, to be rebuilt")
    return True


def check_rebuild(backend: IndicatorsBackend) -> dict[str, object]:
    """Rebuild the read model from the leaders' logs into a scratch database and
    compare its hash with the live one (equal when nothing arrived meanwhile)."""
    import tempfile
    import time

    from services.indicators.replay import projection_hash, rebuild

    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        fresh = views_engine(f"sqlite:///{scratch}/rebuild.sqlite")
        try:
            applied = rebuild(fresh, backend.follower.leaders)
            rebuilt = projection_hash(fresh)
        finally:
            fresh.dispose()
    live = projection_hash(backend.engine)
    return {
        "events": applied,
        "rebuilt": rebuilt,
        "live": live,
        "equal": rebuilt == live,
        "seconds": round(time.perf_counter() - began, 2),
    }
