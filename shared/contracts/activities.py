"""Events the activities service accepts from projects and publishes (version 1).

Participants, volunteers and matches are the project's own pseudonymous references
(``Ref``), never names or CPR numbers. Where participants are anonymous (open events,
street outreach), events carry counts only.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.agreements import SLUG

#: A project's own pseudonymous key for a participant, volunteer or match.
Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
Count = Annotated[int, Field(ge=0, le=100_000)]
AgeBand = Literal["0-5", "6-12", "13-17", "18-24", "25-29", "30-49", "50-64", "65+"]
ReferralSource = Literal[
    "jobcenter",
    "school",
    "social_services",
    "language_school",
    "housing_social",
    "self",
    "other",
]
OutcomeKind = Literal[
    "started_education",
    "completed_education",
    "got_job",
    "got_leisure_job",
    "closer_to_work",
    "eviction_averted",
    "debt_counselling_completed",
    "joined_association",
    "other",
]


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1

    plan_id: str = Field(pattern=SLUG)


class _ActivityEvent(_Event):
    activity_id: str = Field(pattern=SLUG)


class SessionHeld(_ActivityEvent):
    """An activity held a session (a meeting, a class, an open event)."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.session-held"

    participants: Count = Field(description="Participants present.")
    new_participants: Count = Field(default=0, description="Of those, first time.")
    duration_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    participant_refs: list[Ref] = Field(
        default_factory=list,
        max_length=10_000,
        description="Optional pseudonymous references; empty for anonymous events.",
    )
    note: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _counts_agree(self) -> SessionHeld:
        if self.new_participants > self.participants:
            raise ValueError("new_participants cannot exceed participants")
        if len(self.participant_refs) > self.participants:
            raise ValueError("more participant_refs than participants")
        return self


class ParticipantEnrolled(_ActivityEvent):
    """A participant started in an activity's course (forløb)."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.participant-enrolled"

    participant_ref: Ref
    age_band: AgeBand | None = None
    referral_source: ReferralSource | None = None


class ParticipantCompleted(_ActivityEvent):
    """A participant completed the activity's course."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.participant-completed"

    participant_ref: Ref


class ParticipantDroppedOut(_ActivityEvent):
    """A participant left the course before completing it."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.participant-dropped-out"

    participant_ref: Ref
    reason: str | None = Field(default=None, max_length=300)


class OutcomeRecorded(_ActivityEvent):
    """An outcome for one participant, or a count of anonymous ones."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.outcome-recorded"

    kind: OutcomeKind
    participant_ref: Ref | None = None
    count: int = Field(default=1, ge=1, le=100_000)

    @model_validator(mode="after")
    def _one_person_or_a_count(self) -> OutcomeRecorded:
        if self.participant_ref is not None and self.count != 1:
            raise ValueError("an outcome for one participant_ref has count 1")
        return self


class MatchEstablished(_ActivityEvent):
    """A volunteer and a participant were matched (a mentor, a network family)."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.match-established"

    match_ref: Ref
    volunteer_ref: Ref
    participant_ref: Ref


class MatchEnded(_ActivityEvent):
    """A match ended, with why."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.match-ended"

    match_ref: Ref
    reason: Literal[
        "completed", "participant_left", "volunteer_left", "mismatch", "other"
    ]


class VolunteerRecruited(_ActivityEvent):
    TYPE: ClassVar[str] = "dk.helhedsplan.activity.volunteer-recruited"

    volunteer_ref: Ref


class VolunteerLeft(_ActivityEvent):
    TYPE: ClassVar[str] = "dk.helhedsplan.activity.volunteer-left"

    volunteer_ref: Ref


class CourseHeld(_ActivityEvent):
    """A course or workshop was held."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.course-held"

    name: str = Field(min_length=1, max_length=200)
    participants: Count
    mode: Literal["physical", "webinar"] = "physical"
    workshop: bool = False


class Scope(BaseModel):
    """What a measurement covers: the whole area, an afdeling, a survey area or a
    target group."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["area", "afdeling", "survey_area", "target_group"] = "area"
    ref: str | None = Field(default=None, max_length=100)


class IndicatorMeasurementReported(_Event):
    """A measured indicator's value for a period, with its source and population."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.indicator-measurement-reported"

    indicator_id: str = Field(min_length=1, max_length=50)
    period_start: date
    period_end: date
    scope: Scope = Field(default_factory=Scope)
    value: float
    numerator: float | None = None
    denominator: float | None = Field(default=None, gt=0)
    source_id: str = Field(min_length=1, max_length=100)
    population: str | None = Field(default=None, max_length=300)

    @model_validator(mode="after")
    def _period_is_ordered(self) -> IndicatorMeasurementReported:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self


class EventRef(BaseModel):
    """An earlier event, by its CloudEvents identity."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=1, max_length=300)
    id: str = Field(min_length=1, max_length=200)


class Corrected(_Event):
    """Supersedes an earlier event with corrected data; the original stays."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.corrected"

    supersedes: EventRef
    corrected_type: str = Field(description="The type of the event corrected.")
    corrected_data: dict[str, Any]
    reason: str = Field(min_length=1, max_length=500)


class Retracted(_Event):
    """Withdraws an earlier event; the original stays in the log."""

    TYPE: ClassVar[str] = "dk.helhedsplan.activity.retracted"

    retracts: EventRef
    reason: str = Field(min_length=1, max_length=500)


ACTIVITY_EVENTS: tuple[type[_Event], ...] = (
    SessionHeld,
    ParticipantEnrolled,
    ParticipantCompleted,
    ParticipantDroppedOut,
    OutcomeRecorded,
    MatchEstablished,
    MatchEnded,
    VolunteerRecruited,
    VolunteerLeft,
    CourseHeld,
    IndicatorMeasurementReported,
    Corrected,
    Retracted,
)
