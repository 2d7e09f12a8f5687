"""How the dashboard reads the platform: the indicators service's query API only."""

from __future__ import annotations

from typing import Any, Protocol

import requests

from shared.settings import Settings


class DashboardClient(Protocol):
    """What the pages ask; every method takes the "as of" moment (ISO or None)."""

    def get(self, path: str, **params: Any) -> dict[str, Any]: ...

    def post(self, path: str) -> dict[str, Any]: ...


class ServiceError(RuntimeError):
    """The indicators service answered with an error (its message, in English)."""


class HttpDashboardClient:
    """Reads the indicators service's query API over HTTP."""

    def __init__(self, base_url: str | None = None, timeout: float = 60.0) -> None:
        self.base_url = (base_url or Settings().base_url("indicators")).rstrip("/")
        self.timeout = timeout

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        query = {k: str(v) for k, v in params.items() if v not in (None, "")}
        response = requests.get(
            f"{self.base_url}{path}", params=query, timeout=self.timeout
        )
        return _body(response)

    def post(self, path: str) -> dict[str, Any]:
        response = requests.post(f"{self.base_url}{path}", timeout=300)
        return _body(response)


def _body(response: requests.Response) -> dict[str, Any]:
    if response.status_code >= 400:
        try:
            message = response.json().get("error", response.text)
        except ValueError:
            message = response.text
        raise ServiceError(f"{response.status_code}: {message}")
    result: dict[str, Any] = response.json()
    return result
