"""A few years of generated activity for a plan, in the batches a project would
have reported them: each month's events on the 5th of the next month, yearly
measurements in March, some sessions reported late, and corrections recorded
weeks after what they correct. Plainly demo data (source ``/helhed/demo``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from shared.contracts import activities as a
from shared.contracts.registry import schema_uri

if TYPE_CHECKING:
    from services.agreements.agreement_file import AgreementFile

DEMO_SOURCE = "/helhed/demo"  # each plan's events come from DEMO_SOURCE/<plan id>
DEMO_NOTE = "Demodata"
DEMO_DATA_SOURCE = "demodata"
REPORTED_ON_DAY = 5  # a month's events are reported on the 5th of the next month
FOLLOW_UP = (2, 20)  # the board follows up on the past year on 20 February


@dataclass
class Batch:
    """Events reported together, and when the platform recorded them."""

    recorded: datetime
    events: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class FollowUp:
    """A board meeting that followed up on the plan's goals."""

    held_on: date
    goals: tuple[str, ...]


def _event(event_id: str, data: Any, happened: datetime) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": f"{DEMO_SOURCE}/{data.plan_id}",
        "type": data.TYPE,
        "time": happened.isoformat(),
        "subject": data.plan_id,
        "dataschema": schema_uri(data.TYPE, data.VERSION),
        "data": data.model_dump(mode="json"),
    }


def _at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _months(start: date, until: date) -> list[date]:
    months, day = [], start.replace(day=1)
    while day <= until:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def _report_time(month: date) -> datetime:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return _at(following.replace(day=REPORTED_ON_DAY), 9)


