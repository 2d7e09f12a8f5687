"""The activities application: stores each posted event once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventsourcing.persistence import IntegrityError

from services.activities.domain import (
    Participation,
    ParticipationError,
    ReceivedEvent,
    content_hash,
    participation_id,
    received_id,
)
from shared.contracts.activities import (
    ParticipantCompleted,
    ParticipantDroppedOut,
    ParticipantEnrolled,
)
from shared.eventstore import ServiceApplication

if TYPE_CHECKING:
    from uuid import UUID

    from services.activities.validation import ValidEvent
    from shared.contracts.ingest import Status

#: Course events counted per participant, and what each counts as.
COURSE_EVENTS = {
    ParticipantEnrolled: "enrolled",
    ParticipantCompleted: "completed",
    ParticipantDroppedOut: "dropped_out",
}


NOT_STORED = "not stored: another event in the batch was refused"


class ConcurrentIngestError(RuntimeError):
    """An all-or-nothing batch overlapped with a concurrent one; nothing was stored."""


@dataclass(frozen=True)
class Stored:
    """What became of one posted event."""

    status: Status
    problem: str | None = None


class Activities(ServiceApplication):
    """Received events, one aggregate each, keyed by (source, id)."""

    name = "activities"

    def ingest(
        self, events: list[ValidEvent], all_or_nothing: bool = False
    ) -> list[Stored]:
        """Store the events: accepted, duplicate, conflict, or rejected by a rule.

        With ``all_or_nothing``, one rejection stores none of them.
        """
        outcomes: list[Stored | None] = [None] * len(events)
        fresh: dict[UUID, tuple[int, ReceivedEvent]] = {}
        courses: dict[UUID, Participation] = {}
        settle_alone: list[int] = []
        for index, valid in enumerate(events):
            received = _received(valid)
            earlier = fresh.get(received.id)
            if earlier is not None:  # the same (source, id) twice in one batch
                same = earlier[1].digest == received.digest
                outcomes[index] = Stored("duplicate" if same else "conflict")
                continue
            counted = _course_step(valid) is not None
            if (counted or all_or_nothing) and received.id in self.repository:
                settle_alone.append(index)  # posted before: do not count it again
                continue
            try:
                self._count(valid, courses)
            except ParticipationError as error:
                outcomes[index] = Stored("rejected", str(error))
                continue
            fresh[received.id] = (index, received)
        if all_or_nothing and any(o and o.status == "rejected" for o in outcomes):
            return [
                o if o and o.status == "rejected" else Stored("rejected", NOT_STORED)
                for o in outcomes
            ]
        try:
            self.save(*(received for _, received in fresh.values()), *courses.values())
            for index, _ in fresh.values():
                outcomes[index] = Stored("accepted")
        except IntegrityError:
            if all_or_nothing:
                raise ConcurrentIngestError(
                    "another request stored some of these events meanwhile; "
                    "post the batch again"
                ) from None
            # some were stored before (or concurrently): nothing of this save was
            settle_alone += [index for index, _ in fresh.values()]
        for index in sorted(settle_alone):
            outcomes[index] = self._save_one(events[index])
        return [outcome or Stored("conflict") for outcome in outcomes]

    def _save_one(self, valid: ValidEvent, attempts: int = 3) -> Stored:
        received = _received(valid)  # a fresh copy: a failed save drained the last
        if received.id in self.repository:
            return self._settle_duplicate(received)
        courses: dict[UUID, Participation] = {}
        try:
            self._count(valid, courses)
        except ParticipationError as error:
            return Stored("rejected", str(error))
        try:
            self.save(received, *courses.values())
        except IntegrityError:
            if received.id in self.repository or attempts <= 1:
                return self._settle_duplicate(received)
            return self._save_one(valid, attempts - 1)  # a course moved meanwhile
        return Stored("accepted")

    def _settle_duplicate(self, received: ReceivedEvent) -> Stored:
        stored: ReceivedEvent = self.repository.get(received.id)
        return Stored("duplicate" if stored.digest == received.digest else "conflict")

    def _count(self, valid: ValidEvent, courses: dict[UUID, Participation]) -> None:
        step = _course_step(valid)
        if step is None:
            return
        data = valid.data
        key = (data.plan_id, data.activity_id, data.participant_ref)  # type: ignore[attr-defined]
        aggregate_id = participation_id(*key)
        course = courses.get(aggregate_id)
        if course is None:
            if aggregate_id in self.repository:
                course = self.repository.get(aggregate_id)
            else:
                course = Participation(
                    plan_id=key[0], activity_id=key[1], participant_ref=key[2]
                )
        course.count(step)
        courses[aggregate_id] = course

    def is_stored(self, source: str, event_id: str) -> bool:
        return received_id(source, event_id) in self.repository

    def type_of(self, source: str, event_id: str) -> str | None:
        """The type of a stored event, or None."""
        aggregate_id = received_id(source, event_id)
        if aggregate_id not in self.repository:
            return None
        stored: ReceivedEvent = self.repository.get(aggregate_id)
        return stored.event_type


def _course_step(valid: ValidEvent) -> str | None:
    return COURSE_EVENTS.get(type(valid.data))


def _received(valid: ValidEvent) -> ReceivedEvent:
    incoming = valid.incoming
    data = valid.data.model_dump(mode="json")
    return ReceivedEvent(
        source=incoming.source,
        event_id=incoming.id,
        event_type=incoming.type,
        version=valid.version,
        time=incoming.time,
        subject=incoming.subject,
        data=data,
        digest=content_hash(incoming.type, incoming.time, incoming.subject, data),
        late_since=valid.late_since,
    )
