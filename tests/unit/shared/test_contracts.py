"""The published language: one JSON Schema per event type and version, plus the
envelope and the delivery; schema URIs that carry the version; aware times."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from shared.contracts import agreements as contracts
from shared.contracts.activities import ACTIVITY_EVENTS, SessionHeld
from shared.contracts.envelope import Delivery, IntegrationEvent, NotificationPage
from shared.contracts.registry import (
    DATA_MODELS,
    UnknownEventTypeError,
    data_model,
    json_schemas,
    schema_uri,
    version_of,
)

DOCS_SCHEMAS = Path(__file__).parents[3] / "docs" / "schemas"
WHEN = datetime(2025, 10, 1, 14, tzinfo=UTC)
SCHEMAS = json_schemas()  # made once: building them is the slow part


def _envelope(**override: Any) -> dict[str, Any]:
    return {
        "id": "e-1",
        "source": "/helhed/agreements",
        "type": contracts.BoardRegistered.TYPE,
        "time": WHEN.isoformat(),
        "dataschema": schema_uri(contracts.BoardRegistered.TYPE, 1),
        "data": {"board_id": "board-a", "name": "B"},
        "recordedtime": WHEN.isoformat(),
        "position": 1,
        **override,
    }


# JSON Schemas


def test_there_is_a_schema_for_every_registered_type_the_envelope_and_the_delivery() -> (
    None
):
    schemas = json_schemas()
    expected = {f"{t}.v{v}.json" for t, v in DATA_MODELS} | {
        "envelope.json",
        "delivery.json",
    }
    assert set(schemas) == expected
    assert len(schemas) == len(DATA_MODELS) + 2


def test_every_agreements_and_activities_contract_is_registered() -> None:
    agreements = [
        m
        for m in vars(contracts).values()
        if isinstance(m, type)
        and issubclass(m, contracts._Data)
        and m is not contracts._Data
    ]
    registered = set(DATA_MODELS.values())
    assert set(agreements) <= registered
    assert set(ACTIVITY_EVENTS) <= registered
    assert len(registered) == len(agreements) + len(ACTIVITY_EVENTS)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_schema_is_a_valid_json_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[name])


def test_a_data_schema_is_identified_by_the_uri_of_its_type_and_version() -> None:
    for (event_type, version), _ in DATA_MODELS.items():
        assert SCHEMAS[f"{event_type}.v{version}.json"]["$id"] == schema_uri(
            event_type, version
        )


def test_a_published_event_validates_against_the_envelope_schema() -> None:
    event = IntegrationEvent.model_validate(_envelope())
    validator = jsonschema.Draft202012Validator(SCHEMAS["envelope.json"])
    validator.validate(event.model_dump(mode="json"))
    delivery = Delivery(producer="agreements", previous=0, upto=1, events=[event])
    jsonschema.Draft202012Validator(SCHEMAS["delivery.json"]).validate(
        delivery.model_dump(mode="json")
    )


def test_data_validates_against_its_schema_and_breaking_a_rule_does_not() -> None:
    schema = SCHEMAS[f"{SessionHeld.TYPE}.v1.json"]
    validator = jsonschema.Draft202012Validator(schema)
    good = SessionHeld(plan_id="plan-a", activity_id="ul-a1", participants=3)
    validator.validate(good.model_dump(mode="json"))
    bad = {**good.model_dump(mode="json"), "participants": -1}
    assert not validator.is_valid(bad)
    assert not validator.is_valid({**good.model_dump(mode="json"), "cpr": "x"})


def test_the_schema_files_in_docs_are_the_ones_the_models_give() -> None:
    # `helhed schemas` writes them; a contract changed without them is a drift
    on_disk = {
        p.name: json.loads(p.read_text("utf-8")) for p in DOCS_SCHEMAS.glob("*.json")
    }
    assert on_disk == json_schemas()


# schema URIs and versions


@pytest.mark.parametrize(("event_type", "version"), sorted(DATA_MODELS))
def test_a_schema_uri_gives_back_its_version_and_its_model(
    event_type: str, version: int
) -> None:
    uri = schema_uri(event_type, version)
    assert version_of(uri) == version
    assert data_model(event_type, version_of(uri)) is DATA_MODELS[(event_type, version)]


def test_a_higher_version_round_trips_through_its_uri() -> None:
    assert version_of(schema_uri("dk.helhedsplan.activity.session-held", 12)) == 12


@pytest.mark.parametrize("dataschema", [None, ""])
def test_an_event_without_a_dataschema_is_version_1(dataschema: str | None) -> None:
    assert version_of(dataschema) == 1


@pytest.mark.parametrize(
    "dataschema",
    [
        "https://example.org/session-held.json",
        "urn:helhed:schema:dk.helhedsplan.activity.session-held",
        "urn:helhed:schema:dk.helhedsplan.activity.session-held:vX",
        "urn:helhed:schema:DK.HELHEDSPLAN:v1",
        "urn:helhed:schema:dk.helhedsplan.activity.session-held:v1 ",
    ],
)
def test_an_unknown_dataschema_is_refused(dataschema: str) -> None:
    with pytest.raises(UnknownEventTypeError, match="not a known schema"):
        version_of(dataschema)


def test_an_unknown_type_or_version_is_refused_naming_the_known_types() -> None:
    with pytest.raises(UnknownEventTypeError, match="version 2") as refused:
        data_model(SessionHeld.TYPE, 2)
    assert contracts.PlanRegistered.TYPE in str(refused.value)
    with pytest.raises(UnknownEventTypeError):
        data_model("dk.helhedsplan.activity.party-held")


def test_an_unknown_type_error_is_a_value_error() -> None:
    assert issubclass(UnknownEventTypeError, ValueError)


# the envelope


def test_an_integration_event_needs_a_timezone_on_its_time() -> None:
    with pytest.raises(ValidationError) as refused:
        IntegrationEvent.model_validate(_envelope(time="2025-10-01T14:00:00"))
    assert [e["loc"] for e in refused.value.errors()] == [("time",)]


def test_an_integration_event_needs_a_timezone_on_its_recorded_time() -> None:
    naive = datetime(2025, 10, 1, 14)
    with pytest.raises(ValidationError) as refused:
        IntegrationEvent.model_validate(_envelope(recordedtime=naive))
    assert [e["loc"] for e in refused.value.errors()] == [("recordedtime",)]


def test_an_integration_event_keeps_the_offset_it_was_given() -> None:
    event = IntegrationEvent.model_validate(_envelope(time="2025-10-01T16:00:00+02:00"))
    assert event.time == WHEN
    assert event.model_dump(mode="json")["time"] == "2025-10-01T16:00:00+02:00"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("position", 0),
        ("specversion", "0.3"),
        ("datacontenttype", "text/xml"),
        ("id", ""),
        ("unexpected", "x"),
    ],
)
def test_an_integration_event_refuses_what_its_contract_does_not_allow(
    field: str, value: Any
) -> None:
    with pytest.raises(ValidationError):
        IntegrationEvent.model_validate(_envelope(**{field: value}))


def test_an_integration_event_round_trips_through_json() -> None:
    event = IntegrationEvent.model_validate(_envelope(late=True))
    assert IntegrationEvent.model_validate_json(event.model_dump_json()) == event


def test_a_delivery_covers_at_least_one_position_and_follows_zero_or_more() -> None:
    with pytest.raises(ValidationError):
        Delivery(producer="p", previous=0, upto=0, events=[])
    with pytest.raises(ValidationError):
        Delivery(producer="p", previous=-1, upto=1, events=[])
    assert Delivery(producer="p", previous=0, upto=1, events=[]).upto == 1


def test_a_notification_page_may_be_empty_at_zero() -> None:
    page = NotificationPage(producer="p", after=0, upto=0, head=0, events=[])
    assert page.events == []


# data contracts


def test_a_plan_whose_period_does_not_end_after_it_starts_is_not_a_valid_contract() -> (
    None
):
    with pytest.raises(ValidationError, match="period_end must be after period_start"):
        contracts.PlanRegistered(
            plan_id="plan-a",
            name="A",
            kommune="K",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 1, 1),
        )


@pytest.mark.parametrize("slug", ["Plan-A", "a", "-plan", "plan-", "plan_a", "x" * 101])
def test_ids_that_are_not_slugs_are_refused(slug: str) -> None:
    with pytest.raises(ValidationError):
        contracts.BoardRegistered(board_id=slug, name="B")


def test_contract_data_is_frozen() -> None:
    board = contracts.BoardRegistered(board_id="board-a", name="B")
    with pytest.raises(ValidationError):
        board.name = "C"  # type: ignore[misc]
