"""End-to-end throughput of the pipeline, against the raw append rate of its store.

    python -m bench.pipeline --events N --mode embedded|amqp [--batch 1000]

Starts the three services in this process (`shared.runner.Platform`), registers a
forum, a plan and five activities over HTTP, then times posting N session-held
CloudEvents in batches to ``POST /events`` (one client, one batch at a time) until
the indicators service has projected all of them (its tracking row for activities
reaches the log's head), and checks that ``GET /plans/<id>/sessions`` answers
``total_sessions`` == N. Then it times ``app.save(*aggregates)`` of N
ReceivedEvent aggregates on a fresh store of the same kind. The last line printed
is the ratio of the two rates. See docs/performance.md.
"""

# ruff: noqa: E402 - eventlet must patch the process before the other imports
from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

from shared.green import green

green()

import argparse
import contextlib
import gc
import logging
import statistics
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import eventlet
import requests
import sqlalchemy as sa
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from bench.common import (
    ACTIVITY_IDS,
    FORUM_ID,
    PERIOD_END,
    PERIOD_START,
    PLAN_ID,
    Environment,
    FollowerCounters,
    RawResult,
    Sampler,
    encoded_batches,
    environment,
    raw_append,
    session_events,
)
from services.activities.ingest import BATCH_CONTENT_TYPE
from shared.bus.views import tracking_table
from shared.runner import Platform, health, wait_until_synced
from shared.store import views_engine

if TYPE_CHECKING:
    from collections.abc import Callable

    from shared.settings import Settings

STALL_SECONDS = 120.0  # fail if the projection does not move for this long
TRACKING_INTERVAL = 0.02  # seconds between reads of indicators' tracking row
HEALTH_INTERVAL = 0.25  # seconds between answered /health requests


class BenchError(RuntimeError):
    """The pipeline did not do what it must (a refused event, a wrong count)."""


@dataclass(frozen=True)
class PipelineResult:
    events: int
    ingest_seconds: float
    end_to_end_seconds: float
    total_sessions: int
    slowest_health: float
    median_health: float
    health_answers: int

    @property
    def ingest_rate(self) -> float:
        return self.events / self.ingest_seconds

    @property
    def end_to_end_rate(self) -> float:
        return self.events / self.end_to_end_seconds


def _post(session: requests.Session, url: str, body: object) -> None:
    response = session.post(url, json=body, timeout=60)
    if response.status_code not in (200, 201):
        raise BenchError(f"POST {url} answered {response.status_code}: {response.text}")


def register_plan(settings: Settings, wait: bool = True) -> None:
    """A forum, a plan and its activities, then wait until every follower has them."""
    base = settings.base_url("agreements")
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {settings.admin_token}"
        _post(
            session,
            f"{base}/fora",
            {"forum_id": FORUM_ID, "name": "Benchmarkforum", "kommune": "København"},
        )
        _post(
            session,
            f"{base}/plans",
            {
                "plan_id": PLAN_ID,
                "name": "Benchmarkplan",
                "kommune": "København",
                "period_start": PERIOD_START.isoformat(),
                "period_end": PERIOD_END.isoformat(),
                "forum_id": FORUM_ID,
            },
        )
        for activity_id in ACTIVITY_IDS:
            _post(
                session,
                f"{base}/plans/{PLAN_ID}/activities",
                {"activity_id": activity_id, "name": f"Aktivitet {activity_id}"},
            )
    if wait:
        wait_until_synced(settings)


