"""Events the agreements service publishes (version 1)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SLUG = r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$"

ActivityStatus = Literal["planned", "conditional", "active", "paused", "ended"]
DocumentKind = Literal["strategic", "delaftale"]


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ForumRegistered(_Data):
    """A Samarbejdsforum was registered."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.forum-registered"
    VERSION: ClassVar[int] = 1

    forum_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=200)
    kommune: str = Field(min_length=1, max_length=100)


class PlanRegistered(_Data):
    """A helhedsplan was registered with its period and kommune."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.plan-registered"
    VERSION: ClassVar[int] = 1

    plan_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=200)
    kommune: str = Field(min_length=1, max_length=100)
    period_start: date
    period_end: date
    details: dict[str, Any] = Field(
        default_factory=dict,
        description="Housing organisations, afdelinger, survey areas, data sources.",
    )

    @model_validator(mode="after")
    def _period_is_ordered(self) -> PlanRegistered:
        if self.period_end <= self.period_start:
            raise ValueError("period_end must be after period_start")
        return self


class PlanJoinedForum(_Data):
    """A helhedsplan became a member of a Samarbejdsforum from a date."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.plan-joined-forum"
    VERSION: ClassVar[int] = 1

    forum_id: str = Field(pattern=SLUG)
    plan_id: str = Field(pattern=SLUG)
    joined_on: date


class ActivityPlanned(_Data):
    """An activity was added to a plan's delaftale."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.activity-planned"
    VERSION: ClassVar[int] = 1

    plan_id: str = Field(pattern=SLUG)
    activity_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=300)
    indsatsomraade: str | None = Field(default=None, max_length=10)
    cfbu_activity_type: str | None = Field(default=None, max_length=100)
    cfbu_documented_effect: bool | None = Field(
        default=None, description="Whether the CFBU type has documented effect."
    )
    status: ActivityStatus = "planned"
    spec: dict[str, Any] = Field(
        default_factory=dict,
        description="Purpose, target groups, expected outputs, responsible, partners.",
    )


class PlanLeftForum(_Data):
    """A helhedsplan stopped being a member of a Samarbejdsforum on a date."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.plan-left-forum"
    VERSION: ClassVar[int] = 1

    forum_id: str = Field(pattern=SLUG)
    plan_id: str = Field(pattern=SLUG)
    left_on: date


class BoardRegistered(_Data):
    """A bestyrelse was registered."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.board-registered"
    VERSION: ClassVar[int] = 1

    board_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=200)


class BoardGovernsPlan(_Data):
    """A bestyrelse governs a helhedsplan."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.board-governs-plan"
    VERSION: ClassVar[int] = 1

    board_id: str = Field(pattern=SLUG)
    plan_id: str = Field(pattern=SLUG)


class ActivityStatusChanged(_Data):
    """An activity's status changed from a date (e.g. paused, ended)."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.activity-status-changed"
    VERSION: ClassVar[int] = 1

    plan_id: str = Field(pattern=SLUG)
    activity_id: str = Field(pattern=SLUG)
    status: ActivityStatus
    effective_from: date
    reason: str = Field(max_length=1000)


class FollowUpRecorded(_Data):
    """The board followed up on the plan's goals at a meeting."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.follow-up-recorded"
    VERSION: ClassVar[int] = 1

    plan_id: str = Field(pattern=SLUG)
    held_on: date
    body: str = Field(max_length=200)
    goals_reviewed: list[str]
    decisions: list[str]


class DocumentVersionApproved(_Data):
    """A version of the strategic agreement or a delaftale is now in force."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.document-version-approved"
    VERSION: ClassVar[int] = 1

    plan_id: str = Field(pattern=SLUG)
    kind: DocumentKind
    key: str
    version: int = Field(ge=1)
    imported: bool = Field(description="Version 1, recorded as agreed from a file.")
    content: dict[str, Any]
    log_position: int | None = Field(
        default=None, description="Agreements' log position the approval was given at."
    )


class RevisionRecorded(_Data):
    """A step of a revision: drafted, edited, submitted, or one approval."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.revision-recorded"
    VERSION: ClassVar[int] = 1

    plan_id: str = Field(pattern=SLUG)
    kind: DocumentKind
    key: str
    version: int = Field(ge=1)
    action: Literal["drafted", "edited", "submitted", "approved"]
    by: str | None = None
    role: str | None = None
    reason: str | None = None
    significant: bool | None = None


class IndicatorDefined(_Data):
    """How an indicator is obtained, from a date on."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.indicator-defined"
    VERSION: ClassVar[int] = 1

    plan_id: str = Field(pattern=SLUG)
    indicator_id: str
    effective_from: date
    definition: dict[str, Any]
    reason: str | None = None


class TokenIssued(_Data):
    """A token was issued: its digest and scope only, never the secret."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.token-issued"
    VERSION: ClassVar[int] = 1

    token_id: str
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    grants: list[dict[str, str]]
    source_prefixes: list[str]


class TokenRevoked(_Data):
    """A token was revoked."""

    TYPE: ClassVar[str] = "dk.helhedsplan.agreements.token-revoked"
    VERSION: ClassVar[int] = 1

    token_id: str
