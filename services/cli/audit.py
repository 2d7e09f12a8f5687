"""``helhed audit``: tamper-evident export of a plan's history, and its check."""

from __future__ import annotations

import json
from pathlib import Path  # noqa: TC003 - typer reads the annotations
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from shared.settings import Settings

app = typer.Typer(
    help="Revision: eksport af en plans historik med hashkæde, og kontrol.",
    no_args_is_help=True,
)
console = Console(stderr=True)

DATA_DIR = typer.Option("--data-dir", help="The embedded mode's data directory.")
REMOTE = typer.Option(
    "--remote", help="Read the running services (HELHED_* addresses), not files."
)


def _fail(message: str) -> None:
    console.print(f"[bold red]Fejl:[/] {message}")
    raise typer.Exit(1)


@app.command()
def export(
    file: Annotated[Path, typer.Argument(help="The JSON Lines file to write.")],
    plan: Annotated[str, typer.Option("--plan", help="The plan id.")],
    data_dir: Annotated[Path | None, DATA_DIR] = None,
    remote: Annotated[bool, REMOTE] = False,
) -> None:
    """Skriv planens fulde historik som JSON Lines med en hashkæde."""
    from services.audit.history import UnknownPlanError, export_lines, plan_events

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    leaders, close = _leaders(settings, remote)
    try:
        with console.status("Læser loggene ..."):
            events = plan_events(leaders, plan)
        values = _values(settings, plan, remote)
    except UnknownPlanError:
        _fail(f"loggene kender ikke planen {plan!r}; intet er skrevet")
        return
    finally:
        close()
    total = sum(len(found) for found in events.values())
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Kæder hændelserne", total=total)
        lines = export_lines(plan, events, values, lambda n: bar.advance(task, n))
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    top = json.loads(lines[-1])["hash"]
    console.print(f"{total} hændelser om {plan} skrevet til {file}; kædens top: {top}")


@app.command()
def verify(
    file: Annotated[
        Path, typer.Argument(help="A file written by 'helhed audit export'.")
    ],
) -> None:
    """Kontrollér hashkæden og genberegn indikatorerne fra hændelserne."""
    from services.audit.history import verify_lines

    try:
        lines = [line for line in file.read_text(encoding="utf-8").splitlines() if line]
    except (OSError, UnicodeDecodeError) as error:
        _fail(f"kan ikke læse {file}: {error}")
        return
    with console.status("Kontrollerer kæden og genberegner ..."):
        verdict = verify_lines(lines)
    if verdict.broken is not None:
        _fail(f"kæden er brudt i {verdict.describe_broken()}")
    if not verdict.ok:
        shown = ", ".join(
            f"{i}: {want} ≠ {got}" for i, want, got in verdict.differing[:5]
        )
        _fail(f"genberegningen giver andre værdier end eksporten ({shown})")
    console.print(
        f"[green]Kæden holder[/]: {verdict.events} hændelser om {verdict.plan_id}, "
        "og genberegnet fra dem giver de præcis de eksporterede indikatorværdier."
    )


def _leaders(settings: Settings, remote: bool) -> tuple[dict[str, Any], Any]:
    if remote:
        from shared.bus.remote import HttpLeaderLog

        return {
            name: HttpLeaderLog(settings.base_url(name))
            for name in ("agreements", "activities")
        }, lambda: None
    from services.activities.application import Activities
    from services.activities.integration import to_contract as activities_contract
    from services.agreements.application import Agreements
    from services.agreements.integration import to_contract as agreements_contract
    from shared.bus.log import PublishedLog

    agreements = Agreements(settings.database_url("agreements"))
    activities = Activities(settings.database_url("activities"))

    def close() -> None:
        agreements.close()
        activities.close()

    return {
        "agreements": PublishedLog(agreements, "agreements", agreements_contract),
        "activities": PublishedLog(activities, "activities", activities_contract),
    }, close


def _values(settings: Settings, plan: str, remote: bool) -> dict[str, Any]:
    """The indicator values the platform shows now, to be proven by the check."""
    from services.audit.history import values_of

    if remote:
        import requests

        response = requests.get(
            f"{settings.base_url('indicators')}/plans/{plan}/indicators", timeout=60
        )
        response.raise_for_status()
        return values_of(response.json())
    from services.indicators.table import indicator_table
    from shared.store import views_engine

    engine = views_engine(settings.database_url("indicators"))
    try:
        return values_of(indicator_table(engine, plan))
    finally:
        engine.dispose()
