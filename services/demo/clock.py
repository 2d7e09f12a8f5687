"""A clock the demo loader can set, so a few years of history are recorded at the
times they would have been recorded (demo only: the embedded mode, one process).

Every stored event's timestamp comes from eventsourcing's
``CanCreateTimestamp.create_timestamp``; inside `recorded_at` it answers the demo's
moment instead of now. Nothing outside ``helhed demo`` uses this.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from eventsourcing.domain import CanCreateTimestamp, datetime_now_with_tzinfo

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

_moment: list[datetime] = []


def _now() -> datetime:
    return _moment[-1] if _moment else datetime_now_with_tzinfo()


@contextlib.contextmanager
def recorded_at(moment: datetime) -> Iterator[None]:
    """Events stored inside this block are recorded at ``moment``."""
    original = CanCreateTimestamp.__dict__["create_timestamp"]
    CanCreateTimestamp.create_timestamp = staticmethod(_now)  # type: ignore[method-assign]
    _moment.append(moment)
    try:
        yield
    finally:
        _moment.pop()
        if not _moment:
            CanCreateTimestamp.create_timestamp = original  # type: ignore[method-assign]
