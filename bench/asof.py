"""``as_of`` latency of the indicators service over a large history, and its memory.

    python -m bench.asof --events N [--plans 20]

Set-up (not timed): N activity events over the plans and over four years,
recorded month by month (`bench.history`), rebuilt into an indicators read model
(`services.indicators.replay.rebuild`). Then the indicators service is started
as its own process on that read model (``helhed services -s indicators``), and:

- raw: the rows of one plan's facts are read and decoded with one SELECT;
- as_of: ``GET /plans/<id>/indicators?as_of=...`` is asked for moments spread
  over the history (first answer, then the median of the others), checking that
  an as-of before a correction and after it answer differently.

Printed: the latencies, the service's peak memory (VmHWM), and as the last line
the plan's facts per second through the as-of query against the raw read.
"""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402

from bench.common import free_ports  # noqa: E402
from bench.history import fill_activities, import_plans  # noqa: E402
from bench.replay import store_urls  # noqa: E402


def build(scratch: Path, events: int, plans: int, errors: Console) -> dict[str, object]:
    from services.activities.application import Activities
    from services.activities.integration import to_contract as activities_contract
    from services.agreements.application import Agreements
    from services.agreements.integration import to_contract as agreements_contract
    from services.indicators.replay import rebuild
    from shared.bus.log import PublishedLog
    from shared.store import views_engine

    urls = store_urls("sqlite", scratch)
    agreements, activities = (
        Agreements(urls["agreements"]),
        Activities(urls["activities"]),
    )
    try:
        with Progress(console=errors, transient=True) as bar:
            task = bar.add_task("Skriver historik", total=events)
            plan_ids = import_plans(agreements, plans)
            history = fill_activities(
                activities, plan_ids, events,
                lambda saved: bar.update(task, completed=saved),
            )  # fmt: skip
            leaders = {
                "agreements": PublishedLog(
                    agreements, "agreements", agreements_contract
                ),
                "activities": PublishedLog(
                    activities, "activities", activities_contract
                ),
            }
            total = sum(log.head() for log in leaders.values())
            task = bar.add_task("Genopbygger", total=total)
            engine = views_engine(urls["indicators"])
            rebuild(engine, leaders, lambda n: bar.advance(task, n))
            engine.dispose()
    finally:
        agreements.close()
        activities.close()
    return {"history": history, "urls": urls}


def raw_read(url: str, plan_id: str) -> tuple[int, float]:
    from services.indicators.views import facts
    from shared.store import views_engine

    engine = views_engine(url)
    try:
        began = time.perf_counter()
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(facts).where(facts.c.plan_id == plan_id)
            ).all()
        return len(rows), time.perf_counter() - began
    finally:
        engine.dispose()


def start_indicators(
    scratch: Path, database: str
) -> tuple[subprocess.Popen[bytes], str]:
    """The indicators service as its own process on a built read model."""
    port = free_ports(3)
    env = {
        **os.environ,
        "HELHED_AMQP_URI": "memory://",
        "HELHED_DATA_DIR": str(scratch),
        "HELHED_INDICATORS_DB": database,
        "HELHED_AGREEMENTS_HTTP": f"127.0.0.1:{port[0]}",
        "HELHED_ACTIVITIES_HTTP": f"127.0.0.1:{port[1]}",
        "HELHED_INDICATORS_HTTP": f"127.0.0.1:{port[2]}",
    }
    helhed = str(Path(sys.executable).with_name("helhed"))
    service = subprocess.Popen(
        [helhed, "services", "-s", "indicators"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port[2]}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{base}/health", timeout=2).raise_for_status()
            return service, base
        except requests.RequestException:
            if time.monotonic() > deadline or service.poll() is not None:
                service.kill()
                raise RuntimeError("the indicators service did not start") from None
            time.sleep(0.2)


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--queries", type=int, default=9)
    args = parser.parse_args(argv)
    console, errors = Console(), Console(stderr=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-asof-"))
    service = None
    try:
        built = build(scratch, args.events, args.plans, errors)
        history, urls = built["history"], built["urls"]
        assert isinstance(urls, dict)
        plan_id = history.plan_ids[0]  # type: ignore[attr-defined]
        rows, raw_seconds = raw_read(urls["indicators"], plan_id)
        try:
            service, base = start_indicators(scratch, urls["indicators"])
        except RuntimeError as error:
            errors.print(f"[red]FAILED[/red]: {error}")
            return 1
        first, last = history.first_recorded, history.last_recorded  # type: ignore[attr-defined]
        span = (last - first) / max(args.queries - 1, 1)
        moments = [first + span * n + timedelta(days=1) for n in range(args.queries)]
        latencies, values = [], []
        for moment in moments:
            began = time.perf_counter()
            answer = requests.get(
                f"{base}/plans/{plan_id}/indicators",
                params={"as_of": moment.isoformat()}, timeout=120,
            )  # fmt: skip
            latencies.append(time.perf_counter() - began)
            answer.raise_for_status()
            values.append(answer.json())
        memory = peak_memory_mb(service.pid)
    finally:
        if service is not None:
            service.terminate()
            service.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
    changed = sum(
        1 for table in values for row in table["indicators"] if row.get("changed_since")
    )
    typical = statistics.median(latencies[1:]) if len(latencies) > 1 else latencies[0]
    console.print(
        f"{history.events} events over {args.plans} plans; plan {plan_id}: {rows} facts"  # type: ignore[attr-defined]
    )
    console.print(
        f"as_of latency: first {latencies[0]:.2f} s, median {typical:.2f} s, "
        f"slowest {max(latencies):.2f} s over {len(latencies)} moments; "
        f"{changed} values differ from as known now; "
        f"indicators service peak memory {memory:.0f} MB"
    )
    query_rate, raw_rate = rows / typical, rows / raw_seconds
    print(
        f"ratio asof-query/raw-read: {query_rate:.0f} ev/s / {raw_rate:.0f} ev/s "
        f"= {query_rate / raw_rate:.2f}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