class _Plan:
    """The generator's state for one plan: pools of opaque references."""

    def __init__(self, agreement: AgreementFile, seed: int) -> None:
        self.agreement = agreement
        self.plan_id = agreement.plan.id
        self.rng = random.Random(seed)
        self.short = f"d{seed}"
        self.activities = [activity.id for _, activity in agreement.activities()]
        self.enrolled: dict[str, list[tuple[str, date]]] = {}
        self.matches: list[tuple[str, str, date, int]] = []
        self.volunteers: list[str] = []
        self.counter = 0

    def ref(self, kind: str) -> str:
        self.counter += 1
        return f"{self.short}-{kind}{self.counter:05d}"

    def month(self, first: date, last: date) -> list[dict[str, Any]]:
        """Every event of one month (up to ``last``)."""
        rng, plan, events = self.rng, self.plan_id, []
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        for index, activity in enumerate(self.activities[:4]):  # weekly sessions
            pool = [f"{self.short}-p{index}{n:03d}" for n in range(30)]
            for day in days:
                if day.weekday() != index % 5:
                    continue
                present = rng.randint(3, 16)
                refs = sorted(rng.sample(pool, min(present, len(pool))))
                held = a.SessionHeld(
                    plan_id=plan,
                    activity_id=activity,
                    participants=present,
                    new_participants=rng.randint(0, min(3, present)),
                    duration_minutes=rng.choice([90, 120, 150]),
                    participant_refs=refs,
                    note=DEMO_NOTE,
                )
                events.append(
                    _event(f"demo-{activity}-{day.isoformat()}", held, _at(day))
                )
        for activity in self.activities[3:6]:  # enrolments, completions, drop-outs
            events += self._courses_of_people(activity, days)
        if len(self.activities) > 5:
            events += self._mentoring(self.activities[5], days)
        if len(self.activities) > 9 and first.month % 3 == 0:
            events += self._course(self.activities[9], days[-1])
        return events

    def _courses_of_people(
        self, activity: str, days: list[date]
    ) -> list[dict[str, Any]]:
        rng, plan, events = self.rng, self.plan_id, []
        enrolled = self.enrolled.setdefault(activity, [])
        for _ in range(rng.randint(1, 4)):
            day, ref = rng.choice(days), self.ref("p")
            enrolled.append((ref, day))
            data = a.ParticipantEnrolled(
                plan_id=plan,
                activity_id=activity,
                participant_ref=ref,
                age_band=rng.choice(["13-17", "18-24", "25-29"]),
                referral_source=rng.choice(["jobcenter", "school", "self"]),
            )
            events.append(_event(f"demo-ind-{ref}", data, _at(day, 10)))
        for ref, since in list(enrolled):
            if (days[-1] - since).days < 90 or rng.random() > 0.3:
                continue
            enrolled.remove((ref, since))
            day = days[-1]
            if rng.random() < 0.75:
                done: Any = a.ParticipantCompleted(
                    plan_id=plan, activity_id=activity, participant_ref=ref
                )
                events.append(_event(f"demo-gen-{ref}", done, _at(day, 11)))
                if rng.random() < 0.5:
                    outcome = a.OutcomeRecorded(
                        plan_id=plan,
                        activity_id=activity,
                        participant_ref=ref,
                        kind=rng.choice(
                            ["got_job", "started_education", "got_leisure_job"]
                        ),
                    )
                    events.append(_event(f"demo-res-{ref}", outcome, _at(day, 12)))
            else:
                left = a.ParticipantDroppedOut(
                    plan_id=plan, activity_id=activity, participant_ref=ref
                )
                events.append(_event(f"demo-fra-{ref}", left, _at(day, 11)))
        return events

    def _mentoring(self, activity: str, days: list[date]) -> list[dict[str, Any]]:
        rng, plan, events = self.rng, self.plan_id, []
        if rng.random() < 0.6:
            ref, day = self.ref("v"), rng.choice(days)
            self.volunteers.append(ref)
            data: Any = a.VolunteerRecruited(
                plan_id=plan, activity_id=activity, volunteer_ref=ref
            )
            events.append(_event(f"demo-friv-{ref}", data, _at(day, 10)))
        if self.volunteers and rng.random() < 0.7:
            match, day = self.ref("m"), rng.choice(days)
            self.matches.append(
                (match, rng.choice(self.volunteers), day, rng.randint(120, 270))
            )
            data = a.MatchEstablished(
                plan_id=plan,
                activity_id=activity,
                match_ref=match,
                volunteer_ref=self.matches[-1][1],
                participant_ref=self.ref("p"),
            )
            events.append(_event(f"demo-match-{match}", data, _at(day, 10)))
        for ongoing in list(self.matches):
            ref, _, began, lasts = ongoing
            ends = began + timedelta(days=lasts)
            if days[0] <= ends <= days[-1]:
                self.matches.remove(ongoing)
                data = a.MatchEnded(
                    plan_id=plan,
                    activity_id=activity,
                    match_ref=ref,
                    reason=rng.choice(["completed", "completed", "volunteer_left"]),
                )
                events.append(_event(f"demo-slut-{ref}", data, _at(ends, 10)))
        return events

    def _course(self, activity: str, day: date) -> list[dict[str, Any]]:
        data = a.CourseHeld(
            plan_id=self.plan_id,
            activity_id=activity,
            name="Kursus i privatøkonomi",
            participants=self.rng.randint(6, 18),
        )
        return [_event(f"demo-kursus-{activity}-{day.isoformat()}", data, _at(day, 17))]

    def measurements(self, year: int) -> list[dict[str, Any]]:
        """The measured indicators' values for a year, moving from the baseline."""
        events = []
        for indicator in self.agreement.indicators():
            if indicator.definition.kind != "measured":
                continue
            baseline = next(
                (b.value for b in indicator.baselines if b.value is not None), None
            )
            if baseline is None:
                continue
            years = year - self.agreement.plan.period.start.year + 1
            better = 1 if indicator.direction != "lower_is_better" else -1
            drift = self.rng.uniform(-0.04, 0.07) * better * years
            value = max(baseline * (1 + drift), 0.0)
            if indicator.unit == "percent":
                value = min(value, 99.0)
            data = a.IndicatorMeasurementReported(
                plan_id=self.plan_id,
                indicator_id=indicator.id,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                value=round(value, 2),
                source_id=DEMO_DATA_SOURCE,
                population="Demodata: genereret, ikke rigtige tal",
            )
            events.append(
                _event(
                    f"demo-maaling-{indicator.id}-{year}", data, _at(date(year, 12, 31))
                )
            )
        return events


