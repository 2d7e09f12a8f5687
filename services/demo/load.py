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
