"""Storing posted events (in memory unless a test needs a file): each (source, id)
once; the same content again is a duplicate, other content a conflict; a batch
reports per event, and all-or-nothing stores nothing when one is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest

from services.activities.application import (
    NOT_STORED,
    Activities,
    ConcurrentIngestError,
)
from services.activities.domain import content_hash
from services.activities.ingest import MAX_BATCH, ingest_batch, ingest_one
from services.activities.integration import to_contract
from services.activities.validation import ValidEvent, parse, validate
from shared.bus.log import PublishedLog
from shared.http import BadRequestError
from tests.unit.activities.activities_support import (
    COMPLETED,
    ENROLLED,
    PLAN,
    SESSION,
    SOURCE,
    FakePlans,
    course,
    session,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from shared.contracts.ingest import BatchResult


@pytest.fixture
def app() -> Iterator[Activities]:
    app = Activities()
    yield app
    app.close()


def _head(app: Activities) -> int:
    return app.recorder.max_notification_id() or 0


def _batch(app: Activities, raw: list[Any], atomic: bool = False) -> BatchResult:
    return ingest_batch(app, FakePlans(), raw, all_or_nothing=atomic)


def _statuses(result: BatchResult) -> list[str]:
    return [r.status for r in result.results]


def _published(app: Activities) -> list[tuple[str, str, int]]:
    page = PublishedLog(app, "activities", to_contract).page(0, 1000)
    return [(e.id, e.type, e.data.get("participants", -1)) for e in page.events]


# one event


def test_a_valid_event_is_accepted_and_stored_once(app: Activities) -> None:
    result = ingest_one(app, FakePlans(), session("1"))
    assert (result.id, result.source, result.status) == ("1", SOURCE, "accepted")
    assert result.problems == []
    assert app.is_stored(SOURCE, "1")
    assert app.type_of(SOURCE, "1") == SESSION


def test_the_same_event_posted_again_is_a_duplicate_and_stores_nothing(
    app: Activities,
) -> None:
    ingest_one(app, FakePlans(), session("1"))
    head = _head(app)
    # when
    result = ingest_one(app, FakePlans(), session("1"))
    # then
    assert (result.status, result.problems) == ("duplicate", [])
    assert _head(app) == head


def test_the_same_content_with_defaults_spelled_out_is_a_duplicate(
    app: Activities,
) -> None:
    ingest_one(app, FakePlans(), session("1"))
    spelled_out = session("1", new_participants=0, participant_refs=[], note=None)
    assert ingest_one(app, FakePlans(), spelled_out).status == "duplicate"


def test_the_same_source_and_id_with_other_content_is_a_conflict(
    app: Activities,
) -> None:
    ingest_one(app, FakePlans(), session("1", participants=8))
    head = _head(app)
    # when
    result = ingest_one(app, FakePlans(), session("1", participants=9))
    # then the original stays
    assert result.status == "conflict"
    assert [p.field for p in result.problems] == ["id"]
    assert _head(app) == head
    assert _published(app) == [("1", SESSION, 8)]


def test_the_same_id_at_another_time_is_a_conflict(app: Activities) -> None:
    ingest_one(app, FakePlans(), session("1"))
    later = {**session("1"), "time": "2025-10-08T16:00:00+02:00"}
    assert ingest_one(app, FakePlans(), later).status == "conflict"


def test_the_same_id_from_another_source_is_another_event(app: Activities) -> None:
    ingest_one(app, FakePlans(), session("1"))
    other = {**session("1"), "source": "/tools/other"}
    assert ingest_one(app, FakePlans(), other).status == "accepted"
    assert app.is_stored("/tools/other", "1")


def test_a_refused_event_is_reported_with_its_identity_and_stores_nothing(
    app: Activities,
) -> None:
    result = ingest_one(app, FakePlans(), session("1", plan_id="plan-x"))
    assert (result.id, result.source, result.status) == ("1", SOURCE, "rejected")
    assert [p.field for p in result.problems] == ["data.plan_id"]
    assert _head(app) == 0
    assert not app.is_stored(SOURCE, "1")


def test_a_stored_event_is_still_a_duplicate_after_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/activities.sqlite"
    first = Activities(url)
    ingest_one(first, FakePlans(), session("1"))
    first.close()
    # when the service restarts on the same store
    again = Activities(url)
    # then the store's uniqueness still knows the event
    assert ingest_one(again, FakePlans(), session("1")).status == "duplicate"
    assert ingest_one(again, FakePlans(), session("1", participants=1)).status == (
        "conflict"
    )
    again.close()


# batches


def test_a_batch_reports_one_result_per_event_in_order_with_counts(
    app: Activities,
) -> None:
    ingest_one(app, FakePlans(), session("1"))
    ingest_one(app, FakePlans(), session("2", participants=2))
    # when
    result = _batch(
        app,
        [
            session("1"),  # stored before, same
            session("2", participants=3),  # stored before, other content
            session("3"),  # new
            session("4", activity_id="be-b9"),  # refused
            session("5"),  # new
        ],
    )
    # then
    assert _statuses(result) == [
        "duplicate",
        "conflict",
        "accepted",
        "rejected",
        "accepted",
    ]
    assert [r.id for r in result.results] == ["1", "2", "3", "4", "5"]
    assert (result.accepted, result.duplicates, result.conflicts, result.rejected) == (
        2,
        1,
        1,
        1,
    )
    assert [event_id for event_id, _, _ in _published(app)] == ["1", "2", "3", "5"]


def test_the_same_event_twice_in_one_batch_is_stored_once(app: Activities) -> None:
    result = _batch(app, [session("1"), session("1")])
    assert _statuses(result) == ["accepted", "duplicate"]
    assert _published(app) == [("1", SESSION, 8)]


def test_the_same_id_with_other_content_in_one_batch_keeps_the_first(
    app: Activities,
) -> None:
    result = _batch(app, [session("1", participants=8), session("1", participants=9)])
    assert _statuses(result) == ["accepted", "conflict"]
    assert _published(app) == [("1", SESSION, 8)]


def test_a_batch_posted_twice_is_all_duplicates_the_second_time(
    app: Activities,
) -> None:
    batch = [session(str(n)) for n in range(1, 6)]
    _batch(app, batch)
    head = _head(app)
    result = _batch(app, batch)
    assert _statuses(result) == ["duplicate"] * 5
    assert _head(app) == head


def test_a_batch_repeating_an_earlier_event_twice_reports_both_as_duplicates(
    app: Activities,
) -> None:
    ingest_one(app, FakePlans(), session("1"))
    result = _batch(app, [session("1"), session("1"), session("2")])
    assert _statuses(result) == ["duplicate", "duplicate", "accepted"]


def test_a_batch_must_be_a_list(app: Activities) -> None:
    with pytest.raises(BadRequestError, match="JSON array"):
        _batch(app, session("1"))  # type: ignore[arg-type]


def test_a_batch_larger_than_the_limit_is_refused_before_anything_is_checked(
    app: Activities,
) -> None:
    with pytest.raises(BadRequestError, match="at most"):
        _batch(app, [{}] * (MAX_BATCH + 1))
    assert _head(app) == 0


def test_an_empty_batch_stores_nothing(app: Activities) -> None:
    result = _batch(app, [])
    assert (result.results, _head(app)) == ([], 0)


# all or nothing


def test_an_all_or_nothing_batch_with_one_refused_event_stores_nothing(
    app: Activities,
) -> None:
    # when
    result = _batch(
        app, [session("1"), session("2", participants=-1), session("3")], atomic=True
    )
    # then
    assert _statuses(result) == ["rejected"] * 3
    assert [p.message for p in result.results[0].problems] == [NOT_STORED]
    assert [p.field for p in result.results[1].problems] == ["data.participants"]
    assert _head(app) == 0
    assert not app.is_stored(SOURCE, "1")


def test_an_all_or_nothing_batch_whose_course_events_do_not_add_up_stores_nothing(
    app: Activities,
) -> None:
    result = _batch(
        app, [session("1"), course(COMPLETED, "c-1", ref="p-9")], atomic=True
    )
    assert _statuses(result) == ["rejected", "rejected"]
    assert result.results[0].problems[0].message == NOT_STORED
    assert result.results[1].problems[0].field == "data.participant_ref"
    assert _head(app) == 0


def test_an_all_or_nothing_batch_of_valid_events_is_stored_whole(
    app: Activities,
) -> None:
    ingest_one(app, FakePlans(), session("1"))
    result = _batch(app, [session("1"), session("2"), session("3")], atomic=True)
    assert _statuses(result) == ["duplicate", "accepted", "accepted"]
    assert [event_id for event_id, _, _ in _published(app)] == ["1", "2", "3"]


def test_without_all_or_nothing_the_valid_events_of_a_batch_are_stored(
    app: Activities,
) -> None:
    result = _batch(app, [session("1"), session("2", participants=-1), session("3")])
    assert _statuses(result) == ["accepted", "rejected", "accepted"]
    assert [event_id for event_id, _, _ in _published(app)] == ["1", "3"]


# course events


def test_a_completion_without_an_enrolment_is_refused_on_the_participant(
    app: Activities,
) -> None:
    result = ingest_one(app, FakePlans(), course(COMPLETED, "c-1"))
    assert result.status == "rejected"
    assert [p.field for p in result.problems] == ["data.participant_ref"]
    assert _head(app) == 0


def test_an_enrolment_and_its_completion_in_one_batch_are_accepted(
    app: Activities,
) -> None:
    result = _batch(app, [course(ENROLLED, "e-1"), course(COMPLETED, "c-1")])
    assert _statuses(result) == ["accepted", "accepted"]


def test_an_enrolment_posted_twice_counts_once(app: Activities) -> None:
    # given one enrolment, posted twice, and its completion
    _batch(app, [course(ENROLLED, "e-1"), course(ENROLLED, "e-1")])
    assert ingest_one(app, FakePlans(), course(ENROLLED, "e-1")).status == "duplicate"
    assert ingest_one(app, FakePlans(), course(COMPLETED, "c-1")).status == "accepted"
    # when a second completion arrives, then it exceeds the one enrolment
    assert ingest_one(app, FakePlans(), course(COMPLETED, "c-2")).status == "rejected"
    # but the first completion posted again is a duplicate, not a refusal
    assert ingest_one(app, FakePlans(), course(COMPLETED, "c-1")).status == "duplicate"


def test_course_events_of_one_participant_in_one_batch_are_counted_in_order(
    app: Activities,
) -> None:
    result = _batch(
        app,
        [
            course(ENROLLED, "e-1"),
            course(COMPLETED, "c-1"),
            course(COMPLETED, "c-2"),  # a second completion of one enrolment
            course(ENROLLED, "e-2"),
            course(COMPLETED, "c-3"),
        ],
    )
    assert _statuses(result) == [
        "accepted",
        "accepted",
        "rejected",
        "accepted",
        "accepted",
    ]


# what is published


def test_accepted_events_are_published_as_posted_with_their_positions(
    app: Activities,
) -> None:
    _batch(app, [course(ENROLLED, "e-1"), session("1")])
    page = PublishedLog(app, "activities", to_contract).page(0)
    # the participation counter is stored too, but not published
    assert [(e.id, e.source) for e in page.events] == [("e-1", SOURCE), ("1", SOURCE)]
    assert page.upto == page.head == _head(app) > page.events[-1].position
    enrolled, held = page.events
    assert held.time == datetime(2025, 10, 1, 14, tzinfo=UTC)
    assert held.time.utcoffset() == timedelta(hours=2)
    assert held.subject is None
    assert held.late is False
    assert enrolled.data == {
        "plan_id": PLAN,
        "activity_id": "ul-a1",
        "participant_ref": "p-1",
        "age_band": None,
        "referral_source": None,
    }


def test_an_event_in_a_period_already_followed_up_is_published_as_late(
    app: Activities,
) -> None:
    plans = FakePlans(follow_ups={PLAN: [date(2025, 12, 1)]})
    ingest_one(app, plans, session("1"))
    [event] = PublishedLog(app, "activities", to_contract).page(0).events
    assert event.late is True


# the content hash


WHEN = datetime(2025, 10, 1, 16, tzinfo=timezone(timedelta(hours=2)))
DATA = {"plan_id": "plan-a", "participants": 8, "note": "æøå"}


def test_the_content_hash_of_an_event_never_changes() -> None:
    # stored digests are compared with new posts: changing how the hash is made
    # would turn every re-post of an earlier event into a conflict
    assert content_hash(SESSION, WHEN, "plan-a", DATA) == (
        "01117cf5bf0a6f047b5adba3fedb00555252869ad6f40c1dc7aa44caa08502f1"
    )


def test_the_content_hash_ignores_the_order_of_keys() -> None:
    reordered = dict(reversed(list(DATA.items())))
    assert content_hash(SESSION, WHEN, "s", reordered) == content_hash(
        SESSION, WHEN, "s", DATA
    )


@pytest.mark.parametrize(
    "change",
    [
        {"event_type": "dk.helhedsplan.activity.course-held"},
        {"time": WHEN + timedelta(seconds=1)},
        {"subject": None},
        {"data": {**DATA, "participants": 9}},
        {"data": {**DATA, "extra": None}},
    ],
    ids=["type", "time", "subject", "value", "key"],
)
def test_the_content_hash_changes_with_any_part_of_the_content(
    change: dict[str, Any],
) -> None:
    parts: dict[str, Any] = {
        "event_type": SESSION,
        "time": WHEN,
        "subject": "plan-a",
        "data": DATA,
    }
    assert content_hash(**{**parts, **change}) != content_hash(**parts)


# Activities.ingest when another request stores the same events meanwhile


def _valid(*raw: dict[str, Any]) -> list[ValidEvent]:
    return [validate(parse(item), FakePlans()) for item in raw]


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[Activities, Activities]]:
    """Two application instances on one SQLite store, as two workers would be."""
    url = f"sqlite:///{tmp_path}/activities.sqlite"
    first, second = Activities(url), Activities(url)
    yield first, second
    first.close()
    second.close()


def _meanwhile(
    monkeypatch: pytest.MonkeyPatch, app: Activities, other: Activities, raw: Any
) -> None:
    """Let ``other`` store ``raw`` just before ``app`` saves (after its checks)."""
    save = app.save

    def racing_save(*aggregates: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(app, "save", save)  # only the first save races
        other.ingest(_valid(raw))
        return save(*aggregates, **kwargs)

    monkeypatch.setattr(app, "save", racing_save)


def test_ingest_settles_events_stored_meanwhile_one_by_one(
    two_workers: tuple[Activities, Activities], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, other = two_workers
    _meanwhile(monkeypatch, app, other, session("2"))
    # when
    outcomes = app.ingest(_valid(session("1"), session("2"), session("3")))
    # then the one stored meanwhile is a duplicate, the others are stored
    assert [o.status for o in outcomes] == ["accepted", "duplicate", "accepted"]
    assert all(app.is_stored(SOURCE, n) for n in ("1", "2", "3"))


def test_an_all_or_nothing_ingest_overlapping_another_stores_nothing(
    two_workers: tuple[Activities, Activities], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, other = two_workers
    _meanwhile(monkeypatch, app, other, session("2"))
    # when
    with pytest.raises(ConcurrentIngestError, match="post the batch again"):
        app.ingest(_valid(session("1"), session("2")), all_or_nothing=True)
    # then only what the other request stored is there
    assert not app.is_stored(SOURCE, "1")
    assert app.is_stored(SOURCE, "2")
    # and posting the batch again works
    outcomes = app.ingest(_valid(session("1"), session("2")), all_or_nothing=True)
    assert [o.status for o in outcomes] == ["accepted", "duplicate"]


def test_a_completion_counted_meanwhile_by_another_worker_is_not_counted_twice(
    two_workers: tuple[Activities, Activities], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, other = two_workers
    app.ingest(_valid(course(ENROLLED, "e-1")))
    # given another worker stores a completion of the one enrolment meanwhile
    _meanwhile(monkeypatch, app, other, course(COMPLETED, "c-1"))
    # when this worker stores a second completion
    [outcome] = app.ingest(_valid(course(COMPLETED, "c-2")))
    # then the retry sees the course as it is now, and refuses it
    assert outcome.status == "rejected"
    assert "cannot exceed enrolments" in (outcome.problem or "")
    assert not app.is_stored(SOURCE, "c-2")
