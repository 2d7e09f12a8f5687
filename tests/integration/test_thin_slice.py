"""The spine end to end: agreements -> activities -> indicators, in both modes.

Embedded: kombu memory:// and SQLite. Production: the real RabbitMQ and
PostgreSQL on this machine (a fresh vhost and fresh schemas per test).
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import eventlet
import pytest

from services.indicators.service import IndicatorsService
from shared.bus import remote
from shared.bus.follower import Follower
from shared.runner import Platform
from tests.integration.scenario import Scenario, session_event
from tests.support import free_port

if TYPE_CHECKING:
    from shared.settings import Settings

pytestmark = pytest.mark.integration

BOTH_MODES = pytest.mark.parametrize("mode", ["embedded", "on_rabbitmq"])


@BOTH_MODES
def test_sessions_posted_over_http_are_counted_per_plan_and_quarter(
    mode: str, request: pytest.FixtureRequest
) -> None:
    platform: Scenario = request.getfixturevalue(mode)
    # given a plan registered with agreements
    platform.register_plan()
    # when a project posts two sessions in September and one in October
    for number, participants in ((0, 4), (4, 6), (1, 9)):
        assert platform.post(session_event(number, participants)).status_code == 201
    platform.sync()
    # then indicators answers sessions and participants per quarter
    result = platform.sessions()
    assert result["quarters"] == [
        {
            "quarter": "2025-Q3",
            "sessions": 2,
            "participants": 10,
            "new_participants": 2,
        },
        {"quarter": "2025-Q4", "sessions": 1, "participants": 9, "new_participants": 1},
    ]


@BOTH_MODES
def test_posting_the_same_event_twice_counts_once(
    mode: str, request: pytest.FixtureRequest
) -> None:
    platform: Scenario = request.getfixturevalue(mode)
    platform.register_plan()
    first = platform.post(session_event(1, 7))
    head = platform.activities_head()
    again = platform.post(session_event(1, 7))
    assert (first.status_code, first.json()["status"]) == (201, "accepted")
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    assert platform.activities_head() == head
    platform.sync()
    assert platform.sessions()["total_sessions"] == 1
    assert platform.sessions()["total_participants"] == 7


def test_the_same_source_and_id_with_other_content_is_a_conflict(
    on_rabbitmq: Scenario,
) -> None:
    on_rabbitmq.register_plan()
    assert on_rabbitmq.post(session_event(1, 7)).status_code == 201
    head = on_rabbitmq.activities_head()
    conflict = on_rabbitmq.post(session_event(1, 8))
    assert conflict.status_code == 409
    assert "other content" in conflict.json()["problems"][0]["message"]
    assert on_rabbitmq.activities_head() == head
    on_rabbitmq.sync()
    assert on_rabbitmq.sessions()["total_participants"] == 7


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        (b'{"specversion": "1.0", "id": ', 400, None, "malformed JSON"),
        (session_event(1, plan_id="no-such-plan"), 422, "data.plan_id", "unknown plan"),
        (session_event(1, participants=-3), 422, "data.participants", "greater than"),
        (
            session_event(1, activity="no-such-activity"),
            422,
            "data.activity_id",
            "no activity",
        ),
        ({**session_event(1), "time": "2024-01-01T10:00:00Z"}, 422, "time", "outside"),
        (
            {**session_event(1), "type": "dk.helhedsplan.nope"},
            422,
            "type",
            "unknown event type",
        ),
        ({**session_event(1), "time": "2025-10-01T10:00:00"}, 422, "time", "timezone"),
        (
            session_event(1, participants=2, new_participants=3),
            422,
            "data",
            "cannot exceed",
        ),
    ],
    ids=[
        "malformed-json",
        "unknown-plan",
        "negative-count",
        "unknown-activity",
        "outside-period",
        "unknown-type",
        "naive-time",
        "more-new-than-present",
    ],
)
def test_bad_input_gets_a_4xx_that_names_the_problem_and_stores_nothing(
    on_rabbitmq: Scenario,
    body: bytes | dict[str, object],
    status: int,
    field: str | None,
    words: str,
) -> None:
    on_rabbitmq.register_plan()
    head = on_rabbitmq.activities_head()
    if isinstance(body, bytes):
        response = on_rabbitmq.post_raw(body)
    else:
        response = on_rabbitmq.post(body)
    assert response.status_code == status, response.text
    answer = response.json()
    text = answer.get("error", "") + " ".join(
        f"{p['field']} {p['message']}" for p in answer.get("problems", [])
    )
    assert words.lower() in text.lower()
    if field is not None:
        assert field in [p["field"] for p in answer["problems"]]
    assert on_rabbitmq.activities_head() == head


def test_a_batch_stores_the_good_events_and_reports_the_bad_ones(
    on_rabbitmq: Scenario,
) -> None:
    on_rabbitmq.register_plan()
    events = [session_event(n) for n in range(10)]
    events[3] = session_event(3, participants=-1)
    events[7] = session_event(7, plan_id="no-such-plan")
    answer = on_rabbitmq.post_batch(events)
    assert (answer["accepted"], answer["rejected"]) == (8, 2)
    assert [r["status"] for r in answer["results"]].count("rejected") == 2
    assert answer["results"][3]["problems"][0]["field"] == "data.participants"
    on_rabbitmq.sync()
    assert on_rabbitmq.sessions()["total_sessions"] == 8


def _rabbit(*args: str) -> str:
    return subprocess.run(
        ["rabbitmqctl", "-q", *args], check=True, capture_output=True, text=True
    ).stdout


def test_events_cross_rabbitmq_through_the_services_exchanges_and_queues(
    on_rabbitmq: Scenario,
) -> None:
    on_rabbitmq.register_plan()
    on_rabbitmq.post(session_event(1))
    on_rabbitmq.sync()
    vhost = on_rabbitmq.settings.amqp_uri.rsplit("/", 1)[1]
    exchanges = _rabbit("list_exchanges", "-p", vhost, "name")
    queues = _rabbit("list_queues", "-p", vhost, "name")
    print(exchanges, queues)  # shown with -s: the bus as RabbitMQ sees it
    assert {"agreements.events", "activities.events"} <= set(exchanges.split())
    assert {
        "evt-agreements-delivery--activities.on_agreements",
        "evt-agreements-delivery--indicators.on_agreements",
        "evt-activities-delivery--indicators.on_activities",
    } <= set(queues.split())


def _run_inputs(scenario: Scenario) -> dict[str, object]:
    scenario.register_plan()
    events = [session_event(n, participants=3 + n % 7) for n in range(60)]
    for number in range(5):  # some one by one, the rest in a batch
        scenario.post(events[number])
    scenario.post_batch(events[5:])
    scenario.post(events[0])  # and a duplicate
    scenario.sync()
    return scenario.sessions()


def test_the_embedded_and_the_rabbitmq_runs_give_identical_projections(
    embedded_settings: Settings, amqp_settings: Settings
) -> None:
    with Platform(embedded_settings):
        embedded = _run_inputs(Scenario(embedded_settings))
    with Platform(amqp_settings):
        on_rabbitmq = _run_inputs(Scenario(amqp_settings))
    assert embedded["total_sessions"] == 60
    assert embedded == on_rabbitmq


def test_a_consumer_killed_after_its_commit_but_before_the_ack_counts_once(
    amqp_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = Scenario(amqp_settings)
    leaders = Platform(amqp_settings, ["agreements", "activities"]).start()
    indicators = Platform(amqp_settings, ["indicators"]).start()
    try:
        scenario.register_plan()
        # given an indicators worker that commits, then hangs before nameko acks
        committed = eventlet.event.Event()
        handle = IndicatorsService.on_activities

        def commit_then_hang(
            self: IndicatorsService, payload: dict[str, object]
        ) -> None:
            handle(self, payload)
            if not committed.ready():
                committed.send(payload["upto"])
                eventlet.sleep(3600)

        monkeypatch.setattr(IndicatorsService, "on_activities", commit_then_hang)
        assert scenario.post(session_event(1, participants=6)).status_code == 201
        upto = committed.wait(timeout=30)
        assert scenario.sessions()["total_sessions"] == 1  # the commit happened
        # when the service is killed and started again
        indicators.kill()
        monkeypatch.setattr(IndicatorsService, "on_activities", handle)
        received: list[tuple[int, str]] = []
        receive = Follower.receive

        def recording(self: Follower, delivery: object) -> str:
            result = receive(self, delivery)  # type: ignore[arg-type]
            received.append((delivery.upto, result))  # type: ignore[attr-defined]
            return result

        monkeypatch.setattr(Follower, "receive", recording)
        # (a new HTTP port: kill() in this process leaves the old socket open)
        restarted = amqp_settings.model_copy(
            update={"indicators_http": f"127.0.0.1:{free_port()}"}
        )
        scenario = Scenario(restarted)
        indicators = Platform(restarted, ["indicators"]).start()
        scenario.sync()
        eventlet.sleep(0.5)
        # then RabbitMQ redelivered the unacked message, and it counted once
        # ("deferred" when the start-up catch-up held the lock at that moment)
        redelivered = [result for position, result in received if position == upto]
        assert redelivered
        assert set(redelivered) <= {"duplicate", "deferred"}
        assert scenario.sessions()["total_sessions"] == 1
        assert scenario.sessions()["total_participants"] == 6
    finally:
        indicators.stop()
        leaders.stop()


def test_a_dropped_message_is_filled_from_the_leaders_log(
    amqp_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.activities import service as activities_service
    from shared.bus.providers import publisher

    dropped: list[int] = []
    published = {"count": 0}

    def lossy(dispatch: object) -> object:
        publish = publisher(dispatch)  # type: ignore[arg-type]

        def maybe(delivery: object) -> None:
            published["count"] += 1
            if published["count"] == 2:  # the second delivery is lost on the way
                dropped.append(delivery.upto)  # type: ignore[attr-defined]
                return
            publish(delivery)  # type: ignore[arg-type]

        return maybe

    pulls: list[int] = []
    page = remote.HttpLeaderLog.page

    def recording_page(
        self: remote.HttpLeaderLog, after: int, limit: int = 500
    ) -> object:
        pulls.append(after)
        return page(self, after, limit)

    monkeypatch.setattr(activities_service, "publisher", lossy)
    monkeypatch.setattr(remote.HttpLeaderLog, "page", recording_page)
    scenario = Scenario(amqp_settings)
    with Platform(amqp_settings):
        scenario.register_plan()
        for number in range(3):
            assert (
                scenario.post(session_event(number, participants=2)).status_code == 201
            )
            eventlet.sleep(0.3)  # one delivery each
        scenario.sync()
        assert len(dropped) == 1
        assert scenario.sessions()["total_sessions"] == 3
    # the gap was filled by pulling the leader's log after the last applied position
    assert any(after < dropped[0] for after in pulls)


def test_a_follower_started_after_downtime_catches_up_by_pulling(
    amqp_settings: Settings,
) -> None:
    scenario = Scenario(amqp_settings)
    with Platform(amqp_settings, ["agreements", "activities"]):
        # given events stored while indicators (and its queues) did not exist
        scenario.register_plan(sync=False)
        scenario.wait_for_activities_to_know_the_plan()
        answer = scenario.post_batch([session_event(n) for n in range(25)])
        assert answer["accepted"] == 25
        # when indicators starts
        with Platform(amqp_settings, ["indicators"]):
            scenario.sync()
            # then it pulled both logs before consuming
            assert scenario.sessions()["total_sessions"] == 25


def test_every_service_serves_a_valid_openapi_document_equal_to_the_one_in_docs(
    embedded: Scenario,
) -> None:
    import json
    from pathlib import Path

    import requests
    from openapi_spec_validator import validate

    for service in ("agreements", "activities", "indicators"):
        served = requests.get(embedded.url(service, "/openapi.json"), timeout=30).json()
        validate(served)
        written = Path(__file__).parents[2] / "docs" / "openapi" / f"{service}.json"
        assert json.loads(written.read_text()) == served, "run `helhed openapi`"


def test_two_indicator_workers_on_one_read_model_never_count_twice(
    amqp_settings: Settings,
) -> None:
    from tests.support import free_port

    second = amqp_settings.model_copy(
        update={"indicators_http": f"127.0.0.1:{free_port()}"}
    )
    scenario = Scenario(amqp_settings)
    # two indicators services compete for the same queues and share one read model
    with Platform(amqp_settings), Platform(second, ["indicators"]):
        scenario.register_plan()
        for start in range(0, 400, 50):
            answer = scenario.post_batch(
                [session_event(n, participants=2) for n in range(start, start + 50)]
            )
            assert answer["accepted"] == 50
        for number in range(400, 420):  # and some one by one, many small deliveries
            assert (
                scenario.post(session_event(number, participants=2)).status_code == 201
            )
        scenario.sync()
        Scenario(second).sync()
        result = scenario.sessions()
    assert (result["total_sessions"], result["total_participants"]) == (420, 840)