class Watch:
    """Follows, while the client posts, how far indicators has got, two ways.

    Completion is read from the indicators read model's ``tracking`` row (the
    position is committed in the same transaction as the projected rows): its
    HTTP API can be slow to answer under load, and polling it would time that
    instead of the projection. Its ``/health`` is asked all the same, one request
    at a time, to record how long it keeps callers waiting under load.
    """

    def __init__(self, settings: Settings, start: int, events: int) -> None:
        self.engine = views_engine(settings.database_url("indicators"))
        self.health_url = f"{settings.base_url('indicators')}/health"
        self.start, self.target = start, start + events
        self.position = start
        self.latencies: list[float] = []
        self._asked: float | None = None
        self.on_move: Callable[[int], None] = lambda done: None

    def tracked(self) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(tracking_table.c.position).where(
                    tracking_table.c.producer == "activities"
                )
            ).scalar()
        return int(found or 0)

    def until_projected(self) -> float:
        """Poll until the target is reached; return the perf_counter time it was."""
        moved = time.perf_counter()
        while True:
            position = self.tracked()
            now = time.perf_counter()
            if position != self.position:
                self.position, moved = position, now
                self.on_move(position - self.start)
            if position >= self.target:
                return now
            if now - moved > STALL_SECONDS:
                done, total = position - self.start, self.target - self.start
                raise BenchError(f"projection stalled at {done} of {total} events")
            eventlet.sleep(TRACKING_INTERVAL)

    def ask_health(self) -> None:
        """Ask /health one request at a time, forever (the caller kills this)."""
        with requests.Session() as session:
            while True:
                self._asked = time.perf_counter()
                session.get(self.health_url, timeout=STALL_SECONDS).raise_for_status()
                self.latencies.append(time.perf_counter() - self._asked)
                self._asked = None
                eventlet.sleep(HEALTH_INTERVAL)

    def slowest_health(self) -> float:
        """The slowest answer, or how long the unanswered request has waited."""
        waiting = time.perf_counter() - self._asked if self._asked else 0.0
        return max([waiting, *self.latencies])

    def close(self) -> None:
        self.engine.dispose()


def run_pipeline(
    settings: Settings, batches: list[bytes], events: int, progress: Progress | None
) -> PipelineResult:
    """Post the batches one after another; wait for the projection; check the count."""
    head_before = int(health(settings, "activities")["head"])  # type: ignore[call-overload]
    url = f"{settings.base_url('activities')}/events"
    headers = {
        "content-type": BATCH_CONTENT_TYPE,
        "Authorization": f"Bearer {settings.admin_token}",
    }
    watch = Watch(settings, head_before, events)
    posting = None
    if progress is not None:
        posting = progress.add_task("posted", total=events)
        projecting = progress.add_task("projected", total=events)
        watch.on_move = lambda done: progress.update(projecting, completed=done)
    accepted = 0
    with requests.Session() as session, contextlib.closing(watch):
        started = time.perf_counter()
        projected = eventlet.spawn(watch.until_projected)
        asking = eventlet.spawn(watch.ask_health)
        try:
            for body in batches:
                response = session.post(url, data=body, headers=headers, timeout=300)
                if response.status_code != 200:
                    raise BenchError(f"POST /events answered {response.status_code}")
                result = response.json()
                if result["accepted"] != len(result["results"]):
                    refused = [
                        r for r in result["results"] if r["status"] != "accepted"
                    ]
                    raise BenchError(f"events not accepted: {refused[:3]}")
                accepted += result["accepted"]
                if progress is not None and posting is not None:
                    progress.update(posting, completed=accepted)
            ingested = time.perf_counter()
            finished: float = projected.wait()
            slowest = watch.slowest_health()
        finally:
            projected.kill()
            asking.kill()
    if accepted != events:
        raise BenchError(f"activities accepted {accepted} events, not {events}")
    head_after = int(health(settings, "activities")["head"])  # type: ignore[call-overload]
    if head_after != head_before + events:
        grew = head_after - head_before
        raise BenchError(f"the activities log grew by {grew}, not {events}")
    _wait_until_synced(settings)  # untimed: every follower is at its leaders' heads
    response = requests.get(
        f"{settings.base_url('indicators')}/plans/{PLAN_ID}/sessions", timeout=60
    )
    response.raise_for_status()
    total = int(response.json()["total_sessions"])
    return PipelineResult(
        events,
        ingest_seconds=ingested - started,
        end_to_end_seconds=finished - started,
        total_sessions=total,
        slowest_health=slowest,
        median_health=statistics.median(watch.latencies or [slowest]),
        health_answers=len(watch.latencies),
    )


def _wait_until_synced(settings: Settings, attempts: int = 5) -> None:
    """`wait_until_synced`, again if a /health took over its 5 s timeout."""
    for attempt in range(attempts):
        try:
            wait_until_synced(settings)
            return
        except requests.Timeout:
            if attempt == attempts - 1:
                raise


def _rate(value: float) -> str:
    return f"{value:,.0f}"


