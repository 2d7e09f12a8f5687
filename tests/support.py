"""Helpers for tests: ports, the real services, isolation, transport reset."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from shared.settings import SERVICE_NAMES, Settings
from shared.store import drop_schema

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

RABBIT_HOST, RABBIT_PORT = "127.0.0.1", 5672
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI") == "true"
ADMIN_TOKEN = "hh_test-administrator"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require(name: str, host: str, port: int) -> None:
    if _reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: integration services are required)")
    pytest.skip(f"{message}; run `make services-up`")


def clear_memory_transport() -> None:
    """kombu's memory transport is process-global: empty it between tests."""
    from kombu.transport import memory

    memory.Channel.queues.clear()
    memory.Transport.global_state.clear()


def ports() -> dict[str, str]:
    return {f"{name}_http": f"127.0.0.1:{free_port()}" for name in SERVICE_NAMES}


@contextmanager
def fresh_vhost() -> Iterator[str]:
    """A RabbitMQ vhost of its own (deleted afterwards); its AMQP URI."""
    require("RabbitMQ", RABBIT_HOST, RABBIT_PORT)
    vhost = f"helhed-test-{uuid.uuid4().hex[:10]}"
    rabbitmqctl = ["rabbitmqctl", "-q"]
    subprocess.run([*rabbitmqctl, "add_vhost", vhost], check=True)
    subprocess.run(
        [*rabbitmqctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
        check=True,
    )
    try:
        yield f"amqp://guest:guest@{RABBIT_HOST}:{RABBIT_PORT}/{vhost}"
    finally:
        subprocess.run([*rabbitmqctl, "delete_vhost", vhost], check=False)


@contextmanager
def fresh_schemas() -> Iterator[dict[str, str]]:
    """PostgreSQL schemas of their own, one per service (dropped afterwards)."""
    require("PostgreSQL", "127.0.0.1", 5432)
    prefix = f"t{uuid.uuid4().hex[:10]}"
    urls = {f"{name}_db": f"{PG_URL}?schema={prefix}_{name}" for name in SERVICE_NAMES}
    try:
        yield urls
    finally:
        for url in urls.values():
            drop_schema(url)


def embedded_settings_for(tmp_path: Path) -> Settings:
    return Settings(
        amqp_uri="memory://",
        data_dir=tmp_path / "data",
        admin_token=ADMIN_TOKEN,
        **ports(),
    )


def production_settings_for(
    tmp_path: Path, amqp_uri: str, databases: dict[str, str]
) -> Settings:
    return Settings(
        amqp_uri=amqp_uri,
        data_dir=tmp_path / "data",
        admin_token=ADMIN_TOKEN,
        **databases,
        **ports(),
    )
