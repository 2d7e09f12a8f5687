"""The AMQP ingest channel: binary-mode CloudEvents on the helhed.ingest exchange.

A tool publishes each event with its attributes as ``ce-`` headers (the CloudEvents
RabbitMQ binding; the AMQP binding's ``cloudEvents_``/``cloudEvents:`` prefixes are
accepted too), its data as the JSON body, and ``authorization: Bearer <token>``. The
outcome (accepted, duplicate, conflict, rejected with the problems) is published to
the ``reply_to`` queue when the message names one, and every refusal also to the
durable ``helhed.ingest.rejected`` queue, so nothing refused is lost silently.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from cloudevents.core.bindings.rabbitmq import RabbitMQMessage, from_rabbitmq
from cloudevents.core.formats.json import JSONFormat
from kombu import Exchange, Queue
from nameko.messaging import Consumer

if TYPE_CHECKING:
    from kombu.message import Message

INGEST_EXCHANGE = Exchange("helhed.ingest", type="topic", durable=True)
INGEST_QUEUE = Queue(
    "helhed.ingest", exchange=INGEST_EXCHANGE, routing_key="#", durable=True
)
REJECTED_EXCHANGE = Exchange("helhed.ingest.rejected", type="fanout", durable=True)
REJECTED_QUEUE = Queue(
    "helhed.ingest.rejected", exchange=REJECTED_EXCHANGE, durable=True
)
_PREFIXES = ("ce-", "ce_", "cloudEvents_", "cloudEvents:")


class CloudEventMessage:
    """What the handler receives: the structured event (or why there is none) and
    the message's authorization and reply address."""

    def __init__(self, message: Message) -> None:
        headers = {str(k): v for k, v in (message.headers or {}).items()}
        self.authorization: str | None = headers.get("authorization")
        self.reply_to: str | None = message.properties.get("reply_to")
        self.correlation_id: str | None = message.properties.get("correlation_id")
        self.event: dict[str, Any] | None = None
        self.problem: str | None = None
        try:
            self.event = _structured(headers, message.content_type, message.body)
        except (
            Exception
        ) as error:  # the SDK raises several kinds; all mean "bad message"
            self.problem = f"not a binary-mode CloudEvent: {error}"


def _structured(
    headers: dict[str, Any], content_type: str | None, body: bytes
) -> dict[str, Any]:
    ce_headers = {}
    for key, value in headers.items():
        for prefix in _PREFIXES:
            if key.startswith(prefix):
                ce_headers[f"ce-{key[len(prefix) :]}"] = str(value)
    message = RabbitMQMessage(
        headers=ce_headers,
        content_type=content_type or "application/json",
        body=body if isinstance(body, bytes) else str(body).encode(),
    )
    event = from_rabbitmq(message, JSONFormat())
    structured: dict[str, Any] = dict(event.get_attributes())
    time = structured.get("time")
    if time is not None and not isinstance(time, str):
        structured["time"] = time.isoformat()
    structured["data"] = event.get_data()
    return structured


class CloudEventConsumer(Consumer):
    """nameko's queue consumer, handing the handler the whole message, not the body."""

    def handle_message(self, body: Any, message: Message) -> None:
        handle_result = partial(self.handle_result, message)
        self.container.spawn_worker(
            self,
            (CloudEventMessage(message),),
            {},
            context_data=self.unpack_message_headers(message),
            handle_result=handle_result,
        )


consume_cloudevents = CloudEventConsumer.decorator
