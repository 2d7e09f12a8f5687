"""One declaration per HTTP endpoint: the nameko route and its OpenAPI operation.

``Api.route`` registers the handler with nameko's ``http`` entrypoint, wraps it in
the shared JSON error mapping, and records the request and response models, so the
OpenAPI document the service serves is generated from the same code that runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nameko.web.handlers import http
from pydantic.json_schema import models_json_schema

from shared.http import json_endpoint

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import BaseModel
    from werkzeug.wrappers import Response

_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["field", "message"],
            },
        },
    },
    "required": ["error"],
}


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    request: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    query: tuple[Query, ...]
    auth: bool
    name: str


class Api:
    """The endpoints of one service."""

    def __init__(
        self, title: str, version: str, errors: dict[type[Exception], int] | None = None
    ) -> None:
        self.title = title
        self.version = version
        self.errors = errors or {}
        self.operations: list[Operation] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        request: type[BaseModel] | None = None,
        response: type[BaseModel] | None = None,
        status: int = 200,
        errors: tuple[int, ...] = (),
        query: tuple[Query, ...] = (),
        auth: bool = True,
    ) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
        def decorate(handler: Callable[..., Response]) -> Callable[..., Response]:
            self.operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=summary,
                    request=request,
                    response=response,
                    status=status,
                    errors=errors,
                    query=query,
                    auth=auth,
                    name=handler.__name__,
                )
            )
            wrapped: Callable[..., Response] = http(method, path)(
                json_endpoint(self.errors)(handler)
            )
            return wrapped

        return decorate

    def document(self) -> dict[str, Any]:
        """The OpenAPI 3.1 document of every route."""
        models = {
            model
            for op in self.operations
            for model in (op.request, op.response)
            if model is not None
        }
        refs, schema = models_json_schema(
            [
                (model, "validation")
                for model in sorted(models, key=lambda m: m.__name__)
            ],
            ref_template="#/components/schemas/{model}",
        )
        components = dict(schema.get("$defs", {}))
        components["Problem"] = ERROR_SCHEMA
        paths: dict[str, dict[str, Any]] = {}
        for op in self.operations:
            openapi_path = _PARAM.sub(r"{\1}", op.path)
            parameters = [
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
                for name in _PARAM.findall(op.path)
            ] + [
                {
                    "name": q.name,
                    "in": "query",
                    "required": q.required,
                    "description": q.description,
                    "schema": q.schema,
                }
                for q in op.query
            ]
            ok: dict[str, Any] = {"description": "OK"}
            if op.response is not None:
                ok["content"] = {
                    "application/json": {"schema": refs[(op.response, "validation")]}
                }
            responses: dict[str, Any] = {str(op.status): ok}
            codes = set(op.errors) | {500}
            if op.request is not None:
                codes |= {400, 422}
            if op.auth:
                codes |= {401, 403}
            for code in sorted(codes):
                responses[str(code)] = {
                    "description": _REASONS.get(code, "Error"),
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    },
                }
            operation: dict[str, Any] = {
                "operationId": op.name,
                "summary": op.summary,
                "responses": responses,
            }
            if parameters:
                operation["parameters"] = parameters
            if op.request is not None:
                operation["requestBody"] = {
                    "required": True,
                    "content": {
                        "application/json": {"schema": refs[(op.request, "validation")]}
                    },
                }
            if op.auth:
                operation["security"] = [{"bearer": []}]
            paths.setdefault(openapi_path, {})[op.method.lower()] = operation
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version},
            "paths": paths,
            "components": {
                "schemas": components,
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
        }


_REASONS = {
    400: "Malformed request",
    401: "No valid token",
    403: "The token lacks the role",
    404: "Not found",
    409: "Conflict with what is stored",
    422: "Refused by a rule; the problems name the fields",
    500: "Internal error",
}
