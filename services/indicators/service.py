"""The indicators nameko service: follows agreements and activities, answers queries."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from nameko.dependency_providers import Config
from nameko.events import event_handler
from nameko.timer import timer
from nameko.web.handlers import http

from services.indicators.dependencies import IndicatorsBackend, build, check_rebuild
from services.indicators.outputs import GRAINS
from services.indicators.queries import (
    UnknownPlanError,
    fora,
    forum,
    sessions_per_quarter,
)
from services.indicators.reports import (
    annual_report,
    changes_since_approval,
    event_log,
    forum_overview,
    plan_history,
    plan_series,
)
from services.indicators.table import (
    activity_outputs,
    forum_comparison,
    indicator_series,
    indicator_table,
    lineage,
)
from shared import health
from shared.bus.following import catch_up_quietly
from shared.bus.providers import DELIVERY, Backend
from shared.contracts.envelope import Delivery
from shared.http import BadRequestError, json_response, moment_args
from shared.openapi import Api, Query

if TYPE_CHECKING:
    from werkzeug.wrappers import Request, Response

CATCH_UP_INTERVAL = 2.0
MAX_EVENTS = 1000
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
GRAIN = Query(
    "grain",
    "Period: month, quarter, year or plan (to date)",
    {"type": "string", "enum": list(GRAINS), "default": "quarter"},
)

DAY = {"type": "string", "format": "date"}
EVENT_FILTERS = (
    Query("type", "Event type"),
    Query("source", "Source prefix"),
    Query("since", "Happened on or after (ISO date)", DAY),
    Query("until", "Happened on or before (ISO date)", DAY),
    Query(
        "flag", "late or corrected", {"type": "string", "enum": ["late", "corrected"]}
    ),
    Query(
        "limit", "At most this many", {"type": "integer", "minimum": 1, "maximum": 1000}
    ),
    Query("offset", "Skip this many", {"type": "integer", "minimum": 0}),
)


class IndicatorsService:
    name = "indicators"

    backend: IndicatorsBackend = Backend(build)
    config = Config()

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

    @api.route(
        "GET",
        "/fora",
        summary="Every Samarbejdsforum and its plans",
        auth=False,
    )
    def list_fora(self, request: Request) -> Response:
        return json_response(200, fora(self.backend.engine))

    @api.route(
        "GET",
        "/fora/<string:forum_id>",
        summary="One Samarbejdsforum: its plans and the indicators they share",
        auth=False,
        errors=(404,),
    )
    def show_forum(self, request: Request, forum_id: str) -> Response:
        return json_response(200, forum(self.backend.engine, forum_id))

    @api.route(
        "GET",
        "/plans/<string:plan_id>/indicators/<string:indicator_id>/series",
        summary="One indicator of a plan per quarter",
        auth=False,
        errors=(400, 404),
        query=(AS_OF,),
    )
    def series(self, request: Request, plan_id: str, indicator_id: str) -> Response:
        as_of, _ = moment_args(request)
        return json_response(
            200, indicator_series(self.backend.engine, plan_id, indicator_id, as_of)
        )

    @api.route(
        "GET",
        "/plans/<string:plan_id>/outputs",
        summary="Outputs per activity and period",
        auth=False,
        errors=(400, 404),
        query=(GRAIN, AS_OF),
    )
    def outputs(self, request: Request, plan_id: str) -> Response:
        as_of, _ = moment_args(request)
        grain = request.args.get("grain", "quarter")
        if grain not in GRAINS:
            raise BadRequestError(f"grain must be one of {', '.join(GRAINS)}")
        return json_response(
            200, activity_outputs(self.backend.engine, plan_id, grain, as_of)
        )

    @api.route(
        "GET",
        "/fora/<string:forum_id>/overview",
        summary="A Samarbejdsforum's plans side by side on the indicators they share",
        auth=False,
        errors=(400, 404),
        query=(AS_OF,),
    )
    def overview(self, request: Request, forum_id: str) -> Response:
        as_of, _ = moment_args(request)
        return json_response(200, forum_overview(self.backend.engine, forum_id, as_of))

    @api.route(
        "GET",
        "/plans/<string:plan_id>/series",
        summary="Every indicator of a plan per quarter",
        auth=False,
        errors=(400, 404),
        query=(AS_OF,),
    )
    def all_series(self, request: Request, plan_id: str) -> Response:
        as_of, _ = moment_args(request)
        return json_response(200, plan_series(self.backend.engine, plan_id, as_of))

    @api.route(
        "GET",
        "/plans/<string:plan_id>/history",
        summary="Revisions, versions in force, status changes and follow-ups",
        auth=False,
        errors=(400, 404),
        query=(AS_OF,),
    )
    def history(self, request: Request, plan_id: str) -> Response:
        as_of, _ = moment_args(request)
        return json_response(200, plan_history(self.backend.engine, plan_id, as_of))

    @api.route(
        "GET",
        "/plans/<string:plan_id>/events",
        summary="The plan's activity events as recorded, newest first, filtered",
        auth=False,
        errors=(400, 404),
        query=(AS_OF, *EVENT_FILTERS),
    )
    def events(self, request: Request, plan_id: str) -> Response:
        as_of, _ = moment_args(request)
        args = request.args
        try:
            since = date.fromisoformat(args["since"]) if args.get("since") else None
            until = date.fromisoformat(args["until"]) if args.get("until") else None
            limit = int(args.get("limit", 200))
            offset = int(args.get("offset", 0))
        except ValueError:
            raise BadRequestError(
                "since/until must be ISO dates, limit and offset whole numbers"
            ) from None
        flag = args.get("flag") or None
        if flag not in (None, "late", "corrected"):
            raise BadRequestError("flag must be late or corrected")
        if not 1 <= limit <= MAX_EVENTS or offset < 0:
            raise BadRequestError(f"limit must be 1..{MAX_EVENTS}, offset >= 0")
        return json_response(
            200,
            event_log(
                self.backend.engine,
                plan_id,
                as_of,
                args.get("type") or None,
                args.get("source") or None,
                since,
                until,
                flag,
                limit,
                offset,
            ),
        )

    @api.route(
        "GET",
        "/plans/<string:plan_id>/changes-since-approval",
        summary="Values and events changed since the last approval or follow-up",
        auth=False,
        errors=(404,),
    )
    def changes(self, request: Request, plan_id: str) -> Response:
        return json_response(200, changes_since_approval(self.backend.engine, plan_id))

    @api.route(
        "GET",
        "/plans/<string:plan_id>/annual/<int:year>",
        summary="The annual follow-up of one plan and year",
        auth=False,
        errors=(400, 404),
        query=(AS_OF,),
    )
    def annual(self, request: Request, plan_id: str, year: int) -> Response:
        as_of, _ = moment_args(request)
        if not 2000 <= year <= 2100:
            raise BadRequestError("year must be between 2000 and 2100")
        return json_response(
            200, annual_report(self.backend.engine, plan_id, year, as_of)
        )

    @api.route(
        "POST",
        "/rebuild-check",
        summary="Rebuild the read model from the leaders' logs and compare hashes",
        auth=False,
    )
    def rebuild_check(self, request: Request) -> Response:
        return json_response(200, check_rebuild(self.backend))

    @http("GET", "/openapi.json")
    def openapi(self, request: Request) -> Response:
        return json_response(200, api.document())

    @http("GET", "/health")
    def health(self, request: Request) -> Response:
        backend = self.backend
        status, body = health.report(
            self.name,
            self.config["AMQP_URI"],
            health.engine_probe(backend.engine),
            follower=backend.follower,
        )
        return json_response(status, body)
