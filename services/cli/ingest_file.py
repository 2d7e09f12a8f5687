"""``helhed ingest FILE --plan PLAN``: activity records from CSV or Excel."""

from __future__ import annotations

import json
from pathlib import Path  # noqa: TC003 - typer reads the annotations
from typing import Annotated, Any

import requests
import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

from services.activities.spreadsheet import Mapping, RowProblem, SheetError, to_events
from shared.settings import Settings

console = Console(stderr=True)
BATCH = 1000


def ingest(
    file: Annotated[Path, typer.Argument(help="Et regneark: .csv eller .xlsx.")],
    plan: Annotated[str, typer.Option(help="Helhedsplanens id.")],
    mapping: Annotated[
        Path | None, typer.Option(help="Mappingfil (YAML/JSON) for andre kolonnenavne.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Kontrollér kun; gem intet.")
    ] = False,
    source: Annotated[
        str | None,
        typer.Option(help="CloudEvents source; standard /helhed/import/FIL."),
    ] = None,
    atomic: Annotated[
        bool, typer.Option("--all-or-nothing", help="Gem intet, hvis én række afvises.")
    ] = False,
    url: Annotated[
        str | None, typer.Option(help="Activities-tjenesten, hvis den kører.")
    ] = None,
    token: Annotated[str | None, typer.Option(envvar="HELHED_TOKEN")] = None,
    data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
) -> None:
    """Indlæs aktiviteter fra et regneark (danske kolonnenavne, se docs/ingest.md)."""
    try:
        sheet = to_events(
            file, plan, source or f"/helhed/import/{file.name}", Mapping.load(mapping)
        )
    except SheetError as error:
        console.print(f"[red]Fejl:[/] {error}")
        raise typer.Exit(code=2) from None
    problems = list(sheet.problems)
    events = [event for _, event in sheet.events]
    rows = [row for row, _ in sheet.events]
    results: list[dict[str, Any]] = []
    if not dry_run and events and not (atomic and problems):
        results = _store(events, url, token, data_dir, atomic)
    elif dry_run and events:
        results = _check(events, data_dir)
    accepted = duplicates = 0
    for row, result in zip(rows, results, strict=True):
        if result["status"] == "accepted":
            accepted += 1
        elif result["status"] == "duplicate":
            duplicates += 1
        else:
            problems += [
                RowProblem(row, _column(p["field"], sheet.columns), p["message"])
                for p in result["problems"]
                or [{"field": "", "message": result["status"]}]
            ]
    _report(file, sheet.rows, accepted, duplicates, problems, dry_run)
    if problems:
        raise typer.Exit(code=1)


def _column(field: str, columns: dict[str, str]) -> str:
    name = field.removeprefix("data.").split(".")[0].split("[")[0]
    name = {"time": "date", "activity_id": "activity_id"}.get(name, name)
    return columns.get(name, field or "(rækken)")


def _check(events: list[dict[str, Any]], data_dir: Path | None) -> list[dict[str, Any]]:
    """Validate against what the data directory knows, storing nothing."""
    from services.activities.application import Activities
    from services.activities.validation import RejectedError, parse, validate
    from services.activities.views import SqlKnownPlans, metadata
    from shared.store import views_engine

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    engine = views_engine(settings.database_url("activities"))
    metadata.create_all(engine)
    app = Activities(settings.database_url("activities"))
    plans = SqlKnownPlans(engine)
    results: list[dict[str, Any]] = []
    try:
        for event in track(events, description="Kontrollerer", console=console):
            try:
                validate(parse(event), plans, app)
                status = (
                    "duplicate"
                    if app.is_stored(event["source"], event["id"])
                    else "accepted"
                )
                results.append({"status": status, "problems": []})
            except RejectedError as error:
                results.append(
                    {
                        "status": "rejected",
                        "problems": [p.model_dump() for p in error.problems],
                    }
                )
    finally:
        app.close()
        engine.dispose()
    return results


def _store(
    events: list[dict[str, Any]],
    url: str | None,
    token: str | None,
    data_dir: Path | None,
    atomic: bool,
) -> list[dict[str, Any]]:
    batches = [events[i : i + BATCH] for i in range(0, len(events), BATCH)]
    results: list[dict[str, Any]] = []
    if url:
        headers = {"content-type": "application/cloudevents-batch+json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for batch in track(batches, description="Sender", console=console):
            answer = requests.post(
                f"{url.rstrip('/')}/events",
                data=json.dumps(batch),
                headers=headers,
                params={"atomic": "true"} if atomic else None,
                timeout=300,
            )
            if answer.status_code not in (200, 422):
                console.print(f"[red]Fejl:[/] {answer.status_code} {answer.text}")
                raise typer.Exit(code=1)
            results += answer.json()["results"]
        return results
    from services.activities.application import Activities
    from services.activities.ingest import ingest_batch
    from services.activities.views import SqlKnownPlans, metadata
    from shared.store import views_engine

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    engine = views_engine(settings.database_url("activities"))
    metadata.create_all(engine)
    app = Activities(settings.database_url("activities"))
    try:
        plans = SqlKnownPlans(engine)
        for batch in track(batches, description="Gemmer", console=console):
            stored = ingest_batch(app, plans, batch, all_or_nothing=atomic)
            results += [r.model_dump(mode="json") for r in stored.results]
    finally:
        app.close()
        engine.dispose()
    return results


def _report(
    file: Path,
    rows: int,
    accepted: int,
    duplicates: int,
    problems: list[RowProblem],
    dry_run: bool,
) -> None:
    verb = "ville blive gemt" if dry_run else "gemt"
    console.print(
        f"{file.name}: {rows} rækker læst, {accepted} {verb}, "
        f"{duplicates} kendt i forvejen, {len({p.row for p in problems})} afvist"
    )
    if problems:
        table = Table(title="Afviste rækker")
        for name in ("Række", "Kolonne", "Hvorfor"):
            table.add_column(name)
        for item in sorted(problems, key=lambda p: p.row):
            table.add_row(str(item.row), item.column, item.message)
        Console().print(table)
