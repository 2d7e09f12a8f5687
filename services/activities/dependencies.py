"""Builds the activities backend from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.activities.application import Activities
from services.activities.integration import to_contract
from services.activities.views import (
    KnownPlansProjection,
    SqlKnownPlans,
    SqlTokens,
    metadata,
)
from shared import access
from shared.bus.following import http_follower
from shared.bus.log import PublishedLog
from shared.bus.relay import Relay
from shared.store import views_engine

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from werkzeug.wrappers import Request

    from shared.bus.follower import Follower
    from shared.settings import Settings


@dataclass
class ActivitiesBackend:
    app: Activities
    log: PublishedLog
    relay: Relay
    follower: Follower
    engine: Engine

    admin_token: str | None

    def known_plans(self) -> SqlKnownPlans:
        return SqlKnownPlans(self.engine)

    def principal(self, request: Request) -> access.Principal:
        """Who posts (401 if the platform does not know the token)."""
        return self.authenticate(access.bearer(request.headers.get("Authorization")))

    def authenticate(self, token: str) -> access.Principal:
        if access.is_admin_token(token, self.admin_token):
            return access.Principal(token_id="admin", label="administrator", admin=True)
        return SqlTokens(self.engine).authenticate(token)

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
        admin_token=settings.admin_token,
    )
