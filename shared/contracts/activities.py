"""Events the activities service accepts from projects and publishes (version 1)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.agreements import SLUG

#: A project's own pseudonymous participant key, never a name or CPR number.
PARTICIPANT_REF = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"


class SessionHeld(BaseModel):
    """An activity held a session (a meeting, a class, an open event)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.session-held"
    VERSION: ClassVar[int] = 1

    plan_id: str = Field(pattern=SLUG)
    activity_id: str = Field(pattern=SLUG)
    participants: int = Field(ge=0, le=100_000, description="Participants present.")
    new_participants: int = Field(
        default=0, ge=0, le=100_000, description="Of those, first time."
    )
    duration_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    participant_refs: list[str] = Field(
        default_factory=list,
        max_length=10_000,
        description="Optional pseudonymous references; empty for anonymous events.",
    )
    note: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _counts_agree(self) -> SessionHeld:
        if self.new_participants > self.participants:
            raise ValueError("new_participants cannot exceed participants")
        return self
