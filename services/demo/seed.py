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
    """Import the agreement over HTTP (again is harmless); its activity count."""
    _post(
        f"{settings.base_url('agreements')}/agreements",
        agreement.model_dump(mode="json"),
        token=settings.admin_token,
    )
    return len(agreement.activities())


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
