"""Given/when/then tests of the activities aggregates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.activities.domain import (
    Participation,
    ParticipationError,
    ReceivedEvent,
    content_hash,
    received_id,
)

WHEN = datetime(2025, 10, 1, 16, tzinfo=UTC)


def test_a_received_event_is_identified_by_its_source_and_id() -> None:
    event = ReceivedEvent(
        source="/tools/x", event_id="1", event_type="t", version=1, time=WHEN,
        subject=None, data={"a": 1}, digest=content_hash("t", WHEN, None, {"a": 1}),
    )  # fmt: skip
    assert event.id == received_id("/tools/x", "1")
    assert event.id != received_id("/tools/y", "1")
    assert event.late_since is None


def test_the_content_hash_ignores_key_order_but_not_values() -> None:
    assert content_hash("t", WHEN, "s", {"a": 1, "b": 2}) == content_hash(
        "t", WHEN, "s", {"b": 2, "a": 1}
    )
    assert content_hash("t", WHEN, "s", {"a": 1}) != content_hash(
        "t", WHEN, "s", {"a": 2}
    )


def test_completions_and_drop_outs_never_exceed_enrolments() -> None:
    course = Participation(plan_id="p", activity_id="a", participant_ref="ref-1")
    with pytest.raises(ParticipationError, match="cannot exceed enrolments"):
        course.count("completed")
    course.count("enrolled")
    course.count("completed")
    with pytest.raises(ParticipationError):
        course.count("dropped_out")
    course.count("enrolled")  # enrolled again later
    course.count("dropped_out")
    assert (course.enrolled, course.ended) == (2, 2)
