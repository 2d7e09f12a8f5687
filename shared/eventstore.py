"""The eventsourcing Application base every service's application derives from."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Transcoding

from shared.store import eventsourcing_env

if TYPE_CHECKING:
    from eventsourcing.persistence import JSONTranscoder


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ServiceApplication(Application[UUID]):
    """An Application whose store is chosen by a database URL."""

    def __init__(self, database_url: str | None = None, **env: Any) -> None:
        store_env = eventsourcing_env(database_url) if database_url else {}
        super().__init__(env={**store_env, **env})

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
