"""Test set-up: eventlet first, then fixtures for isolated stores and brokers.

Integration tests use the real RabbitMQ and PostgreSQL on this machine, each test
in a fresh vhost and fresh schemas. Under CI=true a service that cannot be reached
fails the test instead of skipping it.
"""

from shared.green import green

green()  # before anything imports socket, threading or psycopg

import subprocess  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from shared.settings import SERVICE_NAMES, Settings  # noqa: E402
from shared.store import drop_schema  # noqa: E402
from tests.support import (  # noqa: E402
    PG_URL,
    RABBIT_HOST,
    RABBIT_PORT,
    clear_memory_transport,
    free_port,
    require,
)


ADMIN_TOKEN = "hh_test-administrator"


def _ports() -> dict[str, str]:
    return {f"{name}_http": f"127.0.0.1:{free_port()}" for name in SERVICE_NAMES}


@pytest.fixture
def embedded_settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings for the embedded mode: memory:// and SQLite files under tmp_path."""
    clear_memory_transport()
    yield Settings(
        amqp_uri="memory://",
        data_dir=tmp_path / "data",
        admin_token=ADMIN_TOKEN,
        **_ports(),
    )
    clear_memory_transport()


@pytest.fixture
def rabbit_vhost() -> Iterator[str]:
    """A fresh RabbitMQ vhost for one test; its AMQP URI."""
    require("RabbitMQ", RABBIT_HOST, RABBIT_PORT)
    vhost = f"helhed-test-{uuid.uuid4().hex[:10]}"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", vhost], check=True)
    subprocess.run(
        [
            "rabbitmqctl",
            "-q",
            "set_permissions",
            "-p",
            vhost,
            "guest",
            ".*",
            ".*",
            ".*",
        ],
        check=True,
    )
    yield f"amqp://guest:guest@{RABBIT_HOST}:{RABBIT_PORT}/{vhost}"
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], check=False)


@pytest.fixture
def pg_databases() -> Iterator[dict[str, str]]:
    """Fresh PostgreSQL schemas, one per service: {"agreements_db": url, ...}."""
    require("PostgreSQL", "127.0.0.1", 5432)
    prefix = f"t{uuid.uuid4().hex[:10]}"
    urls = {f"{name}_db": f"{PG_URL}?schema={prefix}_{name}" for name in SERVICE_NAMES}
    yield urls
    for url in urls.values():
        drop_schema(url)


@pytest.fixture
def amqp_settings(
    tmp_path: Path, rabbit_vhost: str, pg_databases: dict[str, str]
) -> Settings:
    """Settings for production mode: the real RabbitMQ and PostgreSQL."""
    return Settings(
        amqp_uri=rabbit_vhost,
        data_dir=tmp_path / "data",
        admin_token=ADMIN_TOKEN,
        **pg_databases,
        **_ports(),
    )
