"""The ``helhed`` command line as a newcomer runs it: the embedded demo, then queries."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.integration

HELHED = [sys.executable, "-c", "from services.cli import main; main()"]
NORDVEST = "beboerprojekt-nordvest-2025-29"


def helhed(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HELHED, *args], capture_output=True, text=True, timeout=240, check=False
    )


def test_the_demo_loads_nordvest_and_the_cli_shows_the_agreement_and_the_numbers(
    tmp_path: Path,
) -> None:
    data = str(tmp_path / "var")
    demo = helhed("demo", "--no-dashboard", "--data-dir", data)
    assert demo.returncode == 0, demo.stderr
    assert "Beboerprojekt Nordvest 2025-29" in demo.stdout + demo.stderr

    shown = helhed(
        "agreements", "show", NORDVEST, "--format", "json", "--data-dir", data
    )
    assert shown.returncode == 0, shown.stderr
    summary = json.loads(shown.stdout)
    assert summary["counts"] == {
        "afdelinger": 14,
        "survey_areas": 5,
        "overall_indicators": 9,
        "delaftaler": 4,
        "delmaal": 21,
        "activities": 12,
    }
    daycare = summary["overall_goals"][0]["indicators"][0]
    assert daycare["baselines"][0]["value"] == 81.9
    assert daycare["comparison_baselines"][0]["value"] == 87.04

    sessions = helhed(
        "query", "sessions", "--plan", NORDVEST, "--format", "json", "--data-dir", data
    )
    assert sessions.returncode == 0, sessions.stderr
    numbers = json.loads(sessions.stdout)
    assert (
        numbers["total_sessions"]
        == sum(q["sessions"] for q in numbers["quarters"])
        > 100
    )

    # a second run finds everything there already and counts nothing twice
    again = helhed("demo", "--no-dashboard", "--data-dir", data)
    assert again.returncode == 0, again.stderr
    repeat = json.loads(
        helhed(
            "query",
            "sessions",
            "--plan",
            NORDVEST,
            "--format",
            "json",
            "--data-dir",
            data,
        ).stdout
    )
    assert repeat == numbers

    table = helhed(
        "query",
        "indicators",
        "--plan",
        NORDVEST,
        "--format",
        "json",
        "--data-dir",
        data,
    )
    indicators = json.loads(table.stdout)
    overall = [r for r in indicators["indicators"] if r["level"] == "overall"]
    assert len(overall) == 9
    assert (overall[0]["baseline"], overall[0]["comparison"]) == (81.9, 87.04)
    derived = [r for r in indicators["indicators"] if r["kind"] == "derived"]
    assert derived
    assert all(r["value"] > 0 for r in derived)
    assert {"no_target", "off_track"} <= {r["status"] for r in indicators["indicators"]}
    effect = indicators["documented_effect"]
    assert (effect["activities"], effect["with_documented_effect"]) == (12, 10)

    # the demo corrects one January 2026 session (+5 participants); as known just
    # before the correction was recorded, the quarter had 5 participants fewer than
    # as known the moment it was (later reports of March change "now" further)
    corrected_at = _recorded_time_of_the_correction(Path(data))
    args = [
        "query",
        "indicators",
        "--plan",
        NORDVEST,
        "--on",
        "2026-01-15",
        "--format",
        "json",
        "--data-dir",
        data,
    ]
    now = json.loads(helhed(*args, "--as-of", corrected_at.isoformat()).stdout)
    then = json.loads(
        helhed(
            *args, "--as-of", (corrected_at - timedelta(microseconds=1)).isoformat()
        ).stdout
    )
    assert _value(now, "UL-OUT-1") == _value(then, "UL-OUT-1") + 5

    changes = helhed(
        "agreements",
        "diff",
        NORDVEST,
        "--since-approval",
        "--format",
        "json",
        "--data-dir",
        data,
    )
    assert changes.returncode == 0, changes.stderr
    assert all(not d["changes"] for d in json.loads(changes.stdout)["documents"])


def test_asking_about_an_unknown_plan_says_so_in_danish_and_exits_1(
    tmp_path: Path,
) -> None:
    answer = helhed(
        "query", "sessions", "--plan", "no-such-plan", "--data-dir", str(tmp_path)
    )
    assert answer.returncode == 1
    assert "Fejl" in answer.stderr


def test_tokens_are_issued_once_and_revoked_from_the_command_line(
    tmp_path: Path,
) -> None:
    data = str(tmp_path / "var")
    assert helhed("demo", "--no-dashboard", "--data-dir", data).returncode == 0
    issued = helhed(
        "tokens", "issue", "--label", "lektiecafe-tool",
        "--grant", f"{NORDVEST}:tool", "--source-prefix", "/tools/lektiecafe",
        "--data-dir", data,
    )  # fmt: skip
    assert issued.returncode == 0, issued.stderr
    secret = issued.stdout.strip()
    assert secret.startswith("hh_")
    from services.agreements.application import Agreements
    from shared.settings import Settings

    store = Agreements(Settings(data_dir=Path(data)).database_url("agreements"))
    try:
        principal = store.authenticate(secret)
        assert principal.may(NORDVEST, {principal.grants[0].role})
        assert principal.may_post_as("/tools/lektiecafe/uge-12")
        assert not principal.may_post_as("/tools/other")
    finally:
        store.close()
    revoked = helhed("tokens", "revoke", principal.token_id, "--data-dir", data)
    assert revoked.returncode == 0, revoked.stderr
    store = Agreements(Settings(data_dir=Path(data)).database_url("agreements"))
    try:
        with pytest.raises(PermissionError):
            store.authenticate(secret)
    finally:
        store.close()


def _value(table: dict[str, Any], indicator_id: str) -> float:
    value: float = next(
        r["value"] for r in table["indicators"] if r["indicator_id"] == indicator_id
    )
    return value


def _recorded_time_of_the_correction(data: Path) -> datetime:
    from services.indicators.views import facts
    from shared.settings import Settings
    from shared.store import views_engine

    engine = views_engine(Settings(data_dir=data).database_url("indicators"))
    try:
        with engine.connect() as conn:
            corrections = conn.execute(
                sa.select(facts.c.recorded, facts.c.data).where(
                    facts.c.type == "dk.helhedsplan.activity.corrected",
                    facts.c.plan_id == NORDVEST,
                )
            ).all()
        [recorded] = [
            row.recorded
            for row in corrections
            if row.data["supersedes"]["id"].startswith("demo-ul-a2-")
        ]
    finally:
        engine.dispose()
    return recorded if recorded.tzinfo else recorded.replace(tzinfo=UTC)


def test_replay_rebuilds_the_projection_from_the_logs_and_a_tampered_one_is_caught(
    tmp_path: Path,
) -> None:
    from services.indicators.views import session_counts
    from shared.settings import Settings
    from shared.store import views_engine

    data = str(tmp_path / "var")
    assert helhed("demo", "--no-dashboard", "--data-dir", data).returncode == 0
    replay = helhed("replay", "--data-dir", data)
    assert replay.returncode == 0, replay.stderr
    rebuilt, incremental = (line.split()[-1] for line in replay.stdout.splitlines()[:2])
    assert rebuilt == incremental
    # one number changed behind the platform's back is found
    engine = views_engine(Settings(data_dir=Path(data)).database_url("indicators"))
    with engine.begin() as conn:
        conn.execute(
            sa.update(session_counts)
            .where(session_counts.c.quarter == "2025-Q4")
            .values(participants=session_counts.c.participants + 1)
        )
    engine.dispose()
    tampered = helhed("replay", "--data-dir", data)
    assert tampered.returncode == 1
    assert "afviger" in tampered.stderr
