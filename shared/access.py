"""Tokens and roles: who may do what for which plan.

A token is a random secret shown once; services keep only its SHA-256 digest. Each
token carries grants of a role for a plan (``*`` for every plan) and, for tools that
post events, the CloudEvents ``source`` prefixes it may post under. The platform's
administrator token (``HELHED_ADMIN_TOKEN``) may do everything.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

ALL_PLANS = "*"


class Role(StrEnum):
    """What a user or tool may do for a plan."""

    READER = "reader"
    EDITOR = "editor"
    BOARD_APPROVER = "board_approver"
    LBF_APPROVER = "lbf_approver"
    TOOL = "tool"  # posts activity events


#: Any grant on a plan lets its holder read it.
READ_ROLES = frozenset(Role) - {Role.TOOL}


class Grant(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    plan_id: str = Field(min_length=1, max_length=100)
    role: Role


class Principal(BaseModel):
    """Who is calling, as far as the platform knows: never a name or e-mail."""

    model_config = ConfigDict(frozen=True)

    token_id: str
    label: str
    grants: tuple[Grant, ...] = ()
    source_prefixes: tuple[str, ...] = ()
    admin: bool = False

    def may(self, plan_id: str, roles: frozenset[Role] | set[Role]) -> bool:
        if self.admin:
            return True
        return any(
            grant.role in roles and grant.plan_id in (plan_id, ALL_PLANS)
            for grant in self.grants
        )

    def roles_for(self, plan_id: str) -> frozenset[Role]:
        if self.admin:
            return frozenset(Role)
        return frozenset(
            grant.role for grant in self.grants if grant.plan_id in (plan_id, ALL_PLANS)
        )

    def may_post_as(self, source: str) -> bool:
        return self.admin or any(source.startswith(p) for p in self.source_prefixes)


class UnauthenticatedError(PermissionError):
    """No token, or one the platform does not know (HTTP 401)."""


class ForbiddenError(PermissionError):
    """A known token without the role this needs (HTTP 403)."""


def new_token() -> str:
    return f"hh_{secrets.token_urlsafe(32)}"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_admin_token(token: str, admin_token: str | None) -> bool:
    return bool(admin_token) and hmac.compare_digest(
        digest(token), digest(admin_token or "")
    )


def bearer(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header, or UnauthenticatedError."""
    if not authorization:
        raise UnauthenticatedError("send 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthenticatedError("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def require(
    principal: Principal, plan_id: str, roles: frozenset[Role] | set[Role]
) -> None:
    if not principal.may(plan_id, roles):
        wanted = " or ".join(sorted(roles))
        raise ForbiddenError(
            f"token {principal.token_id} is not {wanted} for {plan_id}"
        )
