"""JSON over nameko's http entrypoint: responses and one mapping of errors."""

from __future__ import annotations

import functools
import json
import logging
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from werkzeug.wrappers import Response

from shared.access import ForbiddenError, UnauthenticatedError

if TYPE_CHECKING:
    from collections.abc import Callable

    from werkzeug.wrappers import Request

log = logging.getLogger(__name__)

JSON = "application/json"


def json_response(status: int, body: Any) -> Response:
    if isinstance(body, BaseModel):
        text = body.model_dump_json()
    else:
        text = json.dumps(body, default=str, ensure_ascii=False)
    return Response(text, status=status, mimetype=JSON)


def problem(
    status: int, message: str, problems: list[dict[str, str]] | None = None
) -> Response:
    body: dict[str, Any] = {"error": message}
    if problems:
        body["problems"] = problems
    return json_response(status, body)


class BadRequestError(ValueError):
    """The request is not what the endpoint takes."""


def read_json(request: Request) -> Any:
    """The request body as JSON, or BadRequestError naming what is wrong."""
    raw = request.get_data(cache=True)
    if not raw:
        raise BadRequestError("the request has no body; send a JSON document")
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise BadRequestError("the body is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise BadRequestError(
            f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None


def validation_problems(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(part) for part in item["loc"]), "message": item["msg"]}
        for item in error.errors()
    ]


def json_endpoint(
    errors: dict[type[Exception], int] | None = None,
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Map exceptions of a handler to JSON problems, once for every endpoint.

    ``errors`` maps the service's domain exceptions to HTTP statuses; anything
    unexpected is logged and answered 500 without internals.
    """
    mapping = errors or {}

    def decorate(handler: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(handler)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            try:
                return handler(*args, **kwargs)
            except BadRequestError as error:
                return problem(400, str(error))
            except UnauthenticatedError as error:
                return problem(401, str(error))
            except ForbiddenError as error:
                return problem(403, str(error))
            except ValidationError as error:
                return problem(422, "invalid request", validation_problems(error))
            except Exception as error:
                for kind, status in mapping.items():
                    if isinstance(error, kind):
                        return problem(status, str(error))
                log.exception("unexpected error in %s", handler.__name__)
                return problem(500, "internal error")

        return wrapper

    return decorate


def moment_args(request: Request) -> tuple[datetime | None, date | None]:
    """``as_of`` (a recorded-time moment, ISO 8601) and ``on`` (a day) of a query."""
    try:
        as_of = request.args.get("as_of")
        on = request.args.get("on")
        moment = datetime.fromisoformat(as_of) if as_of else None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment, date.fromisoformat(on) if on else None
    except ValueError:
        raise BadRequestError(
            "as_of must be an ISO time (2026-03-01T12:00:00+01:00), on an ISO date"
        ) from None
