"""Outputs per activity and period: what the activities did, counted from the
plan's activity events as known at a moment (pure functions over `Fact`s)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import TYPE_CHECKING, Any, Literal

from services.indicators.periods import quarter_of
from shared.contracts.activities import (
    CourseHeld,
    MatchEnded,
    MatchEstablished,
    OutcomeRecorded,
    ParticipantCompleted,
    ParticipantDroppedOut,
    ParticipantEnrolled,
    SessionHeld,
    VolunteerLeft,
    VolunteerRecruited,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from services.indicators.formulas import Fact

Grain = Literal["month", "quarter", "year", "plan"]
GRAINS: tuple[Grain, ...] = ("month", "quarter", "year", "plan")
PLAN_TO_DATE = "hele perioden"

#: The counted outputs, in the order tables show them.
COUNTS = (
    "sessions",
    "participants",
    "unique_participants",
    "enrolments",
    "completions",
    "drop_outs",
    "outcomes",
    "matches_started",
    "matches_ended",
    "active_matches",
    "median_match_days",
    "volunteers_recruited",
    "volunteers_left",
    "active_volunteers",
    "courses",
    "course_participants",
)


#: Outputs that count people: under 5 they are hidden in comparisons and exports.
PEOPLE = frozenset(
    {
        "participants",
        "unique_participants",
        "enrolments",
        "completions",
        "drop_outs",
        "outcomes",
        "course_participants",
    }
)


def period_of(day: date, grain: Grain) -> str:
    if grain == "month":
        return f"{day.year}-{day.month:02d}"
    if grain == "quarter":
        return quarter_of(day)
    if grain == "year":
        return str(day.year)
    return PLAN_TO_DATE


def period_end(label: str, grain: Grain, last_day: date) -> date:
    """The last day of a period label (for "plan": the last day with events)."""
    if grain == "month":
        year, month = (int(part) for part in label.split("-"))
        following = date(year + (month == 12), month % 12 + 1, 1)
        return following - timedelta(days=1)
    if grain == "quarter":
        year, quarter = int(label[:4]), int(label[-1])
        following = date(year + (quarter == 4), quarter % 4 * 3 + 1, 1)
        return following - timedelta(days=1)
    if grain == "year":
        return date(int(label), 12, 31)
    return last_day


@dataclass
class _Cell:
    """The outputs of one activity in one period."""

    counts: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    refs: set[str] = field(default_factory=set)
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    match_days: list[int] = field(default_factory=list)


@dataclass
class _Spans:
    """Matches and volunteers of one activity: when each began and ended."""

    matches: dict[str, list[date | None]] = field(default_factory=dict)
    volunteers: dict[str, list[date | None]] = field(default_factory=dict)


def outputs(facts: Iterable[Fact], grain: Grain = "quarter") -> list[dict[str, Any]]:
    """One row per activity and period, with every output counted.

    Unique participants are the distinct participant references seen in the
    period; active matches and volunteers are those begun and not ended on the
    period's last day; match durations are of the matches ended in the period.
    """
    cells: dict[tuple[str, str], _Cell] = defaultdict(_Cell)
    spans: dict[str, _Spans] = defaultdict(_Spans)
    last_day = date.min
    for fact in sorted(facts, key=lambda f: f.time):
        day = fact.time.date()
        last_day = max(last_day, day)
        data = fact.data
        activity = str(data.get("activity_id", ""))
        if not activity:
            continue  # measurements belong to indicators, not to an activity
        cell = cells[(activity, period_of(day, grain))]
        _count(fact.type, data, day, cell, spans[activity])
    rows = []
    for (activity, label), cell in sorted(cells.items()):
        end = period_end(label, grain, last_day)
        activity_spans = spans[activity]
        row: dict[str, Any] = {"activity_id": activity, "period": label}
        row.update({name: cell.counts.get(name, 0) for name in COUNTS})
        row["unique_participants"] = len(cell.refs)
        row["outcomes"] = int(sum(cell.outcomes.values()))
        row["outcomes_by_kind"] = dict(sorted(cell.outcomes.items()))
        row["active_matches"] = _active(activity_spans.matches, end)
        row["active_volunteers"] = _active(activity_spans.volunteers, end)
        row["median_match_days"] = median(cell.match_days) if cell.match_days else None
        rows.append({k: _whole(v) for k, v in row.items()})
    return rows


def _count(
    kind: str, data: Any, day: date, cell: _Cell, activity_spans: _Spans
) -> None:
    counts = cell.counts
    if kind == SessionHeld.TYPE:
        counts["sessions"] += 1
        counts["participants"] += data.get("participants", 0)
        cell.refs.update(data.get("participant_refs") or ())
    elif kind == ParticipantEnrolled.TYPE:
        counts["enrolments"] += 1
        cell.refs.add(data["participant_ref"])
    elif kind == ParticipantCompleted.TYPE:
        counts["completions"] += 1
    elif kind == ParticipantDroppedOut.TYPE:
        counts["drop_outs"] += 1
    elif kind == OutcomeRecorded.TYPE:
        cell.outcomes[data["kind"]] += int(data.get("count", 1))
    elif kind == MatchEstablished.TYPE:
        counts["matches_started"] += 1
        activity_spans.matches[data["match_ref"]] = [day, None]
    elif kind == MatchEnded.TYPE:
        counts["matches_ended"] += 1
        span = activity_spans.matches.setdefault(data["match_ref"], [None, None])
        span[1] = day
        if span[0] is not None:
            cell.match_days.append((day - span[0]).days)
    elif kind == VolunteerRecruited.TYPE:
        counts["volunteers_recruited"] += 1
        activity_spans.volunteers[data["volunteer_ref"]] = [day, None]
    elif kind == VolunteerLeft.TYPE:
        counts["volunteers_left"] += 1
        span = activity_spans.volunteers.setdefault(data["volunteer_ref"], [None, None])
        span[1] = day
    elif kind == CourseHeld.TYPE:
        counts["courses"] += 1
        counts["course_participants"] += data.get("participants", 0)


def _active(spans: dict[str, list[date | None]], on: date) -> int:
    return sum(
        1
        for began, ended in spans.values()
        if began is not None and began <= on and (ended is None or ended > on)
    )


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def totals(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan's outputs per period: every activity's rows added up (unique
    participants are per activity, so their sum counts a person once per activity)."""
    summed: dict[str, dict[str, Any]] = {}
    for row in rows:
        total = summed.setdefault(
            row["period"], {"period": row["period"], **dict.fromkeys(COUNTS, 0)}
        )
        for name in COUNTS:
            if name != "median_match_days":
                total[name] += row[name] or 0
    for total in summed.values():
        total["median_match_days"] = None
    return [summed[label] for label in sorted(summed)]
