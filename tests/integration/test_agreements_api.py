"""The agreements service over HTTP, on the real RabbitMQ and PostgreSQL:
revisions and approvals, versioned definitions, access by token and role, OpenAPI."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from openapi_spec_validator import validate

from services.agreements.application import Agreements
from services.indicators.formulas import Fact, evaluate
from shared.contracts.definitions import Derived
from shared.runner import Platform
from shared.settings import Settings
from tests.support import (
    ADMIN_TOKEN,
    fresh_schemas,
    fresh_vhost,
    production_settings_for,
)

pytestmark = pytest.mark.integration

SESSION = "dk.helhedsplan.activity.session-held"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with fresh_vhost() as amqp_uri, fresh_schemas() as databases:
        settings = production_settings_for(
            Path(tmp_path_factory.mktemp("agreements")), amqp_uri, databases
        )
        with Platform(settings, ["agreements"]):
            yield settings


class Client:
    def __init__(self, settings: Settings, token: str | None) -> None:
        self.base = settings.base_url("agreements")
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return requests.request(
            method, f"{self.base}{path}", json=body, headers=headers, timeout=30
        )


@pytest.fixture
def admin(settings: Settings) -> Client:
    return Client(settings, ADMIN_TOKEN)


@pytest.fixture
def plan(admin: Client) -> str:
    plan_id = f"plan-{uuid.uuid4().hex[:8]}"
    answer = admin.call(
        "POST",
        "/plans",
        {
            "plan_id": plan_id,
            "name": "Testplan",
            "kommune": "Københavns Kommune",
            "period_start": "2025-09-01",
            "period_end": "2029-08-31",
        },
    )
    assert answer.status_code == 201, answer.text
    return plan_id


def _token(admin: Client, settings: Settings, plan_id: str, *roles: str) -> Client:
    answer = admin.call(
        "POST",
        "/tokens",
        {
            "label": "test-" + "-".join(roles),
            "grants": [{"plan_id": plan_id, "role": r} for r in roles],
        },
    )
    assert answer.status_code == 201, answer.text
    return Client(settings, answer.json()["token"])


@pytest.fixture
def people(admin: Client, settings: Settings, plan: str) -> dict[str, Client]:
    return {
        role: _token(admin, settings, plan, role)
        for role in ("reader", "editor", "board_approver", "lbf_approver")
    }


def _import(
    plan_id: str, settings: Settings, kind: str, key: str, content: dict[str, Any]
) -> None:
    """Import a document directly into the service's store (as the CLI does)."""
    app = Agreements(settings.database_url("agreements"))
    try:
        from services.agreements.domain.documents import DocumentKind

        app.import_document(plan_id, DocumentKind(kind), key, content, "test")
    finally:
        app.close()


DELAFTALE = "/plans/{plan}/documents/delaftale/UL"
STRATEGIC = "/plans/{plan}/documents/strategic/strategisk"


def test_a_delaftale_change_is_drafted_submitted_and_approved_by_the_board(
    plan: str, people: dict[str, Client], settings: Settings
) -> None:
    _import(
        plan,
        settings,
        "delaftale",
        "UL",
        {"delmaal": [{"id": "UL-1", "target": "falder"}]},
    )
    editor, board = people["editor"], people["board_approver"]
    path = DELAFTALE.format(plan=plan)
    # given a drafted and submitted change
    drafted = editor.call(
        "POST", f"{path}/revisions",
        {"content": {"delmaal": [{"id": "UL-1", "target": "falder med 10 %"}]}, "reason": "skarpere mål"},
    )  # fmt: skip
    assert drafted.status_code == 201, drafted.text
    version = drafted.json()["version"]
    changes = editor.call("GET", f"/plans/{plan}/changes").json()["documents"][0]
    assert changes["changes"] == [
        {
            "path": "delmaal[UL-1].target",
            "kind": "changed",
            "before": "falder",
            "after": "falder med 10 %",
        }
    ]
    assert editor.call("POST", f"{path}/revisions/{version}/submit").status_code == 204
    # when the board approves it
    approved = board.call("POST", f"{path}/revisions/{version}/approve", {})
    # then it is in force, pinned to a log position, and nothing differs any more
    assert approved.json()["in_force"] is True
    document = editor.call("GET", path).json()
    assert document["in_force"] == version
    assert document["versions"][-1]["approved_at"] >= 1
    after = editor.call("GET", f"/plans/{plan}/changes").json()["documents"][0]
    assert after["changes"] == []


