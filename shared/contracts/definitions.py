"""How an indicator's value is obtained: measured, or derived by a small expression.

A derived definition is data, never code: a count of events, a distinct count of
participants, a sum of a field, or a ratio of two of those times a factor, over the
reporting period or the year to date, optionally filtered on data fields. The
indicators service evaluates it (services/indicators/formulas.py); no ``eval``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

EventType = Literal[
    "dk.helhedsplan.activity.session-held",
    "dk.helhedsplan.activity.participant-enrolled",
    "dk.helhedsplan.activity.participant-completed",
    "dk.helhedsplan.activity.participant-dropped-out",
    "dk.helhedsplan.activity.outcome-recorded",
    "dk.helhedsplan.activity.match-established",
    "dk.helhedsplan.activity.match-ended",
    "dk.helhedsplan.activity.volunteer-recruited",
    "dk.helhedsplan.activity.course-held",
]


class Measure(BaseModel):
    """One number computed from activity events of a plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    op: Literal["count", "distinct_participants", "sum"]
    event_type: EventType
    field: str | None = Field(
        default=None,
        pattern=r"^[a-z_]+$",
        description="The numeric data field summed (op 'sum' only).",
    )
    filters: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Data field -> accepted values, e.g. {'activity_id': ['ul-1']}.",
    )

    @model_validator(mode="after")
    def _field_only_for_sum(self) -> Measure:
        if (self.op == "sum") != (self.field is not None):
            raise ValueError("'field' is required for op 'sum' and only for it")
        return self


class Derived(BaseModel):
    """A value derived from activity events: one measure, or a ratio of two."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["derived"] = "derived"
    measure: Measure | None = None
    numerator: Measure | None = None
    denominator: Measure | None = None
    factor: float = Field(default=1.0, gt=0, description="e.g. 100 for a percentage")
    window: Literal["period", "year_to_date"] = "period"

    @model_validator(mode="after")
    def _one_shape(self) -> Derived:
        single = self.measure is not None
        ratio = self.numerator is not None and self.denominator is not None
        if single == ratio or (not ratio and (self.numerator or self.denominator)):
            raise ValueError(
                "give either 'measure', or both 'numerator' and 'denominator'"
            )
        return self


class Measured(BaseModel):
    """A value reported with its source and population (e.g. Boligsociale data)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["measured"] = "measured"
    source_id: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=300)


Definition = Derived | Measured
