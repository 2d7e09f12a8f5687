"""Who may do what: every kind of token against the endpoints that matter, on
RabbitMQ and PostgreSQL, as one table a reviewer can read; a refused write
stores nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from shared.runner import Platform, wait_until_synced
from shared.settings import Settings
from tests.support import (
    ADMIN_TOKEN,
    fresh_schemas,
    fresh_vhost,
    production_settings_for,
)

pytestmark = pytest.mark.timeout(300)

PLAN, OTHER = "plan-matrix-a", "plan-matrix-b"
SOURCE = "/tools/matrix"
WHO = ("admin", "reader", "editor", "board", "lbf", "tool", "other_plan_editor",
       "revoked", "none")  # fmt: skip

# endpoint: (service, method, path, expected status per principal, in WHO's order)
# 2xx: allowed; 401: no valid token; 403: a valid token without the role. An event
# is posted under a CloudEvents source: only tokens given source prefixes may post
# (the tool here); the editor's token has none.
MATRIX: dict[str, tuple[str, str, str, tuple[int, ...]]] = {
    "read a plan":            ("agreements", "GET", f"/plans/{PLAN}",
                               (200, 200, 200, 200, 200, 403, 403, 401, 401)),
    "read its summary":       ("agreements", "GET", f"/plans/{PLAN}/summary",
                               (200, 200, 200, 200, 200, 403, 403, 401, 401)),
    "read changes":           ("agreements", "GET", f"/plans/{PLAN}/changes",
                               (200, 200, 200, 200, 200, 403, 403, 401, 401)),
    "plan an activity":       ("agreements", "POST", f"/plans/{PLAN}/activities",
                               (201, 403, 201, 403, 403, 403, 403, 401, 401)),
    "record a follow-up":     ("agreements", "POST", f"/plans/{PLAN}/follow-ups",
                               (204, 403, 204, 204, 403, 403, 403, 401, 401)),
    "issue a token":          ("agreements", "POST", "/tokens",
                               (201, 403, 403, 403, 403, 403, 403, 401, 401)),
    "register a plan":        ("agreements", "POST", "/plans",
                               (201, 403, 403, 403, 403, 403, 403, 401, 401)),
    "post an activity event": ("activities", "POST", "/events",
                               (201, 403, 403, 403, 403, 201, 403, 401, 401)),
    "read indicators (open)": ("indicators", "GET", f"/plans/{PLAN}/indicators",
                               (200, 200, 200, 200, 200, 200, 200, 200, 200)),
}  # fmt: skip


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Settings, dict[str, str | None]]]:
    with fresh_vhost() as uri, fresh_schemas() as databases:
        settings = production_settings_for(
            Path(tmp_path_factory.mktemp("matrix")), uri, databases
        )
        with Platform(settings):
            base = settings.base_url("agreements")
            admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
            for plan_id in (PLAN, OTHER):
                answer = requests.post(
                    f"{base}/plans",
                    headers=admin,
                    timeout=30,
                    json={
                        "plan_id": plan_id,
                        "name": plan_id,
                        "kommune": "K",
                        "period_start": "2025-01-01",
                        "period_end": "2028-12-31",
                    },
                )
                assert answer.status_code == 201, answer.text
                requests.post(
                    f"{base}/plans/{plan_id}/activities",
                    headers=admin,
                    timeout=30,
                    json={"activity_id": "lektiecafe", "name": "Lektiecafé"},
                )

            def token(plan_id: str, role: str, prefix: str | None = None) -> str:
                body: dict[str, Any] = {
                    "label": f"matrix-{role}",
                    "grants": [{"plan_id": plan_id, "role": role}],
                }
                if prefix:
                    body["source_prefixes"] = [prefix]
                answer = requests.post(
                    f"{base}/tokens", headers=admin, json=body, timeout=30
                )
                assert answer.status_code == 201, answer.text
                return str(answer.json()["token"])

            tokens: dict[str, str | None] = {
                "admin": ADMIN_TOKEN,
                "reader": token(PLAN, "reader"),
                "editor": token(PLAN, "editor"),
                "board": token(PLAN, "board_approver"),
                "lbf": token(PLAN, "lbf_approver"),
                "tool": token(PLAN, "tool", SOURCE),
                "other_plan_editor": token(OTHER, "editor"),
                "none": None,
            }
            revoked = requests.post(
                f"{base}/tokens",
                headers=admin,
                timeout=30,
                json={
                    "label": "matrix-revoked",
                    "grants": [{"plan_id": PLAN, "role": "editor"}],
                },
            ).json()
            gone = requests.delete(
                f"{base}/tokens/{revoked['token_id']}", headers=admin, timeout=30
            )
            assert gone.status_code in (200, 204), gone.text
            tokens["revoked"] = revoked["token"]
            wait_until_synced(settings)  # activities has learned the tokens and plans
            yield settings, tokens


def _body(endpoint: str, who: str) -> Any:
    unique = f"{who.replace('_', '-')}-{uuid.uuid4().hex[:6]}"
    return {
        "plan an activity": {"activity_id": f"act-{unique}", "name": "Ny aktivitet"},
        "record a follow-up": {"held_on": "2026-02-20", "body": "bestyrelsen",
                               "goals_reviewed": ["OG1"]},
        "issue a token": {"label": f"by-{unique}", "grants": [{"plan_id": PLAN, "role": "reader"}]},
        "register a plan": {"plan_id": f"plan-{unique}", "name": "Ny", "kommune": "K",
                            "period_start": "2025-01-01", "period_end": "2028-12-31"},
        "post an activity event": {
            "specversion": "1.0", "id": f"matrix-{unique}", "source": f"{SOURCE}/{who}",
            "type": "dk.helhedsplan.activity.session-held", "time": "2026-01-12T16:00:00+01:00",
            "data": {"plan_id": PLAN, "activity_id": "lektiecafe", "participants": 8},
        },
    }.get(endpoint)  # fmt: skip


def _head(settings: Settings, service: str) -> int:
    if service == "indicators":
        return 0
    body = requests.get(f"{settings.base_url(service)}/health", timeout=30).json()  # type: ignore[arg-type]
    return int(body["head"])


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_each_role_sees_and_does_only_what_it_may(
    world: tuple[Settings, dict[str, str | None]], endpoint: str
) -> None:
    settings, tokens = world
    service, method, path, expected = MATRIX[endpoint]
    got = {}
    for who, _want in zip(WHO, expected, strict=True):
        token = tokens[who]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = _body(endpoint, who)
        if service == "activities":
            headers["content-type"] = "application/cloudevents+json"
        before = _head(settings, service)
        answer = requests.request(method, f"{settings.base_url(service)}{path}",  # type: ignore[arg-type]
                                  json=body, headers=headers, timeout=30)  # fmt: skip
        got[who] = answer.status_code
        if answer.status_code >= 400 and method != "GET":
            assert _head(settings, service) == before, f"{who}: refused but stored"
    assert got == dict(zip(WHO, expected, strict=True)), got
