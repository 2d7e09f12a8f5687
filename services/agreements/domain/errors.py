"""The rules of agreements, as exceptions."""

from __future__ import annotations


class AgreementsError(Exception):
    """A command the agreements rules refuse."""


class PlanPeriodError(AgreementsError):
    """The plan's period ends before it starts."""


class ActivityAlreadyPlannedError(AgreementsError):
    """The plan already has an activity with this id."""


class UnknownActivityError(AgreementsError):
    """The plan has no activity with this id."""


class PlanAlreadyMemberError(AgreementsError):
    """The plan is already a member of this Samarbejdsforum."""


class NotAMemberError(AgreementsError):
    """The plan is not a member of this Samarbejdsforum."""


class RevisionError(AgreementsError):
    """A revision or approval the governance rules do not allow."""


class NotSubmittedError(RevisionError):
    """Only a submitted version can be approved."""


class ApprovedVersionIsImmutableError(RevisionError):
    """An approved (or submitted) version is never edited in place; draft a new one."""


class WrongRoleError(RevisionError):
    """The approver's role is not one this version still needs."""


class UnknownVersionError(RevisionError):
    """The document has no such version."""


class OpenDraftExistsError(RevisionError):
    """Finish or withdraw the open draft before starting another."""


class DefinitionDateError(AgreementsError):
    """A definition version must take effect after the one before it."""
