"""The agreements application: commands in, ids and plain views out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.agreements.domain.errors import AgreementsError
from services.agreements.domain.registry import Forum, Plan
from shared.eventstore import ServiceApplication

if TYPE_CHECKING:
    from datetime import date


class NotFoundError(AgreementsError):
    """No forum or plan with this id."""


class AlreadyRegisteredError(AgreementsError):
    """A forum or plan with this id is already registered."""


@dataclass(frozen=True)
class PlanView:
    plan_id: str
    name: str
    kommune: str
    period_start: date
    period_end: date
    activities: dict[str, str]


class Agreements(ServiceApplication):
    """Plans, Samarbejdsforum and what was agreed for them."""

    name = "agreements"

    def register_forum(self, forum_id: str, name: str, kommune: str) -> str:
        """Register a Samarbejdsforum."""
        self._save_new(Forum(forum_id=forum_id, name=name, kommune=kommune), forum_id)
        return forum_id

    def register_plan(
        self,
        plan_id: str,
        name: str,
        kommune: str,
        period_start: date,
        period_end: date,
        forum_id: str | None = None,
    ) -> str:
        """Register a helhedsplan, and make it a member of its forum from its start."""
        plan = Plan.register(plan_id, name, kommune, period_start, period_end)
        if forum_id is None:
            self._save_new(plan, plan_id)
            return plan_id
        forum = self._forum(forum_id)
        forum.join(plan_id, joined_on=period_start)
        self._save_new(plan, plan_id, forum)
        return plan_id

    def plan_activity(
        self,
        plan_id: str,
        activity_id: str,
        name: str,
        indsatsomraade: str | None = None,
        cfbu_activity_type: str | None = None,
    ) -> None:
        """Add an activity to a plan."""
        plan = self._plan(plan_id)
        plan.plan_activity(activity_id, name, indsatsomraade, cfbu_activity_type)
        self.save(plan)

    def get_plan(self, plan_id: str) -> PlanView:
        plan = self._plan(plan_id)
        return PlanView(
            plan_id=plan.plan_id,
            name=plan.name,
            kommune=plan.kommune,
            period_start=plan.period_start,
            period_end=plan.period_end,
            activities=dict(plan.activities),
        )

    def _plan(self, plan_id: str) -> Plan:
        try:
            plan: Plan = self.repository.get(Plan.create_id(plan_id))
        except AggregateNotFoundError:
            raise NotFoundError(f"no plan {plan_id!r}") from None
        return plan

    def _forum(self, forum_id: str) -> Forum:
        try:
            forum: Forum = self.repository.get(Forum.create_id(forum_id))
        except AggregateNotFoundError:
            raise NotFoundError(f"no Samarbejdsforum {forum_id!r}") from None
        return forum

    def _save_new(self, aggregate: Forum | Plan, slug: str, *others: Forum) -> None:
        try:
            self.save(aggregate, *others)
        except IntegrityError:
            # the deterministic id makes the store refuse a second registration
            raise AlreadyRegisteredError(f"{slug!r} is already registered") from None
