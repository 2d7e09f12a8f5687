"""Deliveries twice, one in a hundred lost, and a poison event: the projections
stay exact and the stream goes on."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import pytest
import requests

from services.indicators import projection as indicators_projection
from services.indicators.dependencies import build
from services.indicators.replay import projection_hash, rebuild
from shared.bus.remote import HttpLeaderLog
from shared.contracts.envelope import Delivery
from shared.runner import Platform
from shared.store import views_engine
from tests.faults.cluster import report
from tests.faults.test_kill_and_restart import ACTIVITIES, PLAN, sessions
from tests.integration.scenario import Scenario

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.engine import Connection

    from shared.contracts.envelope import IntegrationEvent
    from shared.settings import Settings

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]


def _register(settings: Settings) -> None:
    scenario = Scenario(settings)
    for path, body in [
        ("/fora", {"forum_id": "forum-faults", "name": "Fejlforum", "kommune": "K"}),
        (
            "/plans",
            {
                "plan_id": PLAN,
                "name": "Fejlplan",
                "kommune": "K",
                "period_start": "2025-01-01",
                "period_end": "2028-12-31",
                "forum_id": "forum-faults",
            },
        ),
        *[
            (f"/plans/{PLAN}/activities", {"activity_id": a, "name": a})
            for a in ACTIVITIES
        ],
    ]:
        assert scenario.admin_post("agreements", path, body).status_code in (200, 201)
    scenario.wait_for_activities_to_know_the_plan()


def test_every_delivery_twice_and_one_in_a_hundred_lost_still_counts_exactly(
    amqp_settings: Settings, scratch_url: str
) -> None:
    with Platform(amqp_settings, ["agreements", "activities"]):
        _register(amqp_settings)
        scenario = Scenario(amqp_settings)
        for first in range(0, 5000, 1000):
            scenario.post_batch(sessions(first, 1000))
        backend = build(amqp_settings)  # the indicators follower, fed by hand
        leaders = backend.follower.leaders
        try:
            rng = random.Random(7)
            outcomes: dict[str, int] = {}
            sent = dropped = 0
            for producer, leader in leaders.items():
                after = 0
                while True:
                    page = leader.page(after, 40)
                    if page.upto <= after:
                        break
                    delivery = Delivery(
                        producer=producer,
                        previous=after,
                        upto=page.upto,
                        events=page.events,
                    )
                    after = page.upto
                    if rng.random() < 0.01:
                        dropped += 1
                        continue
                    for _ in range(2):
                        sent += 1
                        outcome = backend.follower.receive(delivery)
                        outcomes[outcome] = outcomes.get(outcome, 0) + 1
            backend.follower.catch_up()  # the timer's pull, for a loss at the very end
            scratch = views_engine(scratch_url)
            rebuild(
                scratch, {n: HttpLeaderLog(amqp_settings.base_url(n)) for n in leaders}
            )  # type: ignore[arg-type]
            rebuilt, live = projection_hash(scratch), projection_hash(backend.engine)
            scratch.dispose()
            from services.indicators.queries import sessions_per_quarter

            counted = sessions_per_quarter(backend.engine, PLAN)["total_sessions"]
        finally:
            backend.close()
    report(
        "twice and 1 % lost",
        deliveries_sent=sent,
        dropped=dropped,
        outcomes=outcomes,
        sessions_counted=counted,
        rebuilt=rebuilt[:12],
        live=live[:12],
    )
    assert dropped > 0
    assert outcomes.get("duplicate", 0) >= sent // 2 - dropped
    assert outcomes.get("filled", 0) > 0
    assert counted == 5000
    assert rebuilt == live


def test_a_poison_event_is_parked_with_its_reason_shown_in_health_and_the_stream_goes_on(
    amqp_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = indicators_projection.IndicatorsProjection.apply

    def apply_with_a_bug(
        self: Any, conn: Connection, producer: str, events: Sequence[IntegrationEvent]
    ) -> None:
        if any(event.id == "fault-10" for event in events):
            raise KeyError("a bug in the projection meets fault-10")
        original(self, conn, producer, events)

    monkeypatch.setattr(
        indicators_projection.IndicatorsProjection, "apply", apply_with_a_bug
    )
    scenario = Scenario(amqp_settings)
    with Platform(amqp_settings):
        _register(amqp_settings)
        scenario.post_batch(sessions(0, 10))
        scenario.sync()
        scenario.post_batch(sessions(10, 1))  # the poison
        scenario.post_batch(sessions(11, 10))
        scenario.sync()  # the stream did not stop at the poison
        counted = requests.get(
            scenario.url("indicators", f"/plans/{PLAN}/sessions"), timeout=30
        ).json()["total_sessions"]
        health = requests.get(scenario.url("indicators", "/health"), timeout=10)
        body = health.json()
    report(
        "poison",
        sessions_counted=counted,
        parked=body["parked"]["count"],
        reason=body["parked"]["events"][0]["reason"],
        status=body["status"],
    )
    assert counted == 20
    assert health.status_code == 200
    assert body["status"] == "degraded"
    [parked] = body["parked"]["events"]
    assert (parked["event_id"], parked["producer"]) == ("fault-10", "activities")
    assert "KeyError" in parked["reason"]
