"""Indicator definitions, versioned with the dates they take effect."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from services.agreements.domain.errors import DefinitionDateError

if TYPE_CHECKING:
    from datetime import date

NAMESPACE = uuid5(NAMESPACE_URL, "urn:helhed:agreements:definitions")


class IndicatorDefinition(Aggregate):
    """How one indicator of a plan is obtained, version by version."""

    TOPIC = "agreements.IndicatorDefinition"

    class Created(Aggregate.Created):
        TOPIC = "agreements.IndicatorDefinitionCreated"

    class Defined(Aggregate.Created):
        TOPIC = "agreements.IndicatorDefined"
        plan_id: str
        indicator_id: str
        effective_from: date
        definition: dict[str, Any]

    class Redefined(Aggregate.Event):
        TOPIC = "agreements.IndicatorRedefined"
        plan_id: str
        indicator_id: str
        effective_from: date
        definition: dict[str, Any]
        reason: str

    @staticmethod
    def create_id(plan_id: str, indicator_id: str, **_: Any) -> UUID:
        return definition_id(plan_id, indicator_id)

    @event(Defined)
    def __init__(
        self,
        plan_id: str,
        indicator_id: str,
        effective_from: date,
        definition: dict[str, Any],
    ) -> None:
        self.plan_id = plan_id
        self.indicator_id = indicator_id
        self.versions: list[tuple[date, dict[str, Any]]] = [
            (effective_from, definition)
        ]

    def redefine(
        self, effective_from: date, definition: dict[str, Any], reason: str
    ) -> None:
        last = self.versions[-1][0]
        if effective_from <= last:
            raise DefinitionDateError(
                f"{self.indicator_id}: a new definition must take effect after {last}"
            )
        self._redefined(
            plan_id=self.plan_id,
            indicator_id=self.indicator_id,
            effective_from=effective_from,
            definition=definition,
            reason=reason,
        )

    def in_force(self, on: date) -> dict[str, Any] | None:
        """The definition in force on a day (None before the first took effect)."""
        current = None
        for effective_from, definition in self.versions:
            if effective_from <= on:
                current = definition
        return current

    @event(Redefined)
    def _redefined(
        self,
        plan_id: str,
        indicator_id: str,
        effective_from: date,
        definition: dict[str, Any],
        reason: str,
    ) -> None:
        self.versions.append((effective_from, definition))


def definition_id(plan_id: str, indicator_id: str) -> UUID:
    return uuid5(NAMESPACE, f"{plan_id}/{indicator_id}")
