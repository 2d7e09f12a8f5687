"""Builds the activities backend from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.activities.application import Activities
from services.activities.integration import to_contract
from services.activities.views import KnownPlansProjection, SqlKnownPlans, metadata
from shared.bus.following import http_follower
from shared.bus.log import PublishedLog
from shared.bus.relay import Relay
from shared.store import views_engine

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from shared.bus.follower import Follower
    from shared.settings import Settings


@dataclass
class ActivitiesBackend:
    app: Activities
    log: PublishedLog
    relay: Relay
    follower: Follower
    engine: Engine

    def known_plans(self) -> SqlKnownPlans:
        return SqlKnownPlans(self.engine)

    def close(self) -> None:
        self.app.close()
        self.engine.dispose()


def build(settings: Settings) -> ActivitiesBackend:
    database_url = settings.database_url("activities")
    app = Activities(database_url)
    log = PublishedLog(app, "activities", to_contract)
    engine = views_engine(database_url)
    follower = http_follower(
        settings, "activities", engine, metadata, KnownPlansProjection()
    )
    return ActivitiesBackend(
        app=app,
        log=log,
        relay=Relay(log, settings.relay_batch),
        follower=follower,
        engine=engine,
    )
