"""Posting events: one structured CloudEvent, or a batch, with per-event results."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from services.activities.application import NOT_STORED, Stored
from services.activities.validation import RejectedError, parse, validate
from shared import access
from shared.contracts.ingest import BatchResult, IngestResult, Problem
from shared.http import BadRequestError

if TYPE_CHECKING:
    from collections.abc import Callable

    from services.activities.application import Activities
    from services.activities.validation import KnownPlans, StoredEvents, ValidEvent

log = logging.getLogger(__name__)

BATCH_CONTENT_TYPE = "application/cloudevents-batch+json"
MAX_BATCH = 10_000
STATUS_CODES = {"accepted": 201, "duplicate": 200, "conflict": 409, "rejected": 422}


def ingest_one(app: Activities, plans: KnownPlans, raw: Any) -> IngestResult:
    """Validate and store one event; a refusal stores nothing."""
    result = _check(raw, plans, app)
    if isinstance(result, IngestResult):
        return result
    [stored] = app.ingest([result])
    return _result(result, stored)


def ingest_batch(
    app: Activities, plans: KnownPlans, raw: Any, all_or_nothing: bool = False
) -> BatchResult:
    """Validate every event, store the valid ones (or none, if asked, on a refusal)."""
    if not isinstance(raw, list):
        raise BadRequestError("a batch must be a JSON array of CloudEvents")
    if len(raw) > MAX_BATCH:
        raise BadRequestError(
            f"a batch holds at most {MAX_BATCH} events, not {len(raw)}"
        )
    checked = [_check(item, plans, app) for item in raw]
    valid = [item for item in checked if not isinstance(item, IngestResult)]
    if all_or_nothing and len(valid) < len(checked):
        outcomes = iter([Stored("rejected", NOT_STORED)] * len(valid))
    else:
        outcomes = iter(app.ingest(valid, all_or_nothing))
    results = [
        item if isinstance(item, IngestResult) else _result(item, next(outcomes))
        for item in checked
    ]
    counts = {status: 0 for status in STATUS_CODES}
    for result in results:
        counts[result.status] += 1
    return BatchResult(
        accepted=counts["accepted"],
        duplicates=counts["duplicate"],
        rejected=counts["rejected"],
        conflicts=counts["conflict"],
        results=results,
    )


POSTING_ROLES = frozenset({access.Role.TOOL, access.Role.EDITOR})


def authorize(principal: access.Principal, raw: Any) -> None:
    """Every event's plan and source must be within the token's scope (else 403)."""
    for item in raw if isinstance(raw, list) else [raw]:
        if not isinstance(item, dict):
            continue  # refused as malformed later
        data = item.get("data")
        plan_id = data.get("plan_id") if isinstance(data, dict) else None
        if isinstance(plan_id, str):
            access.require(principal, plan_id, POSTING_ROLES)
        source = item.get("source")
        if isinstance(source, str) and not principal.may_post_as(source):
            raise access.ForbiddenError(
                f"token {principal.token_id} may not post as source {source!r}"
            )


def _check(
    raw: Any, plans: KnownPlans, stored: StoredEvents
) -> ValidEvent | IngestResult:
    try:
        return validate(parse(raw), plans, stored)
    except RejectedError as error:
        ident = raw if isinstance(raw, dict) else {}
        return IngestResult(
            id=_text(ident.get("id")),
            source=_text(ident.get("source")),
            status="rejected",
            problems=error.problems,
        )


def _result(valid: ValidEvent, stored: Stored) -> IngestResult:
    problems = []
    if stored.status == "conflict":
        problems.append(
            Problem(
                field="id",
                message="this source and id were stored before with other content",
            )
        )
    if stored.problem:
        field = "data.participant_ref" if "enrolments" in stored.problem else ""
        problems.append(Problem(field=field, message=stored.problem))
    return IngestResult(
        id=valid.incoming.id,
        source=valid.incoming.source,
        status=stored.status,
        problems=problems,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def ingest_message(
    app: Activities,
    plans: KnownPlans,
    authenticate: Callable[[str], access.Principal],
    event: dict[str, Any] | None,
    authorization: str | None,
    problem: str | None,
) -> IngestResult:
    """One event from the AMQP ingest channel: the same rules as over HTTP."""
    if event is None:
        return _refused(problem or "empty message", None)
    try:
        principal = authenticate(access.bearer(authorization))
        authorize(principal, event)
    except PermissionError as error:
        return _refused(str(error), event)
    return ingest_one(app, plans, event)


def _refused(message: str, event: dict[str, Any] | None) -> IngestResult:
    ident = event or {}
    return IngestResult(
        id=_text(ident.get("id")),
        source=_text(ident.get("source")),
        status="rejected",
        problems=[Problem(field="", message=message)],
    )


def log_results(results: list[IngestResult], correlation_id: str | None) -> None:
    """One structured log line per event: what became of it, under which request."""
    for result in results:
        level = (
            logging.INFO
            if result.status in ("accepted", "duplicate")
            else logging.WARNING
        )
        log.log(
            level,
            "event %s",
            result.status,
            extra={
                "event_id": result.id,
                "source": result.source,
                "correlation_id": correlation_id,
            },
        )
