"""Access tokens, kept as digests: issued with grants, revoked for good."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from services.agreements.domain.errors import AgreementsError

NAMESPACE = uuid5(NAMESPACE_URL, "urn:helhed:agreements:tokens")


class TokenRevokedError(AgreementsError):
    """The token was revoked."""


class AccessToken(Aggregate):
    """One token's digest, label (never a person's name), grants and source prefixes."""

    TOPIC = "agreements.AccessToken"

    class Created(Aggregate.Created):
        TOPIC = "agreements.AccessTokenCreated"

    class Issued(Aggregate.Created):
        TOPIC = "agreements.TokenIssued"
        token_id: str
        digest: str
        label: str
        grants: list[dict[str, str]]
        source_prefixes: list[str]

    class Revoked(Aggregate.Event):
        TOPIC = "agreements.TokenRevoked"
        token_id: str
        reason: str

    @staticmethod
    def create_id(token_id: str, **_: Any) -> UUID:
        return token_aggregate_id(token_id)

    @event(Issued)
    def __init__(
        self,
        token_id: str,
        digest: str,
        label: str,
        grants: list[dict[str, str]],
        source_prefixes: list[str],
    ) -> None:
        self.token_id = token_id
        self.digest = digest
        self.label = label
        self.grants = grants
        self.source_prefixes = source_prefixes
        self.revoked = False

    def revoke(self, reason: str) -> None:
        if self.revoked:
            raise TokenRevokedError(f"token {self.token_id} is already revoked")
        self._revoked(token_id=self.token_id, reason=reason)

    @event(Revoked)
    def _revoked(self, token_id: str, reason: str) -> None:
        self.revoked = True


def token_id_of(digest: str) -> str:
    """A token's public id: the first characters of its digest, so either finds it."""
    return f"t{digest[:15]}"


def token_aggregate_id(token_id: str) -> UUID:
    return uuid5(NAMESPACE, token_id)
