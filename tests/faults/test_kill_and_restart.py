"""kill -9 of the indicators process in the middle of 50,000 events."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.faults.cluster import Cluster, report

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]

PLAN = "plan-faults"
ACTIVITIES = ["lektiecafe", "jobcafe", "klub"]
SESSION_HELD = "dk.helhedsplan.activity.session-held"


def sessions(first: int, count: int) -> list[dict[str, object]]:
    start = datetime(2025, 1, 6, 16, tzinfo=UTC)
    return [
        {
            "specversion": "1.0",
            "id": f"fault-{n}",
            "source": "/tools/faults",
            "type": SESSION_HELD,
            "time": (start + timedelta(minutes=10 * n)).isoformat(),
            "data": {
                "plan_id": PLAN,
                "activity_id": ACTIVITIES[n % 3],
                "participants": 3 + n % 11,
            },
        }
        for n in range(first, first + count)
    ]


def post_all(
    cluster: Cluster, total: int, batch: int, posted: list[int], errors: list[str]
) -> None:
    try:
        for first in range(0, total, batch):
            answer = cluster.post_batch(sessions(first, min(batch, total - first)))
            if answer["rejected"] or answer["conflicts"]:
                errors.append(str(answer)[:2000])
                return
            posted.append(answer["accepted"] + answer["duplicates"])
    except Exception as error:
        errors.append(repr(error))


def test_indicators_killed_mid_stream_restarts_to_a_projection_equal_to_a_rebuild(
    cluster: Cluster, scratch_url: str
) -> None:
    total = 50_000
    cluster.start()
    cluster.register_plan(PLAN, ACTIVITIES)
    cluster.wait_synced()
    posted: list[int] = []
    errors: list[str] = []
    poster = threading.Thread(
        target=post_all, args=(cluster, total, 1000, posted, errors)
    )
    poster.start()
    while sum(posted) < total // 4 and not errors:  # a quarter in: kill -9
        time.sleep(0.2)
    cluster.kill("indicators")
    killed_at = sum(posted)
    time.sleep(2)
    cluster.start("indicators")
    poster.join(timeout=400)
    assert not poster.is_alive()
    assert not errors, errors
    heads = cluster.wait_synced(300)
    counted = cluster.sessions(PLAN)["total_sessions"]
    rebuilt, live = cluster.rebuild_hashes(scratch_url)
    report(
        "kill -9 indicators",
        posted=sum(posted),
        killed_after=killed_at,
        activities_head=heads["activities"],
        sessions_counted=counted,
        rebuilt=rebuilt[:12],
        live=live[:12],
    )
    assert sum(posted) == total
    assert counted == total
    assert rebuilt == live
