"""Outputs per activity and period: sessions, participants, enrolments, completions,
drop-outs, outcomes by kind, matches, volunteers and courses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from services.indicators.formulas import Fact
from services.indicators.outputs import outputs, period_end, period_of, totals
from shared.contracts import activities as a

PLAN = "plan-out"


def _fact(n: int, event: Any, day: date, activity: str = "a-1") -> Fact:
    return Fact(
        "/test",
        f"e{n}",
        event.TYPE,
        datetime.combine(day, datetime.min.time(), UTC),
        event.model_dump(mode="json"),
    )


def _history() -> list[Fact]:
    events: list[tuple[Any, date]] = [
        (a.SessionHeld(plan_id=PLAN, activity_id="a-1", participants=6,
                       participant_refs=["p1", "p2"]), date(2026, 1, 5)),
        (a.SessionHeld(plan_id=PLAN, activity_id="a-1", participants=4,
                       participant_refs=["p2", "p3"]), date(2026, 2, 5)),
        (a.ParticipantEnrolled(plan_id=PLAN, activity_id="a-1", participant_ref="p4"), date(2026, 1, 6)),
        (a.ParticipantEnrolled(plan_id=PLAN, activity_id="a-1", participant_ref="p5"), date(2026, 1, 7)),
        (a.ParticipantCompleted(plan_id=PLAN, activity_id="a-1", participant_ref="p4"), date(2026, 3, 1)),
        (a.ParticipantDroppedOut(plan_id=PLAN, activity_id="a-1", participant_ref="p5"), date(2026, 4, 2)),
        (a.OutcomeRecorded(plan_id=PLAN, activity_id="a-1", kind="got_job", participant_ref="p4"), date(2026, 3, 2)),
        (a.OutcomeRecorded(plan_id=PLAN, activity_id="a-1", kind="started_education", count=3), date(2026, 3, 3)),
        (a.MatchEstablished(plan_id=PLAN, activity_id="m-1", match_ref="m1", volunteer_ref="v1",
                            participant_ref="p6"), date(2026, 1, 10)),
        (a.MatchEstablished(plan_id=PLAN, activity_id="m-1", match_ref="m2", volunteer_ref="v2",
                            participant_ref="p7"), date(2026, 2, 10)),
        (a.MatchEnded(plan_id=PLAN, activity_id="m-1", match_ref="m1", reason="completed"), date(2026, 5, 10)),
        (a.VolunteerRecruited(plan_id=PLAN, activity_id="m-1", volunteer_ref="v1"), date(2026, 1, 2)),
        (a.VolunteerRecruited(plan_id=PLAN, activity_id="m-1", volunteer_ref="v2"), date(2026, 1, 3)),
        (a.VolunteerLeft(plan_id=PLAN, activity_id="m-1", volunteer_ref="v1"), date(2026, 6, 1)),
        (a.CourseHeld(plan_id=PLAN, activity_id="a-1", name="Førstehjælp", participants=12), date(2026, 2, 20)),
    ]  # fmt: skip
    return [_fact(n, event, day) for n, (event, day) in enumerate(events)]


def _row(rows: list[dict[str, Any]], activity: str, period: str) -> dict[str, Any]:
    return next(
        r for r in rows if (r["activity_id"], r["period"]) == (activity, period)
    )


def test_a_quarter_counts_sessions_participants_and_unique_participants() -> None:
    q1 = _row(outputs(_history(), "quarter"), "a-1", "2026-Q1")
    assert (q1["sessions"], q1["participants"]) == (2, 10)
    assert q1["unique_participants"] == 5  # p1, p2, p3 at sessions; p4, p5 enrolled


def test_enrolments_completions_and_drop_outs_fall_in_the_period_they_happened() -> (
    None
):
    rows = outputs(_history(), "quarter")
    q1, q2 = _row(rows, "a-1", "2026-Q1"), _row(rows, "a-1", "2026-Q2")
    assert (q1["enrolments"], q1["completions"], q1["drop_outs"]) == (2, 1, 0)
    assert (q2["enrolments"], q2["drop_outs"]) == (0, 1)


def test_outcomes_are_counted_by_kind_with_anonymous_counts_added() -> None:
    q1 = _row(outputs(_history(), "quarter"), "a-1", "2026-Q1")
    assert q1["outcomes_by_kind"] == {"got_job": 1, "started_education": 3}
    assert q1["outcomes"] == 4


def test_active_matches_are_those_begun_and_not_ended_on_the_periods_last_day() -> None:
    rows = outputs(_history(), "quarter")
    q1, q2 = _row(rows, "m-1", "2026-Q1"), _row(rows, "m-1", "2026-Q2")
    assert (q1["matches_started"], q1["active_matches"]) == (2, 2)
    assert (q2["matches_ended"], q2["active_matches"]) == (1, 1)
    assert q2["median_match_days"] == (date(2026, 5, 10) - date(2026, 1, 10)).days


def test_volunteers_recruited_and_left_give_the_active_volunteers() -> None:
    rows = outputs(_history(), "quarter")
    q1, q2 = _row(rows, "m-1", "2026-Q1"), _row(rows, "m-1", "2026-Q2")
    assert (q1["volunteers_recruited"], q1["active_volunteers"]) == (2, 2)
    assert (q2["volunteers_left"], q2["active_volunteers"]) == (1, 1)


def test_courses_and_their_participants_are_counted() -> None:
    q1 = _row(outputs(_history(), "quarter"), "a-1", "2026-Q1")
    assert (q1["courses"], q1["course_participants"]) == (1, 12)


def test_months_years_and_plan_to_date_are_periods_too() -> None:
    history = _history()
    months = outputs(history, "month")
    assert _row(months, "a-1", "2026-01")["sessions"] == 1
    assert _row(outputs(history, "year"), "a-1", "2026")["sessions"] == 2
    whole = _row(outputs(history, "plan"), "a-1", "hele perioden")
    assert whole["unique_participants"] == 5


def test_totals_add_up_the_activities_of_each_period() -> None:
    summed = totals(outputs(_history(), "quarter"))
    q1 = next(t for t in summed if t["period"] == "2026-Q1")
    assert (q1["sessions"], q1["matches_started"], q1["enrolments"]) == (2, 2, 2)


def test_period_labels_and_their_last_days() -> None:
    day = date(2026, 11, 3)
    assert [period_of(day, g) for g in ("month", "quarter", "year")] == [
        "2026-11", "2026-Q4", "2026",
    ]  # fmt: skip
    assert period_end("2026-12", "month", day) == date(2026, 12, 31)
    assert period_end("2026-Q1", "quarter", day) == date(2026, 3, 31)
    assert period_end("2026", "year", day) == date(2026, 12, 31)
