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
from shared.http import json_endpoint, json_response, moment_args

if TYPE_CHECKING:
    from werkzeug.wrappers import Request, Response

CATCH_UP_INTERVAL = 2.0
ERRORS: dict[type[Exception], int] = {UnknownPlanError: 404}


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

    @http("GET", "/plans/<string:plan_id>/sessions")
    @json_endpoint(ERRORS)
    def sessions(self, request: Request, plan_id: str) -> Response:
        return json_response(200, sessions_per_quarter(self.backend.engine, plan_id))

    @http("GET", "/plans/<string:plan_id>/indicators")
    @json_endpoint(ERRORS)
    def indicators(self, request: Request, plan_id: str) -> Response:
        as_of, on = moment_args(request)
        return json_response(
            200, indicator_table(self.backend.engine, plan_id, as_of, on)
        )

    @http("GET", "/plans/<string:plan_id>/indicators/<string:indicator_id>/lineage")
    @json_endpoint(ERRORS)
    def lineage(self, request: Request, plan_id: str, indicator_id: str) -> Response:
        as_of, on = moment_args(request)
        return json_response(
            200, lineage(self.backend.engine, plan_id, indicator_id, as_of, on)
        )

    @http("GET", "/fora/<string:forum_id>/compare/<string:indicator_id>")
    @json_endpoint(ERRORS)
    def compare(self, request: Request, forum_id: str, indicator_id: str) -> Response:
        as_of, _ = moment_args(request)
        return json_response(
            200, forum_comparison(self.backend.engine, forum_id, indicator_id, as_of)
        )

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
