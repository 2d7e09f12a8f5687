"""The agreements aggregates on their own: the rules they enforce, the events they
record (which carry the slugs consumers key on) and their deterministic ids."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from services.agreements.domain.definitions import IndicatorDefinition, definition_id
from services.agreements.domain.documents import AgreementDocument, document_id
from services.agreements.domain.errors import (
    ActivityAlreadyPlannedError,
    AgreementsError,
    NotAMemberError,
    PlanAlreadyMemberError,
    PlanPeriodError,
)
from services.agreements.domain.registry import ActivityStatus, Board, Forum, Plan
from services.agreements.domain.tokens import (
    AccessToken,
    TokenRevokedError,
    token_aggregate_id,
    token_id_of,
)

if TYPE_CHECKING:
    from eventsourcing.domain import Aggregate

START, END = date(2025, 9, 1), date(2029, 8, 31)


def _plan(plan_id: str = "plan-a") -> Plan:
    plan = Plan.register(plan_id, "Plan A", "Aarhus Kommune", START, END)
    plan.collect_events()
    return plan


def _forum(forum_id: str = "forum-a") -> Forum:
    forum = Forum(forum_id=forum_id, name="Samarbejdsforum", kommune="Aarhus")
    forum.collect_events()
    return forum


def _rebuilt(aggregate: Aggregate, events: list) -> Aggregate:
    """The aggregate as a repository would rebuild it from its events."""
    rebuilt = None
    for recorded in events:
        rebuilt = recorded.mutate(rebuilt)
    assert rebuilt is not None
    assert rebuilt.id == aggregate.id
    return rebuilt


# Plan.register


def test_a_plan_whose_period_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(PlanPeriodError, match="is not after period_start"):
        Plan.register("plan-a", "Plan A", "K", END, START)


def test_a_plan_whose_period_ends_on_the_day_it_starts_is_refused() -> None:
    # the published contract (PlanRegistered) refuses it too, so the domain must
    with pytest.raises(PlanPeriodError):
        Plan.register("plan-a", "Plan A", "K", START, START)


def test_a_plan_period_error_is_an_agreements_rule() -> None:
    # the HTTP layer maps every AgreementsError to 422
    assert issubclass(PlanPeriodError, AgreementsError)


def test_registering_a_plan_records_one_event_with_its_slug_period_and_details() -> (
    None
):
    # when
    plan = Plan.register(
        "plan-a", "Plan A", "Aarhus Kommune", START, END, {"afdelinger": ["1", "2"]}
    )
    # then
    [registered] = plan.collect_events()
    assert isinstance(registered, Plan.Registered)
    assert registered.plan_id == "plan-a"
    assert (registered.name, registered.kommune) == ("Plan A", "Aarhus Kommune")
    assert (registered.period_start, registered.period_end) == (START, END)
    assert registered.details == {"afdelinger": ["1", "2"]}
    assert registered.originator_id == plan.id
    assert registered.originator_version == 1


def test_a_plan_registered_without_details_has_empty_details_not_none() -> None:
    plan = Plan.register("plan-a", "Plan A", "K", START, END)
    [registered] = plan.collect_events()
    assert registered.details == {}
    assert plan.details == {}


# Plan.plan_activity


def test_planning_an_activity_records_the_plans_and_the_activitys_slugs() -> None:
    plan = _plan()
    # when
    plan.plan_activity(
        "ul-a1", "Lektiecafé", "UL", "lektiecafeer", ActivityStatus.CONDITIONAL
    )
    # then
    [planned] = plan.collect_events()
    assert isinstance(planned, Plan.ActivityPlanned)
    assert (planned.plan_id, planned.activity_id) == ("plan-a", "ul-a1")
    assert planned.status == "conditional"
    assert planned.spec == {}
    assert plan.activities["ul-a1"]["status"] == "conditional"


def test_planning_the_same_activity_twice_is_refused_and_the_first_stays() -> None:
    plan = _plan()
    plan.plan_activity("ul-a1", "Lektiecafé", spec={"purpose": "lektier"})
    plan.collect_events()
    # when
    with pytest.raises(ActivityAlreadyPlannedError, match="ul-a1"):
        plan.plan_activity("ul-a1", "Noget andet")
    # then nothing was recorded and the first activity is unchanged
    assert plan.collect_events() == []
    assert plan.activities["ul-a1"]["name"] == "Lektiecafé"
    assert plan.activities["ul-a1"]["spec"] == {"purpose": "lektier"}


def test_the_same_activity_id_may_be_planned_in_two_plans() -> None:
    first, second = _plan("plan-a"), _plan("plan-b")
    first.plan_activity("ul-a1", "Lektiecafé")
    second.plan_activity("ul-a1", "Lektiecafé")
    assert [e.plan_id for e in first.collect_events() + second.collect_events()] == [
        "plan-a",
        "plan-b",
    ]


def test_an_unknown_activity_status_is_refused_before_anything_is_recorded() -> None:
    plan = _plan()
    with pytest.raises(ValueError, match="bogus"):
        plan.plan_activity("ul-a1", "Lektiecafé", status="bogus")  # type: ignore[arg-type]
    assert plan.collect_events() == []
    assert plan.activities == {}


def test_a_status_change_records_both_slugs_and_its_history() -> None:
    plan = _plan()
    plan.plan_activity("ul-a1", "Lektiecafé")
    # when
    plan.change_activity_status(
        "ul-a1", ActivityStatus.ENDED, date(2027, 1, 1), "bevilling slut"
    )
    # then
    _, changed = plan.collect_events()
    assert (changed.plan_id, changed.activity_id, changed.status) == (
        "plan-a",
        "ul-a1",
        "ended",
    )
    assert plan.activities["ul-a1"]["status_history"] == [
        {"status": "ended", "from": "2027-01-01", "reason": "bevilling slut"}
    ]


def test_a_plan_rebuilt_from_its_events_has_the_same_state() -> None:
    # given a plan with an activity and a follow-up
    plan = Plan.register("plan-a", "Plan A", "K", START, END)
    plan.plan_activity("ul-a1", "Lektiecafé", "UL")
    plan.record_follow_up(date(2026, 3, 1), "bestyrelsen", ["OG1"], ["fortsæt"])
    # when its events are replayed
    rebuilt = _rebuilt(plan, plan.collect_events())
    # then
    assert isinstance(rebuilt, Plan)
    assert rebuilt.activities == plan.activities
    assert rebuilt.follow_ups == plan.follow_ups
    assert (rebuilt.period_start, rebuilt.period_end) == (START, END)
    assert rebuilt.version == plan.version == 3


# Forum


def test_a_plan_joins_a_forum_with_an_event_carrying_both_slugs() -> None:
    forum = _forum()
    forum.join("plan-a", START)
    [joined] = forum.collect_events()
    assert isinstance(joined, Forum.PlanJoined)
    assert (joined.forum_id, joined.plan_id, joined.joined_on) == (
        "forum-a",
        "plan-a",
        START,
    )


def test_joining_a_forum_twice_is_refused_and_records_nothing() -> None:
    forum = _forum()
    forum.join("plan-a", START)
    forum.collect_events()
    # when
    with pytest.raises(PlanAlreadyMemberError, match="plan-a"):
        forum.join("plan-a", date(2026, 1, 1))
    # then the first membership date stays
    assert forum.collect_events() == []
    assert forum.members == {"plan-a": START}


def test_a_plan_cannot_leave_a_forum_before_it_joined() -> None:
    forum = _forum()
    forum.join("plan-a", START)
    forum.collect_events()
    with pytest.raises(AgreementsError, match="cannot leave before it joined"):
        forum.leave("plan-a", date(2025, 8, 31))
    assert forum.collect_events() == []
    assert forum.members == {"plan-a": START}


def test_a_plan_that_never_joined_cannot_leave() -> None:
    with pytest.raises(NotAMemberError):
        _forum().leave("plan-a", START)


# Board


def test_a_board_records_governing_a_plan_once() -> None:
    board = Board(board_id="board-a", name="Bestyrelsen")
    board.collect_events()
    board.govern("plan-a")
    board.govern("plan-a")  # idempotent
    [governs] = board.collect_events()
    assert isinstance(governs, Board.Governs)
    assert (governs.board_id, governs.plan_id) == ("board-a", "plan-a")
    assert board.plans == ["plan-a"]


# Access tokens


def test_a_revoked_token_cannot_be_revoked_again() -> None:
    token = AccessToken(
        token_id="t1", digest="d" * 64, label="tool", grants=[], source_prefixes=[]
    )
    token.revoke("lost")
    with pytest.raises(TokenRevokedError):
        token.revoke("again")
    assert [type(e).__name__ for e in token.collect_events()] == ["Issued", "Revoked"]


def test_a_token_id_is_a_prefix_of_its_digest() -> None:
    digest = "0123456789abcdef" * 4
    assert token_id_of(digest) == "t0123456789abcde"


# Deterministic ids


def test_the_same_slug_always_gives_the_same_aggregate_id() -> None:
    assert Plan.register("plan-a", "A", "K", START, END).id == Plan.create_id("plan-a")
    assert _plan("plan-a").id == _plan("plan-a").id
    assert _forum("forum-a").id == Forum.create_id(forum_id="forum-a")
    assert Board(board_id="b-1", name="x").id == Board.create_id("b-1")


def test_different_slugs_give_different_ids() -> None:
    assert Plan.create_id("plan-a") != Plan.create_id("plan-b")
    assert Forum.create_id("forum-a") != Forum.create_id("forum-b")


def test_a_forum_a_board_and_a_plan_with_the_same_slug_have_different_ids() -> None:
    ids = {Plan.create_id("x-1"), Forum.create_id("x-1"), Board.create_id("x-1")}
    assert len(ids) == 3


def test_document_definition_and_token_ids_are_deterministic_and_distinct() -> None:
    document = AgreementDocument(
        plan_id="plan-a", kind="delaftale", key="UL", content={}, source_digest="d"
    )
    definition = IndicatorDefinition(
        plan_id="plan-a", indicator_id="I1", effective_from=START, definition={}
    )
    token = AccessToken(
        token_id="t1", digest="d" * 64, label="x", grants=[], source_prefixes=[]
    )
    assert document.id == document_id("plan-a", "delaftale", "UL")
    assert document.id != document_id("plan-a", "delaftale", "BE")
    assert document.id != document_id("plan-b", "delaftale", "UL")
    assert definition.id == definition_id("plan-a", "I1")
    assert token.id == token_aggregate_id("t1")
    assert len({document.id, definition.id, token.id, Plan.create_id("plan-a")}) == 4


def test_document_events_carry_the_plan_kind_and_key() -> None:
    document = AgreementDocument(
        plan_id="plan-a",
        kind="delaftale",
        key="UL",
        content={"x": 1},
        source_digest="d",
    )
    version = document.draft({"x": 2}, "nyt mål", significant=False)
    document.edit(version, {"x": 3})
    document.submit(version, "editor")
    for recorded in document.collect_events():
        assert (recorded.plan_id, recorded.kind, recorded.key) == (
            "plan-a",
            "delaftale",
            "UL",
        )
