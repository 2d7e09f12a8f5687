"""A service's health: broker and database reachable, consumer lag per leader,
parked (poison) events, and an overall status; served at ``GET /health``.

The broker check and the leaders' heads are cached for a few seconds: /health is
polled often (``wait_until_synced``, load balancers) and must stay cheap.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from collections.abc import Callable

    from shared.bus.follower import Follower
    from shared.bus.log import PublishedLog
    from shared.bus.relay import Relay

CACHE_SECONDS = 3.0
_cache: dict[str, tuple[float, Any]] = {}


def _cached(key: str, compute: Callable[[], Any]) -> Any:
    now = time.monotonic()
    found = _cache.get(key)
    if found is not None and now - found[0] < CACHE_SECONDS:
        return found[1]
    value = compute()
    _cache[key] = (now, value)
    return value


def broker_reachable(amqp_uri: str) -> tuple[bool, str | None]:
    """Whether a connection to the broker can be opened (memory:// always can)."""
    if amqp_uri.startswith("memory://"):
        return True, None

    def check() -> tuple[bool, str | None]:
        from kombu import Connection

        try:
            with Connection(amqp_uri, connect_timeout=2) as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
            return True, None
        except Exception as error:
            return False, f"{type(error).__name__}: {error}"

    result: tuple[bool, str | None] = _cached(f"broker {amqp_uri}", check)
    return result


def database_reachable(probe: Callable[[], object]) -> tuple[bool, str | None]:
    try:
        probe()
        return True, None
    except Exception as error:
        return False, f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"


def engine_probe(engine: sa.engine.Engine) -> Callable[[], object]:
    def probe() -> object:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT 1")).scalar()

    return probe


def report(
    service: str,
    amqp_uri: str,
    database: Callable[[], object],
    log: PublishedLog | None = None,
    relay: Relay | None = None,
    follower: Follower | None = None,
) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body): 200 when broker and database answer, else 503."""
    body: dict[str, Any] = {"service": service}
    broker_ok, broker_error = broker_reachable(amqp_uri)
    database_ok, database_error = database_reachable(database)
    body["broker"] = {"reachable": broker_ok, "error": broker_error}
    body["database"] = {"reachable": database_ok, "error": database_error}
    parked = 0
    if database_ok:
        if log is not None:
            body["head"] = log.head()
        if relay is not None:
            body["published"] = relay.published_position()
            body["relay_lag"] = body["head"] - body["published"]
        if follower is not None:
            following = {name: follower.position(name) for name in follower.leaders}
            body["following"] = following
            body["lag"] = {
                name: _lag(service, name, leader, following[name])
                for name, leader in follower.leaders.items()
            }
            parked = follower.parked_count()
            body["parked"] = {"count": parked, "events": follower.parked()[-20:]}
    healthy = broker_ok and database_ok
    body["status"] = "down" if not healthy else ("degraded" if parked else "ok")
    return (200 if healthy else 503), body


def _lag(service: str, name: str, leader: Any, position: int) -> int | None:
    """The leader's last position minus the tracked one (None: leader unreachable)."""

    def head() -> int | None:
        try:
            return int(leader.page(position, 1).head)
        except Exception:
            return None

    found: int | None = _cached(f"head {service} {name} {id(leader)}", head)
    return None if found is None else max(found - position, 0)
