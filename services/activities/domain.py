"""One aggregate per received event, identified by its (source, id)."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

if TYPE_CHECKING:
    from datetime import date, datetime

NAMESPACE = uuid5(NAMESPACE_URL, "urn:helhed:activities")


def received_id(source: str, event_id: str) -> UUID:
    """The aggregate id of an event: the store's uniqueness makes posting idempotent."""
    return uuid5(NAMESPACE, f"{source}\x1f{event_id}")


def content_hash(
    event_type: str, time: datetime, subject: str | None, data: dict[str, Any]
) -> str:
    canonical = json.dumps(
        [event_type, time.isoformat(), subject, data],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class ReceivedEvent(Aggregate):
    """An event a project posted, as accepted (the original never changes)."""

    TOPIC = "activities.ReceivedEvent"

    class Created(Aggregate.Created):
        TOPIC = "activities.ReceivedEventCreated"

    class Received(Aggregate.Created):
        TOPIC = "activities.Received"
        source: str
        event_id: str
        event_type: str
        version: int
        time: datetime
        subject: str | None
        data: dict[str, Any]
        digest: str
        late_since: date | None

    @staticmethod
    def create_id(source: str, event_id: str, **_: Any) -> UUID:
        return received_id(source, event_id)

    @event(Received)
    def __init__(
        self,
        source: str,
        event_id: str,
        event_type: str,
        version: int,
        time: datetime,
        subject: str | None,
        data: dict[str, Any],
        digest: str,
        late_since: date | None = None,
    ) -> None:
        self.source = source
        self.event_id = event_id
        self.event_type = event_type
        self.version = version
        self.time = time
        self.subject = subject
        self.data = data
        self.digest = digest
        self.late_since = late_since


class ParticipationError(ValueError):
    """The participant's course events do not add up."""


class Participation(Aggregate):
    """One participant's course in one activity: completions never exceed enrolments."""

    TOPIC = "activities.Participation"

    class Created(Aggregate.Created):
        TOPIC = "activities.ParticipationCreated"

    class Started(Aggregate.Created):
        TOPIC = "activities.ParticipationStarted"
        plan_id: str
        activity_id: str
        participant_ref: str

    class Counted(Aggregate.Event):
        TOPIC = "activities.ParticipationCounted"
        what: str  # enrolled, completed or dropped_out

    @staticmethod
    def create_id(
        plan_id: str, activity_id: str, participant_ref: str, **_: Any
    ) -> UUID:
        return participation_id(plan_id, activity_id, participant_ref)

    @event(Started)
    def __init__(self, plan_id: str, activity_id: str, participant_ref: str) -> None:
        self.participant_ref = participant_ref
        self.enrolled = 0
        self.ended = 0  # completed or dropped out

    def count(self, what: str) -> None:
        if what != "enrolled" and self.ended >= self.enrolled:
            raise ParticipationError(
                f"{self.participant_ref} has {self.enrolled} enrolment(s) and "
                f"{self.ended} completion(s) or drop-out(s) already: completions "
                "cannot exceed enrolments"
            )
        self._counted(what=what)

    @event(Counted)
    def _counted(self, what: str) -> None:
        if what == "enrolled":
            self.enrolled += 1
        else:
            self.ended += 1


def participation_id(plan_id: str, activity_id: str, participant_ref: str) -> UUID:
    return uuid5(
        NAMESPACE, f"participation\x1f{plan_id}\x1f{activity_id}\x1f{participant_ref}"
    )
