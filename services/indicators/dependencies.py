"""Builds the indicators backend from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.indicators.projection import IndicatorsProjection
from services.indicators.views import metadata
from shared.bus.following import http_follower
from shared.store import views_engine

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from shared.bus.follower import Follower
    from shared.settings import Settings


@dataclass
class IndicatorsBackend:
    follower: Follower
    engine: Engine

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings) -> IndicatorsBackend:
    engine = views_engine(settings.database_url("indicators"))
    follower = http_follower(
        settings, "indicators", engine, metadata, IndicatorsProjection()
    )
    return IndicatorsBackend(follower=follower, engine=engine)
