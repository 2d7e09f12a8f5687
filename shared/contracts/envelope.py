"""The CloudEvents 1.0 envelope every integration event travels in."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class IntegrationEvent(BaseModel):
    """One event as published on the bus or served by a notification endpoint."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=200, description="Unique within source.")
    source: str = Field(
        min_length=1, max_length=300, description="URI-reference of the producer."
    )
    type: str = Field(
        min_length=1,
        max_length=200,
        description="Event type, e.g. dk.helhedsplan.activity.session-held.",
    )
    specversion: Literal["1.0"] = "1.0"
    time: AwareDatetime = Field(description="When it happened (its reporting period).")
    subject: str | None = Field(
        default=None, max_length=300, description="What it is about, e.g. the plan id."
    )
    dataschema: str = Field(description="Schema URI, carrying the data version.")
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]
    recordedtime: AwareDatetime = Field(description="When the platform stored it.")
    position: int = Field(ge=1, description="Notification id in the producer's log.")
    late: bool = Field(
        default=False,
        description="Recorded after the board followed up on the period it belongs to.",
    )


class Delivery(BaseModel):
    """One AMQP message of a relay: consecutive events of one producer's log.

    ``previous`` is the ``upto`` of the relay's delivery before this one (0 for
    none), so a consumer can tell a lost message from a duplicate even where
    positions skip numbers.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    producer: str
    previous: int = Field(ge=0, description="Log position this delivery follows.")
    upto: int = Field(ge=1, description="Log position this delivery covers up to.")
    events: list[IntegrationEvent] = Field(
        description="The published events in (previous, upto], in log order."
    )


class NotificationPage(BaseModel):
    """A page of a producer's log, as served to a consumer that catches up.

    Not every stored event is published, so ``upto`` (the last position read)
    can be beyond the last event's position.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    producer: str
    after: int = Field(ge=0)
    upto: int = Field(ge=0, description="Log position this page covers up to.")
    head: int = Field(ge=0, description="The producer's highest position now.")
    events: list[IntegrationEvent]
