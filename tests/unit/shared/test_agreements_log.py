"""The agreements application (in memory) and its published log: refusals store
nothing, and every stored event maps to a valid contract at its log position."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from services.agreements.application import (
    Agreements,
    AlreadyRegisteredError,
    NotFoundError,
)
from services.agreements.domain.documents import Approver, DocumentKind
from services.agreements.domain.errors import (
    AgreementsError,
)
from services.agreements.domain.registry import ActivityStatus
from services.agreements.integration import SOURCE, to_contract
from shared import access
from shared.bus.log import PublishedLog
from shared.contracts import agreements as contracts
from shared.contracts.registry import data_model, schema_uri, version_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from eventsourcing.domain import DomainEventProtocol

    from shared.contracts.envelope import IntegrationEvent

START, END = date(2025, 9, 1), date(2029, 8, 31)


@pytest.fixture
def app() -> Iterator[Agreements]:
    app = Agreements()  # no database URL: eventsourcing's in-memory (POPO) store
    yield app
    app.close()


def _head(app: Agreements) -> int:
    return app.recorder.max_notification_id() or 0


def _log(app: Agreements) -> PublishedLog:
    return PublishedLog(app, "agreements", to_contract)


def _everything(app: Agreements) -> str:
    """Give the app one event of every kind agreements publishes; return the token."""
    app.register_forum("forum-a", "Samarbejdsforum Aarhus", "Aarhus")
    app.register_board("board-a", "Bestyrelsen")
    app.register_plan(
        "plan-a", "Plan A", "Aarhus", START, END, forum_id="forum-a", board_id="board-a"
    )
    app.plan_activity("plan-a", "ul-a1", "Lektiecafé", "UL", "lektiecafeer")
    app.change_activity_status(
        "plan-a", "ul-a1", ActivityStatus.PAUSED, date(2026, 7, 1), "sommer"
    )
    app.record_follow_up("plan-a", date(2026, 3, 1), "bestyrelsen", ["OG1"], [])
    app.import_document("plan-a", DocumentKind.DELAFTALE, "UL", {"x": 1}, "digest")
    version = app.draft_revision(
        "plan-a", DocumentKind.DELAFTALE, "UL", {"x": 2}, "nyt", significant=True
    )
    app.edit_draft("plan-a", DocumentKind.DELAFTALE, "UL", version, {"x": 3})
    app.submit_revision("plan-a", DocumentKind.DELAFTALE, "UL", version, "editor")
    app.approve_revision(
        "plan-a", DocumentKind.DELAFTALE, "UL", version, Approver.BOARD, "board"
    )
    app.approve_revision(
        "plan-a", DocumentKind.DELAFTALE, "UL", version, Approver.LBF, "lbf"
    )
    app.define_indicator("plan-a", "I1", START, {"kind": "measured"})
    app.redefine_indicator(
        "plan-a", "I1", date(2026, 1, 1), {"kind": "measured"}, "ny kilde"
    )
    token_id, secret = app.issue_token(
        "tool-a", [access.Grant(plan_id="plan-a", role=access.Role.TOOL)], ["/t/"]
    )
    app.revoke_token(token_id, "lost")
    app.leave_forum("forum-a", "plan-a", date(2028, 1, 1))
    return secret


# refusals


def test_registering_a_plan_twice_is_refused_by_the_store(app: Agreements) -> None:
    app.register_plan("plan-a", "Plan A", "K", START, END)
    head = _head(app)
    # when
    with pytest.raises(AlreadyRegisteredError, match="plan-a"):
        app.register_plan("plan-a", "Another name", "K", START, END)
    # then nothing was stored and the first registration stands
    assert _head(app) == head
    assert app.plan("plan-a").name == "Plan A"


def test_registering_a_forum_or_a_board_twice_is_refused(app: Agreements) -> None:
    app.register_forum("forum-a", "F", "K")
    app.register_board("board-a", "B")
    with pytest.raises(AlreadyRegisteredError):
        app.register_forum("forum-a", "F2", "K")
    with pytest.raises(AlreadyRegisteredError):
        app.register_board("board-a", "B2")
    assert _head(app) == 2


def test_defining_an_indicator_twice_is_refused(app: Agreements) -> None:
    app.define_indicator("plan-a", "I1", START, {"kind": "measured"})
    with pytest.raises(AlreadyRegisteredError):
        app.define_indicator("plan-a", "I1", END, {"kind": "measured"})


def test_importing_a_document_twice_is_refused(app: Agreements) -> None:
    app.register_plan("plan-a", "Plan A", "K", START, END)
    app.import_document("plan-a", DocumentKind.STRATEGIC, "strategisk", {}, "d")
    with pytest.raises(AlreadyRegisteredError):
        app.import_document("plan-a", DocumentKind.STRATEGIC, "strategisk", {}, "d")


def test_registering_a_plan_twice_in_its_forum_is_refused_as_already_registered(
    app: Agreements,
) -> None:
    app.register_forum("forum-a", "F", "K")
    app.register_plan("plan-a", "Plan A", "K", START, END, forum_id="forum-a")
    head = _head(app)
    # when, then: refused (by whichever rule fires first), and nothing stored
    with pytest.raises(AgreementsError):
        app.register_plan("plan-a", "Plan A", "K", START, END, forum_id="forum-a")
    assert _head(app) == head
    assert app.forum("forum-a").members == {"plan-a": START}


def test_registering_a_plan_twice_naming_its_forum_says_already_registered(
    app: Agreements,
) -> None:
    app.register_forum("forum-a", "F", "K")
    app.register_plan("plan-a", "Plan A", "K", START, END, forum_id="forum-a")
    with pytest.raises(AlreadyRegisteredError):
        app.register_plan("plan-a", "Plan A", "K", START, END, forum_id="forum-a")


def test_a_plan_in_an_unknown_forum_is_refused_and_not_stored(
    app: Agreements,
) -> None:
    with pytest.raises(NotFoundError, match="forum-x"):
        app.register_plan("plan-a", "Plan A", "K", START, END, forum_id="forum-x")
    with pytest.raises(NotFoundError, match="board-x"):
        app.register_plan("plan-a", "Plan A", "K", START, END, board_id="board-x")
    assert _head(app) == 0
    with pytest.raises(NotFoundError):
        app.plan("plan-a")


def test_commands_on_an_unknown_plan_are_refused_as_not_found(
    app: Agreements,
) -> None:
    with pytest.raises(NotFoundError, match="plan-x"):
        app.plan_activity("plan-x", "ul-a1", "Lektiecafé")
    with pytest.raises(NotFoundError):
        app.record_follow_up("plan-x", START, "b", ["OG1"], [])
    with pytest.raises(NotFoundError):
        app.import_document("plan-x", DocumentKind.DELAFTALE, "UL", {}, "d")
    with pytest.raises(NotFoundError):
        app.draft_revision("plan-x", DocumentKind.DELAFTALE, "UL", {}, "r")
    with pytest.raises(NotFoundError):
        app.changes_since_approval("plan-x")
    with pytest.raises(NotFoundError):
        app.redefine_indicator("plan-x", "I1", END, {}, "r")
    with pytest.raises(NotFoundError):
        app.revoke_token("t-unknown", "r")
    assert _head(app) == 0


def test_a_plan_in_a_forum_and_under_a_board_is_stored_with_both_at_once(
    app: Agreements,
) -> None:
    app.register_forum("forum-a", "F", "K")
    app.register_board("board-a", "B")
    # when
    app.register_plan(
        "plan-a", "Plan A", "K", START, END, forum_id="forum-a", board_id="board-a"
    )
    # then the plan joined its forum from its start
    assert app.forum("forum-a").members == {"plan-a": START}
    types = [e.type for e in _log(app).page(2).events]
    assert types == [
        contracts.PlanRegistered.TYPE,
        contracts.PlanJoinedForum.TYPE,
        contracts.BoardGovernsPlan.TYPE,
    ]


def test_an_approval_is_pinned_to_the_log_position_it_was_given_at(
    app: Agreements,
) -> None:
    app.register_plan("plan-a", "Plan A", "K", START, END)
    app.import_document("plan-a", DocumentKind.STRATEGIC, "strategisk", {"v": 1}, "d")
    version = app.draft_revision(
        "plan-a", DocumentKind.STRATEGIC, "strategisk", {"v": 2}, "ny vision"
    )
    app.submit_revision("plan-a", DocumentKind.STRATEGIC, "strategisk", version, "e")
    head = _head(app)
    # when
    assert app.approve_revision(
        "plan-a", DocumentKind.STRATEGIC, "strategisk", version, Approver.LBF, "lbf"
    )
    # then
    [approved] = _log(app).page(head).events
    assert approved.type == contracts.DocumentVersionApproved.TYPE
    assert approved.data["log_position"] == head
    assert approved.data["content"] == {"v": 2}
    assert approved.data["imported"] is False


# the published log


def test_every_stored_event_is_published_at_its_position_as_a_valid_contract(
    app: Agreements,
) -> None:
    _everything(app)
    head = _head(app)
    # when
    page = _log(app).page(0, limit=1000)
    # then one contract per stored event, in log order, positions 1..head
    assert [e.position for e in page.events] == list(range(1, head + 1))
    assert (page.producer, page.after, page.upto, page.head) == (
        "agreements",
        0,
        head,
        head,
    )
    for event in page.events:
        model = data_model(event.type, version_of(event.dataschema))
        assert model.model_validate(event.data).model_dump(mode="json") == event.data
        assert event.source == SOURCE
        assert event.time.utcoffset() is not None
        assert event.recordedtime == event.time
    # and every event type agreements publishes appears
    published = {e.type for e in page.events}
    assert published == {model.TYPE for model in _agreements_contracts()}


def _agreements_contracts() -> list[type]:
    return [
        model
        for model in vars(contracts).values()
        if isinstance(model, type)
        and issubclass(model, contracts._Data)
        and model is not contracts._Data
    ]


def test_published_events_have_unique_ids_and_the_plan_as_subject(
    app: Agreements,
) -> None:
    _everything(app)
    events = _log(app).page(0, limit=1000).events
    assert len({e.id for e in events}) == len(events)
    for event in events:
        if "plan_id" in event.data and not event.type.endswith("forum"):
            assert event.subject == event.data["plan_id"], event.type
        if event.type == contracts.ForumRegistered.TYPE:
            assert event.subject == "forum-a"
        if event.type.startswith("dk.helhedsplan.agreements.token-"):
            assert event.subject is None


def test_the_approval_steps_are_published_as_revisions_then_one_approved_version(
    app: Agreements,
) -> None:
    _everything(app)
    events = _log(app).page(0, limit=1000).events
    documents = [
        (e.data.get("action"), e.data["version"], e.data.get("imported"))
        for e in events
        if e.type
        in (contracts.RevisionRecorded.TYPE, contracts.DocumentVersionApproved.TYPE)
    ]
    assert documents == [
        (None, 1, True),  # imported as agreed
        ("drafted", 2, None),
        ("edited", 2, None),
        ("submitted", 2, None),
        ("approved", 2, None),  # the board's approval: not yet in force
        (None, 2, False),  # LBF's approval completes it: version 2 in force
    ]


def test_a_token_is_published_as_its_digest_never_its_secret(
    app: Agreements,
) -> None:
    secret = _everything(app)
    page = _log(app).page(0, limit=1000)
    [issued] = [e for e in page.events if e.type == contracts.TokenIssued.TYPE]
    assert issued.data["digest"] == access.digest(secret)
    assert secret not in page.model_dump_json()


def test_a_page_reads_at_most_its_limit_and_says_how_far_it_read(
    app: Agreements,
) -> None:
    for n in range(5):
        app.register_board(f"board-{n}", f"B{n}")
    log = _log(app)
    # when
    first = log.page(0, limit=2)
    second = log.page(first.upto, limit=2)
    last = log.page(second.upto, limit=2)
    beyond = log.page(last.upto, limit=2)
    # then
    assert [(p.after, p.upto, p.head) for p in (first, second, last, beyond)] == [
        (0, 2, 5),
        (2, 4, 5),
        (4, 5, 5),
        (5, 5, 5),
    ]
    assert [e.position for e in first.events + second.events + last.events] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert beyond.events == []


def test_a_page_of_unpublished_events_still_reads_up_to_the_last_position(
    app: Agreements,
) -> None:
    for n in range(4):
        app.register_board(f"board-{n}", f"B{n}")

    def only_odd(event: DomainEventProtocol, position: int) -> IntegrationEvent | None:
        return to_contract(event, position) if position % 2 else None

    # when the last stored events of a page are not published
    page = PublishedLog(app, "agreements", only_odd).page(1, limit=3)
    # then upto is the last position read, not the last event's
    assert [e.position for e in page.events] == [3]
    assert (page.upto, page.head) == (4, 4)


def test_an_empty_log_has_an_empty_page_at_zero(app: Agreements) -> None:
    page = _log(app).page(0)
    assert (page.after, page.upto, page.head, page.events) == (0, 0, 0, [])


def test_an_activity_of_a_catalogue_type_is_published_with_its_documented_effect(
    app: Agreements,
) -> None:
    app.register_plan("plan-a", "Plan A", "K", START, END)
    app.plan_activity("plan-a", "ul-a1", "Naboskab", "TT", "naboskab-social-sammenhaengskraft")  # fmt: skip
    app.plan_activity("plan-a", "ul-a2", "Blåt", "TT", "blaa-ressourcer")
    app.plan_activity("plan-a", "ul-a3", "Eget", "TT", "not-in-the-catalogue")
    app.plan_activity("plan-a", "ul-a4", "Ingen type")
    events = _log(app).page(1).events
    assert [e.data["cfbu_documented_effect"] for e in events] == [
        True,
        False,
        None,
        None,
    ]


def test_the_dataschema_names_the_type_and_version_of_the_data(
    app: Agreements,
) -> None:
    app.register_forum("forum-a", "F", "K")
    [event] = _log(app).page(0).events
    assert event.dataschema == schema_uri(contracts.ForumRegistered.TYPE, 1)
    assert version_of(event.dataschema) == contracts.ForumRegistered.VERSION
