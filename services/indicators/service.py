"""The indicators nameko service: follows agreements and activities, answers queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nameko.events import event_handler
from nameko.timer import timer
from nameko.web.handlers import http

from services.indicators.dependencies import IndicatorsBackend, build
from services.indicators.queries import UnknownPlanError, sessions_per_quarter
from services.indicators.table import forum_comparison, indicator_table, lineage
from shared.bus.following import catch_up_quietly
from shared.bus.providers import DELIVERY, Backend
from shared.contracts.envelope import Delivery
from shared.http import json_response, moment_args
from shared.openapi import Api, Query

if TYPE_CHECKING:
    from werkzeug.wrappers import Request, Response

CATCH_UP_INTERVAL = 2.0
api = Api("Helhedsplan indicators", "1", errors={UnknownPlanError: 404})
AS_OF = Query(
    "as_of",
    "As known at this recorded time (ISO 8601)",
    {"type": "string", "format": "date-time"},
)
ON = Query(
    "on",
    "A day in the quarter to show (ISO date)",
    {"type": "string", "format": "date"},
)


class IndicatorsService:
    name = "indicators"

    backend: IndicatorsBackend = Backend(build)

    @event_handler(
        "agreements", DELIVERY, reliable_delivery=True, requeue_on_error=True
    )
    def on_agreements(self, payload: dict[str, Any]) -> None:
        self.backend.follower.receive(Delivery.model_validate(payload))

    @event_handler(
        "activities", DELIVERY, reliable_delivery=True, requeue_on_error=True
    )
    def on_activities(self, payload: dict[str, Any]) -> None:
        self.backend.follower.receive(Delivery.model_validate(payload))

    @timer(interval=CATCH_UP_INTERVAL, eager=True)
    def catch_up(self) -> None:
        catch_up_quietly(self.backend.follower)

    @api.route(
        "GET",
        "/plans/<string:plan_id>/sessions",
        summary="Sessions and participants per quarter",
        auth=False,
        errors=(404,),
    )
    def sessions(self, request: Request, plan_id: str) -> Response:
        return json_response(200, sessions_per_quarter(self.backend.engine, plan_id))

    @api.route(
        "GET",
        "/plans/<string:plan_id>/indicators",
        summary="Every indicator of a plan: value, baseline, target, status",
        auth=False,
        errors=(400, 404),
        query=(AS_OF, ON),
    )
    def indicators(self, request: Request, plan_id: str) -> Response:
        as_of, on = moment_args(request)
        return json_response(
            200, indicator_table(self.backend.engine, plan_id, as_of, on)
        )

    @api.route(
        "GET",
        "/plans/<string:plan_id>/indicators/<string:indicator_id>/lineage",
        summary="The events a value was computed from, and their corrections",
        auth=False,
        errors=(400, 404),
        query=(AS_OF, ON),
    )
    def lineage(self, request: Request, plan_id: str, indicator_id: str) -> Response:
        as_of, on = moment_args(request)
        return json_response(
            200, lineage(self.backend.engine, plan_id, indicator_id, as_of, on)
        )

    @api.route(
        "GET",
        "/fora/<string:forum_id>/compare/<string:indicator_id>",
        summary="One indicator across a Samarbejdsforum's plans",
        auth=False,
        errors=(400, 404),
        query=(AS_OF,),
    )
    def compare(self, request: Request, forum_id: str, indicator_id: str) -> Response:
        as_of, _ = moment_args(request)
        return json_response(
            200, forum_comparison(self.backend.engine, forum_id, indicator_id, as_of)
        )

    @http("GET", "/openapi.json")
    def openapi(self, request: Request) -> Response:
        return json_response(200, api.document())

    @http("GET", "/health")
    def health(self, request: Request) -> Response:
        follower = self.backend.follower
        return json_response(
            200,
            {
                "service": self.name,
                "following": {
                    name: follower.position(name) for name in follower.leaders
                },
            },
        )
