"""Builds the agreements backend from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.agreements.application import Agreements
from services.agreements.integration import to_contract
from shared.bus.log import PublishedLog
from shared.bus.relay import Relay

if TYPE_CHECKING:
    from shared.settings import Settings


@dataclass
class AgreementsBackend:
    app: Agreements
    log: PublishedLog
    relay: Relay

    def close(self) -> None:
        self.app.close()


def build(settings: Settings) -> AgreementsBackend:
    app = Agreements(settings.database_url("agreements"))
    log = PublishedLog(app, "agreements", to_contract)
    return AgreementsBackend(app=app, log=log, relay=Relay(log, settings.relay_batch))
