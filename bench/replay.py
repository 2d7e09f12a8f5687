"""Replay rate: rebuilding the indicators read model from the logs, against the
raw rate of reading and decoding the same notifications, measured in one run.

    python -m bench.replay --events N [--plans 20] [--store sqlite|postgres]

Set-up (not timed): generated agreements and N activity events are written
straight into fresh agreements and activities stores (`bench.history`). Then:

- raw: every notification of both logs is read in pages of 2,000
  (``recorder.select_notifications``) and decoded (``mapper.to_domain_event``);
- replay: `services.indicators.replay.rebuild` applies both logs, through the
  services' published mapping, the Follower and the projection, into an empty
  read model, exactly as ``helhed replay`` does.

The replay is checked: the rebuilt read model holds N facts. The last line is
the ratio of the two rates. See docs/performance.md.
"""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)

import argparse  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import sqlalchemy as sa  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402

from bench.history import fill_activities, import_plans  # noqa: E402

if TYPE_CHECKING:
    from eventsourcing.application import Application

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
PAGE = 2000


def store_urls(store: str, scratch: Path) -> dict[str, str]:
    if store == "sqlite":
        return {
            name: f"sqlite:///{scratch / f'{name}.sqlite'}"
            for name in ("agreements", "activities", "indicators")
        }
    prefix = f"bench_{uuid.uuid4().hex[:8]}"
    return {
        name: f"{POSTGRES}?schema={prefix}_{name}"
        for name in ("agreements", "activities", "indicators")
    }


def raw_read(apps: list[Application]) -> tuple[int, float]:
    """Read and decode every notification of the logs; (count, seconds)."""
    began = time.perf_counter()
    count = 0
    for app in apps:
        after = 0
        while True:
            page = app.recorder.select_notifications(
                start=after, limit=PAGE, inclusive_of_start=False
            )
            if not page:
                break
            for notification in page:
                app.mapper.to_domain_event(notification)
            count += len(page)
            after = page[-1].id
    return count, time.perf_counter() - began


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--keep", type=Path, help="Keep the stores in this directory.")
    args = parser.parse_args(argv)

    from services.activities.application import Activities
    from services.activities.integration import to_contract as activities_contract
    from services.agreements.application import Agreements
    from services.agreements.integration import to_contract as agreements_contract
    from services.indicators.replay import rebuild
    from services.indicators.views import facts
    from shared.bus.log import PublishedLog
    from shared.store import drop_schema, views_engine

    console, errors = Console(), Console(stderr=True)
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bench-replay-"))
    scratch.mkdir(parents=True, exist_ok=True)
    urls = store_urls(args.store, scratch)
    agreements, activities = (
        Agreements(urls["agreements"]),
        Activities(urls["activities"]),
    )
    try:
        with Progress(console=errors, transient=True) as bar:
            task = bar.add_task("Skriver historik", total=args.events)
            plan_ids = import_plans(agreements, args.plans)
            history = fill_activities(
                activities, plan_ids, args.events,
                lambda saved: bar.update(task, completed=saved),
            )  # fmt: skip
        heads = {
            "agreements": agreements.recorder.max_notification_id() or 0,
            "activities": activities.recorder.max_notification_id() or 0,
        }
        total = sum(heads.values())
        errors.print(
            f"[dim]{history.events} activity events over {len(plan_ids)} plans, "
            f"{heads['agreements']} agreements events ({args.store})[/dim]"
        )
        raw_count, raw_seconds = raw_read([agreements, activities])
        leaders = {
            "agreements": PublishedLog(agreements, "agreements", agreements_contract),
            "activities": PublishedLog(activities, "activities", activities_contract),
        }
        target = views_engine(urls["indicators"])
        with Progress(console=errors, transient=True) as bar:
            task = bar.add_task("Genopbygger", total=total)
            began = time.perf_counter()
            applied = rebuild(target, leaders, lambda n: bar.advance(task, n))
            replay_seconds = time.perf_counter() - began
        with target.connect() as conn:
            projected = conn.execute(sa.select(sa.func.count()).select_from(facts))
            fact_count = projected.scalar_one()
        target.dispose()
    finally:
        agreements.close()
        activities.close()
        if args.store == "postgres":
            for url in urls.values():
                drop_schema(url)
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    if fact_count != history.events:
        errors.print(f"[red]FAILED[/red]: {fact_count} facts, not {history.events}")
        return 1
    raw_rate, replay_rate = raw_count / raw_seconds, total / replay_seconds
    console.print(
        f"events: {total} ({applied} applied)   raw read+decode: {raw_seconds:.1f} s"
        f"   replay: {replay_seconds:.1f} s   peak RSS: {peak_rss_mb():.0f} MB"
    )
    print(
        f"ratio replay/raw-read: {replay_rate:.0f} ev/s / {raw_rate:.0f} ev/s "
        f"= {replay_rate / raw_rate:.2f}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
