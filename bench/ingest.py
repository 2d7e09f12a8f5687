"""Ingest throughput: the batch endpoint into the store and through the relay onto
the bus, against the raw append rate of the same store measured in the same run.

    python -m bench.ingest --events N [--mode amqp|embedded] [--batch 1000]

Starts agreements and activities only (no indicators), registers a plan over HTTP,
then times posting N session-held CloudEvents in batches to ``POST /events`` until
the activities relay has published (with publisher confirms) everything stored.
Every batch must answer N accepted in all. Then it times ``app.save(*aggregates)``
of the same events on a fresh store of the same kind. The last line is the ratio.
"""

# ruff: noqa: E402 - eventlet must patch the process before the other imports
from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

from shared.green import green

green()

import argparse
import logging
import sys
import time

import requests
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from bench.common import encoded_batches, environment, raw_append, session_events
from bench.pipeline import register_plan
from services.activities.ingest import BATCH_CONTENT_TYPE
from shared.runner import Platform, health


def _wait(condition: object, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("the platform did not catch up")
        time.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--mode", choices=("embedded", "amqp"), default="amqp")
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("nameko.containers").setLevel(logging.ERROR)
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    console, errors = Console(), Console(stderr=True)
    events = session_events(args.events)
    batches = encoded_batches(events, args.batch)
    with environment(args.mode) as env:
        settings = env.settings
        platform = Platform(settings, ["agreements", "activities"]).start()
        try:
            register_plan(settings, wait=False)
            head = int(str(health(settings, "agreements")["head"]))
            _wait(
                lambda: (
                    health(settings, "activities")["following"]["agreements"]  # type: ignore[index]
                    >= head
                )
            )
            url = f"{settings.base_url('activities')}/events"
            headers = {
                "content-type": BATCH_CONTENT_TYPE,
                "Authorization": f"Bearer {settings.admin_token}",
            }
            accepted = 0
            session = requests.Session()
            began = time.perf_counter()
            with Progress(
                BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors
            ) as bar:
                task = bar.add_task("posted", total=args.events)
                for body in batches:
                    answer = session.post(url, data=body, headers=headers, timeout=300)
                    answer.raise_for_status()
                    accepted += answer.json()["accepted"]
                    bar.advance(task, answer.json()["accepted"])
            ingested = time.perf_counter()

            def published() -> bool:
                state = health(settings, "activities")
                return int(str(state["published"])) >= int(str(state["head"]))

            _wait(published)
            relayed = time.perf_counter()
        finally:
            platform.stop()
        if accepted != args.events:
            errors.print(
                f"[red]COUNT CHECK FAILED: {accepted} accepted of {args.events}[/]"
            )
            return 1
        raw = raw_append(env.raw_store_url(), events, args.batch)
    ingest_rate = args.events / (ingested - began)
    end_to_end = args.events / (relayed - began)
    console.print(
        f"{args.mode}: {args.events} events, batch {args.batch}: "
        f"ingest {ingest_rate:.0f} ev/s, stored and relayed {end_to_end:.0f} ev/s, "
        f"raw save {raw.rate:.0f} ev/s"
    )
    print(
        f"ratio ingest-and-relay/raw-store: {end_to_end:.0f} ev/s / {raw.rate:.0f} ev/s"
        f" = {end_to_end / raw.rate:.2f}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
