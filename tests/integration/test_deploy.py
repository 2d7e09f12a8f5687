"""The deployment as shipped: deploy/Procfile run by honcho on RabbitMQ and
PostgreSQL (one process per service), and the Compose file's shape."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from shared.settings import Settings

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.timeout(300)


def test_the_procfile_run_by_honcho_brings_up_three_healthy_services(
    amqp_settings: Settings, tmp_path: Path
) -> None:
    env_file = tmp_path / "helhed.env"
    lines = [
        f"HELHED_{k.upper()}={v}"
        for k, v in amqp_settings.model_dump().items()
        if v is not None
    ]
    env_file.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
    honcho = subprocess.Popen(
        [
            str(BIN / "honcho"),
            "-d",
            str(ROOT),
            "-e",
            str(env_file),
            "-f",
            str(ROOT / "deploy" / "Procfile"),
            "start",
            "agreements",
            "activities",
            "indicators",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    status_env = {
        **env,
        **{line.split("=", 1)[0]: line.split("=", 1)[1] for line in lines},
    }
    try:
        deadline, report = time.monotonic() + 120, {}
        while time.monotonic() < deadline:
            shown = subprocess.run(
                [str(BIN / "helhed"), "status", "--format", "json"],
                env=status_env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            report = json.loads(shown.stdout) if shown.stdout.startswith("{") else {}
            if shown.returncode == 0:
                break
            time.sleep(1)
        print(json.dumps(report, indent=1)[:2000])
        assert report.get("healthy") is True, report
        assert {s["service"] for s in report["services"]} == {
            "agreements",
            "activities",
            "indicators",
        }
    finally:
        os.killpg(honcho.pid, signal.SIGTERM)
        output = honcho.communicate(timeout=60)[0].decode(errors="replace")
    assert "agreements.1" in output or "agreements" in output


def test_the_compose_file_runs_every_service_with_health_checks_and_volumes() -> None:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {
        "rabbitmq",
        "postgres",
        "agreements",
        "activities",
        "indicators",
        "dashboard",
    }
    assert "management" in services["rabbitmq"]["image"]
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert set(compose["volumes"]) == {"rabbitmq", "postgres"}
    procfile = (ROOT / "deploy" / "Procfile").read_text()
    for name in ("agreements", "activities", "indicators"):
        assert services[name]["command"] == ["helhed", "services", "-s", name]
        assert f"helhed services --service {name}" in procfile
    env = dict(
        line.split("=", 1)
        for line in (ROOT / "deploy" / "compose.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    Settings.model_validate(
        {k.removeprefix("HELHED_").lower(): v for k, v in env.items()}
    )
