"""A plan's full history from the leaders' published logs, written as a hash
chain with the indicator values known at export; and the check that replays it
into an empty embedded read model and finds the same values."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from services.audit.chain import Broken, chain, check
from services.indicators.projection import IndicatorsProjection
from services.indicators.table import indicator_table
from services.indicators.views import metadata
from shared.contracts.agreements import ForumRegistered, PlanJoinedForum
from shared.contracts.envelope import IntegrationEvent
from shared.store import views_engine

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from shared.bus.follower import LeaderLog

FORMAT = "helhed-audit/1"
PAGE = 1000
#: The fields of an indicator value that the check compares.
COMPARED = ("indicator_id", "value", "numerator", "denominator", "status", "suppressed")


class UnknownPlanError(LookupError):
    """The logs hold nothing about this plan."""


def _events(log: LeaderLog) -> Iterator[IntegrationEvent]:
    after = 0
    while True:
        page = log.page(after, PAGE)
        yield from page.events
        if page.upto <= after or page.upto >= page.head:
            return
        after = page.upto


def plan_events(
    leaders: Mapping[str, LeaderLog], plan_id: str
) -> dict[str, list[IntegrationEvent]]:
    """Every published event about the plan, per log, in log order; with the
    registration of each Samarbejdsforum it joined."""
    found: dict[str, list[IntegrationEvent]] = {}
    for name, log in leaders.items():
        events = list(_events(log))
        fora = {
            e.data["forum_id"]
            for e in events
            if e.type == PlanJoinedForum.TYPE and e.data.get("plan_id") == plan_id
        }
        found[name] = [
            e
            for e in events
            if e.data.get("plan_id") == plan_id
            or (e.type == ForumRegistered.TYPE and e.data.get("forum_id") in fora)
        ]
    if not any(found.values()):
        raise UnknownPlanError(f"the logs hold nothing about plan {plan_id!r}")
    return found


def values_of(table: dict[str, Any]) -> dict[str, Any]:
    """What the check compares of an indicator table."""
    return {
        "period": table["period"]["label"],
        "indicators": [{k: row[k] for k in COMPARED} for row in table["indicators"]],
    }


def export_lines(
    plan_id: str,
    events: dict[str, list[IntegrationEvent]],
    values: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """The file: a header, one line per event, the values at export, chained."""
    contents: list[dict[str, Any]] = [
        {
            "kind": "header",
            "format": FORMAT,
            "plan_id": plan_id,
            "exported_at": datetime.now(UTC).isoformat(),
            "events": {name: len(found) for name, found in events.items()},
        }
    ]
    seq = 0
    for name, found in events.items():
        for event in found:
            seq += 1
            contents.append(
                {
                    "kind": "event",
                    "seq": seq,
                    "log": name,
                    "event": event.model_dump(mode="json"),
                }
            )
            if progress is not None:
                progress(1)
    contents.append({"kind": "values", "plan_id": plan_id, **values})
    return chain(contents)


def replay_values(
    plan_id: str, events: dict[str, list[IntegrationEvent]]
) -> dict[str, Any]:
    """Apply the events to an empty embedded read model; its indicator values."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = views_engine(f"sqlite:///{scratch}/audit.sqlite")
        try:
            metadata.create_all(engine)
            projection = IndicatorsProjection()
            for name, found in events.items():
                with engine.begin() as conn:
                    projection.apply(conn, name, found)
            return values_of(indicator_table(engine, plan_id))
        finally:
            engine.dispose()


def verify_lines(lines: list[str]) -> Verdict:
    """Check the chain, then replay the events and compare the values."""
    contents, broken = check(lines)
    if broken is not None:
        return Verdict(False, broken=broken)
    if not contents or contents[0].get("kind") != "header":
        return Verdict(False, broken=Broken(1, "the file has no header", None))
    if contents[-1].get("kind") != "values":
        return Verdict(
            False, broken=Broken(len(lines), "the file has no values line", None)
        )
    header, recorded = contents[0], contents[-1]
    events: dict[str, list[IntegrationEvent]] = {}
    for content in contents[1:-1]:
        events.setdefault(content["log"], []).append(
            IntegrationEvent.model_validate(content["event"])
        )
    if {k: len(v) for k, v in events.items()} != {
        k: n for k, n in header["events"].items() if n
    }:
        return Verdict(
            False, broken=Broken(1, "the header's event counts differ", None)
        )
    replayed = replay_values(header["plan_id"], events)
    expected = {"period": recorded["period"], "indicators": recorded["indicators"]}
    differing = [
        (want["indicator_id"], want.get("value"), got.get("value"))
        for want, got in zip(
            expected["indicators"], replayed["indicators"], strict=False
        )
        if want != got
    ]
    same = replayed == expected
    return Verdict(
        same,
        events=sum(len(v) for v in events.values()),
        plan_id=header["plan_id"],
        differing=differing if not same else [],
    )


class Verdict:
    """What the check found."""

    def __init__(
        self,
        ok: bool,
        broken: Broken | None = None,
        events: int = 0,
        plan_id: str | None = None,
        differing: list[tuple[str, Any, Any]] | None = None,
    ) -> None:
        self.ok = ok
        self.broken = broken
        self.events = events
        self.plan_id = plan_id
        self.differing = differing or []

    def describe_broken(self) -> str:
        """The broken line, in Danish, naming the event when it is one."""
        if self.broken is None:
            return ""
        text = f"linje {self.broken.line}: "
        content = self.broken.content or {}
        event = content.get("event") if isinstance(content.get("event"), dict) else None
        if event is not None:
            text += (
                f"hændelsen {event.get('id')} fra {event.get('source')} "
                f"({event.get('type')}) er ændret eller flyttet"
            )
        else:
            text += {
                "not valid JSON": "er ikke gyldig JSON",
                "not a JSON object": "er ikke et JSON-objekt",
            }.get(self.broken.reason, "holder ikke")
        return f"{text} [{self.broken.reason}]"
