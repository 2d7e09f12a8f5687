"""Given/when/then tests of the agreements aggregates."""

from __future__ import annotations

from datetime import date

import pytest

from services.agreements.domain.definitions import IndicatorDefinition
from services.agreements.domain.documents import (
    AgreementDocument,
    Approver,
    VersionStatus,
)
from services.agreements.domain.errors import (
    ActivityAlreadyPlannedError,
    ApprovedVersionIsImmutableError,
    DefinitionDateError,
    NotAMemberError,
    NotSubmittedError,
    OpenDraftExistsError,
    PlanAlreadyMemberError,
    PlanPeriodError,
    UnknownActivityError,
    WrongRoleError,
)
from services.agreements.domain.registry import ActivityStatus, Forum, Plan

START, END = date(2025, 9, 1), date(2029, 8, 31)


def _plan() -> Plan:
    plan = Plan.register("plan-a", "Plan A", "Københavns Kommune", START, END)
    plan.collect_events()
    return plan


def _document(kind: str = "delaftale") -> AgreementDocument:
    document = AgreementDocument(
        plan_id="plan-a", kind=kind, key="UL", content={"x": 1}, source_digest="d"
    )
    document.collect_events()
    return document


def test_registering_a_plan_records_its_period_and_a_deterministic_id() -> None:
    plan = Plan.register("plan-a", "Plan A", "K", START, END)
    [registered] = plan.collect_events()
    assert isinstance(registered, Plan.Registered)
    assert (registered.period_start, registered.period_end) == (START, END)
    assert plan.id == Plan.create_id("plan-a")


def test_a_plan_cannot_end_before_it_starts() -> None:
    with pytest.raises(PlanPeriodError):
        Plan.register("plan-a", "Plan A", "K", END, START)


def test_an_activity_is_planned_once_and_its_status_changes_from_a_date() -> None:
    plan = _plan()
    plan.plan_activity("ul-a1", "Lektiecafé", "UL", "lektiecafeer")
    with pytest.raises(ActivityAlreadyPlannedError):
        plan.plan_activity("ul-a1", "Igen")
    plan.change_activity_status(
        "ul-a1", ActivityStatus.PAUSED, date(2026, 7, 1), "sommerferie"
    )
    planned, paused = plan.collect_events()
    assert isinstance(planned, Plan.ActivityPlanned)
    assert isinstance(paused, Plan.ActivityStatusChanged)
    assert paused.plan_id == "plan-a"
    assert plan.activities["ul-a1"]["status"] == "paused"
    with pytest.raises(UnknownActivityError):
        plan.change_activity_status("nope", ActivityStatus.ENDED, date(2026, 1, 1), "x")


def test_a_follow_up_must_name_the_goals_it_reviewed() -> None:
    plan = _plan()
    plan.record_follow_up(
        date(2026, 3, 1), "bestyrelsen", ["OG1", "UL-D1"], ["fortsæt"]
    )
    assert plan.follow_ups[0]["goals_reviewed"] == ["OG1", "UL-D1"]
    with pytest.raises(Exception, match="names the goals"):
        plan.record_follow_up(date(2026, 3, 2), "bestyrelsen", [], [])


def test_a_plan_joins_and_leaves_a_samarbejdsforum_on_dates() -> None:
    forum = Forum(forum_id="forum-a", name="Samarbejdsforum", kommune="K")
    forum.join("plan-a", START)
    with pytest.raises(PlanAlreadyMemberError):
        forum.join("plan-a", START)
    forum.leave("plan-a", date(2027, 1, 1))
    assert forum.members == {}
    assert forum.former == {"plan-a": (START, date(2027, 1, 1))}
    with pytest.raises(NotAMemberError):
        forum.leave("plan-a", date(2027, 2, 1))


def test_a_delaftale_change_approved_by_the_board_comes_into_force() -> None:
    document = _document()
    # given a drafted and submitted change
    version = document.draft({"x": 2}, "nyt mål", significant=False)
    document.submit(version, "editor")
    # when the board approves it
    in_force = document.approve(version, Approver.BOARD, "board", log_position=42)
    # then it is in force, pinned to the log position, with the approved content
    assert in_force
    assert document.approved.number == version
    *_, approved = document.collect_events()
    assert isinstance(approved, AgreementDocument.Approved)
    assert (approved.log_position, approved.content) == (42, {"x": 2})


def test_a_significant_change_needs_the_board_and_lbf() -> None:
    document = _document()
    version = document.draft({"x": 2}, "væsentlig", significant=True)
    document.submit(version, "editor")
    assert document.approve(version, Approver.BOARD, "board", 1) is False
    assert document.get_version(version).status is VersionStatus.SUBMITTED
    with pytest.raises(WrongRoleError, match="needs approval by lbf_approver"):
        document.approve(version, Approver.BOARD, "board", 2)
    assert document.approve(version, Approver.LBF, "lbf", 3) is True


def test_the_strategic_agreement_is_approved_by_lbf_only() -> None:
    document = _document("strategic")
    version = document.draft({"vision": "ny"}, "revision", significant=False)
    document.submit(version, "editor")
    with pytest.raises(WrongRoleError):
        document.approve(version, Approver.BOARD, "board", 1)
    assert document.approve(version, Approver.LBF, "lbf", 2)


def test_what_the_rules_forbid_is_refused_and_records_nothing() -> None:
    document = _document()
    version = document.draft({"x": 2}, "r", significant=False)
    with pytest.raises(NotSubmittedError):
        document.approve(version, Approver.BOARD, "board", 1)
    with pytest.raises(OpenDraftExistsError):
        document.draft({"x": 3}, "r", significant=False)
    document.submit(version, "editor")
    with pytest.raises(ApprovedVersionIsImmutableError):
        document.edit(version, {"x": 4})
    document.approve(version, Approver.BOARD, "board", 1)
    with pytest.raises(ApprovedVersionIsImmutableError):
        document.edit(version, {"x": 5})
    with pytest.raises(ApprovedVersionIsImmutableError):
        document.edit(1, {"x": 6})
    recorded = [type(e).__name__ for e in document.collect_events()]
    assert recorded == ["Drafted", "Submitted", "Approved"]


def test_a_definition_takes_effect_from_its_date_and_only_after_the_last() -> None:
    definition = IndicatorDefinition(
        plan_id="plan-a",
        indicator_id="I1",
        effective_from=START,
        definition={"kind": "measured"},
    )
    definition.redefine(date(2026, 1, 1), {"kind": "derived"}, "beregnes nu")
    assert definition.in_force(date(2025, 12, 31)) == {"kind": "measured"}
    assert definition.in_force(date(2026, 1, 1)) == {"kind": "derived"}
    assert definition.in_force(date(2025, 1, 1)) is None
    with pytest.raises(DefinitionDateError):
        definition.redefine(date(2025, 12, 1), {"kind": "measured"}, "for tidligt")
