"""``helhed agreements``: import, show and diff what was agreed."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path  # noqa: TC003 - typer reads the annotations
from typing import Annotated, Any

import requests
import typer
from rich.console import Console
from rich.table import Table

from shared.settings import Settings

app = typer.Typer(help="Aftaler: importér, vis og sammenlign.", no_args_is_help=True)
console = Console(stderr=True)

URL = typer.Option(help="The agreements service, if it runs (else the data dir).")
TOKEN = typer.Option(help="Bearer token for --url.", envvar="HELHED_TOKEN")
DATA_DIR = typer.Option("--data-dir", help="The embedded mode's data directory.")


class Format(StrEnum):
    json = "json"
    table = "table"


def _fail(message: str) -> None:
    console.print(f"[red]Fejl:[/] {message}")
    raise typer.Exit(code=1)


def _local(data_dir: Path | None) -> Any:
    from services.agreements.application import Agreements

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    return Agreements(settings.database_url("agreements"))


def _remote(
    method: str, url: str, path: str, token: str | None, body: Any = None
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.request(
        method, f"{url.rstrip('/')}{path}", json=body, headers=headers, timeout=60
    )
    if response.status_code >= 400:
        answer = response.json()
        problems = "".join(
            f"\n  {p['field']}: {p['message']}" for p in answer.get("problems", [])
        )
        _fail(f"{answer.get('error', response.text)}{problems}")
    return response.json()


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="An agreement file (.json, .yaml).")],
    url: Annotated[str | None, URL] = None,
    token: Annotated[str | None, TOKEN] = None,
    data_dir: Annotated[Path | None, DATA_DIR] = None,
) -> None:
    """Import an agreement file: the plan, its activities, documents and definitions."""
    from services.agreements.agreement_file import (
        AgreementFileError,
        load_agreement_file,
    )
    from services.agreements.domain.errors import AgreementsError
    from services.agreements.importing import import_agreement

    try:
        agreement = load_agreement_file(file)
    except AgreementFileError as error:
        _fail(str(error))
        return
    if url:
        _remote("POST", url, "/agreements", token, agreement.model_dump(mode="json"))
    else:
        agreements = _local(data_dir)
        try:
            import_agreement(agreements, agreement)
        except AgreementsError as error:
            _fail(str(error))
        finally:
            agreements.close()
    console.print(f"[green]Importeret:[/] {agreement.plan.name} ({agreement.plan.id})")


@app.command()
def show(
    plan_id: Annotated[str, typer.Argument(help="The plan id.")],
    output: Annotated[Format, typer.Option("--format")] = Format.table,
    url: Annotated[str | None, URL] = None,
    token: Annotated[str | None, TOKEN] = None,
    data_dir: Annotated[Path | None, DATA_DIR] = None,
) -> None:
    """Show what was agreed for a plan: counts, the overall table, the delaftaler."""
    summary = _summary(plan_id, url, token, data_dir)
    if output is Format.json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        return
    out = Console()
    out.print(f"[bold]{summary['name']}[/] ({summary['kommune']}), "
              f"{summary['period']['start']} – {summary['period']['end']}")  # fmt: skip
    counts = Table(title="Omfang")
    for name in (
        "Afdelinger",
        "Tryghedsområder",
        "Faste indikatorer",
        "Delaftaler",
        "Delmål",
        "Aktiviteter",
    ):
        counts.add_column(name, justify="right")
    counts.add_row(*(str(v) for v in summary["counts"].values()))
    out.print(counts)
    table = Table(title="Overordnede mål og faste indikatorer")
    for name in ("Indikator", "Navn", "Baseline", "Sammenligning"):
        table.add_column(name)
    for goal in summary["overall_goals"]:
        for indicator in goal["indicators"]:
            table.add_row(
                indicator["id"],
                indicator["name"],
                "\n".join(_baseline(b) for b in indicator["baselines"]),
                "\n".join(_baseline(b) for b in indicator["comparison_baselines"]),
            )
    out.print(table)


def _baseline(baseline: dict[str, Any]) -> str:
    value = baseline["value"]
    number = "–" if value is None else f"{value:g}".replace(".", ",")
    unit = " %" if baseline["unit"] == "percent" else ""
    where = (
        baseline.get("comparison")
        or baseline.get("scope_ref")
        or baseline.get("segment")
        or ""
    )
    extra = (
        f" ({baseline['label']})"
        if baseline.get("label") and "problemkompleks" in baseline["label"]
        else ""
    )
    year = f" {baseline['year']}" if baseline.get("year") else ""
    return f"{number}{unit} {where}{year}{extra}".strip()


def _summary(
    plan_id: str, url: str | None, token: str | None, data_dir: Path | None
) -> dict[str, Any]:
    if url:
        result: dict[str, Any] = _remote("GET", url, f"/plans/{plan_id}/summary", token)
        return result
    from services.agreements.application import NotFoundError
    from services.agreements.summary import plan_summary

    agreements = _local(data_dir)
    try:
        return plan_summary(agreements, plan_id)
    except NotFoundError as error:
        _fail(f"{error} (har du kørt 'helhed demo' eller 'helhed agreements import'?)")
        raise
    finally:
        agreements.close()


@app.command()
def diff(
    plan_id: Annotated[str, typer.Argument(help="The plan id.")],
    since_approval: Annotated[
        bool, typer.Option("--since-approval", help="Against the versions in force.")
    ] = True,
    output: Annotated[Format, typer.Option("--format")] = Format.table,
    url: Annotated[str | None, URL] = None,
    token: Annotated[str | None, TOKEN] = None,
    data_dir: Annotated[Path | None, DATA_DIR] = None,
) -> None:
    """What changed in the plan's documents since the last approval."""
    if url:
        changes = _remote("GET", url, f"/plans/{plan_id}/changes", token)
    else:
        from services.agreements import views
        from services.agreements.application import NotFoundError

        agreements = _local(data_dir)
        try:
            changes = views.changes_out(
                plan_id, agreements.changes_since_approval(plan_id)
            ).model_dump(mode="json")
        except NotFoundError as error:
            _fail(str(error))
            return
        finally:
            agreements.close()
    if output is Format.json:
        typer.echo(json.dumps(changes, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Ændringer siden seneste godkendelse: {plan_id}")
    for name in ("Dokument", "I kraft", "Seneste", "Felt", "Før", "Efter"):
        table.add_column(name)
    for document in changes["documents"]:
        rows = document["changes"] or [
            {"path": "(ingen ændringer)", "before": "", "after": ""}
        ]
        for change in rows:
            table.add_row(
                f"{document['kind']} {document['key']}",
                str(document["approved_version"]),
                f"{document['latest_version']} ({document['latest_status']})",
                change["path"],
                json.dumps(change["before"], ensure_ascii=False)[:60],
                json.dumps(change["after"], ensure_ascii=False)[:60],
            )
    Console().print(table)
