"""Helpers of the benchmarks: environments, generated events, the raw store, a sampler.

Import this only after `shared.green.green()` has patched the process.
"""

from __future__ import annotations

import collections
import contextlib
import json
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.contracts.activities import SessionHeld
from shared.contracts.registry import schema_uri
from shared.settings import SERVICE_NAMES, Settings
from shared.store import drop_schema

if TYPE_CHECKING:
    from collections.abc import Iterator

RABBIT = "amqp://guest:guest@127.0.0.1:5672"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"

BENCH_SOURCE = "/helhed/bench"
PLAN_ID = "plan-bench"
FORUM_ID = "forum-bench"
PERIOD_START = date(2025, 9, 1)
PERIOD_END = date(2029, 8, 31)
ACTIVITY_IDS = [f"act-bench-{n}" for n in range(1, 6)]


# --- environments -----------------------------------------------------------------


def free_ports(count: int) -> list[int]:
    """Ports free now (all bound at once, so they differ)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class Environment:
    """Settings for one run, and what to remove afterwards."""

    mode: str
    settings: Settings
    temp_dir: Path
    vhost: str | None = None
    schemas: list[str] = field(default_factory=list)

    def raw_store_url(self) -> str:
        """Where the raw-append benchmark writes: the same kind of store."""
        if self.mode == "embedded":
            return f"sqlite:///{self.temp_dir / 'raw' / 'raw.sqlite'}"
        url = f"{POSTGRES}?schema={self.prefix}_raw"
        self.schemas.append(url)
        return url

    @property
    def prefix(self) -> str:
        return self.temp_dir.name.replace("-", "_").lower()


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(
        ["rabbitmqctl", *args], check=True, capture_output=True, text=True, timeout=60
    )


@contextlib.contextmanager
def environment(mode: str) -> Iterator[Environment]:
    """A fresh environment: temp dir, free ports, and in amqp mode a vhost + schemas."""
    temp_dir = Path(tempfile.mkdtemp(prefix=f"bench{uuid.uuid4().hex[:8]}-"))
    ports = free_ports(3)
    http = {
        f"{name}_http": f"127.0.0.1:{port}"
        for name, port in zip(SERVICE_NAMES, ports, strict=True)
    }
    # every field a run depends on is explicit: HELHED_* variables must not redirect it
    fields: dict[str, object] = {
        "data_dir": temp_dir,
        "admin_token": f"hh_bench-{uuid.uuid4().hex}",
        **http,
    }
    fields.update({f"{name}_db": None for name in SERVICE_NAMES})
    env = Environment(
        mode=mode, settings=Settings.model_validate(fields), temp_dir=temp_dir
    )
    try:
        if mode == "embedded":
            env.settings = Settings.model_validate({**fields, "amqp_uri": "memory://"})
        elif mode == "amqp":
            env.vhost = f"bench-{uuid.uuid4().hex[:10]}"
            _rabbitmqctl("add_vhost", env.vhost)
            _rabbitmqctl("set_permissions", "-p", env.vhost, "guest", ".*", ".*", ".*")
            fields["amqp_uri"] = f"{RABBIT}/{env.vhost}"
            for name in SERVICE_NAMES:
                url = f"{POSTGRES}?schema={env.prefix}_{name}"
                env.schemas.append(url)
                fields[f"{name}_db"] = url
            env.settings = Settings.model_validate(fields)
        else:
            raise ValueError(f"unknown mode {mode!r}")
        yield env
    finally:
        for url in env.schemas:
            try:
                drop_schema(url)
            except Exception as error:  # cleanup must not hide the result
                print(f"could not drop {url}: {error}", file=sys.stderr)
        if env.vhost:
            try:
                _rabbitmqctl("delete_vhost", env.vhost)
            except Exception as error:
                print(f"could not delete vhost {env.vhost}: {error}", file=sys.stderr)
        shutil.rmtree(temp_dir, ignore_errors=True)


# --- generated events ---------------------------------------------------------------


def session_events(count: int, seed: int = 2026) -> list[dict[str, Any]]:
    """``count`` distinct, valid session-held CloudEvents for the bench plan."""
    rng = random.Random(seed)
    days = (PERIOD_END - PERIOD_START).days + 1
    dataschema = schema_uri(SessionHeld.TYPE, SessionHeld.VERSION)
    noon = time_of_day(12, tzinfo=UTC)
    events = []
    for index in range(count):
        activity_id = ACTIVITY_IDS[index % len(ACTIVITY_IDS)]
        day = PERIOD_START + timedelta(days=(index // len(ACTIVITY_IDS)) % days)
        participants = rng.randint(3, 16)
        data = SessionHeld(
            plan_id=PLAN_ID,
            activity_id=activity_id,
            participants=participants,
            new_participants=rng.randint(0, min(3, participants)),
            duration_minutes=rng.choice([90, 120, 150]),
            note="Benchmark",
        )
        events.append(
            {
                "specversion": "1.0",
                "id": f"bench-{index:08d}",
                "source": BENCH_SOURCE,
                "type": SessionHeld.TYPE,
                "time": datetime.combine(day, noon).isoformat(),
                "subject": PLAN_ID,
                "dataschema": dataschema,
                "data": data.model_dump(mode="json"),
            }
        )
    return events


def encoded_batches(events: list[dict[str, Any]], batch: int) -> list[bytes]:
    """The events as request bodies, encoded before the clock starts."""
    return [
        json.dumps(events[start : start + batch]).encode()
        for start in range(0, len(events), batch)
    ]


# --- the raw store ------------------------------------------------------------------


@dataclass(frozen=True)
class RawResult:
    events: int
    save_seconds: float
    build_seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.save_seconds


def raw_append(
    database_url: str, events: list[dict[str, Any]], batch: int
) -> RawResult:
    """``app.save(*aggregates)`` of one ReceivedEvent per event, ``batch`` at a time.

    The aggregates are built as `services.activities.application._received` builds
    them (outside the timed save); the application is a fresh `ServiceApplication`
    on the same kind of store the activities service uses.
    """
    from services.activities.domain import ReceivedEvent, content_hash
    from shared.eventstore import ServiceApplication

    class RawStore(ServiceApplication):
        name = "rawstore"

    app = RawStore(database_url)
    save_seconds = build_seconds = 0.0
    try:
        for start in range(0, len(events), batch):
            began = time.perf_counter()
            aggregates = []
            for raw in events[start : start + batch]:
                held = datetime.fromisoformat(raw["time"])
                aggregates.append(
                    ReceivedEvent(
                        source=raw["source"],
                        event_id=raw["id"],
                        event_type=raw["type"],
                        version=1,
                        time=held,
                        subject=raw["subject"],
                        data=raw["data"],
                        digest=content_hash(
                            raw["type"], held, raw["subject"], raw["data"]
                        ),
                    )
                )
            built = time.perf_counter()
            app.save(*aggregates)
            saved = time.perf_counter()
            build_seconds += built - began
            save_seconds += saved - built
        stored = app.recorder.max_notification_id() or 0
        if stored != len(events):
            raise RuntimeError(f"raw store holds {stored} events, not {len(events)}")
    finally:
        app.close()
    return RawResult(len(events), save_seconds, build_seconds)


# --- a sampling profiler that sees green threads --------------------------------------


class Sampler:
    """Samples the main OS thread's current frame (whichever greenlet runs) in a
    real thread: cProfile and py-spy do not follow eventlet's stack switches well.
    """

    def __init__(self, interval: float = 0.005) -> None:
        import eventlet.patcher

        self._threading = eventlet.patcher.original("threading")
        self._time = eventlet.patcher.original("time")
        self.interval = interval
        self.samples = 0
        self.leaf: collections.Counter[str] = collections.Counter()
        self.inclusive: collections.Counter[str] = collections.Counter()
        self._stop = self._threading.Event()
        self._target = self._threading.main_thread().ident
        self._thread = self._threading.Thread(target=self._run, daemon=True)

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            frame = sys._current_frames().get(self._target)
            if frame is not None:
                self.samples += 1
                self.leaf[_where(frame)] += 1
                seen = set()
                while frame is not None:
                    key = _where(frame)
                    if key not in seen:
                        seen.add(key)
                        self.inclusive[key] += 1
                    frame = frame.f_back
            self._time.sleep(self.interval)

    def report(self, top: int = 25) -> str:
        lines = [f"{self.samples} samples of the main thread"]
        lines.append("-- self (leaf frame):")
        for key, count in self.leaf.most_common(top):
            lines.append(f"{100 * count / max(self.samples, 1):6.1f}%  {key}")
        lines.append("-- inclusive (project code and hot libraries):")
        shown = 0
        for key, count in self.inclusive.most_common():
            if key.startswith(_INTERESTING):
                lines.append(f"{100 * count / max(self.samples, 1):6.1f}%  {key}")
                shown += 1
                if shown >= top * 2:
                    break
        return "\n".join(lines)


_INTERESTING = (
    "services/",
    "shared/",
    "bench/",
    "eventsourcing/",
    "sqlalchemy/",
    "pydantic",
    "kombu/",
    "nameko/",
    "psycopg",
    "sqlite3/",
    "json/",
    "werkzeug/",
    "eventlet/",
    "requests/",
    "amqp/",
)


def _where(frame: Any) -> str:
    code = frame.f_code
    filename = code.co_filename
    for marker in ("site-packages/", "/work/main/", "/lib/python3.11/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{code.co_name}"


# --- counters of what followers did (only with --profile) ---------------------------


class FollowerCounters:
    """Wraps `Follower` methods in this process to count what each call did."""

    def __init__(self) -> None:
        from shared.bus.follower import Follower

        self.calls: collections.Counter[str] = collections.Counter()
        self.events: collections.Counter[str] = collections.Counter()
        self.seconds: collections.defaultdict[str, float] = collections.defaultdict(
            float
        )
        receive, catch_up = Follower.receive, Follower.catch_up
        counters = self

        def counted_receive(follower: Follower, delivery: Any) -> str:
            began = time.perf_counter()
            outcome = receive(follower, delivery)
            key = f"receive {delivery.producer} -> {outcome}"
            counters.calls[key] += 1
            counters.events[key] += len(delivery.events)
            counters.seconds[key] += time.perf_counter() - began
            return outcome

        def counted_catch_up(follower: Follower, producer: str | None = None) -> int:
            began = time.perf_counter()
            applied = catch_up(follower, producer)
            key = f"catch_up timer of a {type(follower.projection).__name__}"
            counters.calls[key] += 1
            counters.events[key] += applied
            counters.seconds[key] += time.perf_counter() - began
            return applied

        Follower.receive = counted_receive  # type: ignore[method-assign,assignment]
        Follower.catch_up = counted_catch_up  # type: ignore[method-assign,assignment]

    def report(self) -> str:
        lines = [
            "-- follower calls (calls, events carried/applied, seconds incl. waits):"
        ]
        for key in sorted(self.calls):
            lines.append(
                f"{self.calls[key]:6d} {self.events[key]:8d} "
                f"{self.seconds[key]:8.2f}s  {key}"
            )
        return "\n".join(lines)