def report(
    console: Console,
    env: Environment,
    batch: int,
    pipeline: PipelineResult,
    raw: RawResult,
) -> None:
    table = Table(
        title=f"bench.pipeline — {env.mode}, {pipeline.events:,} events, batch {batch}"
    )
    table.add_column("measure")
    table.add_column("seconds", justify="right")
    table.add_column("events/s", justify="right")
    table.add_row(
        "ingest (HTTP accepted)",
        f"{pipeline.ingest_seconds:.2f}",
        _rate(pipeline.ingest_rate),
    )
    table.add_row(
        "end to end (indicators projected)",
        f"{pipeline.end_to_end_seconds:.2f}",
        _rate(pipeline.end_to_end_rate),
    )
    table.add_row(
        "  projection lag after last POST",
        f"{pipeline.end_to_end_seconds - pipeline.ingest_seconds:.2f}",
        "",
    )
    table.add_row(
        f"  indicators /health answer: median of {pipeline.health_answers}",
        f"{pipeline.median_health:.2f}",
        "",
    )
    table.add_row(
        "  indicators /health answer: slowest", f"{pipeline.slowest_health:.2f}", ""
    )
    table.add_row("raw store app.save()", f"{raw.save_seconds:.2f}", _rate(raw.rate))
    table.add_row(
        "  (aggregate construction, untimed)",
        f"{raw.build_seconds:.2f}",
        _rate(raw.events / raw.build_seconds) if raw.build_seconds else "",
    )
    console.print(table)
    store = "SQLite (eventsourcing.sqlite)" if env.mode == "embedded" else "PostgreSQL"
    bus = "kombu memory://" if env.mode == "embedded" else f"RabbitMQ vhost {env.vhost}"
    console.print(
        f"store: {store}; bus: {bus}; total_sessions: {pipeline.total_sessions:,}",
        soft_wrap=True,
    )


def ratio_line(pipeline: PipelineResult, raw: RawResult) -> str:
    ratio = pipeline.end_to_end_rate / raw.rate
    shown = f"{ratio:.2f}" if ratio >= 0.05 else f"{ratio:.3f}"
    return (
        f"ratio pipeline/raw-store: {pipeline.end_to_end_rate:.0f} ev/s"
        f" / {raw.rate:.0f} ev/s = {shown}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pipeline",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--events", type=int, required=True, help="events to post (N)")
    parser.add_argument("--mode", choices=("embedded", "amqp"), required=True)
    parser.add_argument(
        "--batch", type=int, default=1000, help="events per POST and per save"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the process during the timed pipeline; report on stderr",
    )
    args = parser.parse_args(argv)
    if args.events < 1 or not 1 <= args.batch <= 10_000:
        parser.error("--events must be >= 1 and --batch within 1..10000")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # nameko warns "killing N managed thread(s)" on every orderly stop
    logging.getLogger("nameko.containers").setLevel(logging.ERROR)
    # memory:// has no hostname; kombu warns about it once per connection
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    console, errors = Console(), Console(stderr=True)

    events = session_events(args.events)
    batches = encoded_batches(events, args.batch)
    # the client's N events are no garbage: keep the collector from rescanning them
    gc.collect()
    gc.freeze()
    with environment(args.mode) as env:
        errors.print(f"[dim]{args.mode}: starting the platform in {env.temp_dir}[/dim]")
        platform = Platform(env.settings).start()
        sampler = counters = None
        try:
            register_plan(env.settings)
            progress = None
            if not args.no_progress:
                progress = Progress(
                    TextColumn("{task.description:>9}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=errors,
                )
            counters = FollowerCounters() if args.profile else None
            sampler = Sampler().start() if args.profile else None
            try:
                with progress or contextlib.nullcontext():
                    pipeline = run_pipeline(
                        env.settings, batches, args.events, progress
                    )
            finally:
                if sampler is not None:
                    sampler.stop()
        except BenchError as error:
            errors.print(f"[bold red]FAILED:[/bold red] {error}")
            return 1
        finally:
            platform.stop()
        if sampler is not None and counters is not None:
            print(sampler.report(), counters.report(), sep="\n", file=sys.stderr)
        if pipeline.total_sessions != args.events:
            errors.print(
                f"[bold red]COUNT CHECK FAILED:[/bold red] indicators projected "
                f"total_sessions={pipeline.total_sessions}, expected {args.events}"
            )
            return 1
        errors.print("[dim]raw store: app.save() of the same events[/dim]")
        raw = raw_append(env.raw_store_url(), events, args.batch)
    report(console, env, args.batch, pipeline, raw)
    print(ratio_line(pipeline, raw), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
