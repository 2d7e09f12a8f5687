"""Loads the demo into running embedded services: the real Nordvest agreement and
three generated plans in the same Samarbejdsforum, with their history recorded at
the times it would have been (see `services.demo.clock`). Running it again adds
nothing: every event is known by its source and id, every import by its content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import requests

from services.agreements.agreement_file import load_agreement_file
from services.agreements.data import NORDVEST_FILE
from services.demo.clock import recorded_at
from services.demo.history import plan_history
from services.demo.plans import DEMO_AREAS, demo_agreement
from services.demo.seed import SeedError, post_events, seed_agreement
from shared.runner import wait_until_synced

if TYPE_CHECKING:
    from collections.abc import Callable

    from services.agreements.agreement_file import AgreementFile
    from shared.settings import Settings

#: Demo activity is generated up to this day, so every run gives the same numbers.
DEMO_END = date(2026, 9, 30)


@dataclass(frozen=True)
class DemoSummary:
    plans: list[tuple[str, str]]  # (id, name)
    accepted: int
    duplicates: int
    batches: int


def demo_agreements() -> list[AgreementFile]:
    """Nordvest (real) first, then the generated plans."""
    real = load_agreement_file(NORDVEST_FILE)
    return [real] + [
        demo_agreement(real, area, seed) for seed, area in enumerate(DEMO_AREAS, 1)
    ]


def load_demo(
    settings: Settings,
    until: date = DEMO_END,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Import every agreement and post every plan's history in recorded order."""
    agreements = demo_agreements()
    steps: list[tuple[datetime, int, Callable[[], tuple[int, int]]]] = []
    for seed, agreement in enumerate(agreements):
        start = agreement.plan.period.start
        imported = datetime.combine(start - timedelta(days=30), time(9), UTC)
        steps.append((imported, 0, _importer(settings, agreement)))
        batches, follow_ups = plan_history(agreement, until, seed=100 + seed)
        for follow_up in follow_ups:
            held = datetime.combine(follow_up.held_on, time(15), UTC)
            body = {
                "held_on": follow_up.held_on.isoformat(),
                "body": "bestyrelsen (demodata)",
                "goals_reviewed": list(follow_up.goals),
                "decisions": ["Årlig opfølgning godkendt (demodata)"],
            }
            steps.append((held, 1, _follow_up(settings, agreement.plan.id, body)))
        for batch in batches:
            steps.append((batch.recorded, 2, _poster(settings, batch.events)))
    nordvest = agreements[0].plan.id
    for moment, step in _revision_steps(settings, nordvest):
        steps.append((moment, 1, step))
    steps.sort(key=lambda step: (step[0], step[1]))
    accepted = duplicates = 0
    for done, (moment, _, step) in enumerate(steps, 1):
        with recorded_at(moment):
            new, known = step()
        accepted, duplicates = accepted + new, duplicates + known
        if progress is not None:
            progress(done, len(steps))
    wait_until_synced(settings)
    return DemoSummary(
        plans=[(a.plan.id, a.plan.name) for a in agreements],
        accepted=accepted,
        duplicates=duplicates,
        batches=len(steps),
    )


def _importer(
    settings: Settings, agreement: AgreementFile
) -> Callable[[], tuple[int, int]]:
    def run() -> tuple[int, int]:
        seed_agreement(settings, agreement)
        wait_until_synced(settings)  # activities must know the plan first
        return 0, 0

    return run


def _follow_up(
    settings: Settings, plan_id: str, body: dict[str, Any]
) -> Callable[[], tuple[int, int]]:
    def run() -> tuple[int, int]:
        base = f"{settings.base_url('agreements')}/plans/{plan_id}"
        headers = {"Authorization": f"Bearer {settings.admin_token}"}
        plan = requests.get(base, headers=headers, timeout=30).json()
        if not any(
            f.get("held_on") == body["held_on"] for f in plan.get("follow_ups", [])
        ):
            answer = requests.post(
                f"{base}/follow-ups", json=body, headers=headers, timeout=30
            )
            if answer.status_code >= 400:
                raise SeedError(f"follow-up refused: {answer.text}")
        wait_until_synced(settings)  # later reports must be seen as late
        return 0, 0

    return run


def _poster(
    settings: Settings, events: list[dict[str, Any]]
) -> Callable[[], tuple[int, int]]:
    def run() -> tuple[int, int]:
        return post_events(settings, events) if events else (0, 0)

    return run


REVISED = "UL"


def _revision_steps(
    settings: Settings, plan_id: str
) -> list[tuple[datetime, Callable[[], tuple[int, int]]]]:
    """A delaftale revised mid-plan (drafted, submitted, approved by the board)
    and an activity paused for the summer: the history the auditor replays."""
    base = f"{settings.base_url('agreements')}/plans/{plan_id}"
    document = f"{base}/documents/delaftale/{REVISED}"
    headers = {"Authorization": f"Bearer {settings.admin_token}"}
    state: dict[str, Any] = {}

    def call(method: str, url: str, body: Any = None) -> requests.Response:
        answer = requests.request(method, url, json=body, headers=headers, timeout=30)
        if answer.status_code >= 400:
            raise SeedError(
                f"{method} {url} answered {answer.status_code}: {answer.text}"
            )
        return answer

    def draft() -> tuple[int, int]:
        versions = call("GET", document).json()["versions"]
        if len(versions) > 1:
            state["done"] = True  # loaded before
            return 0, 0
        content = dict(versions[-1]["content"])
        delmaal = [dict(d) for d in content["delmaal"]]
        delmaal[0]["text"] += " (skærpet ved midtvejsstatus, demodata)"
        content["delmaal"] = delmaal
        drafted = call("POST", f"{document}/revisions", {
            "content": content,
            "reason": "Demodata: delmålet skærpes efter midtvejsstatus",
        })  # fmt: skip
        state["version"] = drafted.json()["version"]
        return 0, 0

    def submit() -> tuple[int, int]:
        if not state.get("done"):
            call("POST", f"{document}/revisions/{state['version']}/submit")
        return 0, 0

    def approve() -> tuple[int, int]:
        if not state.get("done"):
            call("POST", f"{document}/revisions/{state['version']}/approve",
                 {"role": "board_approver"})  # fmt: skip
        wait_until_synced(settings)
        return 0, 0

    def pause() -> tuple[int, int]:
        activities = call("GET", base).json()["activities"]
        status = activities.get("kf-a2", {}) if isinstance(activities, dict) else {}
        if status.get("status") != "paused":
            call("POST", f"{base}/activities/kf-a2/status", {
                "status": "paused", "effective_from": "2026-07-01",
                "reason": "Demodata: klubben holder sommerpause",
            })  # fmt: skip
        return 0, 0

    def at(day: date) -> datetime:
        return datetime.combine(day, time(10), UTC)

    return [
        (at(date(2026, 5, 12)), draft),
        (at(date(2026, 5, 20)), submit),
        (at(date(2026, 6, 10)), approve),
        (at(date(2026, 6, 20)), pause),
    ]
