"""The project's own agreement file format: one helhedsplan, as agreed.

JSON or YAML. ``helhed agreements import FILE`` validates it against these models and
names the path of every bad field (``delaftaler[1].delmaal[0].indicators[2].unit``).
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shared.contracts.agreements import SLUG
from shared.contracts.definitions import Derived, Measured

if TYPE_CHECKING:
    from pathlib import Path

Unit = Literal["percent", "count", "grade", "rate", "mixed", "DKK"]
Direction = Literal["higher_is_better", "lower_is_better", "monitor"]
Scope = Literal["HHP", "survey_area", "afdeling", "bydel", "målgruppe"]
TargetKind = Literal[
    "decrease_over_period",
    "increase_over_period",
    "decrease_each_year",
    "increase_each_year",
    "converge_to_comparison",
    "reach_comparison_level",
    "threshold_above",
    "increase",
    "decrease",
    "monitor",
]
Indsatsomraade = Literal["UL", "BE", "KF", "SM"]
ActivityStatus = Literal["planned", "conditional", "active", "paused", "ended"]


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Period(_Spec):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Afdeling(_Spec):
    id: str
    number: str
    name: str
    housing_organisation: str
    cluster: str | None = None
    local_school: str | None = None
    homes: int | None = Field(default=None, ge=0)
    residents: int | None = Field(default=None, ge=0)
    residents_approx: bool = False


class HousingOrganisation(_Spec):
    id: str
    name: str
    afdelinger: list[Afdeling]


class SurveyArea(_Spec):
    """An area of LBF's tryghedsundersøgelse (membership may be unknown)."""

    id: str
    name: str
    afdelinger: list[str] = Field(
        default_factory=list, description="Afdeling ids, where the source names them."
    )


class DataSource(_Spec):
    id: str
    name: str
    owner: str | None = None
    population: str | None = Field(
        default=None, description="What the figures cover, e.g. which afdelinger."
    )
    covers_outside_plan: list[str] = Field(
        default_factory=list, description="Areas counted that are not in the plan."
    )
    excludes_afdelinger: list[str] = Field(default_factory=list)


class ForumRef(_Spec):
    id: str = Field(pattern=SLUG)
    name: str
    kommune: str


class BoardRef(_Spec):
    id: str = Field(pattern=SLUG)
    name: str


class Totals(_Spec):
    afdelinger: int = Field(ge=0)
    homes: int = Field(ge=0)
    residents_approx: int = Field(ge=0)
    children_0_17: int | None = Field(default=None, ge=0)


class PlanSpec(_Spec):
    id: str = Field(pattern=SLUG)
    name: str
    kommune: str
    bydel: str | None = None
    period: Period
    funding_frame: str | None = None
    totals: Totals
    housing_organisations: list[HousingOrganisation]
    survey_areas: list[SurveyArea]
    data_sources: list[DataSource]
    forum: ForumRef | None = None
    board: BoardRef | None = None

    def afdelinger(self) -> list[Afdeling]:
        return [a for org in self.housing_organisations for a in org.afdelinger]


class Baseline(_Spec):
    """A starting value, with where it is from and what it covers."""

    value: float | None
    unit: Unit
    year: int | None = None
    school_year: str | None = None
    scope: Scope = "HHP"
    scope_ref: str | None = Field(
        default=None, description="Survey area or afdeling id, for those scopes."
    )
    segment: str | None = Field(
        default=None, description="Sub-measure, e.g. 1-5-årige."
    )
    comparison: str | None = Field(
        default=None, description="kommune, 198 områder, almen sektor, national ..."
    )
    source_id: str | None = None
    label: str | None = Field(
        default=None, description="Where in the agreement this figure is stated."
    )


class Target(_Spec):
    wording: str
    kind: TargetKind
    value: float | None = None


class IndicatorSpec(_Spec):
    id: str
    name: str
    description: str | None = None
    unit: Unit
    direction: Direction
    baselines: list[Baseline] = Field(default_factory=list)
    comparison_baselines: list[Baseline] = Field(default_factory=list)
    target: Target | None = None
    data_source_id: str | None = None
    definition: Derived | Measured = Field(default_factory=Measured)
    effective_from: date | None = Field(
        default=None, description="When the definition takes effect; the plan's start."
    )


class OverallGoal(_Spec):
    id: str
    indsatsomraade: Indsatsomraade
    text: str
    indicators: list[IndicatorSpec]


class StrategicAgreement(_Spec):
    vision: str
    overall_goals: list[OverallGoal]


class Party(_Spec):
    id: str | None = None
    organisation: str = Field(description="Forvaltning, NGO or other body.")
    unit: str | None = None
    role: str | None = None


class StaffResource(_Spec):
    role: str
    hours_per_week: float | None = None
    percent: float | None = None


class ExpectedOutput(_Spec):
    metric: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    per: str | None = None


