"""The demo, loaded once per test session and served by the three services in one
process (``helhed services`` on memory://): for the dashboard and audit tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.support import free_port

HELHED = str(Path(sys.executable).with_name("helhed"))
NORDVEST = "beboerprojekt-nordvest-2025-29"


@dataclass(frozen=True)
class DemoPlatform:
    data_dir: Path
    env: dict[str, str]
    indicators_url: str


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process exited with {process.returncode}")
        try:
            requests.get(url, timeout=2).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer")


@pytest.fixture(scope="session")
def demo_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoPlatform]:
    data_dir = tmp_path_factory.mktemp("demo") / "var"
    ports = {name: free_port() for name in ("agreements", "activities", "indicators")}
    env = {
        **os.environ,
        "HELHED_AMQP_URI": "memory://",
        "HELHED_DATA_DIR": str(data_dir),
        **{f"HELHED_{n.upper()}_HTTP": f"127.0.0.1:{p}" for n, p in ports.items()},
    }
    for name in ("AGREEMENTS", "ACTIVITIES", "INDICATORS"):
        env.pop(f"HELHED_{name}_DB", None)
    loaded = subprocess.run(
        [HELHED, "demo", "--no-dashboard", "--data-dir", str(data_dir)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    log = (data_dir / "services.log").open("wb")
    services = subprocess.Popen(
        [HELHED, "services"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{ports['indicators']}"
    try:
        _wait(f"{url}/health", services)
        yield DemoPlatform(data_dir, env, url)
    finally:
        services.terminate()
        try:
            services.wait(timeout=20)
        except subprocess.TimeoutExpired:
            services.kill()
        log.close()
