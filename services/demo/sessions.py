"""Generated "session held" events for the demo (source ``/helhed/demo``)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shared.contracts.activities import SessionHeld
from shared.contracts.registry import schema_uri

DEMO_SOURCE = "/helhed/demo"
DEMO_NOTE = "Demodata"


def weekly_sessions(
    plan_id: str,
    activity_ids: list[str],
    start: date,
    end: date,
    seed: int = 2025,
) -> list[dict[str, Any]]:
    """One session a week per activity from ``start`` to ``end``, as CloudEvents."""
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    for offset, activity_id in enumerate(activity_ids):
        day = start + timedelta(days=offset % 5)
        while day <= end:
            participants = rng.randint(3, 16)
            data = SessionHeld(
                plan_id=plan_id,
                activity_id=activity_id,
                participants=participants,
                new_participants=rng.randint(0, min(3, participants)),
                duration_minutes=rng.choice([90, 120, 150]),
                note=DEMO_NOTE,
            )
            held = datetime.combine(day, time(16, 0), tzinfo=UTC)
            events.append(
                {
                    "specversion": "1.0",
                    "id": f"demo-{activity_id}-{day.isoformat()}",
                    "source": DEMO_SOURCE,
                    "type": SessionHeld.TYPE,
                    "time": held.isoformat(),
                    "subject": plan_id,
                    "dataschema": schema_uri(SessionHeld.TYPE, SessionHeld.VERSION),
                    "data": data.model_dump(mode="json"),
                }
            )
            day += timedelta(days=7)
    return events
