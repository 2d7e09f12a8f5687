"""Events the agreements service publishes (version 1)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

SLUG = r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$"


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


# Commands (HTTP request bodies)


class RegisterForum(_Data):
    """Register a Samarbejdsforum."""

    forum_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=200)
    kommune: str = Field(min_length=1, max_length=100)


class RegisterPlan(_Data):
    """Register a helhedsplan (optionally as a member of a forum)."""

    plan_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=200)
    kommune: str = Field(min_length=1, max_length=100)
    period_start: date
    period_end: date
    forum_id: str | None = Field(default=None, pattern=SLUG)


class PlanActivity(_Data):
    """Add an activity to a plan."""

    activity_id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=300)
    indsatsomraade: str | None = Field(default=None, max_length=10)
    cfbu_activity_type: str | None = Field(default=None, max_length=100)
