"""Building a follower of the leaders a service reads, from settings."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import requests

from shared.bus.follower import Follower
from shared.bus.remote import HttpLeaderLog
from shared.bus.views import metadata as tracking_metadata
from shared.settings import LEADERS

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Engine

    from shared.bus.follower import LeaderLog, Projection
    from shared.settings import ServiceName, Settings

log = logging.getLogger(__name__)


def http_follower(
    settings: Settings,
    service: ServiceName,
    engine: Engine,
    metadata: sa.MetaData,
    projection: Projection,
) -> Follower:
    """A follower of the service's leaders, reading their logs over HTTP."""
    tracking_metadata.create_all(engine)
    metadata.create_all(engine)
    leaders: dict[str, LeaderLog] = {
        name: HttpLeaderLog(settings.base_url(name)) for name in LEADERS[service]
    }
    return Follower(engine, projection, leaders)


def catch_up_quietly(follower: Follower) -> int:
    """Pull each reachable leader's log; a leader that is down is tried next time."""
    applied = 0
    for name in follower.leaders:
        try:
            applied += follower.catch_up(name)
        except requests.RequestException as error:
            log.debug("leader %s not reachable yet: %s", name, error)
    return applied
