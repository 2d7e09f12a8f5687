"""Small fakes and builders shared by the activities unit tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

PLAN, ACTIVITY = "plan-a", "ul-a1"
START, END = date(2025, 1, 1), date(2028, 12, 31)
SOURCE = "/tools/lektiecafe"
SESSION = "dk.helhedsplan.activity.session-held"
ENROLLED = "dk.helhedsplan.activity.participant-enrolled"
COMPLETED = "dk.helhedsplan.activity.participant-completed"


@dataclass
class FakePlans:
    """The `KnownPlans` port: one plan with one activity unless told otherwise."""

    periods: dict[str, tuple[date, date]] = field(
        default_factory=lambda: {PLAN: (START, END)}
    )
    activities: set[tuple[str, str]] = field(default_factory=lambda: {(PLAN, ACTIVITY)})
    follow_ups: dict[str, list[date]] = field(default_factory=dict)

    def period(self, plan_id: str) -> tuple[date, date] | None:
        return self.periods.get(plan_id)

    def has_activity(self, plan_id: str, activity_id: str) -> bool:
        return (plan_id, activity_id) in self.activities

    def followed_up_since(self, plan_id: str, day: date) -> date | None:
        return next((d for d in self.follow_ups.get(plan_id, []) if d >= day), None)


@dataclass
class FakeStored:
    """The `StoredEvents` port: (source, id) -> type."""

    types: dict[tuple[str, str], str] = field(default_factory=dict)

    def type_of(self, source: str, event_id: str) -> str | None:
        return self.types.get((source, event_id))


def session(event_id: str = "1", **data: Any) -> dict[str, Any]:
    """A posted session-held CloudEvent; keyword arguments override its data."""
    return {
        "id": event_id,
        "source": SOURCE,
        "type": SESSION,
        "specversion": "1.0",
        "time": "2025-10-01T16:00:00+02:00",
        "data": {"plan_id": PLAN, "activity_id": ACTIVITY, "participants": 8, **data},
    }


def course(event_type: str, event_id: str, ref: str = "p-1") -> dict[str, Any]:
    """A posted enrolment, completion or drop-out of one participant."""
    return {
        **session(event_id),
        "type": event_type,
        "data": {"plan_id": PLAN, "activity_id": ACTIVITY, "participant_ref": ref},
    }
