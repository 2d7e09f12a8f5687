"""Loads an agreement and demo events into running services, over their HTTP APIs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests

from services.activities.ingest import BATCH_CONTENT_TYPE

if TYPE_CHECKING:
    from services.agreements.agreement_file import AgreementFile
    from shared.settings import Settings


class SeedError(RuntimeError):
    """A service refused what the demo posted."""


@dataclass(frozen=True)
class SeedResult:
    plan_id: str
    activities: int
    accepted: int
    duplicates: int


def _post(
    url: str, body: Any, token: str | None = None, **kwargs: Any
) -> requests.Response:
    headers = dict(kwargs.pop("headers", {}))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = requests.post(url, json=body, timeout=60, headers=headers, **kwargs)
    if response.status_code >= 400 and response.status_code != 409:
        raise SeedError(f"POST {url} answered {response.status_code}: {response.text}")
    return response


def seed_agreement(settings: Settings, agreement: AgreementFile) -> int:
    """Register the forum, the plan and its activities (again is harmless)."""
    base = settings.base_url("agreements")
    plan = agreement.plan
    forum_id = None
    if plan.forum is not None:
        forum_id = plan.forum.id
        _post(
            f"{base}/fora",
            {
                "forum_id": forum_id,
                "name": plan.forum.name,
                "kommune": plan.forum.kommune,
            },
        )
    _post(
        f"{base}/plans",
        {
            "plan_id": plan.id,
            "name": plan.name,
            "kommune": plan.kommune,
            "period_start": plan.period.start.isoformat(),
            "period_end": plan.period.end.isoformat(),
            "forum_id": forum_id,
        },
        token=settings.admin_token,
    )
    count = 0
    for delaftale in agreement.delaftaler:
        for activity in delaftale.activities:
            _post(
                f"{base}/plans/{plan.id}/activities",
                {
                    "activity_id": activity.id,
                    "name": activity.name,
                    "indsatsomraade": delaftale.indsatsomraade,
                    "cfbu_activity_type": activity.cfbu_activity_type,
                },
                token=settings.admin_token,
            )
            count += 1
    return count


def post_events(settings: Settings, events: list[dict[str, Any]]) -> tuple[int, int]:
    """Post events as batches; return (accepted, duplicates)."""
    url = f"{settings.base_url('activities')}/events"
    accepted = duplicates = 0
    for start in range(0, len(events), 1000):
        response = _post(
            url,
            events[start : start + 1000],
            headers={"content-type": BATCH_CONTENT_TYPE},
            token=settings.admin_token,
        )
        body = response.json()
        if body["rejected"] or body["conflicts"]:
            refused = [
                r for r in body["results"] if r["status"] in ("rejected", "conflict")
            ]
            raise SeedError(f"demo events refused: {refused[:3]}")
        accepted += body["accepted"]
        duplicates += body["duplicates"]
    return accepted, duplicates
