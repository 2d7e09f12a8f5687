"""Schemathesis against every service's OpenAPI on RabbitMQ and PostgreSQL: at
least 500 generated requests per API (valid and invalid, fixed seed), no server
error, and no stored side effect from a refused request."""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.openapi import from_dict

from shared.runner import Platform
from tests.integration.scenario import Scenario, session_event

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shared.settings import Settings

CASES_PER_API = 500
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Settings]:
    from tests.support import fresh_schemas, fresh_vhost, production_settings_for

    with fresh_vhost() as uri, fresh_schemas() as databases:
        settings_ = production_settings_for(
            tmp_path_factory.mktemp("st"), uri, databases
        )
        with Platform(settings_):
            scenario = Scenario(settings_)
            scenario.register_plan()  # something real to find among the 404s
            scenario.post_batch([session_event(n) for n in range(20)])
            scenario.sync()
            yield settings_


def _heads(settings_: Settings) -> dict[str, int]:
    return {
        name: int(
            requests.get(f"{settings_.base_url(name)}/health", timeout=30).json()[
                "head"
            ]
        )  # type: ignore[arg-type]
        for name in ("agreements", "activities")
    }


def _run(settings_: Settings, service: str) -> dict[str, Any]:
    base = settings_.base_url(service)  # type: ignore[arg-type]
    document = requests.get(f"{base}/openapi.json", timeout=30).json()
    schema = from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    # every operation gets its share of valid requests, and half as many invalid
    examples = {
        GenerationMode.POSITIVE: math.ceil(CASES_PER_API / len(operations)),
        GenerationMode.NEGATIVE: math.ceil(CASES_PER_API / len(operations) / 2),
    }
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    auth = {"Authorization": f"Bearer {settings_.admin_token}"}
    session = requests.Session()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=examples[mode],
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case: Any) -> None:
                write = case.method.upper() in WRITES
                before = _heads(settings_) if write else None
                headers = {**(case.headers or {}), **auth}
                response = case.call(base_url=base, session=session, headers=headers)
                statuses[response.status_code] += 1
                label = f"{case.method} {case.formatted_path}"
                if response.status_code >= 500:
                    failures.append(
                        f"{label}: {response.status_code} {response.text[:300]}"
                    )
                if write and 400 <= response.status_code < 500:
                    after = _heads(settings_)
                    if after != before:
                        failures.append(
                            f"{label}: refused ({response.status_code}) "
                            f"but the log moved {before} -> {after}"
                        )

            try:
                call()
            except Unsatisfiable:  # nothing about it can be invalid (no parameters)
                if mode is GenerationMode.POSITIVE:
                    raise
    return {
        "cases": sum(statuses.values()),
        "statuses": dict(statuses),
        "operations": len(operations),
        "failures": failures,
    }


@pytest.mark.parametrize("service", ["agreements", "activities", "indicators"])
def test_generated_requests_never_get_a_server_error_or_store_a_refused_one(
    platform: Settings, service: str
) -> None:
    result = _run(platform, service)
    print(
        f"{service}: {result['cases']} cases over {result['operations']} operations, "
        f"statuses {sorted(result['statuses'].items())}"
    )
    assert result["cases"] >= CASES_PER_API
    assert not result["failures"], result["failures"][:10]