def plan_history(
    agreement: AgreementFile, until: date, seed: int
) -> tuple[list[Batch], list[FollowUp]]:
    """The plan's reported batches from its start to ``until``, in recorded order,
    and the board's yearly follow-ups (recorded on the day they were held)."""
    plan = _Plan(agreement, seed)
    start = agreement.plan.period.start
    batches: list[Batch] = []
    follow_ups: list[FollowUp] = []
    goals = tuple(g.id for g in agreement.strategic_agreement.overall_goals)
    for first in _months(start, until):
        following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        last = min(following - timedelta(days=1), until)
        batches.append(Batch(_report_time(first), plan.month(first, last)))
        if first.month == 2 and first.year > start.year:
            follow_ups.append(FollowUp(date(first.year, *FOLLOW_UP), goals))
        if first.month == 3 and first.year > start.year:  # last year, measured
            measured = Batch(
                _at(date(first.year, 3, 16), 9), plan.measurements(first.year - 1)
            )
            measured.note = "målinger"
            batches.append(measured)
    batches.sort(key=lambda b: b.recorded)
    _add_corrections(batches, plan.activities, plan.rng)
    _add_late_reports(batches, follow_ups, plan)
    batches.sort(key=lambda b: b.recorded)
    return batches, follow_ups


def _add_corrections(
    batches: list[Batch], activities: list[str], rng: random.Random
) -> None:
    """Recounts: the first January session of the plan's second activity, and a
    few more, corrected (+5 participants) six weeks after they were reported; one
    duplicate registration retracted."""
    sessions = [
        (batch, event)
        for batch in batches
        for event in batch.events
        if event["type"] == a.SessionHeld.TYPE
    ]
    if not sessions:
        return
    second = activities[1] if len(activities) > 1 else activities[0]
    theirs = [s for s in sessions if s[1]["data"]["activity_id"] == second]
    # the first January session: reported in February, corrected in March, so
    # the correction lands in the same quarter and "as of" shows it everywhere
    january = [s for s in theirs if s[1]["time"][5:7] == "01"]
    chosen = [(january or theirs)[0]]
    others = [s for s in sessions if s[1]["data"]["activity_id"] != second]
    chosen += rng.sample(others, min(3, len(others)))
    unique = {event["id"]: (batch, event) for batch, event in chosen}
    for hours, (batch, event) in enumerate(unique.values()):
        data = {**event["data"], "participants": event["data"]["participants"] + 5}
        correction = a.Corrected(
            plan_id=event["data"]["plan_id"],
            supersedes=a.EventRef(source=event["source"], id=event["id"]),
            corrected_type=event["type"],
            corrected_data=data,
            reason="Demodata: deltagerlisten blev talt op igen",
        )
        happened = datetime.fromisoformat(event["time"])
        batches.append(
            Batch(
                batch.recorded + timedelta(weeks=6, hours=hours),
                [_event(f"demo-rettelse-{event['id']}", correction, happened)],
                "rettelse",
            )
        )
    batch, event = rng.choice(sessions)
    retraction = a.Retracted(
        plan_id=event["data"]["plan_id"],
        retracts=a.EventRef(source=event["source"], id=event["id"]),
        reason="Demodata: registreret to gange",
    )
    batches.append(
        Batch(
            batch.recorded + timedelta(weeks=3),
            [
                _event(
                    f"demo-tilbagekaldt-{event['id']}",
                    retraction,
                    datetime.fromisoformat(event["time"]),
                )
            ],
            "tilbagekaldelse",
        )
    )


def _add_late_reports(
    batches: list[Batch], follow_ups: list[FollowUp], plan: _Plan
) -> None:
    """Sessions of November that were only reported after the board's follow-up."""
    for follow_up in follow_ups:
        november = date(follow_up.held_on.year - 1, 11, 1)
        if november < plan.agreement.plan.period.start:
            continue
        activity = plan.activities[0]
        events = []
        for n in range(3):
            day = november + timedelta(days=7 * n + 2)
            held = a.SessionHeld(
                plan_id=plan.plan_id,
                activity_id=activity,
                participants=plan.rng.randint(5, 12),
                note="Demodata: eftersendt efter opfølgningen",
            )
            events.append(
                _event(f"demo-sen-{activity}-{day.isoformat()}", held, _at(day))
            )
        batches.append(
            Batch(_at(follow_up.held_on + timedelta(days=30), 9), events, "for sent")
        )
