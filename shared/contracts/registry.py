"""Event type and version -> the pydantic model of its ``data``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shared.contracts import activities, agreements

if TYPE_CHECKING:
    from pydantic import BaseModel

_MODELS: tuple[type[BaseModel], ...] = (
    agreements.ForumRegistered,
    agreements.PlanRegistered,
    agreements.PlanJoinedForum,
    agreements.ActivityPlanned,
    agreements.PlanLeftForum,
    agreements.BoardRegistered,
    agreements.BoardGovernsPlan,
    agreements.ActivityStatusChanged,
    agreements.FollowUpRecorded,
    agreements.DocumentVersionApproved,
    agreements.RevisionRecorded,
    agreements.IndicatorDefined,
    agreements.TokenIssued,
    agreements.TokenRevoked,
    *activities.ACTIVITY_EVENTS,
)
DATA_MODELS: dict[tuple[str, int], type[BaseModel]] = {
    (model.TYPE, model.VERSION): model  # type: ignore[attr-defined]
    for model in _MODELS
}

_SCHEMA_URI = re.compile(r"^urn:helhed:schema:(?P<type>[a-z0-9.-]+):v(?P<version>\d+)$")


class UnknownEventTypeError(ValueError):
    """No contract is registered for this event type and version."""


def schema_uri(event_type: str, version: int) -> str:
    return f"urn:helhed:schema:{event_type}:v{version}"


def version_of(dataschema: str | None, event_type: str | None = None) -> int:
    """The data version named by a dataschema URI; 1 where none is given. With
    ``event_type``, the URI must name that type."""
    if not dataschema:
        return 1
    match = _SCHEMA_URI.match(dataschema)
    if match is None:
        raise UnknownEventTypeError(f"dataschema {dataschema!r} is not a known schema")
    if event_type is not None and match["type"] != event_type:
        raise UnknownEventTypeError(
            f"dataschema {dataschema!r} is the schema of {match['type']!r}, "
            f"not of {event_type!r}"
        )
    return int(match["version"])


def data_model(event_type: str, version: int = 1) -> type[BaseModel]:
    try:
        return DATA_MODELS[(event_type, version)]
    except KeyError:
        known = ", ".join(sorted({t for t, _ in DATA_MODELS}))
        raise UnknownEventTypeError(
            f"unknown event type {event_type!r} (version {version}); known: {known}"
        ) from None


def json_schemas() -> dict[str, dict[str, object]]:
    """File name -> JSON Schema, for every data model and the envelope."""
    from shared.contracts.envelope import Delivery, IntegrationEvent

    schemas: dict[str, dict[str, object]] = {}
    for (event_type, version), model in sorted(DATA_MODELS.items()):
        schema = model.model_json_schema()
        schema["$id"] = schema_uri(event_type, version)
        schemas[f"{event_type}.v{version}.json"] = schema
    schemas["envelope.json"] = IntegrationEvent.model_json_schema()
    schemas["delivery.json"] = Delivery.model_json_schema()
    return schemas
