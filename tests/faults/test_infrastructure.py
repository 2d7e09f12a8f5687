"""RabbitMQ stopped and started, PostgreSQL restarted, in the middle of a stream:
relays and consumers reconnect, nothing is lost, nothing counted twice."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.faults.cluster import Cluster, report
from tests.faults.test_kill_and_restart import ACTIVITIES, PLAN, post_all

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]
TOTAL = 10_000


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def _pg_cluster() -> list[str]:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def _stream_through(
    cluster: Cluster, outage: str, stop: list[str], start: list[str], scratch_url: str
) -> None:
    cluster.start()
    cluster.register_plan(PLAN, ACTIVITIES)
    cluster.wait_synced()
    posted: list[int] = []
    errors: list[str] = []
    poster = threading.Thread(
        target=post_all, args=(cluster, TOTAL, 500, posted, errors)
    )
    poster.start()
    while sum(posted) < TOTAL // 5 and not errors:
        time.sleep(0.1)
    began = time.monotonic()
    try:
        _run(*stop)
        time.sleep(5)
    finally:
        _run(*start)
    down = time.monotonic() - began
    poster.join(timeout=400)
    assert not errors, errors
    heads = cluster.wait_synced(300)
    relayed = _relayed(cluster)
    counted = cluster.sessions(PLAN)["total_sessions"]
    rebuilt, live = cluster.rebuild_hashes(scratch_url)
    alive = cluster.alive()
    report(
        outage,
        posted=sum(posted),
        outage_seconds=round(down, 1),
        activities_head=heads["activities"],
        sessions_counted=counted,
        relayed_to_head=relayed,
        processes_alive=alive,
        rebuilt=rebuilt[:12],
        live=live[:12],
    )
    assert all(alive.values()), alive
    assert relayed  # the relay reconnected and published everything after
    assert sum(posted) == counted == TOTAL
    assert rebuilt == live


def _relayed(cluster: Cluster, seconds: float = 120) -> bool:
    """Whether the activities relay publishes up to its log's head again."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cluster.wait_healthy("activities").get("relay_lag") == 0:
            return True
        time.sleep(0.5)
    return False


def test_rabbitmq_stopped_and_started_mid_stream_loses_and_doubles_nothing(
    cluster: Cluster, scratch_url: str
) -> None:
    _stream_through(
        cluster,
        "rabbitmq stop_app/start_app",
        ["rabbitmqctl", "stop_app"],
        ["rabbitmqctl", "start_app"],
        scratch_url,
    )


def test_postgresql_restarted_mid_stream_loses_and_doubles_nothing(
    cluster: Cluster, scratch_url: str
) -> None:
    _stream_through(
        cluster,
        "postgresql restart",
        [*_pg_cluster(), "stop"],
        [*_pg_cluster(), "start"],
        scratch_url,
    )
