"""The agreements nameko service: thin HTTP adapters and the relay."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nameko.events import EventDispatcher
from nameko.timer import timer
from nameko.web.handlers import http

from services.agreements.application import AlreadyRegisteredError, NotFoundError
from services.agreements.dependencies import AgreementsBackend, build
from services.agreements.domain.errors import AgreementsError
from shared.bus.providers import Backend, publisher
from shared.bus.remote import serve_page
from shared.contracts.agreements import PlanActivity, RegisterForum, RegisterPlan
from shared.http import json_endpoint, json_response, read_json

if TYPE_CHECKING:
    from werkzeug.wrappers import Request, Response

RELAY_INTERVAL = 0.05
ERRORS: dict[type[Exception], int] = {
    NotFoundError: 404,
    AlreadyRegisteredError: 409,
    AgreementsError: 422,
}


class AgreementsService:
    name = "agreements"

    backend: AgreementsBackend = Backend(build)
    dispatch = EventDispatcher()

    @timer(interval=RELAY_INTERVAL)
    def relay(self) -> None:
        self.backend.relay.pump(publisher(self.dispatch))

    @http("GET", "/notifications")
    @json_endpoint(ERRORS)
    def notifications(self, request: Request) -> Response:
        return serve_page(self.backend.log, request)

    @http("POST", "/fora")
    @json_endpoint(ERRORS)
    def register_forum(self, request: Request) -> Response:
        command = RegisterForum.model_validate(read_json(request))
        forum_id = self.backend.app.register_forum(**command.model_dump())
        return json_response(201, {"forum_id": forum_id})

    @http("POST", "/plans")
    @json_endpoint(ERRORS)
    def register_plan(self, request: Request) -> Response:
        command = RegisterPlan.model_validate(read_json(request))
        plan_id = self.backend.app.register_plan(**command.model_dump())
        return json_response(201, {"plan_id": plan_id})

    @http("POST", "/plans/<string:plan_id>/activities")
    @json_endpoint(ERRORS)
    def plan_activity(self, request: Request, plan_id: str) -> Response:
        command = PlanActivity.model_validate(read_json(request))
        self.backend.app.plan_activity(plan_id, **command.model_dump())
        return json_response(
            201, {"plan_id": plan_id, "activity_id": command.activity_id}
        )

    @http("GET", "/plans/<string:plan_id>")
    @json_endpoint(ERRORS)
    def get_plan(self, request: Request, plan_id: str) -> Response:
        return json_response(200, self.backend.app.get_plan(plan_id).__dict__)

    @http("GET", "/health")
    def health(self, request: Request) -> Response:
        return json_response(
            200,
            {
                "service": self.name,
                "head": self.backend.log.head(),
                "published": self.backend.relay.published_position(),
            },
        )
