"""Generated demo plans beside the real Nordvest agreement, in the same
Samarbejdsforum: the same LBF goals and indicators (so the forum can compare
them), other areas, other baselines. Plainly labelled "Demo" in every name."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.agreements.agreement_file import AgreementFile


@dataclass(frozen=True)
class DemoArea:
    slug: str
    name: str
    start: date
    afdelinger: tuple[str, ...]
    homes: int
    residents: int


#: Fictional areas: no real place or afdeling is meant.
DEMO_AREAS = (
    DemoArea(
        "demo-solhaven-2023-27",
        "Demo: Solhaven 2023-27",
        date(2023, 9, 1),
        ("Solhaven Nord", "Solhaven Syd", "Kærgården"),
        1850,
        3900,
    ),
    DemoArea(
        "demo-kildevaenget-2024-28",
        "Demo: Kildevænget 2024-28",
        date(2024, 3, 1),
        ("Kildevænget", "Engstien"),
        1210,
        2600,
    ),
    DemoArea(
        "demo-engparken-2025-29",
        "Demo: Engparken 2025-29",
        date(2025, 1, 1),
        ("Engparken", "Mosebo", "Lærkehaven", "Bakkely"),
        2400,
        5100,
    ),
)


def demo_agreement(real: AgreementFile, area: DemoArea, seed: int) -> AgreementFile:
    """The real agreement's structure for a fictional area, baselines moved."""
    rng = random.Random(seed)
    body: dict[str, Any] = copy.deepcopy(real.model_dump(mode="json"))
    plan = body["plan"]
    end = date(area.start.year + 4, area.start.month, 1).replace(day=1)
    period = {"start": area.start.isoformat(), "end": _day_before(end).isoformat()}
    plan.update(
        id=area.slug,
        name=area.name,
        bydel=None,
        period=period,
        funding_frame="Demodata (genereret)",
    )
    plan["totals"] = {
        "afdelinger": len(area.afdelinger),
        "homes": area.homes,
        "residents_approx": area.residents,
    }
    org = f"{area.slug}-bo"
    plan["housing_organisations"] = [
        {
            "id": org,
            "name": f"Demo Boligselskab ({area.name.removeprefix('Demo: ')})",
            "afdelinger": [
                {
                    "id": f"{org}-{n}",
                    "number": f"90-{n:02d}",
                    "name": name,
                    "housing_organisation": org,
                }
                for n, name in enumerate(area.afdelinger, start=1)
            ],
        }
    ]
    plan["survey_areas"] = [
        {"id": f"sa-{n}", "name": name, "afdelinger": [f"{org}-{n}"]}
        for n, name in enumerate(area.afdelinger, start=1)
    ]
    for source in plan["data_sources"]:
        source.update(covers_outside_plan=[], excludes_afdelinger=[])
        source["population"] = "Demodata"
    if plan.get("board"):
        plan["board"] = {"id": f"{area.slug}-bestyrelse", "name": "Demo-bestyrelse"}
    for indicator in _indicators(body):
        for baseline in indicator.get("baselines", []):
            if baseline.get("value") is not None:
                moved = _moved(baseline["value"], rng)
                if baseline.get("unit") == "percent":
                    moved = min(moved, 98.5)
                baseline["value"] = moved
            baseline.pop("scope_ref", None)
    for delaftale in body["delaftaler"]:
        delaftale["period"] = period
    return AgreementFile.model_validate(body)


def _indicators(body: dict[str, Any]) -> list[dict[str, Any]]:
    found = [
        i for g in body["strategic_agreement"]["overall_goals"] for i in g["indicators"]
    ]
    for delaftale in body["delaftaler"]:
        found += [i for m in delaftale["delmaal"] for i in m["indicators"]]
        found += delaftale.get("output_indicators", [])
    return found


def _moved(value: float, rng: random.Random) -> float:
    moved = value * rng.uniform(0.8, 1.2)
    return round(moved, 2) if isinstance(value, float) else float(round(moved))


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)
