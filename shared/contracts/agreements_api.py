"""The agreements service's HTTP requests and responses."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.access import Grant
from shared.contracts.agreements import SLUG, ActivityStatus, DocumentKind


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RegisterForum(_Body):
    """Register a Samarbejdsforum."""

    forum_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=200)
    kommune: str = Field(min_length=1, max_length=100)


class RegisterBoard(_Body):
    """Register a bestyrelse."""

    board_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=200)


class RegisterPlan(_Body):
    """Register a helhedsplan (optionally in a forum and under a board)."""

    plan_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=200)
    kommune: str = Field(min_length=1, max_length=100)
    period_start: date
    period_end: date
    forum_id: str | None = Field(default=None, pattern=SLUG)
    board_id: str | None = Field(default=None, pattern=SLUG)


class LeaveForum(_Body):
    plan_id: str = Field(pattern=SLUG)
    left_on: date


class PlanActivity(_Body):
    """Add an activity to a plan."""

    activity_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=300)
    indsatsomraade: str | None = Field(default=None, max_length=10)
    cfbu_activity_type: str | None = Field(default=None, max_length=100)
    status: ActivityStatus = "planned"
    spec: dict[str, Any] = Field(default_factory=dict)


class ChangeActivityStatus(_Body):
    status: ActivityStatus
    effective_from: date
    reason: str = Field(min_length=1, max_length=1000)


class RecordFollowUp(_Body):
    """A board meeting that followed up on goals: the auditor's evidence."""

    held_on: date
    body: str = Field(min_length=1, max_length=200, description="e.g. bestyrelsen")
    goals_reviewed: list[str] = Field(min_length=1)
    decisions: list[str] = Field(default_factory=list)


class DraftRevision(_Body):
    content: dict[str, Any]
    reason: str = Field(min_length=1, max_length=2000)
    significant: bool = Field(
        default=False, description="A significant delaftale change needs LBF as well."
    )


class EditDraft(_Body):
    content: dict[str, Any]


class Approve(_Body):
    role: Literal["board_approver", "lbf_approver"] | None = Field(
        default=None,
        description="Which of the caller's roles approves; inferred if one.",
    )


class Redefine(_Body):
    effective_from: date
    definition: dict[str, Any]
    reason: str = Field(min_length=1, max_length=1000)


class IssueToken(_Body):
    label: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9 ._-]+$",
        description="What the token is for, e.g. 'nordvest-lektiecafe-tool'; no names.",
    )
    grants: list[Grant]
    source_prefixes: list[str] = Field(default_factory=list)


# responses


class Created(BaseModel):
    id: str
    version: int | None = None


class TokenOut(BaseModel):
    token_id: str
    token: str = Field(description="The secret, shown this once.")


class VersionOut(BaseModel):
    number: int
    status: str
    reason: str
    significant: bool
    needs: list[str]
    approvals: dict[str, str]
    approved_at: int | None
    content: dict[str, Any]


class DocumentOut(BaseModel):
    plan_id: str
    kind: DocumentKind
    key: str
    in_force: int
    versions: list[VersionOut]


class ChangeOut(BaseModel):
    path: str
    kind: Literal["added", "removed", "changed"]
    before: Any
    after: Any


class DocumentChangesOut(BaseModel):
    kind: DocumentKind
    key: str
    approved_version: int
    approved_at: int | None = Field(description="Log position of the approval.")
    latest_version: int
    latest_status: str
    changes: list[ChangeOut]


class ChangesOut(BaseModel):
    plan_id: str
    documents: list[DocumentChangesOut]


class DefinitionOut(BaseModel):
    plan_id: str
    indicator_id: str
    on: date
    definition: dict[str, Any] | None
    versions: list[dict[str, Any]]


class PlanOut(BaseModel):
    plan_id: str
    name: str
    kommune: str
    period_start: date
    period_end: date
    details: dict[str, Any]
    activities: dict[str, dict[str, Any]]
    follow_ups: list[dict[str, Any]]
    documents: list[dict[str, Any]]
