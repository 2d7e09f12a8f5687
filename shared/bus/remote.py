"""A leader's log over HTTP, and the endpoint that serves it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import requests

from shared.contracts.envelope import NotificationPage
from shared.http import BadRequestError, json_response

if TYPE_CHECKING:
    from werkzeug.wrappers import Request, Response

    from shared.bus.log import PublishedLog

MAX_PAGE = 5000


class HttpLeaderLog:
    """Reads ``GET {base_url}/notifications?after=N&limit=M`` of a leader."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()

    def page(self, after: int, limit: int = 500) -> NotificationPage:
        response = self._session.get(
            f"{self.base_url}/notifications",
            params={"after": after, "limit": limit},
            timeout=self.timeout,
        )
        response.raise_for_status()
        return NotificationPage.model_validate_json(response.content)


def serve_page(log: PublishedLog, request: Request) -> Response:
    """The notifications endpoint of a writing service."""
    try:
        after = int(request.args.get("after", "0"))
        limit = int(request.args.get("limit", "500"))
    except ValueError:
        raise BadRequestError("after and limit must be whole numbers") from None
    if after < 0 or not 1 <= limit <= MAX_PAGE:
        raise BadRequestError(f"after must be >= 0 and limit within 1..{MAX_PAGE}")
    return json_response(200, log.page(after, limit))