def test_each_refusal_of_the_approval_rules_is_a_clear_error_that_stores_nothing(
    plan: str, people: dict[str, Client], settings: Settings
) -> None:
    _import(plan, settings, "delaftale", "UL", {"x": 1})
    _import(plan, settings, "strategic", "strategisk", {"vision": "v"})
    editor, board, lbf = (
        people["editor"],
        people["board_approver"],
        people["lbf_approver"],
    )
    path = DELAFTALE.format(plan=plan)
    version = editor.call(
        "POST",
        f"{path}/revisions",
        {"content": {"x": 2}, "reason": "r", "significant": True},
    ).json()["version"]

    def head() -> int:
        return int(requests.get(f"{editor.base}/health", timeout=10).json()["head"])

    before = head()
    # approving what was not submitted
    refused = board.call("POST", f"{path}/revisions/{version}/approve", {})
    assert refused.status_code == 409
    assert "only a submitted version can be approved" in refused.json()["error"]
    # a second draft while one is open
    refused = editor.call(
        "POST", f"{path}/revisions", {"content": {"x": 3}, "reason": "r"}
    )
    assert refused.status_code == 409
    assert "still draft" in refused.json()["error"]
    assert head() == before
    assert editor.call("POST", f"{path}/revisions/{version}/submit").status_code == 204
    # editing a submitted version in place
    refused = editor.call("PUT", f"{path}/revisions/{version}", {"content": {"x": 4}})
    assert refused.status_code == 409
    assert "cannot be edited in place" in refused.json()["error"]
    # an editor approving
    refused = editor.call("POST", f"{path}/revisions/{version}/approve", {})
    assert refused.status_code == 403
    # a significant change needs LBF too: the board's approval alone does not put it in force
    assert (
        board.call("POST", f"{path}/revisions/{version}/approve", {}).json()["in_force"]
        is False
    )
    refused = board.call("POST", f"{path}/revisions/{version}/approve", {})
    assert refused.status_code == 403
    assert "needs approval by lbf_approver" in refused.json()["error"]
    assert (
        lbf.call("POST", f"{path}/revisions/{version}/approve", {}).json()["in_force"]
        is True
    )
    # editing an approved version in place
    refused = editor.call("PUT", f"{path}/revisions/{version}", {"content": {"x": 5}})
    assert refused.status_code == 409
    # the strategic agreement needs LBF; the board may not approve it
    strategic = STRATEGIC.format(plan=plan)
    version = editor.call(
        "POST", f"{strategic}/revisions", {"content": {"vision": "w"}, "reason": "r"}
    ).json()["version"]
    editor.call("POST", f"{strategic}/revisions/{version}/submit")
    refused = board.call("POST", f"{strategic}/revisions/{version}/approve", {})
    assert refused.status_code == 403
    assert lbf.call("GET", strategic).json()["in_force"] == 1
    assert (
        lbf.call("POST", f"{strategic}/revisions/{version}/approve", {}).json()[
            "in_force"
        ]
        is True
    )


def test_a_value_is_computed_under_the_definition_in_force_at_its_date(
    plan: str, people: dict[str, Client], settings: Settings
) -> None:
    count = {"kind": "derived", "measure": {"op": "count", "event_type": SESSION}}
    total = {
        "kind": "derived",
        "measure": {"op": "sum", "event_type": SESSION, "field": "participants"},
    }
    app = Agreements(settings.database_url("agreements"))
    try:
        app.define_indicator(plan, "UL-I1", date(2025, 9, 1), count)
    finally:
        app.close()
    editor = people["editor"]
    base = f"/plans/{plan}/indicators/UL-I1"
    assert (
        editor.call(
            "POST",
            f"{base}/definitions",
            {
                "effective_from": "2026-01-01",
                "definition": total,
                "reason": "deltagere tæller",
            },
        ).status_code
        == 204
    )
    refused = editor.call(
        "POST",
        f"{base}/definitions",
        {"effective_from": "2025-12-01", "definition": total, "reason": "r"},
    )
    assert refused.status_code == 422
    facts = [
        Fact("/t", f"e{n}", SESSION, day, {"participants": 6})
        for n, day in enumerate(
            [_at(2025, 11, 5), _at(2025, 12, 3), _at(2026, 1, 7), _at(2026, 2, 4)]
        )
    ]
    values = {}
    for start, end in (
        (date(2025, 10, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 3, 31)),
    ):
        in_force = editor.call("GET", f"{base}/definition?on={end.isoformat()}").json()[
            "definition"
        ]
        values[start.year] = evaluate(
            Derived.model_validate(in_force), facts, start, end
        ).value
    assert values == {2025: 2.0, 2026: 12.0}


