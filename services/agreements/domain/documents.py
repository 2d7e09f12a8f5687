"""Agreement documents (the strategic agreement, each delaftale) and their revisions.

A document has numbered versions. Version 1 is what was imported as agreed. A change
is drafted as a new version, edited while it is a draft, submitted, then approved by
the roles the governance rules require: LBF for the strategic agreement; the board
(bestyrelse) for a delaftale, and LBF as well when the change is significant. An
approved or submitted version is never edited in place.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from services.agreements.domain.errors import (
    ApprovedVersionIsImmutableError,
    NotSubmittedError,
    OpenDraftExistsError,
    UnknownVersionError,
    WrongRoleError,
)

NAMESPACE = uuid5(NAMESPACE_URL, "urn:helhed:agreements:documents")


class DocumentKind(StrEnum):
    STRATEGIC = "strategic"
    DELAFTALE = "delaftale"


class Approver(StrEnum):
    """Who approves revisions (the values are the access roles of the same name)."""

    BOARD = "board_approver"
    LBF = "lbf_approver"


class VersionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


def required_approvals(kind: DocumentKind, significant: bool) -> frozenset[Approver]:
    """Who must approve a change to this kind of document."""
    if kind is DocumentKind.STRATEGIC:
        return frozenset({Approver.LBF})
    if significant:
        return frozenset({Approver.BOARD, Approver.LBF})
    return frozenset({Approver.BOARD})


class Version:
    """One version's state (rebuilt from events; not stored itself)."""

    def __init__(
        self,
        number: int,
        content: dict[str, Any],
        reason: str,
        significant: bool,
        needs: frozenset[Approver],
    ) -> None:
        self.number = number
        self.content = content
        self.reason = reason
        self.significant = significant
        self.needs = needs
        self.approvals: dict[Approver, str] = {}
        self.approved_at: int | None = None  # log position of the last approval
        self.status = VersionStatus.DRAFT

    @property
    def missing(self) -> frozenset[Approver]:
        return self.needs - self.approvals.keys()


