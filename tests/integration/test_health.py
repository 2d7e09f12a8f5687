"""Health on the real RabbitMQ and PostgreSQL: reachability, lag, parked events,
and ``helhed status``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import requests
import sqlalchemy as sa

from services.indicators.dependencies import build
from shared import health
from shared.runner import Platform
from shared.settings import Settings
from tests.integration.scenario import Scenario, session_event

HELHED = str(Path(sys.executable).with_name("helhed"))


def _env(settings: Settings) -> dict[str, str]:
    env = {**os.environ}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"HELHED_{name.upper()}"] = str(value)
    return env


def test_every_service_is_healthy_with_no_lag_after_sync_and_status_says_so(
    on_rabbitmq: Scenario,
) -> None:
    on_rabbitmq.register_plan()
    on_rabbitmq.post_batch([session_event(n) for n in range(30)])
    on_rabbitmq.sync()
    for name in ("agreements", "activities", "indicators"):
        answer = requests.get(on_rabbitmq.url(name, "/health"), timeout=10)
        body = answer.json()
        assert answer.status_code == 200, body
        assert body["status"] == "ok"
        assert body["broker"]["reachable"]
        assert body["database"]["reachable"]
    indicators = requests.get(
        on_rabbitmq.url("indicators", "/health"), timeout=10
    ).json()
    assert indicators["parked"]["count"] == 0
    assert set(indicators["lag"]) == {"agreements", "activities"}
    shown = subprocess.run(
        [HELHED, "status", "--format", "json"],
        env=_env(on_rabbitmq.settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    report = json.loads(shown.stdout)
    assert report["healthy"] is True
    assert [s["service"] for s in report["services"]] == [
        "agreements",
        "activities",
        "indicators",
    ]
    print(shown.stdout)


def test_a_follower_behind_its_leader_shows_the_lag_until_it_catches_up(
    amqp_settings: Settings,
) -> None:
    scenario = Scenario(amqp_settings)
    with Platform(amqp_settings, ["agreements", "activities"]):
        scenario.register_plan(sync=False)
        scenario.wait_for_activities_to_know_the_plan()
        scenario.post_batch([session_event(n) for n in range(20)])
        backend = build(amqp_settings)  # indicators' follower, not consuming
        try:
            probe = health.engine_probe(backend.engine)
            _, before = health.report(
                "indicators", amqp_settings.amqp_uri, probe, follower=backend.follower
            )
            assert before["lag"]["activities"] >= 20
            backend.follower.catch_up()
            _, after = health.report(
                "indicators", amqp_settings.amqp_uri, probe, follower=backend.follower
            )
            assert after["lag"] == {"agreements": 0, "activities": 0}
        finally:
            backend.close()


def test_an_unreachable_database_or_broker_is_reported_down() -> None:
    nowhere = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:1/test")
    status, body = health.report(
        "indicators", "amqp://guest:guest@127.0.0.1:1//", health.engine_probe(nowhere)
    )
    assert status == 503
    assert body["status"] == "down"
    assert body["database"]["reachable"] is False
    assert body["broker"]["reachable"] is False
    assert "Error" in body["database"]["error"]
