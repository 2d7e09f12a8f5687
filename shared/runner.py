"""Runs nameko services in this process, each in its own container and config.

The embedded mode runs all three over kombu's ``memory://`` transport; production
runs one service per process against RabbitMQ. The code is the same; only the
settings differ. The process must be monkey-patched first (`shared.green`).
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import TYPE_CHECKING

import requests

from shared.settings import LEADERS, SERVICE_NAMES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from nameko.containers import ServiceContainer

    from shared.settings import ServiceName, Settings

log = logging.getLogger(__name__)

SERVICE_CLASSES: dict[ServiceName, str] = {
    "agreements": "services.agreements.service:AgreementsService",
    "activities": "services.activities.service:ActivitiesService",
    "indicators": "services.indicators.service:IndicatorsService",
}


def service_class(name: ServiceName) -> type:
    module, _, attribute = SERVICE_CLASSES[name].partition(":")
    cls: type = getattr(importlib.import_module(module), attribute)
    return cls


class Platform:
    """Some or all services, started and stopped together."""

    def __init__(
        self, settings: Settings, services: Iterable[ServiceName] = SERVICE_NAMES
    ) -> None:
        self.settings = settings
        self.names = tuple(services)
        self.containers: list[ServiceContainer] = []

    def start(self) -> Platform:
        from nameko.containers import ServiceContainer

        for name in self.names:
            container = ServiceContainer(
                service_class(name), self.settings.nameko_config(name)
            )
            container.start()
            self.containers.append(container)
        wait_until_serving(self.settings, self.names)
        return self

    def stop(self) -> None:
        for container in reversed(self.containers):
            container.stop()
        self.containers.clear()

    def kill(self) -> None:
        for container in reversed(self.containers):
            container.kill()
        self.containers.clear()

    def __enter__(self) -> Platform:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def health(settings: Settings, name: ServiceName) -> dict[str, object]:
    response = requests.get(f"{settings.base_url(name)}/health", timeout=5)
    response.raise_for_status()
    body: dict[str, object] = response.json()
    return body


def wait_until_serving(
    settings: Settings, names: Iterable[ServiceName], timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    for name in names:
        while True:
            try:
                health(settings, name)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} did not answer /health") from None
                time.sleep(0.05)


def wait_until_synced(settings: Settings, timeout: float = 60.0) -> dict[str, int]:
    """Block until every follower has applied its leaders' logs to their heads;
    return the heads."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            heads, behind = _lag(settings)
        except requests.RequestException as error:  # a busy service answers late
            heads, behind = {}, {"unanswered": str(error)}
        if not behind:
            return heads
        if time.monotonic() > deadline:
            raise TimeoutError(f"followers still behind: {behind}")
        time.sleep(0.05)


def _lag(settings: Settings) -> tuple[dict[str, int], dict[str, object]]:
    """The leaders' heads, and how far each follower is behind them."""
    heads = {
        name: int(str(health(settings, name)["head"]))
        for name in ("agreements", "activities")
    }
    behind: dict[str, object] = {}
    for follower, leaders in LEADERS.items():
        if not leaders:
            continue
        following = health(settings, follower)["following"]
        assert isinstance(following, dict)
        for leader in leaders:
            position = int(following[leader])
            if position < heads[leader]:
                behind[f"{follower}<-{leader}"] = heads[leader] - position
    return heads, behind