class ActivitySpec(_Spec):
    id: str = Field(pattern=SLUG)
    code: str = Field(description="The agreement's own code, e.g. UL-A1.")
    name: str
    purpose: str | None = None
    aims: list[str] = Field(default_factory=list)
    target_groups: list[str] = Field(default_factory=list)
    components: list[str] = Field(default_factory=list)
    expected_outputs: list[ExpectedOutput] = Field(default_factory=list)
    responsible: str | None = None
    partners: list[str] = Field(default_factory=list)
    cfbu_activity_type: str | None = None
    status: ActivityStatus = "active"


class Delmaal(_Spec):
    id: str
    text: str
    indicators: list[IndicatorSpec]


class Delaftale(_Spec):
    id: str
    indsatsomraade: Indsatsomraade
    name: str
    period: Period
    parties: list[Party] = Field(default_factory=list)
    delmaal: list[Delmaal]
    staff: list[StaffResource] = Field(default_factory=list)
    activities: list[ActivitySpec]
    output_indicators: list[IndicatorSpec] = Field(
        default_factory=list,
        description="The activities' own outputs, derived from activity events.",
    )
    revision_approver: str = "bestyrelse"
    significant_changes_need_lbf: bool = True


class AgreementFile(_Spec):
    """One helhedsplan: the plan, its strategic agreement and its delaftaler."""

    format_version: Literal[1] = 1
    plan: PlanSpec
    strategic_agreement: StrategicAgreement
    delaftaler: list[Delaftale]

    @model_validator(mode="after")
    def _references_hold(self) -> AgreementFile:
        problems = _duplicate_ids(self) + _dangling_references(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def indicators(self) -> list[IndicatorSpec]:
        overall = [
            i for g in self.strategic_agreement.overall_goals for i in g.indicators
        ]
        local = [i for d in self.delaftaler for m in d.delmaal for i in m.indicators]
        outputs = [i for d in self.delaftaler for i in d.output_indicators]
        return overall + local + outputs

    def activities(self) -> list[tuple[Delaftale, ActivitySpec]]:
        return [(d, a) for d in self.delaftaler for a in d.activities]


def _duplicate_ids(agreement: AgreementFile) -> list[str]:
    kinds: dict[str, list[str]] = {
        "afdeling": [a.id for a in agreement.plan.afdelinger()],
        "indicator": [i.id for i in agreement.indicators()],
        "activity": [a.id for _, a in agreement.activities()],
        "delmål": [m.id for d in agreement.delaftaler for m in d.delmaal],
        "delaftale": [d.indsatsomraade for d in agreement.delaftaler],
    }
    problems = []
    for kind, ids in kinds.items():
        seen: set[str] = set()
        for item in ids:
            if item in seen:
                problems.append(f"{kind} id {item!r} is used twice")
            seen.add(item)
    return problems


def _dangling_references(agreement: AgreementFile) -> list[str]:
    plan = agreement.plan
    afdelinger = {a.id for a in plan.afdelinger()}
    sources = {s.id for s in plan.data_sources}
    problems = [
        f"survey area {area.id!r} names unknown afdeling {ref!r}"
        for area in plan.survey_areas
        for ref in area.afdelinger
        if ref not in afdelinger
    ]
    problems += [
        f"data source {source.id!r} excludes unknown afdeling {ref!r}"
        for source in plan.data_sources
        for ref in source.excludes_afdelinger
        if ref not in afdelinger
    ]
    problems += [
        f"indicator {indicator.id!r} names unknown data source {ref!r}"
        for indicator in agreement.indicators()
        for ref in [
            indicator.data_source_id,
            *(b.source_id for b in indicator.baselines),
        ]
        if ref is not None and ref not in sources
    ]
    return problems


class AgreementFileError(ValueError):
    """The file is not a valid agreement; the message names each bad field."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.problems = problems
        listing = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{path} is not a valid agreement file:\n{listing}")


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("Derived", "Measured", "function-after[_ordered(), Period]"):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text or "(file)"


def parse_agreement(raw: Any, path: Path | str = "<data>") -> AgreementFile:
    try:
        return AgreementFile.model_validate(raw)
    except ValidationError as error:
        problems = [
            f"{_location(tuple(item['loc']))}: {item['msg']}" for item in error.errors()
        ]
        raise AgreementFileError(path, problems) from None


def load_agreement_file(path: Path) -> AgreementFile:
    """Read and validate a .json, .yaml or .yml agreement file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise AgreementFileError(
            path, [f"cannot read the file: {error.strerror}"]
        ) from None
    try:
        raw = (
            yaml.safe_load(text)
            if path.suffix in (".yaml", ".yml")
            else json.loads(text)
        )
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise AgreementFileError(
            path, [f"not valid {path.suffix[1:]}: {error}"]
        ) from None
    return parse_agreement(raw, path)
