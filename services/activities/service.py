"""The activities nameko service: ingest over HTTP, the relay, and its follower."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from nameko.dependency_providers import Config
from nameko.events import EventDispatcher, event_handler
from nameko.messaging import Publisher
from nameko.timer import timer
from nameko.web.handlers import http

from services.activities.amqp_ingest import (
    INGEST_QUEUE,
    REJECTED_EXCHANGE,
    REJECTED_QUEUE,
    CloudEventMessage,
    consume_cloudevents,
)
from services.activities.dependencies import ActivitiesBackend, build
from services.activities.ingest import (
    BATCH_CONTENT_TYPE,
    STATUS_CODES,
    authorize,
    ingest_batch,
    ingest_message,
    ingest_one,
    log_results,
)
from shared import health
from shared.bus.following import catch_up_quietly
from shared.bus.providers import DELIVERY, Backend, publisher
from shared.bus.remote import serve_page
from shared.contracts.envelope import Delivery
from shared.contracts.ingest import IncomingEvent, IngestResult
from shared.http import json_response, read_json
from shared.openapi import Api, Query

if TYPE_CHECKING:
    from werkzeug.wrappers import Request, Response

RELAY_INTERVAL = 0.05
api = Api("Helhedsplan activities", "1")
CATCH_UP_INTERVAL = 2.0


class ActivitiesService:
    name = "activities"

    backend: ActivitiesBackend = Backend(build)
    config = Config()
    dispatch = EventDispatcher()
    answer = Publisher(declare=[REJECTED_QUEUE])

    @api.route(
        "POST",
        "/events",
        summary="Post one CloudEvent, or a batch (application/cloudevents-batch+json)",
        request=IncomingEvent,
        response=IngestResult,
        status=201,
        errors=(409, 422),
        query=(Query("atomic", "all or nothing, for a batch", {"type": "boolean"}),),
    )
    def post_events(self, request: Request) -> Response:
        principal = self.backend.principal(request)
        correlation = request.headers.get("X-Correlation-Id") or uuid.uuid4().hex
        payload = read_json(request)
        authorize(principal, payload)
        plans = self.backend.known_plans()
        if request.mimetype == BATCH_CONTENT_TYPE:
            atomic = request.args.get("atomic", "false").lower() in ("1", "true", "yes")
            batch = ingest_batch(
                self.backend.app, plans, payload, all_or_nothing=atomic
            )
            log_results(batch.results, correlation)
            return json_response(422 if atomic and batch.rejected else 200, batch)
        result = ingest_one(self.backend.app, plans, payload)
        log_results([result], correlation)
        return json_response(STATUS_CODES[result.status], result)

    @consume_cloudevents(INGEST_QUEUE, requeue_on_error=True)
    def on_ingest_message(self, message: CloudEventMessage) -> None:
        backend = self.backend
        result = ingest_message(
            backend.app,
            backend.known_plans(),
            backend.authenticate,
            message.event,
            message.authorization,
            message.problem,
        )
        log_results([result], message.correlation_id)
        answer = {"result": result.model_dump(mode="json"), "event": message.event}
        if message.reply_to:
            self.answer(
                answer,
                routing_key=message.reply_to,
                correlation_id=message.correlation_id,
            )
        if result.status in ("rejected", "conflict"):
            self.answer(answer, exchange=REJECTED_EXCHANGE, routing_key="rejected")

    @timer(interval=RELAY_INTERVAL)
    def relay(self) -> None:
        self.backend.relay.pump(publisher(self.dispatch))

    @api.route(
        "GET",
        "/notifications",
        summary="The published log after a position",
        auth=False,
        query=(
            Query("after", "log position", {"type": "integer", "minimum": 0}),
            Query(
                "limit", "at most", {"type": "integer", "minimum": 1, "maximum": 5000}
            ),
        ),
    )
    def notifications(self, request: Request) -> Response:
        return serve_page(self.backend.log, request)

    @event_handler(
        "agreements", DELIVERY, reliable_delivery=True, requeue_on_error=True
    )
    def on_agreements(self, payload: dict[str, Any]) -> None:
        self.backend.follower.receive(Delivery.model_validate(payload))

    @timer(interval=CATCH_UP_INTERVAL, eager=True)
    def catch_up(self) -> None:
        catch_up_quietly(self.backend.follower)

    @http("GET", "/openapi.json")
    def openapi(self, request: Request) -> Response:
        return json_response(200, api.document())

    @http("GET", "/health")
    def health(self, request: Request) -> Response:
        backend = self.backend
        status, body = health.report(
            self.name,
            self.config["AMQP_URI"],
            backend.log.head,
            log=backend.log,
            relay=backend.relay,
            follower=backend.follower,
        )
        return json_response(status, body)
