"""The CFBU catalogue of activity types (reference data)."""

from __future__ import annotations

import json
from functools import cache

from pydantic import BaseModel, ConfigDict, TypeAdapter

from services.agreements.data import ACTIVITY_TYPES_FILE


class ActivityType(BaseModel):
    """One of CFBU's 40 activity types, and whether it has documented effect."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    focus_area: str
    also_in_focus_areas: list[str]
    documented_effect: bool


@cache
def activity_types() -> dict[str, ActivityType]:
    items = TypeAdapter(list[ActivityType]).validate_python(
        json.loads(ACTIVITY_TYPES_FILE.read_text(encoding="utf-8"))
    )
    return {item.id: item for item in items}
