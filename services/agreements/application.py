"""The agreements application: commands in, ids and plain views out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.agreements.changes import Change, diff
from services.agreements.domain.definitions import IndicatorDefinition, definition_id
from services.agreements.domain.documents import (
    AgreementDocument,
    Approver,
    DocumentKind,
    document_id,
)
from services.agreements.domain.errors import AgreementsError
from services.agreements.domain.registry import ActivityStatus, Board, Forum, Plan
from services.agreements.domain.tokens import (
    AccessToken,
    token_aggregate_id,
    token_id_of,
)
from shared import access
from shared.eventstore import ServiceApplication

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date
    from uuid import UUID

    from eventsourcing.domain import Aggregate

A = TypeVar("A", bound="Aggregate")

#: LBF's four fixed indsatsområder, the keys of a plan's delaftaler.
INDSATSOMRAADER = ("UL", "BE", "KF", "SM")
STRATEGIC_KEY = "strategisk"


class NotFoundError(AgreementsError):
    """No forum, board, plan, document, definition or token with this id."""


class AlreadyRegisteredError(AgreementsError):
    """Something with this id is already registered."""


@dataclass(frozen=True)
class DocumentChanges:
    """What changed in one document since the version last approved."""

    kind: str
    key: str
    approved_version: int
    approved_at: int | None
    latest_version: int
    latest_status: str
    changes: list[Change]


class Agreements(ServiceApplication):
    """Plans, Samarbejdsforum and what was agreed for them, revised and approved."""

    name = "agreements"

    # Samarbejdsforum, boards, plans

    def register_forum(self, forum_id: str, name: str, kommune: str) -> str:
        """Register a Samarbejdsforum."""
        self._save_new(Forum(forum_id=forum_id, name=name, kommune=kommune), forum_id)
        return forum_id

    def register_board(self, board_id: str, name: str) -> str:
        """Register a bestyrelse."""
        self._save_new(Board(board_id=board_id, name=name), board_id)
        return board_id

    def register_plan(
        self,
        plan_id: str,
        name: str,
        kommune: str,
        period_start: date,
        period_end: date,
        forum_id: str | None = None,
        board_id: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> str:
        """Register a helhedsplan; it joins its forum from its start, if named."""
        if Plan.create_id(plan_id) in self.repository:  # before the forum refuses it
            raise AlreadyRegisteredError(f"{plan_id!r} is already registered")
        plan = Plan.register(plan_id, name, kommune, period_start, period_end, details)
        others: list[Forum | Board] = []
        if forum_id is not None:
            forum = self._get(
                Forum, Forum.create_id(forum_id), "Samarbejdsforum", forum_id
            )
            forum.join(plan_id, joined_on=period_start)
            others.append(forum)
        if board_id is not None:
            board = self._get(Board, Board.create_id(board_id), "bestyrelse", board_id)
            board.govern(plan_id)
            others.append(board)
        self._save_new(plan, plan_id, *others)
        return plan_id

    def leave_forum(self, forum_id: str, plan_id: str, left_on: date) -> None:
        forum = self._get(Forum, Forum.create_id(forum_id), "Samarbejdsforum", forum_id)
        forum.leave(plan_id, left_on)
        self.save(forum)

    def plan_activity(
        self,
        plan_id: str,
        activity_id: str,
        name: str,
        indsatsomraade: str | None = None,
        cfbu_activity_type: str | None = None,
        status: ActivityStatus = ActivityStatus.PLANNED,
        spec: dict[str, Any] | None = None,
    ) -> None:
        """Add an activity to a plan."""
        plan = self.plan(plan_id)
        plan.plan_activity(
            activity_id, name, indsatsomraade, cfbu_activity_type, status, spec
        )
        self.save(plan)

    def change_activity_status(
        self,
        plan_id: str,
        activity_id: str,
        status: ActivityStatus,
        effective_from: date,
        reason: str,
    ) -> None:
        plan = self.plan(plan_id)
        plan.change_activity_status(activity_id, status, effective_from, reason)
        self.save(plan)

    def record_follow_up(
        self,
        plan_id: str,
        held_on: date,
        body: str,
        goals_reviewed: list[str],
        decisions: list[str],
    ) -> None:
        """Record a board meeting that followed up on the plan's goals."""
        plan = self.plan(plan_id)
        plan.record_follow_up(held_on, body, goals_reviewed, decisions)
        self.save(plan)

    def plan(self, plan_id: str) -> Plan:
        return self._get(Plan, Plan.create_id(plan_id), "plan", plan_id)

    def forum(self, forum_id: str) -> Forum:
        return self._get(Forum, Forum.create_id(forum_id), "Samarbejdsforum", forum_id)

    # agreement documents and their revisions

    def import_document(
        self,
        plan_id: str,
        kind: DocumentKind,
        key: str,
        content: dict[str, Any],
        digest: str,
    ) -> None:
        """Record a document as agreed (version 1), e.g. from an agreement file."""
        self.plan(plan_id)  # it must exist
        document = AgreementDocument(
            plan_id=plan_id,
            kind=kind.value,
            key=key,
            content=content,
            source_digest=digest,
        )
        self._save_new(document, f"{plan_id} {kind} {key}")

    def draft_revision(
        self,
        plan_id: str,
        kind: DocumentKind,
        key: str,
        content: dict[str, Any],
        reason: str,
        significant: bool = False,
    ) -> int:
        """Draft a new version of a document; returns its number."""
        document = self.document(plan_id, kind, key)
        number = document.draft(content, reason, significant)
        self.save(document)
        return number

    def edit_draft(
        self,
        plan_id: str,
        kind: DocumentKind,
        key: str,
        version: int,
        content: dict[str, Any],
    ) -> None:
        document = self.document(plan_id, kind, key)
        document.edit(version, content)
        self.save(document)

    def submit_revision(
        self,
        plan_id: str,
        kind: DocumentKind,
        key: str,
        version: int,
        submitted_by: str,
    ) -> None:
        document = self.document(plan_id, kind, key)
        document.submit(version, submitted_by)
        self.save(document)

    def approve_revision(
        self,
        plan_id: str,
        kind: DocumentKind,
        key: str,
        version: int,
        role: Approver,
        approved_by: str,
    ) -> bool:
        """Record an approval, pinned to the log's position now; True if in force."""
        document = self.document(plan_id, kind, key)
        position = self.recorder.max_notification_id() or 0
        complete = document.approve(version, role, approved_by, position)
        self.save(document)
        return complete

    def document(self, plan_id: str, kind: DocumentKind, key: str) -> AgreementDocument:
        return self._get(
            AgreementDocument,
            document_id(plan_id, kind.value, key),
            f"{kind} document",
            f"{plan_id}/{key}",
        )

    def documents(self, plan_id: str) -> Iterator[AgreementDocument]:
        """The plan's strategic agreement and delaftaler that exist."""
        keys = [(DocumentKind.STRATEGIC, STRATEGIC_KEY)] + [
            (DocumentKind.DELAFTALE, code) for code in INDSATSOMRAADER
        ]
        for kind, key in keys:
            aggregate_id = document_id(plan_id, kind.value, key)
            if aggregate_id in self.repository:
                yield self.repository.get(aggregate_id)

    def changes_since_approval(self, plan_id: str) -> list[DocumentChanges]:
        """Per document: the changes of its latest version against the one in force."""
        self.plan(plan_id)
        result = []
        for document in self.documents(plan_id):
            approved, latest = document.approved, document.latest
            result.append(
                DocumentChanges(
                    kind=document.kind.value,
                    key=document.key,
                    approved_version=approved.number,
                    approved_at=approved.approved_at,
                    latest_version=latest.number,
                    latest_status=latest.status.value,
                    changes=diff(approved.content, latest.content),
                )
            )
        return result

    # indicator definitions

    def define_indicator(
        self,
        plan_id: str,
        indicator_id: str,
        effective_from: date,
        definition: dict[str, Any],
    ) -> None:
        aggregate = IndicatorDefinition(
            plan_id=plan_id,
            indicator_id=indicator_id,
            effective_from=effective_from,
            definition=definition,
        )
        self._save_new(aggregate, f"{plan_id} {indicator_id}")

    def redefine_indicator(
        self,
        plan_id: str,
        indicator_id: str,
        effective_from: date,
        definition: dict[str, Any],
        reason: str,
    ) -> None:
        aggregate = self.definition(plan_id, indicator_id)
        aggregate.redefine(effective_from, definition, reason)
        self.save(aggregate)

    def definition(self, plan_id: str, indicator_id: str) -> IndicatorDefinition:
        return self._get(
            IndicatorDefinition,
            definition_id(plan_id, indicator_id),
            "indicator definition",
            f"{plan_id}/{indicator_id}",
        )

    # access tokens

    def issue_token(
        self,
        label: str,
        grants: list[access.Grant],
        source_prefixes: list[str] | None = None,
    ) -> tuple[str, str]:
        """A new token: (its id, the secret, shown once; only its digest is kept)."""
        secret = access.new_token()
        digest = access.digest(secret)
        token_id = token_id_of(digest)
        self._save_new(
            AccessToken(
                token_id=token_id,
                digest=digest,
                label=label,
                grants=[grant.model_dump(mode="json") for grant in grants],
                source_prefixes=list(source_prefixes or []),
            ),
            token_id,
        )
        return token_id, secret

    def revoke_token(self, token_id: str, reason: str) -> None:
        token = self._get(AccessToken, token_aggregate_id(token_id), "token", token_id)
        token.revoke(reason)
        self.save(token)

    def authenticate(self, secret: str) -> access.Principal:
        """Who holds this token, or UnauthenticatedError."""
        digest = access.digest(secret)
        aggregate_id = token_aggregate_id(token_id_of(digest))
        if aggregate_id not in self.repository:
            raise access.UnauthenticatedError("unknown token")
        token: AccessToken = self.repository.get(aggregate_id)
        if token.revoked or token.digest != digest:
            raise access.UnauthenticatedError("unknown or revoked token")
        return access.Principal(
            token_id=token.token_id,
            label=token.label,
            grants=tuple(access.Grant.model_validate(g) for g in token.grants),
            source_prefixes=tuple(token.source_prefixes),
        )

    # helpers

    def _get(self, cls: type[A], aggregate_id: UUID, what: str, name: str) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"no {what} {name!r}") from None
        assert isinstance(aggregate, cls)
        return aggregate

    def _save_new(self, aggregate: Aggregate, name: str, *others: Aggregate) -> None:
        try:
            self.save(aggregate, *others)
        except IntegrityError:
            # the deterministic id makes the store refuse a second registration
            raise AlreadyRegisteredError(f"{name!r} is already registered") from None
