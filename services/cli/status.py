"""``helhed status``: every service's health, as one table or as JSON."""

from __future__ import annotations

import json
from typing import Annotated, Any

import requests
import typer
from rich.console import Console
from rich.table import Table

from shared.settings import SERVICE_NAMES, ServiceName, Settings

STATUS_DA = {
    "ok": "[green]ok[/]",
    "degraded": "[yellow]svækket[/]",
    "down": "[red]nede[/]",
}


def _ask(settings: Settings, name: ServiceName) -> dict[str, Any]:
    try:
        response = requests.get(f"{settings.base_url(name)}/health", timeout=10)
        body: dict[str, Any] = response.json()
        return body
    except (requests.RequestException, ValueError) as error:
        return {"service": name, "status": "unreachable", "error": str(error)}


def status(
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Vis hver tjenestes helbred: broker, database, efterslæb og parkerede beskeder."""
    settings = Settings()
    reports = [_ask(settings, name) for name in SERVICE_NAMES]
    healthy = all(r.get("status") == "ok" for r in reports)
    if output == "json":
        typer.echo(json.dumps({"healthy": healthy, "services": reports}, indent=2))
    else:
        table = Table(title="Platformens helbred")
        for column in (
            "Tjeneste",
            "Broker",
            "Database",
            "Log",
            "Efterslæb",
            "Parkerede",
            "Status",
        ):
            table.add_column(column)
        for report in reports:
            table.add_row(*_row(report))
        Console().print(table)
    if not healthy:
        raise typer.Exit(1)


def _row(report: dict[str, Any]) -> list[str]:
    if report.get("status") == "unreachable":
        return [report["service"], "–", "–", "–", "–", "–", "[red]kan ikke nås[/]"]

    def yes(part: str) -> str:
        return "ja" if report.get(part, {}).get("reachable") else "[red]nej[/]"

    lag = report.get("lag") or {}
    behind = ", ".join(f"{k}: {'?' if v is None else v}" for k, v in lag.items()) or "–"
    head = report.get("head")
    return [
        report["service"],
        yes("broker"),
        yes("database"),
        "–" if head is None else f"{head} (udgivet {report.get('published', '–')})",
        behind,
        str((report.get("parked") or {}).get("count", 0)),
        STATUS_DA.get(report.get("status", ""), report.get("status", "?")),
    ]
