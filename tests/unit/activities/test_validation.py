"""Checking a posted CloudEvent: the envelope, personal data, the contract of its
data, then what agreements published (plan, activity, period). Every refusal names
the field and the rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.activities.validation import RejectedError, ValidEvent, parse, validate
from shared.contracts.activities import (
    Corrected,
    IndicatorMeasurementReported,
    SessionHeld,
)
from shared.contracts.registry import schema_uri
from tests.unit.activities.activities_support import (
    ACTIVITY,
    END,
    PLAN,
    SESSION,
    SOURCE,
    START,
    FakePlans,
    FakeStored,
    session,
)


def _check(raw: Any, plans: FakePlans | None = None, **kwargs: Any) -> ValidEvent:
    return validate(parse(raw), plans or FakePlans(), **kwargs)


def _problems(
    raw: Any, plans: FakePlans | None = None, **kwargs: Any
) -> dict[str, str]:
    """field -> message of every problem the event is refused with."""
    with pytest.raises(RejectedError) as refused:
        _check(raw, plans, **kwargs)
    return {p.field: p.message for p in refused.value.problems}


# accepted


def test_a_valid_session_is_accepted_with_its_data_parsed_by_its_contract() -> None:
    valid = _check(session(participants=8, new_participants=2))
    assert isinstance(valid.data, SessionHeld)
    assert (valid.data.participants, valid.data.new_participants) == (8, 2)
    assert valid.version == 1
    assert valid.late_since is None
    assert valid.incoming.source == SOURCE


@pytest.mark.parametrize("day", [START, END], ids=["first-day", "last-day"])
def test_an_event_on_the_first_or_last_day_of_the_plan_period_is_accepted(
    day: date,
) -> None:
    raw = {**session(), "time": f"{day.isoformat()}T12:00:00+01:00"}
    assert _check(raw).incoming.time.date() == day


def test_a_dataschema_naming_version_1_of_the_type_is_accepted() -> None:
    raw = {**session(), "dataschema": schema_uri(SESSION, 1)}
    assert _check(raw).version == 1


def test_an_event_in_a_period_the_board_followed_up_on_is_accepted_as_late() -> None:
    plans = FakePlans(follow_ups={PLAN: [date(2025, 9, 1), date(2025, 12, 1)]})
    assert _check(session(), plans).late_since == date(2025, 12, 1)


def test_a_measurement_needs_a_known_plan_but_no_activity() -> None:
    raw = {
        **session(),
        "type": IndicatorMeasurementReported.TYPE,
        "data": {
            "plan_id": PLAN,
            "indicator_id": "OG1-I1",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "value": 42.5,
            "source_id": "boligsociale-data",
        },
    }
    assert isinstance(_check(raw).data, IndicatorMeasurementReported)


# the envelope


@pytest.mark.parametrize("raw", [[], "event", 42, None], ids=type)
def test_anything_but_a_json_object_is_refused_as_malformed(raw: Any) -> None:
    assert _problems(raw) == {"": "an event must be a JSON object"}


def test_a_malformed_envelope_is_refused_naming_every_missing_field() -> None:
    problems = _problems({"id": "1", "data": {}})
    assert set(problems) == {"source", "type", "specversion", "time"}
    assert all(message == "Field required" for message in problems.values())


def test_an_extra_field_in_the_envelope_is_refused_by_name() -> None:
    assert set(_problems({**session(), "participants": 8})) == {"participants"}


def test_an_extra_field_in_the_data_is_refused_by_its_path() -> None:
    problems = _problems(session(name_of_participant="x"))
    assert set(problems) == {"data.name_of_participant"}
    assert "Extra inputs" in problems["data.name_of_participant"]


def test_a_time_without_a_timezone_is_refused() -> None:
    problems = _problems({**session(), "time": "2025-10-01T16:00:00"})
    assert set(problems) == {"time"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("specversion", "0.3"), ("id", ""), ("id", "with space"), ("source", "")],
)
def test_an_envelope_field_breaking_its_rule_is_named(field: str, value: str) -> None:
    assert set(_problems({**session(), field: value})) == {field}


# the data's contract


def test_an_unknown_event_type_is_refused_on_the_type_field() -> None:
    problems = _problems({**session(), "type": "dk.helhedsplan.activity.party-held"})
    assert set(problems) == {"type"}
    assert "unknown event type" in problems["type"]
    assert SESSION in problems["type"]  # it lists the known ones


def test_a_version_without_a_contract_is_refused() -> None:
    problems = _problems({**session(), "dataschema": schema_uri(SESSION, 2)})
    assert "(version 2)" in " ".join(problems.values())


def test_an_unknown_dataschema_is_refused() -> None:
    problems = _problems({**session(), "dataschema": "https://example.org/s.json"})
    assert "is not a known schema" in " ".join(problems.values())


def test_an_unknown_dataschema_is_refused_on_the_dataschema_field() -> None:
    problems = _problems({**session(), "dataschema": "https://example.org/s.json"})
    assert set(problems) == {"dataschema"}


def test_a_dataschema_of_another_event_type_is_refused() -> None:
    other = schema_uri("dk.helhedsplan.activity.course-held", 1)
    assert "dataschema" in _problems({**session(), "dataschema": other})


def test_a_negative_count_is_refused_on_its_field() -> None:
    problems = _problems(session(participants=-1))
    assert set(problems) == {"data.participants"}
    assert "greater than or equal to 0" in problems["data.participants"]


def test_more_new_participants_than_participants_is_refused() -> None:
    problems = _problems(session(participants=3, new_participants=4))
    assert set(problems) == {"data"}
    assert "new_participants cannot exceed participants" in problems["data"]


def test_more_participant_refs_than_participants_is_refused() -> None:
    problems = _problems(session(participants=1, participant_refs=["p-1", "p-2"]))
    assert "more participant_refs than participants" in problems["data"]


def test_a_missing_data_field_is_named_by_its_path() -> None:
    raw = session()
    del raw["data"]["activity_id"]
    assert set(_problems(raw)) == {"data.activity_id"}


def test_a_plan_id_that_is_not_a_slug_is_refused() -> None:
    assert set(_problems(session(plan_id="Plan A"))) == {"data.plan_id"}


# what agreements published


def test_an_event_for_an_unknown_plan_is_refused_on_the_plan_id() -> None:
    problems = _problems(session(plan_id="plan-x", activity_id="nope"))
    # the unknown plan is the one problem: its activity and period cannot be checked
    assert problems == {"data.plan_id": "unknown plan 'plan-x'"}


def test_an_event_for_an_activity_the_plan_does_not_have_is_refused() -> None:
    problems = _problems(session(activity_id="be-b9"))
    assert problems == {"data.activity_id": "plan 'plan-a' has no activity 'be-b9'"}


def test_an_activity_of_another_plan_is_not_an_activity_of_this_one() -> None:
    plans = FakePlans(
        periods={PLAN: (START, END), "plan-b": (START, END)},
        activities={("plan-b", ACTIVITY)},
    )
    assert set(_problems(session(), plans)) == {"data.activity_id"}


@pytest.mark.parametrize(
    "time",
    ["2024-12-31T23:59:00+01:00", "2029-01-01T00:00:00+01:00"],
    ids=["before", "after"],
)
def test_an_event_outside_the_plan_period_is_refused_on_its_time(time: str) -> None:
    problems = _problems({**session(), "time": time})
    assert set(problems) == {"time"}
    assert "outside the plan period 2025-01-01 to 2028-12-31" in problems["time"]


def test_the_day_an_event_happened_is_the_day_in_its_own_timezone() -> None:
    # 00:30 Danish time on the first day is still the day before in UTC: accepted
    first_night = {**session(), "time": "2025-01-01T00:30:00+01:00"}
    assert _check(first_night).incoming.time.date() == START
    # 00:30 Danish time after the last day is still the last day in UTC: refused
    after_the_end = {**session(), "time": "2029-01-01T00:30:00+01:00"}
    assert set(_problems(after_the_end)) == {"time"}


def test_an_unknown_activity_and_a_time_outside_the_period_are_both_named() -> None:
    raw = {**session(activity_id="be-b9"), "time": "2030-01-01T10:00:00+01:00"}
    assert set(_problems(raw)) == {"data.activity_id", "time"}


# personal data


def test_a_cpr_number_anywhere_in_the_data_is_refused_before_anything_else() -> None:
    raw = {**session(note="deltager 010203-1234"), "type": "not.a.known.type"}
    problems = _problems(raw)
    assert set(problems) == {"data.note"}
    assert "CPR" in problems["data.note"]


def test_an_email_in_the_subject_is_refused_on_the_subject() -> None:
    problems = _problems({**session(), "subject": "hans@example.dk"})
    assert set(problems) == {"subject"}
    assert "e-mail" in problems["subject"]


def test_a_phone_number_in_a_participant_ref_is_refused_by_its_path() -> None:
    problems = _problems(session(participant_refs=["+45 12 34 56 78"]))
    assert set(problems) == {"data.participant_refs[0]"}


# corrections and retractions


def _correction(**data: Any) -> dict[str, Any]:
    return {
        **session("c-1"),
        "type": Corrected.TYPE,
        "data": {
            "plan_id": PLAN,
            "supersedes": {"source": SOURCE, "id": "1"},
            "corrected_type": SESSION,
            "corrected_data": {
                "plan_id": PLAN,
                "activity_id": ACTIVITY,
                "participants": 9,
            },
            "reason": "talte forkert",
            **data,
        },
    }


def test_a_correction_of_a_stored_event_of_the_same_type_is_accepted() -> None:
    stored = FakeStored({(SOURCE, "1"): SESSION})
    assert isinstance(_check(_correction(), stored=stored).data, Corrected)


def test_a_correction_of_an_event_never_stored_is_refused() -> None:
    problems = _problems(_correction(), stored=FakeStored())
    assert set(problems) == {"data.supersedes"}
    assert "no stored event '1'" in problems["data.supersedes"]


def test_a_correction_naming_another_type_than_the_original_is_refused() -> None:
    stored = FakeStored({(SOURCE, "1"): "dk.helhedsplan.activity.course-held"})
    assert set(_problems(_correction(), stored=stored)) == {"data.corrected_type"}


def test_corrected_data_breaking_the_originals_contract_is_refused_by_its_path() -> (
    None
):
    stored = FakeStored({(SOURCE, "1"): SESSION})
    bad = {"plan_id": PLAN, "activity_id": ACTIVITY, "participants": -5}
    problems = _problems(_correction(corrected_data=bad), stored=stored)
    assert set(problems) == {"data.corrected_data.participants"}


def test_a_retraction_of_an_event_never_stored_is_refused() -> None:
    raw = {
        **session("r-1"),
        "type": "dk.helhedsplan.activity.retracted",
        "data": {
            "plan_id": PLAN,
            "retracts": {"source": SOURCE, "id": "404"},
            "reason": "fejl",
        },
    }
    assert set(_problems(raw, stored=FakeStored())) == {"data.retracts"}
    stored = FakeStored({(SOURCE, "404"): SESSION})
    assert _check(raw, stored=stored).data.retracts.id == "404"  # type: ignore[attr-defined]