class AgreementDocument(Aggregate):
    """The strategic agreement or one delaftale of a plan, with its versions."""

    TOPIC = "agreements.AgreementDocument"

    class Created(Aggregate.Created):
        TOPIC = "agreements.AgreementDocumentCreated"

    class Imported(Aggregate.Created):
        TOPIC = "agreements.DocumentImported"
        plan_id: str
        kind: str
        key: str
        content: dict[str, Any]
        source_digest: str

    class Drafted(Aggregate.Event):
        plan_id: str
        kind: str
        key: str
        TOPIC = "agreements.RevisionDrafted"
        version: int
        content: dict[str, Any]
        reason: str
        significant: bool

    class Edited(Aggregate.Event):
        plan_id: str
        kind: str
        key: str
        TOPIC = "agreements.DraftEdited"
        version: int
        content: dict[str, Any]

    class Submitted(Aggregate.Event):
        plan_id: str
        kind: str
        key: str
        TOPIC = "agreements.RevisionSubmitted"
        version: int
        submitted_by: str

    class Approved(Aggregate.Event):
        plan_id: str
        kind: str
        key: str
        TOPIC = "agreements.RevisionApproved"
        version: int
        role: str
        approved_by: str
        complete: bool
        log_position: int
        content: dict[str, Any] | None  # the content in force, once complete

    @staticmethod
    def create_id(plan_id: str, kind: str, key: str, **_: Any) -> UUID:
        return document_id(plan_id, kind, key)

    @event(Imported)
    def __init__(
        self,
        plan_id: str,
        kind: str,
        key: str,
        content: dict[str, Any],
        source_digest: str,
    ) -> None:
        self.plan_id = plan_id
        self.kind = DocumentKind(kind)
        self.key = key
        self.source_digest = source_digest
        first = Version(1, content, "imported", False, frozenset())
        first.status = VersionStatus.APPROVED
        self.versions: list[Version] = [first]

    # queries

    @property
    def approved(self) -> Version:
        """The last version in force (fully approved)."""
        return next(
            v for v in reversed(self.versions) if v.status is VersionStatus.APPROVED
        )

    @property
    def latest(self) -> Version:
        return self.versions[-1]

    def get_version(self, number: int) -> Version:
        if not 1 <= number <= len(self.versions):
            raise UnknownVersionError(
                f"{self.kind} {self.key} of {self.plan_id} has no version {number}"
            )
        return self.versions[number - 1]

    # commands

    def draft(self, content: dict[str, Any], reason: str, significant: bool) -> int:
        """Start a new version from changed content; returns its number."""
        if self.latest.status is not VersionStatus.APPROVED:
            raise OpenDraftExistsError(
                f"version {self.latest.number} is still {self.latest.status}; "
                "edit or approve it before drafting another"
            )
        number = len(self.versions) + 1
        self._drafted(
            **self._ref(),
            version=number,
            content=content,
            reason=reason,
            significant=significant,
        )
        return number

    def edit(self, number: int, content: dict[str, Any]) -> None:
        version = self.get_version(number)
        if version.status is not VersionStatus.DRAFT:
            raise ApprovedVersionIsImmutableError(
                f"version {number} is {version.status} and cannot be edited in place; "
                "draft a new version"
            )
        self._edited(**self._ref(), version=number, content=content)

    def submit(self, number: int, submitted_by: str) -> None:
        version = self.get_version(number)
        if version.status is not VersionStatus.DRAFT:
            raise ApprovedVersionIsImmutableError(
                f"version {number} is {version.status}; only a draft can be submitted"
            )
        self._submitted(**self._ref(), version=number, submitted_by=submitted_by)

    def approve(
        self, number: int, role: Approver, approved_by: str, log_position: int
    ) -> bool:
        """Record one approval, pinned to the log position it was given at;
        True when the version is now in force."""
        version = self.get_version(number)
        if version.status is not VersionStatus.SUBMITTED:
            raise NotSubmittedError(
                f"version {number} is {version.status}; only a submitted version "
                "can be approved"
            )
        if role not in version.missing:
            needed = ", ".join(sorted(version.missing)) or "nobody"
            raise WrongRoleError(
                f"version {number} needs approval by {needed}, not by {role}"
            )
        complete = version.missing == {role}
        self._approved(
            **self._ref(),
            version=number,
            role=role.value,
            approved_by=approved_by,
            complete=complete,
            log_position=log_position,
            content=version.content if complete else None,
        )
        return complete

    def _ref(self) -> dict[str, str]:
        return {"plan_id": self.plan_id, "kind": self.kind.value, "key": self.key}

    # mutators

    @event(Drafted)
    def _drafted(
        self,
        plan_id: str,
        kind: str,
        key: str,
        version: int,
        content: dict[str, Any],
        reason: str,
        significant: bool,
    ) -> None:
        needs = required_approvals(self.kind, significant)
        self.versions.append(Version(version, content, reason, significant, needs))

    @event(Edited)
    def _edited(
        self, plan_id: str, kind: str, key: str, version: int, content: dict[str, Any]
    ) -> None:
        self.versions[version - 1].content = content

    @event(Submitted)
    def _submitted(
        self, plan_id: str, kind: str, key: str, version: int, submitted_by: str
    ) -> None:
        self.versions[version - 1].status = VersionStatus.SUBMITTED

    @event(Approved)
    def _approved(
        self,
        plan_id: str,
        kind: str,
        key: str,
        version: int,
        role: str,
        approved_by: str,
        complete: bool,
        log_position: int,
        content: dict[str, Any] | None,
    ) -> None:
        target = self.versions[version - 1]
        target.approvals[Approver(role)] = approved_by
        target.approved_at = log_position
        if complete:
            target.status = VersionStatus.APPROVED


def document_id(plan_id: str, kind: str, key: str) -> UUID:
    return uuid5(NAMESPACE, f"{plan_id}/{kind}/{key}")
