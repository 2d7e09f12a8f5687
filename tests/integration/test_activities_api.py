"""The activities service on the real RabbitMQ and PostgreSQL: tokens scoped to plans
and sources, the personal-data guard, corrections and retractions, a real CloudEvents
client over HTTP, and binary-mode CloudEvents over the AMQP ingest exchange."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import kombu
import pytest
import requests
from cloudevents.core.bindings import http as ce_http
from cloudevents.core.bindings import rabbitmq as ce_rabbitmq
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from services.activities.amqp_ingest import REJECTED_QUEUE
from shared.runner import Platform
from shared.settings import Settings
from tests.integration.scenario import BATCH, PLAN, Scenario, session_event
from tests.support import fresh_schemas, fresh_vhost, production_settings_for

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    with fresh_vhost() as amqp_uri, fresh_schemas() as databases:
        settings = production_settings_for(
            Path(tmp_path_factory.mktemp("activities")), amqp_uri, databases
        )
        with Platform(settings):
            scenario = Scenario(settings)
            scenario.register_plan()
            other = scenario.admin_post(
                "agreements",
                "/plans",
                {"plan_id": "plan-other", "name": "Anden plan", "kommune": "K",
                 "period_start": "2025-01-01", "period_end": "2028-12-31"},
            )  # fmt: skip
            assert other.status_code == 201
            yield scenario


def _tool_token(scenario: Scenario, plan: str, prefix: str) -> str:
    answer = scenario.admin_post(
        "agreements",
        "/tokens",
        {"label": "lektiecafe-tool", "grants": [{"plan_id": plan, "role": "tool"}],
         "source_prefixes": [prefix]},
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    token: str = answer.json()["token"]
    scenario.sync()  # activities learns the token from agreements' events
    return token


def _post(
    scenario: Scenario, token: str | None, body: Any, batch: bool = False
) -> requests.Response:
    headers = {"content-type": BATCH if batch else "application/cloudevents+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(
        scenario.url("activities", "/events"), json=body, headers=headers, timeout=30
    )


def _event(
    number: int, source: str = "/tools/lektiecafe", **data: Any
) -> dict[str, Any]:
    return {
        **session_event(number, **data),
        "id": f"ev-{uuid.uuid4().hex}",
        "source": source,
    }


def test_a_tool_posts_only_for_its_plan_and_under_its_source_prefix(
    platform: Scenario,
) -> None:
    token = _tool_token(platform, PLAN, "/tools/lektiecafe")
    assert _post(platform, token, _event(1)).status_code == 201
    # another plan
    other = _event(1, plan_id="plan-other")
    answer = _post(platform, token, other)
    assert answer.status_code == 403
    assert "plan-other" in answer.json()["error"]
    # another source
    answer = _post(platform, token, _event(1, source="/tools/someone-else"))
    assert answer.status_code == 403
    assert "source" in answer.json()["error"]
    # a batch with one foreign event is refused whole
    answer = _post(platform, token, [_event(2), other], batch=True)
    assert answer.status_code == 403
    # no token, an unknown token
    assert _post(platform, None, _event(3)).status_code == 401
    assert _post(platform, "hh_unknown", _event(3)).status_code == 401


def test_a_revoked_tool_token_is_refused(platform: Scenario) -> None:
    token = _tool_token(platform, PLAN, "/tools/revoked")
    token_id = requests.get(  # find it by trying: the id is the digest's start
        platform.url("agreements", "/health"), timeout=30
    )
    assert token_id.status_code == 200
    import hashlib

    digest = hashlib.sha256(token.encode()).hexdigest()
    revoked = requests.delete(
        platform.url("agreements", f"/tokens/t{digest[:15]}"),
        headers=platform.admin,
        timeout=30,
    )
    assert revoked.status_code == 204
    platform.sync()
    assert _post(platform, token, _event(1, source="/tools/revoked")).status_code == 401


@pytest.mark.parametrize(
    ("where", "value", "kind"),
    [
        ("note", "Anna 010190-1234 kom", "CPR"),
        ("note", "cpr 0101901234", "CPR"),
        ("note", "skriv til anna@example.dk", "e-mail"),
        ("note", "ring +45 12 34 56 78", "phone"),
        ("participant_refs", ["p-1", "2412851234"], "CPR"),
        ("participant_refs", ["anna@example.dk"], "e-mail"),
    ],
)
def test_the_personal_data_guard_refuses_and_names_the_field(
    platform: Scenario, where: str, value: Any, kind: str
) -> None:
    head = platform.activities_head()
    event = _event(4, participants=5, **{where: value})
    answer = platform.post(event)
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["problems"]
    assert problem["field"].startswith(f"data.{where}")
    assert kind.lower() in problem["message"].lower()
    assert platform.activities_head() == head
    # and nothing of it was stored or published
    log = requests.get(
        platform.url("activities", "/notifications?after=0&limit=5000"), timeout=30
    )
    secret = value if isinstance(value, str) else value[-1]
    assert secret not in log.text


def test_a_nested_cpr_number_in_a_correction_is_refused(platform: Scenario) -> None:
    original = _event(5)
    assert platform.post(original).status_code == 201
    correction = {
        **_event(5),
        "type": "dk.helhedsplan.activity.corrected",
        "data": {
            "plan_id": PLAN,
            "supersedes": {"source": original["source"], "id": original["id"]},
            "corrected_type": original["type"],
            "corrected_data": {**original["data"], "note": "170385-1234"},
            "reason": "rettelse",
        },
    }
    answer = platform.post(correction)
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "data.corrected_data.note"


def test_corrections_and_retractions_stay_in_the_log_beside_the_original(
    platform: Scenario,
) -> None:
    original = _event(6, participants=4)
    assert platform.post(original).status_code == 201
    ref = {"source": original["source"], "id": original["id"]}
    corrected = {
        **_event(6),
        "type": "dk.helhedsplan.activity.corrected",
        "data": {"plan_id": PLAN, "supersedes": ref, "corrected_type": original["type"],
                 "corrected_data": {**original["data"], "participants": 9}, "reason": "tastefejl"},
    }  # fmt: skip
    retracted = {
        **_event(6),
        "type": "dk.helhedsplan.activity.retracted",
        "data": {"plan_id": PLAN, "retracts": ref, "reason": "dobbeltregistreret"},
    }
    unknown = {
        **retracted,
        "id": "x-1",
        "data": {**retracted["data"], "retracts": {"source": "/x", "id": "nope"}},
    }
    assert platform.post(corrected).status_code == 201
    assert platform.post(retracted).status_code == 201
    refused = platform.post(unknown)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "data.retracts"
    log = requests.get(
        platform.url("activities", "/notifications?after=0&limit=5000"), timeout=30
    ).json()
    ids = [e["id"] for e in log["events"]]
    assert {original["id"], corrected["id"], retracted["id"]} <= set(ids)


def test_completions_never_exceed_enrolments_for_a_reference(
    platform: Scenario,
) -> None:
    ref = f"p-{uuid.uuid4().hex[:6]}"

    def course(kind: str) -> dict[str, Any]:
        return {**_event(7), "type": f"dk.helhedsplan.activity.participant-{kind}",
                "data": {"plan_id": PLAN, "activity_id": "lektiecafe", "participant_ref": ref}}  # fmt: skip

    assert platform.post(course("completed")).status_code == 422
    assert platform.post(course("enrolled")).status_code == 201
    assert platform.post(course("completed")).status_code == 201
    refused = platform.post(course("completed"))
    assert refused.status_code == 422
    assert "cannot exceed enrolments" in refused.json()["problems"][0]["message"]


def test_a_real_cloudevents_client_posts_one_event_and_a_batch(
    platform: Scenario,
) -> None:
    def cloud_event(number: int) -> CloudEvent:
        body = session_event(number)
        return CloudEvent(
            attributes={"id": f"sdk-{uuid.uuid4().hex}", "source": "/tools/sdk", "specversion": "1.0",
                        "type": body["type"], "time": datetime(2025, 10, 1, 16, tzinfo=UTC)},
            data=body["data"],
        )  # fmt: skip

    single = ce_http.to_structured(cloud_event(1), JSONFormat())
    answer = requests.post(
        platform.url("activities", "/events"),
        data=single.body,
        headers={**single.headers, **platform.admin},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    batch = [
        json.loads(ce_http.to_structured(cloud_event(n), JSONFormat()).body)
        for n in range(3)
    ]
    answer = requests.post(
        platform.url("activities", "/events"),
        data=json.dumps(batch),
        headers={"content-type": BATCH, **platform.admin},
        timeout=30,
    )
    assert answer.status_code == 200
    assert answer.json()["accepted"] == 3


def _publish_binary(
    settings: Settings, event: CloudEvent, token: str | None
) -> dict[str, Any]:
    message = ce_rabbitmq.to_binary(event, JSONFormat())
    headers = dict(message.headers)
    if token:
        headers["authorization"] = f"Bearer {token}"
    with kombu.Connection(settings.amqp_uri) as conn:
        replies = kombu.Queue(
            f"reply-{uuid.uuid4().hex}", exclusive=True, auto_delete=True
        )
        replies.maybe_bind(conn)
        replies.declare()
        with conn.Producer() as producer:
            producer.publish(
                message.body,
                exchange="helhed.ingest",
                routing_key="session",
                headers=headers,
                content_type="application/json",
                content_encoding="utf-8",
                reply_to=replies.name,
                declare=[kombu.Exchange("helhed.ingest", type="topic", durable=True)],
            )
        got: list[dict[str, Any]] = []
        with conn.Consumer(
            replies, callbacks=[lambda body, msg: (got.append(body), msg.ack())]
        ):
            conn.drain_events(timeout=15)
    return got[0]


def test_binary_mode_cloudevents_over_the_amqp_ingest_exchange_are_ingested(
    platform: Scenario,
) -> None:
    body = session_event(8, participants=11)
    event = CloudEvent(
        attributes={"id": f"amqp-{uuid.uuid4().hex}", "source": "/tools/amqp", "specversion": "1.0",
                    "type": body["type"], "time": datetime(2025, 11, 3, 16, tzinfo=UTC)},
        data=body["data"],
    )  # fmt: skip
    platform.sync()
    before = platform.sessions()["total_participants"]
    reply = _publish_binary(platform.settings, event, platform.settings.admin_token)
    assert reply["result"]["status"] == "accepted", reply
    again = _publish_binary(platform.settings, event, platform.settings.admin_token)
    assert again["result"]["status"] == "duplicate"
    refused = _publish_binary(platform.settings, event, None)
    assert refused["result"]["status"] == "rejected"
    platform.sync()
    assert platform.sessions()["total_participants"] == before + 11
    # the refusal is kept on the rejected queue, not lost
    with kombu.Connection(platform.settings.amqp_uri) as conn:
        parked = conn.SimpleQueue(REJECTED_QUEUE)
        message = parked.get(timeout=10)
        assert message.payload["result"]["status"] == "rejected"
        message.ack()
        parked.close()


def test_a_missing_required_field_is_named(platform: Scenario) -> None:
    event = _event(9)
    del event["data"]["participants"]
    del event["time"]
    answer = platform.post(event)
    assert answer.status_code == 422
    fields = {p["field"] for p in answer.json()["problems"]}
    assert "time" in fields


def test_events_of_a_period_the_board_followed_up_on_are_accepted_and_flagged_late(
    platform: Scenario,
) -> None:
    follow_up = platform.admin_post(
        "agreements",
        f"/plans/{PLAN}/follow-ups",
        {"held_on": "2026-02-15", "body": "bestyrelsen", "goals_reviewed": ["OG1"],
         "decisions": ["årsopfølgning 2025 godkendt"]},
    )  # fmt: skip
    assert follow_up.status_code == 204, follow_up.text
    platform.sync()
    late = _event(10)  # happened in autumn 2025, reported after the follow-up
    on_time = {**_event(10), "time": "2026-03-02T10:00:00+00:00"}
    assert platform.post(late).status_code == 201
    assert platform.post(on_time).status_code == 201
    log = requests.get(
        platform.url("activities", "/notifications?after=0&limit=5000"), timeout=30
    ).json()
    flags = {e["id"]: e["late"] for e in log["events"]}
    assert flags[late["id"]] is True
    assert flags[on_time["id"]] is False


def test_a_danish_csv_and_an_excel_sheet_with_bad_rows_are_ingested_over_http(
    platform: Scenario, tmp_path: Path
) -> None:
    from openpyxl import Workbook
    from typer.testing import CliRunner

    from services.cli.commands import app as cli

    csv_file = tmp_path / "lektiecafe.csv"
    csv_file.write_bytes(
        "\ufeffAktivitet;Dato;Deltagere;Nye deltagere;Varighed\n"
        "lektiecafe;1.10.2025;12;2;1,5 t\n"
        "lektiecafe;2025-10-08;-4;0;90\n"
        "lektiecafe;15.10.2025;9;1;90\n".encode()
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["aktivitet", "dato", "deltagere", "note"])
    sheet.append(["jobcafe", datetime(2025, 10, 2), 6, "ok"])
    sheet.append(["jobcafe", "32.10.2025", 5, None])
    sheet.append(["jobcafe", "3.10.2025", 7, "ring 22 33 44 55"])
    excel_file = tmp_path / "jobcafe.xlsx"
    book.save(excel_file)
    token = _tool_token(platform, PLAN, "/helhed/import/")
    platform.sync()
    before = platform.sessions()["total_sessions"]
    runner = CliRunner()
    url = platform.settings.base_url("activities")
    for path, good in ((csv_file, 2), (excel_file, 1)):
        answer = runner.invoke(
            cli, ["ingest", str(path), "--plan", PLAN, "--url", url, "--token", token]
        )
        assert answer.exit_code == 1, answer.output  # some rows refused
        assert f"{good} gemt" in answer.output
    csv_report = runner.invoke(
        cli, ["ingest", str(csv_file), "--plan", PLAN, "--url", url, "--token", token]
    )
    assert "2 kendt i forvejen" in csv_report.output
    assert re.search(
        r"\b3\s*│\s*Deltagere\s*│.*greater than or equal to 0", csv_report.output
    )
    excel_report = runner.invoke(
        cli, ["ingest", str(excel_file), "--plan", PLAN, "--url", url, "--token", token]
    )
    assert re.search(
        r"\b3\s*│\s*dato\s*│\s*ugyldig dato '32.10.2025'", excel_report.output
    )
    assert "phone number" in excel_report.output
    platform.sync()
    assert platform.sessions()["total_sessions"] == before + 3


def test_an_all_or_nothing_batch_with_one_bad_event_stores_nothing(
    platform: Scenario,
) -> None:
    head = platform.activities_head()
    batch = [_event(11), _event(12, participants=-1), _event(13)]
    answer = requests.post(
        platform.url("activities", "/events?atomic=true"),
        json=batch,
        headers={"content-type": BATCH, **platform.admin},
        timeout=30,
    )
    assert answer.status_code == 422
    body = answer.json()
    assert (body["accepted"], body["rejected"]) == (0, 3)
    assert body["results"][1]["problems"][0]["field"] == "data.participants"
    assert (
        "another event in the batch was refused"
        in body["results"][0]["problems"][0]["message"]
    )
    assert platform.activities_head() == head
