"""``helhed audit``: a plan's history exported as a hash chain, verified by
replaying it, and a tampered file caught with the event named."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from services.audit.chain import chain, check
from tests.demo import HELHED, NORDVEST, DemoPlatform

pytestmark = pytest.mark.timeout(300)


def helhed(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HELHED, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.fixture(scope="module")
def exported(
    demo_platform: DemoPlatform, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    file = tmp_path_factory.mktemp("audit") / "nordvest.jsonl"
    done = helhed(
        demo_platform.env,
        "audit",
        "export",
        str(file),
        "--plan",
        NORDVEST,
        "--data-dir",
        str(demo_platform.data_dir),
    )
    assert done.returncode == 0, done.stderr
    return file


def test_an_exported_plan_verifies_and_replays_to_the_same_indicator_values(
    demo_platform: DemoPlatform, exported: Path
) -> None:
    lines = exported.read_text().splitlines()
    header, values = json.loads(lines[0]), json.loads(lines[-1])
    assert (header["kind"], header["plan_id"]) == ("header", NORDVEST)
    assert header["events"]["activities"] > 400
    assert len(values["indicators"]) == 32
    assert any(v["value"] is not None for v in values["indicators"])
    verified = helhed(demo_platform.env, "audit", "verify", str(exported))
    assert verified.returncode == 0, verified.stderr
    assert "Kæden holder" in verified.stderr
    print(verified.stderr)


def test_one_changed_byte_of_an_event_fails_verify_and_names_the_event(
    demo_platform: DemoPlatform, exported: Path, tmp_path: Path
) -> None:
    lines = exported.read_text().splitlines()
    target = next(
        n
        for n, line in enumerate(lines)
        if '"type":"dk.helhedsplan.activity.session-held"' in line
        and '"participants":1' in line
    )
    event = json.loads(lines[target])["event"]
    lines[target] = lines[target].replace('"participants":1', '"participants":2', 1)
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join(lines) + "\n")
    verified = helhed(demo_platform.env, "audit", "verify", str(tampered))
    assert verified.returncode == 1
    assert event["id"] in verified.stderr
    assert f"linje {target + 1}" in verified.stderr
    print(verified.stderr)


def test_a_removed_line_breaks_the_chain(
    demo_platform: DemoPlatform, exported: Path, tmp_path: Path
) -> None:
    lines = exported.read_text().splitlines()
    del lines[10]
    shortened = tmp_path / "short.jsonl"
    shortened.write_text("\n".join(lines) + "\n")
    verified = helhed(demo_platform.env, "audit", "verify", str(shortened))
    assert verified.returncode == 1
    assert "linje 11" in verified.stderr


def test_a_plan_the_logs_do_not_know_writes_no_file(
    demo_platform: DemoPlatform, tmp_path: Path
) -> None:
    file = tmp_path / "none.jsonl"
    done = helhed(
        demo_platform.env,
        "audit",
        "export",
        str(file),
        "--plan",
        "ingen-plan",
        "--data-dir",
        str(demo_platform.data_dir),
    )
    assert done.returncode == 1
    assert "kender ikke planen" in done.stderr
    assert not file.exists()


def test_the_running_services_export_the_same_history(
    demo_platform: DemoPlatform, exported: Path, tmp_path: Path
) -> None:
    file = tmp_path / "remote.jsonl"
    done = helhed(
        demo_platform.env, "audit", "export", str(file), "--plan", NORDVEST, "--remote"
    )
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in file.read_text().splitlines()[1:-1]]
    local = [json.loads(line) for line in exported.read_text().splitlines()[1:-1]]
    assert [e["event"] for e in events] == [e["event"] for e in local]
    assert helhed(demo_platform.env, "audit", "verify", str(file)).returncode == 0


def test_the_chain_holds_until_a_content_changes() -> None:
    lines = chain([{"kind": "header", "n": 1}, {"kind": "event", "n": 2}])
    assert check(lines)[1] is None
    changed = lines[1].replace('"n":2', '"n":3')
    broken = check([lines[0], changed])[1]
    assert broken is not None
    assert (broken.line, broken.reason) == (2, "its content does not match its hash")
