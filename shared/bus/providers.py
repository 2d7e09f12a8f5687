"""nameko DependencyProviders that hand each worker its service's backend."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from nameko.extensions import DependencyProvider

from shared.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from shared.contracts.envelope import Delivery

log = logging.getLogger(__name__)

#: The nameko event type of every relay message; one stream per producer keeps
#: the relay's previous-position chain whole for every consumer.
DELIVERY = "delivery"


class Closeable(Protocol):
    def close(self) -> None: ...


B = TypeVar("B", bound=Closeable)


class Backend(DependencyProvider, Generic[B]):
    """Builds the service's backend (application, log, relay, follower) once."""

    def __init__(self, build: Callable[[Settings], B]) -> None:
        self.build = build
        self.backend: B | None = None

    def setup(self) -> None:
        settings = Settings.from_nameko_config(self.container.config)
        self.backend = self.build(settings)

    def stop(self) -> None:
        self._close()

    def kill(self) -> None:
        self._close()

    def _close(self) -> None:
        if self.backend is not None:
            self.backend.close()
            self.backend = None

    def get_dependency(self, worker_ctx: Any) -> B:
        assert self.backend is not None, "the backend is built in setup()"
        return self.backend


def publisher(dispatch: Callable[[str, Any], None]) -> Callable[[Delivery], None]:
    """Publish deliveries through a nameko EventDispatcher (publisher confirms)."""

    def publish(delivery: Delivery) -> None:
        dispatch(DELIVERY, delivery.model_dump(mode="json"))

    return publish
