"""Fixtures: the whole platform started in embedded mode or on RabbitMQ."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.runner import Platform
from shared.settings import Settings
from tests.integration.scenario import Scenario


@pytest.fixture
def embedded(embedded_settings: Settings) -> Iterator[Scenario]:
    with Platform(embedded_settings):
        yield Scenario(embedded_settings)


@pytest.fixture
def on_rabbitmq(amqp_settings: Settings) -> Iterator[Scenario]:
    with Platform(amqp_settings):
        yield Scenario(amqp_settings)
