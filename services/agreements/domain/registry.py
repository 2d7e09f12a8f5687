"""Agreements' aggregates: Samarbejdsforum and helhedsplan (Forum, Plan)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

if TYPE_CHECKING:
    from datetime import date

NAMESPACE = uuid5(NAMESPACE_URL, "urn:helhed:agreements")


class AgreementsError(Exception):
    """A command the agreements rules refuse."""


class PlanPeriodError(AgreementsError):
    """The plan's period ends before it starts."""


class ActivityAlreadyPlannedError(AgreementsError):
    """The plan already has an activity with this id."""


class PlanAlreadyMemberError(AgreementsError):
    """The plan is already a member of this Samarbejdsforum."""


class Forum(Aggregate):
    """A Samarbejdsforum: one kommune's forum following several plans."""

    TOPIC = "agreements.Forum"

    class Created(Aggregate.Created):
        TOPIC = "agreements.ForumCreated"

    class Registered(Aggregate.Created):
        TOPIC = "agreements.ForumRegistered"
        forum_id: str
        name: str
        kommune: str

    class PlanJoined(Aggregate.Event):
        TOPIC = "agreements.ForumPlanJoined"
        forum_id: str
        plan_id: str
        joined_on: date

    @staticmethod
    def create_id(forum_id: str, **_: Any) -> UUID:
        return uuid5(NAMESPACE, f"forum:{forum_id}")

    @event(Registered)
    def __init__(self, forum_id: str, name: str, kommune: str) -> None:
        self.forum_id = forum_id
        self.name = name
        self.kommune = kommune
        self.members: dict[str, date] = {}

    def join(self, plan_id: str, joined_on: date) -> None:
        if plan_id in self.members:
            raise PlanAlreadyMemberError(
                f"plan {plan_id} is already a member of {self.forum_id}"
            )
        self._plan_joined(forum_id=self.forum_id, plan_id=plan_id, joined_on=joined_on)

    @event(PlanJoined)
    def _plan_joined(self, forum_id: str, plan_id: str, joined_on: date) -> None:
        self.members[plan_id] = joined_on


class Plan(Aggregate):
    """A helhedsplan: name, kommune, period and its planned activities."""

    TOPIC = "agreements.Plan"

    class Created(Aggregate.Created):
        TOPIC = "agreements.PlanCreated"

    class Registered(Aggregate.Created):
        TOPIC = "agreements.PlanRegistered"
        plan_id: str
        name: str
        kommune: str
        period_start: date
        period_end: date

    class ActivityPlanned(Aggregate.Event):
        TOPIC = "agreements.ActivityPlanned"
        plan_id: str
        activity_id: str
        name: str
        indsatsomraade: str | None
        cfbu_activity_type: str | None

    @staticmethod
    def create_id(plan_id: str, **_: Any) -> UUID:
        return uuid5(NAMESPACE, f"plan:{plan_id}")

    @classmethod
    def register(
        cls, plan_id: str, name: str, kommune: str, period_start: date, period_end: date
    ) -> Plan:
        if period_end <= period_start:
            raise PlanPeriodError(
                f"period_end {period_end} is not after period_start {period_start}"
            )
        return cls(
            plan_id=plan_id,
            name=name,
            kommune=kommune,
            period_start=period_start,
            period_end=period_end,
        )

    @event(Registered)
    def __init__(
        self,
        plan_id: str,
        name: str,
        kommune: str,
        period_start: date,
        period_end: date,
    ) -> None:
        self.plan_id = plan_id
        self.name = name
        self.kommune = kommune
        self.period_start = period_start
        self.period_end = period_end
        self.activities: dict[str, str] = {}

    def plan_activity(
        self,
        activity_id: str,
        name: str,
        indsatsomraade: str | None = None,
        cfbu_activity_type: str | None = None,
    ) -> None:
        if activity_id in self.activities:
            raise ActivityAlreadyPlannedError(
                f"plan {self.plan_id} already has activity {activity_id}"
            )
        self._activity_planned(
            plan_id=self.plan_id,
            activity_id=activity_id,
            name=name,
            indsatsomraade=indsatsomraade,
            cfbu_activity_type=cfbu_activity_type,
        )

    @event(ActivityPlanned)
    def _activity_planned(
        self,
        plan_id: str,
        activity_id: str,
        name: str,
        indsatsomraade: str | None,
        cfbu_activity_type: str | None,
    ) -> None:
        self.activities[activity_id] = name
