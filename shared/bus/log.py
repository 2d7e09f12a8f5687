"""Reading a service's notification log as published integration events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from shared.contracts.envelope import IntegrationEvent, NotificationPage

if TYPE_CHECKING:
    from eventsourcing.application import Application
    from eventsourcing.domain import DomainEventProtocol


class ToContract(Protocol):
    """A service's one mapping from a stored domain event to its published form."""

    def __call__(
        self, event: DomainEventProtocol, position: int
    ) -> IntegrationEvent | None: ...


class PublishedLog:
    """A service's notification log, seen through its contract mapping."""

    def __init__(self, app: Application, producer: str, to_contract: ToContract):
        self.app = app
        self.producer = producer
        self._to_contract = to_contract

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def page(self, after: int, limit: int = 500) -> NotificationPage:
        """Events published after position ``after``, up to ``limit`` stored ones."""
        notifications = self.app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        events: list[IntegrationEvent] = []
        for notification in notifications:
            domain_event = self.app.mapper.to_domain_event(notification)
            contract = self._to_contract(domain_event, notification.id)
            if contract is not None:
                events.append(contract)
        upto = notifications[-1].id if notifications else after
        return NotificationPage(
            producer=self.producer,
            after=after,
            upto=upto,
            head=max(self.head(), upto),
            events=events,
        )
