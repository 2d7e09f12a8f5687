"""Checks a posted event against its contract and what agreements published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from shared.contracts.activities import Corrected, Retracted
from shared.contracts.ingest import IncomingEvent, Problem
from shared.contracts.personal_data import scan
from shared.contracts.registry import UnknownEventTypeError, data_model, version_of

if TYPE_CHECKING:
    from datetime import date

    from pydantic import BaseModel


class KnownPlans(Protocol):
    """What the activities service learnt of plans from agreements' events."""

    def period(self, plan_id: str) -> tuple[date, date] | None: ...

    def has_activity(self, plan_id: str, activity_id: str) -> bool: ...

    def followed_up_since(self, plan_id: str, day: date) -> date | None: ...


class StoredEvents(Protocol):
    """What activities has stored: the type of an earlier event, if any."""

    def type_of(self, source: str, event_id: str) -> str | None: ...


class RejectedError(ValueError):
    """The event breaks a rule; ``problems`` name each field and rule."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ValidEvent:
    incoming: IncomingEvent
    version: int
    data: BaseModel
    late_since: date | None = None  # the board followed up on its period on this day


def problems_of(error: ValidationError, prefix: str = "") -> list[Problem]:
    problems = []
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"])
        field = f"{prefix}{path}" if path else prefix.rstrip(".")
        problems.append(Problem(field=field, message=item["msg"]))
    return problems


def parse(raw: Any) -> IncomingEvent:
    """A structured CloudEvent from decoded JSON, or RejectedError."""
    if not isinstance(raw, dict):
        raise RejectedError(
            [Problem(field="", message="an event must be a JSON object")]
        )
    try:
        return IncomingEvent.model_validate(raw)
    except ValidationError as error:
        raise RejectedError(problems_of(error)) from None


def validate(
    incoming: IncomingEvent, plans: KnownPlans, stored: StoredEvents | None = None
) -> ValidEvent:
    """Personal data, contract, then references: plan and activity exist, the date
    is in the plan's period."""
    findings = scan(incoming.data, "data") + scan(incoming.subject or "", "subject")
    if findings:
        raise RejectedError(
            [Problem(field=f.field, message=f.message) for f in findings]
        )
    try:
        version = version_of(incoming.dataschema, incoming.type)
    except UnknownEventTypeError as error:
        raise RejectedError([Problem(field="dataschema", message=str(error))]) from None
    try:
        model = data_model(incoming.type, version)
    except UnknownEventTypeError as error:
        raise RejectedError([Problem(field="type", message=str(error))]) from None
    try:
        data = model.model_validate(incoming.data)
    except ValidationError as error:
        raise RejectedError(problems_of(error, prefix="data.")) from None
    problems = _reference_problems(incoming, data, plans)
    if stored is not None:
        problems += _earlier_event_problems(data, stored)
    if problems:
        raise RejectedError(problems)
    plan_id = getattr(data, "plan_id", None)
    late_since = (
        plans.followed_up_since(plan_id, incoming.time.date()) if plan_id else None
    )
    return ValidEvent(
        incoming=incoming, version=version, data=data, late_since=late_since
    )


def _earlier_event_problems(data: BaseModel, stored: StoredEvents) -> list[Problem]:
    """A correction or retraction names an event that was stored, of the same type."""
    if isinstance(data, Corrected):
        field, ref = "data.supersedes", data.supersedes
    elif isinstance(data, Retracted):
        field, ref = "data.retracts", data.retracts
    else:
        return []
    original = stored.type_of(ref.source, ref.id)
    if original is None:
        return [
            Problem(
                field=field, message=f"no stored event {ref.id!r} from {ref.source!r}"
            )
        ]
    if not isinstance(data, Corrected):
        return []
    if data.corrected_type != original:
        return [
            Problem(
                field="data.corrected_type",
                message=f"the superseded event is a {original}, "
                f"not a {data.corrected_type}",
            )
        ]
    try:
        data_model(original).model_validate(data.corrected_data)
    except ValidationError as error:
        return problems_of(error, prefix="data.corrected_data.")
    return []


def _reference_problems(
    incoming: IncomingEvent, data: BaseModel, plans: KnownPlans
) -> list[Problem]:
    plan_id = getattr(data, "plan_id", None)
    if plan_id is None:
        return []
    period = plans.period(plan_id)
    if period is None:
        return [Problem(field="data.plan_id", message=f"unknown plan {plan_id!r}")]
    problems = []
    activity_id = getattr(data, "activity_id", None)
    if activity_id is not None and not plans.has_activity(plan_id, activity_id):
        problems.append(
            Problem(
                field="data.activity_id",
                message=f"plan {plan_id!r} has no activity {activity_id!r}",
            )
        )
    start, end = period
    happened = incoming.time.date()
    if not start <= happened <= end:
        problems.append(
            Problem(
                field="time",
                message=f"{happened} is outside the plan period {start} to {end}",
            )
        )
    return problems
