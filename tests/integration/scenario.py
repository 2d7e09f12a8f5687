"""A thin-slice scenario driven over the services' HTTP APIs."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

from shared.runner import wait_until_synced
from shared.settings import Settings

PLAN = "plan-test-nordvest"
FORUM = "forum-test-kbh"
ACTIVITIES = ("lektiecafe", "jobcafe")
SESSION_HELD = "dk.helhedsplan.activity.session-held"
BATCH = "application/cloudevents-batch+json"


def session_event(
    number: int, participants: int = 5, activity: str = "lektiecafe", **data: Any
) -> dict[str, Any]:
    month = 9 + number % 4  # September to December 2025
    return {
        "specversion": "1.0",
        "id": f"session-{number}",
        "source": "/tools/test",
        "type": SESSION_HELD,
        "time": datetime(2025, month, 1 + number % 28, 16, tzinfo=UTC).isoformat(),
        "data": {
            "plan_id": PLAN,
            "activity_id": activity,
            "participants": participants,
            "new_participants": 1,
            **data,
        },
    }


@dataclass
class Scenario:
    settings: Settings

    def url(self, service: str, path: str) -> str:
        return f"{self.settings.base_url(service)}{path}"  # type: ignore[arg-type]

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.admin_token}"}

    def admin_post(self, service: str, path: str, body: Any) -> requests.Response:
        return requests.post(
            self.url(service, path), json=body, headers=self.admin, timeout=30
        )

    def register_plan(self, sync: bool = True) -> None:
        responses = [
            requests.post(
                self.url("agreements", "/fora"),
                headers=self.admin,
                json={
                    "forum_id": FORUM,
                    "name": "Samarbejdsforum",
                    "kommune": "København",
                },
                timeout=30,
            ),
            requests.post(
                self.url("agreements", "/plans"),
                headers=self.admin,
                json={
                    "plan_id": PLAN,
                    "name": "Testplan Nordvest",
                    "kommune": "København",
                    "period_start": "2025-09-01",
                    "period_end": "2029-08-31",
                    "forum_id": FORUM,
                },
                timeout=30,
            ),
        ]
        responses += [
            requests.post(
                self.url("agreements", f"/plans/{PLAN}/activities"),
                headers=self.admin,
                json={"activity_id": activity, "name": activity.title()},
                timeout=30,
            )
            for activity in ACTIVITIES
        ]
        assert [r.status_code for r in responses] == [201] * len(responses)
        if sync:
            self.sync()

    def wait_for_activities_to_know_the_plan(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = requests.get(self.url("activities", "/health"), timeout=30).json()
            head = requests.get(self.url("agreements", "/health"), timeout=30).json()
            if health["following"]["agreements"] >= head["head"]:
                return
            time.sleep(0.05)
        raise TimeoutError("activities did not learn the plan")

    def post(self, event: dict[str, Any]) -> requests.Response:
        return requests.post(
            self.url("activities", "/events"),
            json=event,
            headers=self.admin,
            timeout=30,
        )

    def post_raw(self, body: bytes) -> requests.Response:
        return requests.post(
            self.url("activities", "/events"),
            data=body,
            headers={"content-type": "application/cloudevents+json", **self.admin},
            timeout=30,
        )

    def post_batch(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        response = requests.post(
            self.url("activities", "/events"),
            json=events,
            headers={"content-type": BATCH, **self.admin},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def sync(self) -> dict[str, int]:
        return wait_until_synced(self.settings, timeout=60)

    def sessions(self) -> dict[str, Any]:
        response = requests.get(
            self.url("indicators", f"/plans/{PLAN}/sessions"), timeout=30
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def activities_head(self) -> int:
        response = requests.get(self.url("activities", "/health"), timeout=30)
        return int(response.json()["head"])
