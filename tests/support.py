"""Helpers for tests: ports, reachability of the real services, transport reset."""

from __future__ import annotations

import os
import socket

import pytest

RABBIT_HOST, RABBIT_PORT = "127.0.0.1", 5672
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI") == "true"


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
