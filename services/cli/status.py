"""``helhed status``: health of every service (to be filled in: issue 7, part 5)."""

from __future__ import annotations


def status() -> None:
    """Vis hver tjenestes helbred: broker, database, efterslæb og parkerede beskeder."""
    raise NotImplementedError("helhed status is not built yet (issue 7)")
