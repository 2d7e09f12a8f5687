"""What a project's tool posts: a structured-mode CloudEvent, and the answers."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class IncomingEvent(BaseModel):
    """A CloudEvents 1.0 event in structured JSON, as posted by a project's tool."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
    source: str = Field(min_length=1, max_length=300, pattern=r"^[\x21-\x7e]+$")
    type: str = Field(min_length=1, max_length=200)
    specversion: Literal["1.0"]
    time: AwareDatetime = Field(description="When it happened.")
    subject: str | None = Field(default=None, max_length=300)
    dataschema: str | None = None
    datacontenttype: Literal["application/json"] | None = None
    data: dict[str, Any]


class Problem(BaseModel):
    """One reason an event was refused: the field and the rule it broke."""

    field: str
    message: str


Status = Literal["accepted", "duplicate", "conflict", "rejected"]


class IngestResult(BaseModel):
    """The answer for one posted event."""

    id: str | None = None
    source: str | None = None
    status: Status
    problems: list[Problem] = Field(default_factory=list)


class BatchResult(BaseModel):
    """The answer for a batch: one result per posted event, in order."""

    accepted: int
    duplicates: int
    rejected: int
    conflicts: int
    results: list[IngestResult]
