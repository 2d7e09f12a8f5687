"""How the dashboard reads the platform: the indicators service's HTTP API."""

from __future__ import annotations

from typing import Any, Protocol

import requests

from shared.settings import Settings


class DashboardClient(Protocol):
    def sessions(self, plan_id: str) -> dict[str, Any]: ...

    def indicators(self, plan_id: str) -> dict[str, Any]: ...


class HttpDashboardClient:
    """Reads the indicators service's query API."""

    def __init__(self, base_url: str | None = None, timeout: float = 10.0) -> None:
        self.base_url = (base_url or Settings().base_url("indicators")).rstrip("/")
        self.timeout = timeout

    def sessions(self, plan_id: str) -> dict[str, Any]:
        response = requests.get(
            f"{self.base_url}/plans/{plan_id}/sessions", timeout=self.timeout
        )
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def indicators(self, plan_id: str) -> dict[str, Any]:
        response = requests.get(
            f"{self.base_url}/plans/{plan_id}/indicators", timeout=self.timeout
        )
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result
