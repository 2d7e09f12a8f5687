"""Evaluating a derived indicator definition over activity events (pure, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from shared.contracts.definitions import Derived, Measure


@dataclass(frozen=True)
class Fact:
    """An activity event as formulas see it."""

    source: str
    event_id: str
    type: str
    time: datetime
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Value:
    """A computed value with what it was computed from."""

    value: float | None
    numerator: float | None
    denominator: float | None
    events: tuple[tuple[str, str], ...]


def window_start(window: str, start: date, end: date) -> date:
    return date(end.year, 1, 1) if window == "year_to_date" else start


def evaluate(
    definition: Derived, facts: Iterable[Fact], start: date, end: date
) -> Value:
    """The definition's value for the days ``start``..``end`` (inclusive)."""
    first = window_start(definition.window, start, end)
    within = [fact for fact in facts if first <= fact.time.date() <= end]
    if definition.measure is not None:
        number, used = measure(definition.measure, within)
        return Value(number * definition.factor, None, None, used)
    assert definition.numerator is not None
    assert definition.denominator is not None
    numerator, used_n = measure(definition.numerator, within)
    denominator, used_d = measure(definition.denominator, within)
    value = numerator / denominator * definition.factor if denominator else None
    return Value(value, numerator, denominator, tuple(dict.fromkeys(used_n + used_d)))


def measure(
    spec: Measure, facts: Iterable[Fact]
) -> tuple[float, tuple[tuple[str, str], ...]]:
    """One measure over the facts that match its type and filters."""
    matching = [
        fact
        for fact in facts
        if fact.type == spec.event_type and _passes(spec.filters, fact.data)
    ]
    used = tuple((fact.source, fact.event_id) for fact in matching)
    if spec.op == "count":
        return float(len(matching)), used
    if spec.op == "sum":
        assert spec.field is not None
        return float(sum(_number(fact.data.get(spec.field)) for fact in matching)), used
    participants: set[str] = set()
    for fact in matching:
        participants.update(fact.data.get("participant_refs") or ())
        if fact.data.get("participant_ref"):
            participants.add(fact.data["participant_ref"])
    return float(len(participants)), used


def _passes(filters: Mapping[str, list[str]], data: Mapping[str, Any]) -> bool:
    return all(str(data.get(name)) in accepted for name, accepted in filters.items())


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