def _at(year: int, month: int, day: int) -> Any:
    from datetime import UTC, datetime

    return datetime(year, month, day, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    ("who", "method", "path", "status"),
    [
        (None, "GET", "/plans/{plan}", 401),
        ("bogus", "GET", "/plans/{plan}", 401),
        ("reader", "GET", "/plans/{plan}", 200),
        ("reader", "POST", "/plans/{plan}/activities", 403),
        ("editor", "POST", "/plans/{plan}/activities", 201),
        ("editor", "POST", "/tokens", 403),
        ("editor", "POST", "/plans", 403),
        ("other-plan-editor", "POST", "/plans/{plan}/activities", 403),
        ("other-plan-editor", "GET", "/plans/{plan}", 403),
        ("board_approver", "POST", "/plans/{plan}/follow-ups", 204),
        ("reader", "POST", "/plans/{plan}/follow-ups", 403),
    ],
)
def test_a_call_without_a_valid_token_is_401_and_with_the_wrong_role_403(
    who: str | None,
    method: str,
    path: str,
    status: int,
    plan: str,
    people: dict[str, Client],
    admin: Client,
    settings: Settings,
) -> None:
    if who == "other-plan-editor":
        other = admin.call(
            "POST",
            "/plans",
            {
                "plan_id": f"other-{uuid.uuid4().hex[:6]}",
                "name": "A",
                "kommune": "K",
                "period_start": "2025-01-01",
                "period_end": "2026-01-01",
            },
        ).json()["id"]
        client = _token(admin, settings, other, "editor")
    elif who == "bogus":
        client = Client(settings, "hh_not-a-token")
    else:
        client = people[who] if who else Client(settings, None)
    bodies = {
        "/plans/{plan}/activities": {
            "activity_id": f"act-{uuid.uuid4().hex[:6]}",
            "name": "Lektiecafé",
        },
        "/plans/{plan}/follow-ups": {
            "held_on": "2026-03-01",
            "body": "bestyrelsen",
            "goals_reviewed": ["OG1"],
            "decisions": ["fortsæt"],
        },
        "/tokens": {"label": "x", "grants": []},
        "/plans": {
            "plan_id": "never-made",
            "name": "X",
            "kommune": "K",
            "period_start": "2025-01-01",
            "period_end": "2026-01-01",
        },
    }
    answer = client.call(
        method, path.format(plan=plan), bodies.get(path) if method == "POST" else None
    )
    assert answer.status_code == status, answer.text


def test_tokens_are_stored_as_digests_and_a_revoked_token_is_refused(
    admin: Client, settings: Settings, plan: str
) -> None:
    answer = admin.call(
        "POST",
        "/tokens",
        {"label": "to-revoke", "grants": [{"plan_id": plan, "role": "reader"}]},
    ).json()
    reader = Client(settings, answer["token"])
    assert reader.call("GET", f"/plans/{plan}").status_code == 200
    log = requests.get(
        f"{admin.base}/notifications?after=0&limit=5000", timeout=30
    ).text
    assert answer["token"] not in log  # only the digest travels
    assert admin.call("DELETE", f"/tokens/{answer['token_id']}").status_code == 204
    assert reader.call("GET", f"/plans/{plan}").status_code == 401


def test_the_openapi_document_the_service_serves_is_valid_and_lists_every_route(
    settings: Settings,
) -> None:
    from services.agreements.service import api

    served = requests.get(
        f"{settings.base_url('agreements')}/openapi.json", timeout=30
    ).json()
    validate(served)
    assert served == api.document()
    assert (
        "/plans/{plan_id}/documents/{kind}/{key}/revisions/{version}/approve"
        in served["paths"]
    )
    written = Path(__file__).parents[2] / "docs" / "openapi" / "agreements.json"
    assert json.loads(written.read_text()) == served, (
        "run `helhed openapi` to refresh docs/"
    )


def test_importing_a_bad_agreement_file_names_each_bad_field_and_stores_nothing(
    admin: Client,
) -> None:
    from services.agreements.data import NORDVEST_FILE

    raw = json.loads(NORDVEST_FILE.read_text(encoding="utf-8"))
    raw["plan"]["id"] = f"copy-{uuid.uuid4().hex[:6]}"
    raw["strategic_agreement"]["overall_goals"][0]["indicators"][1]["direction"] = "up"
    head = int(requests.get(f"{admin.base}/health", timeout=10).json()["head"])
    answer = admin.call("POST", "/agreements", raw)
    assert answer.status_code == 422
    fields = [p["field"] for p in answer.json()["problems"]]
    assert fields == ["strategic_agreement.overall_goals[0].indicators[1].direction"]
    assert int(requests.get(f"{admin.base}/health", timeout=10).json()["head"]) == head
    # the good file imports, in one go
    raw["strategic_agreement"]["overall_goals"][0]["indicators"][1]["direction"] = (
        "higher_is_better"
    )
    assert admin.call("POST", "/agreements", raw).status_code == 201
    summary = admin.call("GET", f"/plans/{raw['plan']['id']}/summary").json()
    assert summary["counts"]["delmaal"] == 21
