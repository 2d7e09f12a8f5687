"""The platform as separate processes (``helhed services -s NAME``, as
deploy/Procfile runs it) on the real RabbitMQ and PostgreSQL, for fault tests:
start, stop, kill -9, restart, post in batches, compare with a rebuild."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from shared.settings import SERVICE_NAMES, Settings
from shared.store import views_engine

if TYPE_CHECKING:
    from shared.settings import ServiceName

HELHED = str(Path(sys.executable).with_name("helhed"))
BATCH = "application/cloudevents-batch+json"


def env_of(settings: Settings) -> dict[str, str]:
    env = {**os.environ, "HELHED_LOG_FORMAT": "json"}
    for name, value in settings.model_dump().items():
        key = f"HELHED_{name.upper()}"
        env.pop(key, None)
        if value is not None:
            env[key] = str(value)
    return env


class Cluster:
    """One process per service; logs under ``logs``."""

    def __init__(self, settings: Settings, logs: Path) -> None:
        self.settings = settings
        self.logs = logs
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, *names: ServiceName) -> Cluster:
        for name in names or SERVICE_NAMES:
            log = (self.logs / f"{name}.log").open("ab")
            self.processes[name] = subprocess.Popen(
                [HELHED, "services", "-s", name],
                env=env_of(self.settings),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        for name in names or SERVICE_NAMES:
            self.wait_healthy(name)
        return self

    def wait_healthy(self, name: ServiceName, seconds: float = 90) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while True:
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}")
            try:
                answer = requests.get(
                    f"{self.settings.base_url(name)}/health", timeout=5
                )
                if answer.status_code == 200:
                    body: dict[str, Any] = answer.json()
                    return body
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} is not healthy")
            time.sleep(0.3)

    def kill(self, name: ServiceName) -> None:
        """kill -9: no orderly stop, nothing acknowledged or flushed."""
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def alive(self) -> dict[str, bool]:
        return {name: p.poll() is None for name, p in self.processes.items()}

    # --- the platform's APIs ---------------------------------------------------

    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.admin_token}"}

    def register_plan(self, plan: str, activities: list[str]) -> None:
        base = self.settings.base_url("agreements")
        calls = [
            (
                "/fora",
                {"forum_id": "forum-faults", "name": "Fejlforum", "kommune": "K"},
            ),
            (
                "/plans",
                {
                    "plan_id": plan,
                    "name": "Fejlplan",
                    "kommune": "K",
                    "period_start": "2025-01-01",
                    "period_end": "2028-12-31",
                    "forum_id": "forum-faults",
                },
            ),
        ] + [
            (f"/plans/{plan}/activities", {"activity_id": a, "name": a})
            for a in activities
        ]
        for path, body in calls:
            answer = requests.post(
                f"{base}{path}", json=body, headers=self.admin(), timeout=30
            )
            assert answer.status_code in (200, 201), answer.text

    def post_batch(
        self, events: list[dict[str, Any]], attempts: int = 60
    ) -> dict[str, Any]:
        """Post until the platform answers (a retry is safe: exactly once by id)."""
        url = f"{self.settings.base_url('activities')}/events"
        headers = {**self.admin(), "content-type": BATCH}
        for _ in range(attempts):
            try:
                answer = requests.post(url, json=events, headers=headers, timeout=60)
                if answer.status_code == 200:
                    body: dict[str, Any] = answer.json()
                    return body
            except requests.RequestException:
                pass
            time.sleep(1)
        raise TimeoutError("activities did not take the batch")

    def sessions(self, plan: str) -> dict[str, Any]:
        answer = requests.get(
            f"{self.settings.base_url('indicators')}/plans/{plan}/sessions", timeout=60
        )
        answer.raise_for_status()
        body: dict[str, Any] = answer.json()
        return body

    def wait_synced(self, seconds: float = 180) -> dict[str, Any]:
        """Until indicators' lag is 0 for both leaders, and activities knows every
        agreements event."""
        deadline = time.monotonic() + seconds
        heads: dict[str, int] = {}
        while time.monotonic() < deadline:
            try:
                heads = {
                    name: int(self.wait_healthy(name, 30)["head"])  # type: ignore[arg-type]
                    for name in ("agreements", "activities")
                }
                following = self.wait_healthy("indicators", 30)["following"]
                learned = self.wait_healthy("activities", 30)["following"]
                if all(following.get(n, 0) >= h for n, h in heads.items()) and (
                    learned.get("agreements", 0) >= heads["agreements"]
                ):
                    return heads
            except (requests.RequestException, TimeoutError, KeyError):
                pass
            time.sleep(0.5)
        raise TimeoutError(f"indicators did not catch up with {heads}")

    def rebuild_hashes(self, scratch_url: str) -> tuple[str, str]:
        """(rebuilt, live): a rebuild from the leaders' logs into ``scratch_url``
        (same kind of database) against the live indicators read model."""
        from services.indicators.replay import projection_hash, rebuild
        from shared.bus.remote import HttpLeaderLog

        leaders = {
            name: HttpLeaderLog(self.settings.base_url(name))  # type: ignore[arg-type]
            for name in ("agreements", "activities")
        }
        fresh = views_engine(scratch_url)
        live = views_engine(self.settings.database_url("indicators"))
        try:
            rebuild(fresh, leaders)
            return projection_hash(fresh), projection_hash(live)
        finally:
            fresh.dispose()
            live.dispose()


REPORTER: list[Any] = []  # pytest's terminal reporter and capture manager


def report(name: str, **counts: Any) -> None:
    """What a fault test did and compared, on the terminal even without -s."""
    line = f"[{name}] " + ", ".join(f"{k}={v}" for k, v in counts.items())
    if REPORTER:
        reporter, capture = REPORTER
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)
    else:
        print(line)
