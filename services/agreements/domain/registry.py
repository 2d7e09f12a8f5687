"""Samarbejdsforum, bestyrelse and helhedsplan: who follows and governs what."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from services.agreements.domain.errors import (
    ActivityAlreadyPlannedError,
    AgreementsError,
    NotAMemberError,
    PlanAlreadyMemberError,
    PlanPeriodError,
    UnknownActivityError,
)

if TYPE_CHECKING:
    from datetime import date

NAMESPACE = uuid5(NAMESPACE_URL, "urn:helhed:agreements")


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    CONDITIONAL = "conditional"  # depends on a grant
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


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

    class PlanLeft(Aggregate.Event):
        TOPIC = "agreements.ForumPlanLeft"
        forum_id: str
        plan_id: str
        left_on: date

    @staticmethod
    def create_id(forum_id: str, **_: Any) -> UUID:
        return uuid5(NAMESPACE, f"forum:{forum_id}")

    @event(Registered)
    def __init__(self, forum_id: str, name: str, kommune: str) -> None:
        self.forum_id = forum_id
        self.name = name
        self.kommune = kommune
        self.members: dict[str, date] = {}
        self.former: dict[str, tuple[date, date]] = {}

    def join(self, plan_id: str, joined_on: date) -> None:
        if plan_id in self.members:
            raise PlanAlreadyMemberError(
                f"plan {plan_id} is already a member of {self.forum_id}"
            )
        self._plan_joined(forum_id=self.forum_id, plan_id=plan_id, joined_on=joined_on)

    def leave(self, plan_id: str, left_on: date) -> None:
        joined_on = self.members.get(plan_id)
        if joined_on is None:
            raise NotAMemberError(f"plan {plan_id} is not a member of {self.forum_id}")
        if left_on < joined_on:
            raise AgreementsError(
                f"{plan_id} cannot leave before it joined ({joined_on})"
            )
        self._plan_left(forum_id=self.forum_id, plan_id=plan_id, left_on=left_on)

    @event(PlanJoined)
    def _plan_joined(self, forum_id: str, plan_id: str, joined_on: date) -> None:
        self.members[plan_id] = joined_on

    @event(PlanLeft)
    def _plan_left(self, forum_id: str, plan_id: str, left_on: date) -> None:
        self.former[plan_id] = (self.members.pop(plan_id), left_on)


class Board(Aggregate):
    """A bestyrelse; one board may govern several plans."""

    TOPIC = "agreements.Board"

    class Created(Aggregate.Created):
        TOPIC = "agreements.BoardCreated"

    class Registered(Aggregate.Created):
        TOPIC = "agreements.BoardRegistered"
        board_id: str
        name: str

    class Governs(Aggregate.Event):
        TOPIC = "agreements.BoardGoverns"
        board_id: str
        plan_id: str

    @staticmethod
    def create_id(board_id: str, **_: Any) -> UUID:
        return uuid5(NAMESPACE, f"board:{board_id}")

    @event(Registered)
    def __init__(self, board_id: str, name: str) -> None:
        self.board_id = board_id
        self.name = name
        self.plans: list[str] = []

    def govern(self, plan_id: str) -> None:
        if plan_id not in self.plans:
            self._governs(board_id=self.board_id, plan_id=plan_id)

    @event(Governs)
    def _governs(self, board_id: str, plan_id: str) -> None:
        self.plans.append(plan_id)


class Plan(Aggregate):
    """A helhedsplan: its area, period, activities and the board's follow-ups."""

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
        details: dict[str, Any]

    class ActivityPlanned(Aggregate.Event):
        TOPIC = "agreements.ActivityPlanned"
        plan_id: str
        activity_id: str
        name: str
        indsatsomraade: str | None
        cfbu_activity_type: str | None
        status: str
        spec: dict[str, Any]

    class ActivityStatusChanged(Aggregate.Event):
        TOPIC = "agreements.ActivityStatusChanged"
        plan_id: str
        activity_id: str
        status: str
        effective_from: date
        reason: str

    class FollowUpRecorded(Aggregate.Event):
        TOPIC = "agreements.FollowUpRecorded"
        plan_id: str
        held_on: date
        body: str
        goals_reviewed: list[str]
        decisions: list[str]

    @staticmethod
    def create_id(plan_id: str, **_: Any) -> UUID:
        return uuid5(NAMESPACE, f"plan:{plan_id}")

    @classmethod
    def register(
        cls,
        plan_id: str,
        name: str,
        kommune: str,
        period_start: date,
        period_end: date,
        details: dict[str, Any] | None = None,
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
            details=details or {},
        )

    @event(Registered)
    def __init__(
        self,
        plan_id: str,
        name: str,
        kommune: str,
        period_start: date,
        period_end: date,
        details: dict[str, Any],
    ) -> None:
        self.plan_id = plan_id
        self.name = name
        self.kommune = kommune
        self.period_start = period_start
        self.period_end = period_end
        self.details = details
        self.activities: dict[str, dict[str, Any]] = {}
        self.follow_ups: list[dict[str, Any]] = []

    def plan_activity(
        self,
        activity_id: str,
        name: str,
        indsatsomraade: str | None = None,
        cfbu_activity_type: str | None = None,
        status: ActivityStatus = ActivityStatus.PLANNED,
        spec: dict[str, Any] | None = None,
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
            status=ActivityStatus(status).value,
            spec=spec or {},
        )

    def change_activity_status(
        self,
        activity_id: str,
        status: ActivityStatus,
        effective_from: date,
        reason: str,
    ) -> None:
        if activity_id not in self.activities:
            raise UnknownActivityError(
                f"plan {self.plan_id} has no activity {activity_id}"
            )
        self._activity_status_changed(
            plan_id=self.plan_id,
            activity_id=activity_id,
            status=ActivityStatus(status).value,
            effective_from=effective_from,
            reason=reason,
        )

    def record_follow_up(
        self, held_on: date, body: str, goals_reviewed: list[str], decisions: list[str]
    ) -> None:
        if not goals_reviewed:
            raise AgreementsError("a follow-up names the goals it reviewed")
        self._follow_up_recorded(
            plan_id=self.plan_id,
            held_on=held_on,
            body=body,
            goals_reviewed=goals_reviewed,
            decisions=decisions,
        )

    @event(ActivityPlanned)
    def _activity_planned(
        self,
        plan_id: str,
        activity_id: str,
        name: str,
        indsatsomraade: str | None,
        cfbu_activity_type: str | None,
        status: str,
        spec: dict[str, Any],
    ) -> None:
        self.activities[activity_id] = {
            "name": name,
            "indsatsomraade": indsatsomraade,
            "cfbu_activity_type": cfbu_activity_type,
            "status": status,
            "status_history": [],
            "spec": spec,
        }

    @event(ActivityStatusChanged)
    def _activity_status_changed(
        self,
        plan_id: str,
        activity_id: str,
        status: str,
        effective_from: date,
        reason: str,
    ) -> None:
        activity = self.activities[activity_id]
        activity["status"] = status
        activity["status_history"].append(
            {"status": status, "from": effective_from.isoformat(), "reason": reason}
        )

    @event(FollowUpRecorded)
    def _follow_up_recorded(
        self,
        plan_id: str,
        held_on: date,
        body: str,
        goals_reviewed: list[str],
        decisions: list[str],
    ) -> None:
        self.follow_ups.append(
            {
                "held_on": held_on.isoformat(),
                "body": body,
                "goals_reviewed": list(goals_reviewed),
                "decisions": list(decisions),
            }
        )
