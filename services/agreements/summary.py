"""A plan's agreement as one readable summary: counts, overall table, delaftaler."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.agreements.domain.documents import DocumentKind

if TYPE_CHECKING:
    from services.agreements.application import Agreements


def plan_summary(app: Agreements, plan_id: str) -> dict[str, Any]:
    """What was agreed for a plan, as in force now (and what awaits approval)."""
    plan = app.plan(plan_id)
    documents = list(app.documents(plan_id))
    strategic = next((d for d in documents if d.kind is DocumentKind.STRATEGIC), None)
    delaftaler = [d for d in documents if d.kind is DocumentKind.DELAFTALE]
    details = plan.details
    afdelinger = [
        a for org in details.get("housing_organisations", []) for a in org["afdelinger"]
    ]
    goals = strategic.approved.content["overall_goals"] if strategic else []
    delmaal = [m for d in delaftaler for m in d.approved.content["delmaal"]]
    return {
        "plan_id": plan.plan_id,
        "name": plan.name,
        "kommune": plan.kommune,
        "period": {"start": plan.period_start, "end": plan.period_end},
        "counts": {
            "afdelinger": len(afdelinger),
            "survey_areas": len(details.get("survey_areas", [])),
            "overall_indicators": sum(len(g["indicators"]) for g in goals),
            "delaftaler": len(delaftaler),
            "delmaal": len(delmaal),
            "activities": len(plan.activities),
        },
        "vision": strategic.approved.content["vision"] if strategic else None,
        "overall_goals": [
            {
                "id": goal["id"],
                "indsatsomraade": goal["indsatsomraade"],
                "text": goal["text"],
                "indicators": [
                    {
                        key: indicator[key]
                        for key in (
                            "id",
                            "name",
                            "unit",
                            "direction",
                            "data_source_id",
                            "baselines",
                            "comparison_baselines",
                        )
                    }
                    for indicator in goal["indicators"]
                ],
            }
            for goal in goals
        ],
        "delaftaler": [
            {
                "indsatsomraade": d.key,
                "name": d.approved.content["name"],
                "version_in_force": d.approved.number,
                "latest_version": d.latest.number,
                "latest_status": d.latest.status.value,
                "delmaal": [m["id"] for m in d.approved.content["delmaal"]],
                "activities": [a["id"] for a in d.approved.content["activities"]],
            }
            for d in delaftaler
        ],
        "activities": {
            activity_id: {
                "name": activity["name"],
                "status": activity["status"],
                "cfbu_activity_type": activity["cfbu_activity_type"],
            }
            for activity_id, activity in plan.activities.items()
        },
        "follow_ups": plan.follow_ups,
    }
