"""Render time of the dashboard's Samarbejdsforum page over a large history.

    python -m bench.dashboard --events N [--plans 20] [--renders 5]

Set-up (not timed): N activity events over ``plans`` plans of one
Samarbejdsforum (`bench.history`), rebuilt into an indicators read model and
served by the indicators service as its own process (`bench.asof`). Then the
page is rendered by Streamlit's AppTest (the page script, its queries over HTTP
and its tables and charts): the first load, then ``renders`` loads by new
sessions (the query cache is shared, as in a running dashboard). The raw rate
is one SELECT of every fact in the read model. The last line is the ratio of
events per second of a load after the first to events per second of that read.
"""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore")

import argparse  # noqa: E402
import logging  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import sqlalchemy as sa  # noqa: E402
from rich.console import Console  # noqa: E402

from bench.asof import build, start_indicators  # noqa: E402

APP = str(Path(__file__).parents[1] / "services" / "dashboard" / "app.py")


def render(base: str) -> tuple[float, int]:
    """One load of the forum page by a new session; (seconds, plans shown)."""
    from streamlit.testing.v1 import AppTest

    from services.dashboard.client import HttpDashboardClient

    app = AppTest.from_file(APP, default_timeout=600)
    app.session_state["client"] = HttpDashboardClient(base, timeout=600)
    began = time.perf_counter()
    app.run()
    seconds = time.perf_counter() - began
    if app.exception or app.error:
        raise RuntimeError(f"the page failed: {[e.value for e in app.exception]}")
    matrix = app.dataframe[0].value
    return seconds, len(matrix.columns) - 1


def raw_read(database: str) -> tuple[int, float]:
    from services.indicators.views import facts
    from shared.store import views_engine

    engine = views_engine(database)
    try:
        began = time.perf_counter()
        with engine.connect() as conn:
            rows = conn.execute(sa.select(facts)).all()
        return len(rows), time.perf_counter() - began
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--renders", type=int, default=5)
    args = parser.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    console, errors = Console(), Console(stderr=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    service = None
    try:
        built = build(scratch, args.events, args.plans, errors)
        urls = built["urls"]
        assert isinstance(urls, dict)
        rows, raw_seconds = raw_read(urls["indicators"])
        service, base = start_indicators(scratch, urls["indicators"])
        first, plans = render(base)
        later = [render(base)[0] for _ in range(args.renders)]
    finally:
        if service is not None:
            service.terminate()
            service.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
    if plans != args.plans:
        errors.print(f"[red]FAILED[/red]: the page showed {plans} plans")
        return 1
    typical = statistics.median(later)
    console.print(
        f"Samarbejdsforum page, {plans} plans, {rows} events: first load "
        f"{first:.2f} s, later loads median {typical:.2f} s "
        f"(slowest {max(later):.2f} s)"
    )
    page_rate, raw_rate = rows / typical, rows / raw_seconds
    print(
        f"ratio forum-page/raw-read: {page_rate:.0f} ev/s / {raw_rate:.0f} ev/s "
        f"= {page_rate / raw_rate:.2f}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
