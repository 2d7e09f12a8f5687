"""Builds the agreements backend from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.agreements.application import Agreements
from services.agreements.integration import to_contract
from shared import access
from shared.bus.log import PublishedLog
from shared.bus.relay import Relay

if TYPE_CHECKING:
    from werkzeug.wrappers import Request

    from shared.settings import Settings

ADMIN = access.Principal(token_id="admin", label="administrator", admin=True)


@dataclass
class AgreementsBackend:
    app: Agreements
    log: PublishedLog
    relay: Relay
    admin_token: str | None

    def principal(self, request: Request) -> access.Principal:
        """Who calls (401 if nobody the platform knows)."""
        token = access.bearer(request.headers.get("Authorization"))
        if access.is_admin_token(token, self.admin_token):
            return ADMIN
        return self.app.authenticate(token)

    def close(self) -> None:
        self.app.close()


def build(settings: Settings) -> AgreementsBackend:
    app = Agreements(settings.database_url("agreements"))
    log = PublishedLog(app, "agreements", to_contract)
    return AgreementsBackend(
        app=app,
        log=log,
        relay=Relay(log, settings.relay_batch),
        admin_token=settings.admin_token,
    )
