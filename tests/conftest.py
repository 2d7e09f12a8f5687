"""Test set-up: eventlet first, then fixtures for isolated stores and brokers.

Integration tests use the real RabbitMQ and PostgreSQL on this machine, each test
in a fresh vhost and fresh schemas. Under CI=true a service that cannot be reached
fails the test instead of skipping it.
"""

from shared.green import green

green()  # before anything imports socket, threading or psycopg

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from shared.settings import Settings  # noqa: E402
from tests.support import (  # noqa: E402
    clear_memory_transport,
    embedded_settings_for,
    fresh_schemas,
    fresh_vhost,
    production_settings_for,
)


@pytest.fixture
def embedded_settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings for the embedded mode: memory:// and SQLite files under tmp_path."""
    clear_memory_transport()
    yield embedded_settings_for(tmp_path)
    clear_memory_transport()


@pytest.fixture
def rabbit_vhost() -> Iterator[str]:
    """A fresh RabbitMQ vhost for one test; its AMQP URI."""
    with fresh_vhost() as uri:
        yield uri


@pytest.fixture
def pg_databases() -> Iterator[dict[str, str]]:
    """Fresh PostgreSQL schemas, one per service: {"agreements_db": url, ...}."""
    with fresh_schemas() as urls:
        yield urls


@pytest.fixture
def amqp_settings(
    tmp_path: Path, rabbit_vhost: str, pg_databases: dict[str, str]
) -> Settings:
    """Settings for production mode: the real RabbitMQ and PostgreSQL."""
    return production_settings_for(tmp_path, rabbit_vhost, pg_databases)


from tests.demo import demo_platform  # noqa: E402, F401 - the demo, once per session
