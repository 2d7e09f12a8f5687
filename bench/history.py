"""A large history for the replay and as-of benchmarks, written straight into the
services' stores (the set-up is not what is measured).

``plans`` generated agreements (Nordvest's structure, see `services.demo.plans`)
are imported into the agreements store, then ``events`` activity events spread
over the plans and over 2023-2026 are saved into the activities store as the
activities service saves them (one ReceivedEvent aggregate each), recorded month
by month at the times they would have been (`services.demo.clock`); every 1,000th
session is corrected a month after it was recorded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from services.activities.domain import ReceivedEvent, content_hash
from services.demo.clock import recorded_at
from services.demo.plans import DemoArea, demo_agreement
from shared.contracts.activities import (
    Corrected,
    EventRef,
    ParticipantEnrolled,
    SessionHeld,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from services.activities.application import Activities
    from services.agreements.application import Agreements

SOURCE = "/helhed/bench"
FIRST_DAY = date(2023, 1, 2)
DAYS = 4 * 365
CHUNK = 5000


@dataclass(frozen=True)
class History:
    plan_ids: list[str]
    events: int
    corrections: int
    first_recorded: datetime
    last_recorded: datetime


def bench_plan_ids(plans: int) -> list[str]:
    return [f"bench-plan-{n:02d}" for n in range(1, plans + 1)]


def import_plans(app: Agreements, plans: int) -> list[str]:
    """``plans`` generated agreements, all in Nordvest's Samarbejdsforum."""
    from services.agreements.agreement_file import load_agreement_file
    from services.agreements.data import NORDVEST_FILE
    from services.agreements.importing import import_agreement

    real = load_agreement_file(NORDVEST_FILE)
    ids = bench_plan_ids(plans)
    with recorded_at(datetime(2022, 12, 1, 9, tzinfo=UTC)):
        for n, plan_id in enumerate(ids, 1):
            area = DemoArea(
                plan_id, f"Benchmark-plan {n}", date(2023, 1, 1), ("Blok A",), 900, 2000
            )
            import_agreement(app, demo_agreement(real, area, n))
    return ids


ACTIVITIES = ("ul-a1", "ul-a2", "ul-a3", "be-a1")


def fill_activities(
    app: Activities,
    plan_ids: list[str],
    events: int,
    progress: Callable[[int], None] | None = None,
    seed: int = 2026,
) -> History:
    """Save ``events`` activity events, in recorded order, in chunks."""
    rng = random.Random(seed)
    per_day = max(events / DAYS, 1e-9)
    saved = corrections = 0
    first = last = None
    pending: list[tuple[str, Any, datetime]] = []
    recorded_for: datetime | None = None
    for index in range(events):
        day = FIRST_DAY + timedelta(days=int(index / per_day))
        reported = datetime.combine(
            date(day.year + (day.month == 12), day.month % 12 + 1, 5), time(9), UTC
        )
        if recorded_for is not None and reported != recorded_for and pending:
            saved += _save(app, pending, recorded_for)
            pending = []
            if progress:
                progress(saved)
        recorded_for = reported
        first = first or reported
        last = reported
        plan_id = plan_ids[index % len(plan_ids)]
        activity = ACTIVITIES[index // len(plan_ids) % len(ACTIVITIES)]
        happened = datetime.combine(day, time(16), UTC)
        event_id = f"bench-{index:08d}"
        if index % 10 == 9:
            data: Any = ParticipantEnrolled(
                plan_id=plan_id, activity_id=activity, participant_ref=f"b{index}"
            )
        elif index % 1000 == 500:
            original = max(index - 10 * len(plan_ids), 0)  # a session of this plan
            target = f"bench-{original:08d}"
            activity = ACTIVITIES[original // len(plan_ids) % len(ACTIVITIES)]
            data = Corrected(
                plan_id=plan_id,
                supersedes=EventRef(source=SOURCE, id=target),
                corrected_type=SessionHeld.TYPE,
                corrected_data={"plan_id": plan_id, "activity_id": activity,
                                "participants": 30},
                reason="optalt igen",
            )  # fmt: skip
            corrections += 1
        else:
            data = SessionHeld(
                plan_id=plan_id,
                activity_id=activity,
                participants=rng.randint(3, 16),
                participant_refs=[f"b{rng.randint(0, 400)}" for _ in range(3)],
            )
        pending.append((event_id, data, happened))
        if len(pending) >= CHUNK:
            saved += _save(app, pending, reported)
            pending = []
            if progress:
                progress(saved)
    if pending and recorded_for is not None:
        saved += _save(app, pending, recorded_for)
        if progress:
            progress(saved)
    assert first is not None
    assert last is not None
    return History(plan_ids, saved, corrections, first, last)


def _aggregate(event_id: str, data: Any, happened: datetime) -> ReceivedEvent:
    body = data.model_dump(mode="json")
    return ReceivedEvent(
        source=SOURCE,
        event_id=event_id,
        event_type=data.TYPE,
        version=1,
        time=happened,
        subject=data.plan_id,
        data=body,
        digest=content_hash(data.TYPE, happened, data.plan_id, body),
    )


def _save(
    app: Activities, pending: list[tuple[str, Any, datetime]], moment: datetime
) -> int:
    with recorded_at(moment):  # an event's timestamp is taken when it is created
        aggregates = [_aggregate(*item) for item in pending]
    app.save(*aggregates)
    return len(aggregates)
