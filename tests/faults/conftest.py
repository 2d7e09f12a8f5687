"""Fixtures of the fault tests: the platform as processes, a scratch schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.settings import Settings
from shared.store import drop_schema
from tests.faults.cluster import REPORTER, Cluster
from tests.support import PG_URL


@pytest.fixture
def cluster(amqp_settings: Settings, tmp_path: Path) -> Iterator[Cluster]:
    running = Cluster(amqp_settings, tmp_path)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def scratch_url() -> Iterator[str]:
    url = f"{PG_URL}?schema=scratch_{uuid.uuid4().hex[:10]}"
    yield url
    drop_schema(url)


@pytest.fixture(autouse=True)
def _terminal(request: pytest.FixtureRequest) -> None:
    plugins = request.config.pluginmanager
    reporter, capture = (
        plugins.get_plugin("terminalreporter"),
        plugins.get_plugin("capturemanager"),
    )
    REPORTER[:] = [reporter, capture] if reporter and capture else []
