"""Generated measurements of the agreement's measured indicators, and a correction,
plainly labelled as demo data (``source_id`` "demodata")."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from services.demo.sessions import DEMO_SOURCE
from shared.contracts.activities import Corrected, IndicatorMeasurementReported
from shared.contracts.registry import schema_uri

if TYPE_CHECKING:
    from services.agreements.agreement_file import AgreementFile

DEMO_DATA_SOURCE = "demodata"


def yearly_measurements(
    agreement: AgreementFile, seed: int = 2026
) -> list[dict[str, Any]]:
    """One 2025 value per measured indicator that has a baseline, reported in March
    2026: some better than the baseline, some worse."""
    rng = random.Random(seed)
    plan_id = agreement.plan.id
    events = []
    for indicator in agreement.indicators():
        if indicator.definition.kind != "measured":
            continue
        baseline = next(
            (b.value for b in indicator.baselines if b.value is not None), None
        )
        if baseline is None:
            continue
        change = baseline * rng.uniform(-0.12, 0.12)
        value = round(max(baseline + change, 0.0), 2)
        data = IndicatorMeasurementReported(
            plan_id=plan_id,
            indicator_id=indicator.id,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            value=value,
            source_id=DEMO_DATA_SOURCE,
            population="Demodata: genereret, ikke rigtige tal",
        )
        events.append(
            _event(
                f"demo-maaling-{indicator.id}-2025",
                data,
                datetime(2026, 3, 16, 9, tzinfo=UTC),
            )
        )
    return events


def a_correction(session: dict[str, Any]) -> dict[str, Any]:
    """Corrects one demo session's participant count, as staff do after a recount."""
    corrected = {**session["data"], "participants": session["data"]["participants"] + 5}
    data = Corrected(
        plan_id=session["data"]["plan_id"],
        supersedes={"source": session["source"], "id": session["id"]},
        corrected_type=session["type"],
        corrected_data=corrected,
        reason="Demodata: deltagerlisten blev talt op igen",
    )
    return _event(
        f"demo-rettelse-{session['id']}", data, datetime.fromisoformat(session["time"])
    )


def _event(event_id: str, data: Any, happened: datetime) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": DEMO_SOURCE,
        "type": data.TYPE,
        "time": happened.isoformat(),
        "subject": data.plan_id,
        "dataschema": schema_uri(data.TYPE, data.VERSION),
        "data": data.model_dump(mode="json"),
    }
