"""Whether a value is on track: against baseline, target and comparison (pure)."""

from __future__ import annotations

from typing import Any, Literal

Status = Literal["on_track", "off_track", "no_target", "monitor", "no_data"]

INCREASING = {"increase_over_period", "increase_each_year", "increase"}
DECREASING = {"decrease_over_period", "decrease_each_year", "decrease"}

#: Counts under this are suppressed in comparisons and exports, as Danish register
#: statistics do.
SMALL = 5


def status(
    direction: str,
    target: dict[str, Any] | None,
    baseline: float | None,
    value: float | None,
    comparison: float | None,
) -> Status:
    """On track or not, respecting the direction and "monitor only"."""
    if value is None:
        return "no_data"
    if direction == "monitor":
        return "monitor"
    if target is None:
        return "no_target"
    kind = target.get("kind")
    higher = direction == "higher_is_better"
    if kind in INCREASING | DECREASING:
        if baseline is None:
            return "no_data"
        wanted_up = kind in INCREASING
        return (
            "on_track"
            if (value > baseline if wanted_up else value < baseline)
            else "off_track"
        )
    if (
        kind == "converge_to_comparison"
        and comparison is not None
        and baseline is not None
    ):
        closer = abs(value - comparison) < abs(baseline - comparison)
        return "on_track" if closer else "off_track"
    if kind == "reach_comparison_level" and comparison is not None:
        reached = value >= comparison if higher else value <= comparison
        return "on_track" if reached else "off_track"
    if kind == "threshold_above" and target.get("value") is not None:
        return "on_track" if value >= float(target["value"]) else "off_track"
    if baseline is not None:  # a target in words only: judge by direction
        better = value > baseline if higher else value < baseline
        return "on_track" if better else "off_track"
    return "no_target"


def suppressed(
    unit: str,
    value: float | None,
    numerator: float | None = None,
    denominator: float | None = None,
) -> bool:
    """Small numbers are not shown: counts under 5, and ratios built on them."""
    if unit == "count" and value is not None and value < SMALL:
        return True
    return any(n is not None and n < SMALL for n in (numerator, denominator))
