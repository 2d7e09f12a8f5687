"""``helhed`` commands: demo, services, query, schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import requests
import typer
from rich.console import Console
from rich.table import Table

from services.cli.agreements import app as agreements_app
from services.cli.audit import app as audit_app
from services.cli.ingest_file import ingest
from services.cli.status import status
from services.cli.tokens import app as tokens_app
from shared import access
from shared.settings import SERVICE_NAMES, ServiceName, Settings

app = typer.Typer(
    help="Platform for boligsociale helhedsplaner: agreements, activities, indicators.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
query_app = typer.Typer(help="Query the indicators service.", no_args_is_help=True)
app.add_typer(query_app, name="query")
app.add_typer(agreements_app, name="agreements")
app.add_typer(tokens_app, name="tokens")
app.command("ingest")(ingest)
app.add_typer(audit_app, name="audit")
app.command("status")(status)

console = Console(stderr=True)

if TYPE_CHECKING:
    from collections.abc import Callable

NORDVEST_ID = "beboerprojekt-nordvest-2025-29"
DATA_DIR_OPTION = typer.Option(
    "--data-dir", help="Where the embedded mode keeps its SQLite files."
)


class OutputFormat(StrEnum):
    json = "json"
    table = "table"
    csv = "csv"
    xlsx = "xlsx"


OUTPUT_OPTION = typer.Option("--output", "-o", help="File for csv/xlsx (csv: stdout).")


def _export(
    rows: list[dict[str, Any]], output: OutputFormat, path: Path | None, title: str
) -> bool:
    """Write rows as CSV or Excel if asked; True if done."""
    from services.indicators.export import to_csv, to_xlsx

    if output is OutputFormat.csv:
        text = to_csv(rows)
        if path:
            path.write_text(text, encoding="utf-8-sig")
        else:
            typer.echo(text, nl=False)
        return True
    if output is OutputFormat.xlsx:
        if path is None:
            _fail("--format xlsx needs --output FILE.xlsx")
        to_xlsx(rows, path, title)
        console.print(f"{path} skrevet")
        return True
    return False


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir else Settings()


@app.command()
def demo(
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
    no_dashboard: Annotated[
        bool, typer.Option("--no-dashboard", help="Load the demo and exit.")
    ] = False,
    port: Annotated[int, typer.Option(help="The dashboard's port.")] = 8501,
) -> None:
    """Run the whole platform in this process (no servers) with demo data."""
    from rich.progress import Progress

    from services.demo.load import load_demo
    from shared.runner import Platform

    settings = _settings(data_dir or Path("var"))
    # one process, no servers: the CLI is the administrator of its own data dir
    settings = settings.model_copy(
        update={"amqp_uri": "memory://", "admin_token": access.new_token()}
    )
    platform = Platform(settings)
    with console.status("Starter platformen (indlejret, uden servere) ..."):
        platform.start()
    try:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Indlæser aftaler og demodata", total=None)
            summary = load_demo(
                settings, progress=lambda done, total: bar.update(
                    task, completed=done, total=total
                ),
            )  # fmt: skip
        for plan_id, name in summary.plans:
            console.print(f"[bold]{name}[/] ({plan_id})")
        console.print(
            f"{summary.accepted} nye og {summary.duplicates} allerede kendte "
            f"demohændelser (data i {settings.data_dir.resolve()})"
        )
        _print_sessions(_query_sessions(settings, summary.plans[0][0], url=None))
        if not no_dashboard:
            _run_dashboard(settings, port)
    finally:
        platform.stop()


def _run_dashboard(settings: Settings, port: int) -> None:
    from services import dashboard

    script = Path(dashboard.__file__).with_name("app.py")
    env = {
        "HELHED_INDICATORS_HTTP": settings.indicators_http,
        "HELHED_AGREEMENTS_HTTP": settings.agreements_http,
        "HELHED_ACTIVITIES_HTTP": settings.activities_http,
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    console.print(f"Dashboard: http://localhost:{port}  (Ctrl-C stopper)")
    process = subprocess.Popen(command, env={**os.environ, **env})
    try:
        while process.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=10)


@app.command()
def services(
    service: Annotated[
        list[str] | None,
        typer.Option("--service", "-s", help="Run only these (default: all three)."),
    ] = None,
) -> None:
    """Run the nameko services against AMQP_URI and the configured databases."""
    from shared.logs import configure
    from shared.runner import Platform

    settings = Settings()
    names = [_service_name(name) for name in service or SERVICE_NAMES]
    configure(settings.log_format, ",".join(names))
    platform = Platform(settings, names).start()
    console.print(f"Kører {', '.join(names)} mod {settings.amqp_uri.split('@')[-1]}")
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        platform.stop()


def _service_name(name: str) -> ServiceName:
    if name not in SERVICE_NAMES:
        raise typer.BadParameter(f"{name!r} is not one of {', '.join(SERVICE_NAMES)}")
    return name


@query_app.command("sessions")
def query_sessions(
    plan: Annotated[str, typer.Option("--plan", help="The plan id.")],
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    file: Annotated[Path | None, OUTPUT_OPTION] = None,
    url: Annotated[
        str | None, typer.Option(help="The indicators service, if it runs.")
    ] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Sessions held and participants per quarter for one plan."""
    from services.indicators.export import session_rows

    result = _query_sessions(_settings(data_dir), plan, url)
    if _export(session_rows(result), output, file, "Sessioner"):
        return
    if output is OutputFormat.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_sessions(result)


def _query_sessions(
    settings: Settings, plan_id: str, url: str | None
) -> dict[str, Any]:
    from services.indicators.queries import UnknownPlanError, sessions_per_quarter

    if url:
        response = requests.get(
            f"{url.rstrip('/')}/plans/{plan_id}/sessions", timeout=30
        )
        if response.status_code == 404:
            _fail(response.json()["error"])
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result
    from shared.store import views_engine

    engine = views_engine(settings.database_url("indicators"))
    try:
        return sessions_per_quarter(engine, plan_id)
    except UnknownPlanError as error:
        _fail(f"{error} (har du kørt 'helhed demo'?)")
    except Exception as error:  # a fresh data dir has no tables yet
        if "no such table" in str(error):
            _fail(f"ingen data i {settings.data_dir} (kør 'helhed demo' først)")
        raise
    finally:
        engine.dispose()
    raise AssertionError("unreachable")


@query_app.command("indicators")
def query_indicators(
    plan: Annotated[str, typer.Option("--plan", help="The plan id.")],
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", help="As known at this recorded time.")
    ] = None,
    on: Annotated[
        datetime | None, typer.Option("--on", help="A day in the quarter to show.")
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    file: Annotated[Path | None, OUTPUT_OPTION] = None,
    url: Annotated[str | None, typer.Option(help="The indicators service.")] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Every indicator of a plan: value, baseline, comparison, target and status."""
    from services.indicators.table import indicator_table

    moment = _aware(as_of)
    day = on.date() if on else None
    params = {"as_of": moment.isoformat() if moment else None, "on": day}
    result = _read_indicators(
        data_dir, url, f"/plans/{plan}/indicators", params,
        lambda engine: indicator_table(engine, plan, moment, day),
    )  # fmt: skip
    from services.indicators.export import indicator_rows

    if _export(indicator_rows(result), output, file, "Indikatorer"):
        return
    if output is OutputFormat.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    table = Table(
        title=f"{result['plan_name']}: indikatorer {result['period']['label']}"
    )
    for column in ("Indikator", "Navn", "Baseline", "Værdi", "Kommune m.fl.", "Status"):
        table.add_column(column)
    for row in result["indicators"]:
        value = "(<5)" if row["suppressed"] else _number(row["value"])
        table.add_row(
            row["indicator_id"], row["name"], _number(row["baseline"]), value,
            _number(row["comparison"]), STATUS_DA[row["status"]],
        )  # fmt: skip
    Console().print(table)


@query_app.command("lineage")
def query_lineage(
    plan: Annotated[str, typer.Option("--plan", help="The plan id.")],
    indicator: Annotated[str, typer.Option("--indicator", help="The indicator id.")],
    as_of: Annotated[datetime | None, typer.Option("--as-of")] = None,
    on: Annotated[datetime | None, typer.Option("--on")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.json,
    file: Annotated[Path | None, OUTPUT_OPTION] = None,
    url: Annotated[str | None, typer.Option(help="The indicators service.")] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Where a value came from: its events and the corrections against them."""
    from services.indicators.export import lineage_rows
    from services.indicators.table import lineage

    moment, day = _aware(as_of), on.date() if on else None
    params = {"as_of": moment.isoformat() if moment else None, "on": day}
    result = _read_indicators(
        data_dir, url, f"/plans/{plan}/indicators/{indicator}/lineage", params,
        lambda engine: lineage(engine, plan, indicator, moment, day),
    )  # fmt: skip
    _show(result, lineage_rows(result), output, file, "Oprindelse")


@query_app.command("compare")
def query_compare(
    forum: Annotated[str, typer.Option("--forum", help="The Samarbejdsforum id.")],
    indicator: Annotated[str, typer.Option("--indicator", help="The indicator id.")],
    as_of: Annotated[datetime | None, typer.Option("--as-of")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.json,
    file: Annotated[Path | None, OUTPUT_OPTION] = None,
    url: Annotated[str | None, typer.Option(help="The indicators service.")] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """One indicator across a forum's plans, small numbers suppressed."""
    from services.indicators.export import compare_rows
    from services.indicators.table import forum_comparison

    moment = _aware(as_of)
    result = _read_indicators(
        data_dir, url, f"/fora/{forum}/compare/{indicator}",
        {"as_of": moment.isoformat() if moment else None},
        lambda engine: forum_comparison(engine, forum, indicator, moment),
    )  # fmt: skip
    _show(result, compare_rows(result), output, file, "Sammenligning")


@query_app.command("series")
def query_series(
    plan: Annotated[str, typer.Option("--plan", help="The plan id.")],
    indicator: Annotated[str, typer.Option("--indicator", help="The indicator id.")],
    as_of: Annotated[datetime | None, typer.Option("--as-of")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    file: Annotated[Path | None, OUTPUT_OPTION] = None,
    url: Annotated[str | None, typer.Option(help="The indicators service.")] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """One indicator of a plan per quarter."""
    from services.indicators.export import series_rows
    from services.indicators.table import indicator_series

    moment = _aware(as_of)
    result = _read_indicators(
        data_dir, url, f"/plans/{plan}/indicators/{indicator}/series",
        {"as_of": moment.isoformat() if moment else None},
        lambda engine: indicator_series(engine, plan, indicator, moment),
    )  # fmt: skip
    _show(result, series_rows(result), output, file, "Udvikling")


@query_app.command("outputs")
def query_outputs(
    plan: Annotated[str, typer.Option("--plan", help="The plan id.")],
    grain: Annotated[
        str, typer.Option("--grain", help="month, quarter, year or plan.")
    ] = "quarter",
    as_of: Annotated[datetime | None, typer.Option("--as-of")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    file: Annotated[Path | None, OUTPUT_OPTION] = None,
    url: Annotated[str | None, typer.Option(help="The indicators service.")] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Outputs per activity and period: sessions, participants, enrolments, ..."""
    from services.indicators.export import output_rows
    from services.indicators.outputs import GRAINS
    from services.indicators.table import activity_outputs

    if grain not in GRAINS:
        raise typer.BadParameter(f"--grain must be one of {', '.join(GRAINS)}")
    moment = _aware(as_of)
    result = _read_indicators(
        data_dir, url, f"/plans/{plan}/outputs",
        {"grain": grain, "as_of": moment.isoformat() if moment else None},
        lambda engine: activity_outputs(engine, plan, grain, moment),
    )  # fmt: skip
    _show(result, output_rows(result), output, file, "Aktiviteter")


@query_app.command("fora")
def query_fora(
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    file: Annotated[Path | None, OUTPUT_OPTION] = None,
    url: Annotated[str | None, typer.Option(help="The indicators service.")] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Every Samarbejdsforum and its plans."""
    from services.indicators.queries import fora

    result = _read_indicators(data_dir, url, "/fora", {}, fora)
    rows = [
        {"samarbejdsforum": f["name"], "plan": p["name"], "plan-id": p["plan_id"]}
        for f in result["fora"]
        for p in f["plans"]
    ]
    _show(result, rows, output, file, "Samarbejdsfora")


def _show(
    result: dict[str, Any],
    rows: list[dict[str, Any]],
    output: OutputFormat,
    file: Path | None,
    title: str,
) -> None:
    """JSON as the API answers, a table on screen, or a CSV/Excel export."""
    if _export(rows, output, file, title):
        return
    if output is OutputFormat.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    shown = [  # on screen, leave out the columns that are empty in every row
        column
        for column in (rows[0] if rows else {})
        if any(row[column] not in (None, 0, "") for row in rows)
    ]
    table = Table(title=title)
    for column in shown or ["(ingen rækker)"]:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*(_cell(row[column]) for column in shown))
    Console().print(table)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return _number(value)
    return "–" if value is None else str(value)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _read_indicators(
    data_dir: Path | None,
    url: str | None,
    path: str,
    params: dict[str, Any],
    local: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """From the running indicators service (--url), or from the data directory."""
    from services.indicators.queries import UnknownPlanError
    from shared.store import views_engine

    if url:
        query = {k: str(v) for k, v in params.items() if v is not None}
        response = requests.get(f"{url.rstrip('/')}{path}", params=query, timeout=60)
        if response.status_code >= 400:
            _fail(response.json().get("error", response.text))
        result: dict[str, Any] = response.json()
        return result
    engine = views_engine(_settings(data_dir).database_url("indicators"))
    try:
        return local(engine)
    except UnknownPlanError as error:
        _fail(f"{error} (har du kørt 'helhed demo'?)")
        raise
    finally:
        engine.dispose()


STATUS_DA = {
    "on_track": "på rette vej",
    "off_track": "ikke på rette vej",
    "no_target": "intet mål",
    "monitor": "følges",
    "no_data": "ingen data",
}


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:g}".replace(".", ",")


def _print_sessions(result: dict[str, Any]) -> None:
    table = Table(title=f"{result['plan_name']}: sessioner pr. kvartal")
    for column in ("Kvartal", "Sessioner", "Deltagere", "Nye deltagere"):
        table.add_column(column, justify="right")
    for row in result["quarters"]:
        table.add_row(
            row["quarter"],
            str(row["sessions"]),
            str(row["participants"]),
            str(row["new_participants"]),
        )
    Console().print(table)


@app.command()
def replay(
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Rebuild the indicators read model from the logs; prove it equals the live one."""
    import tempfile

    from rich.progress import Progress

    from services.activities.application import Activities
    from services.activities.integration import to_contract as activities_contract
    from services.agreements.application import Agreements
    from services.agreements.integration import to_contract as agreements_contract
    from services.indicators.replay import projection_hash, rebuild
    from shared.bus.log import PublishedLog
    from shared.store import views_engine

    settings = _settings(data_dir)
    agreements = Agreements(settings.database_url("agreements"))
    activities = Activities(settings.database_url("activities"))
    live = views_engine(settings.database_url("indicators"))
    leaders = {
        "agreements": PublishedLog(agreements, "agreements", agreements_contract),
        "activities": PublishedLog(activities, "activities", activities_contract),
    }
    total = sum(log.head() for log in leaders.values())
    try:
        with tempfile.TemporaryDirectory() as scratch:
            fresh = views_engine(f"sqlite:///{scratch}/rebuild.sqlite")
            with Progress(console=console) as bar:
                task = bar.add_task("Genopbygger", total=total)
                applied = rebuild(fresh, leaders, lambda n: bar.advance(task, n))
                bar.update(task, completed=total)
            rebuilt, incremental = projection_hash(fresh), projection_hash(live)
            fresh.dispose()
    finally:
        agreements.close()
        activities.close()
        live.dispose()
    console.print(f"{applied} hændelser genafspillet")
    typer.echo(f"genopbygget:  {rebuilt}")
    typer.echo(f"inkrementel:  {incremental}")
    if rebuilt != incremental:
        _fail("genopbygningen afviger fra den løbende projektion")
    console.print(
        "[green]Identiske:[/] genopbygning fra loggen = den løbende projektion"
    )


@app.command()
def schemas(
    out: Annotated[Path, typer.Option(help="Where to write them.")] = Path(
        "docs/schemas"
    ),
) -> None:
    """Write the JSON Schema of every published event type to OUT."""
    from shared.contracts.registry import json_schemas

    out.mkdir(parents=True, exist_ok=True)
    for name, schema in json_schemas().items():
        (out / name).write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    console.print(f"{len(json_schemas())} skemaer skrevet til {out}")


@app.command()
def openapi(
    out: Annotated[Path, typer.Option(help="Where to write them.")] = Path(
        "docs/openapi"
    ),
) -> None:
    """Write each service's OpenAPI document to OUT."""
    from services.activities.service import api as activities_api
    from services.agreements.service import api as agreements_api
    from services.indicators.service import api as indicators_api

    out.mkdir(parents=True, exist_ok=True)
    apis = (
        ("agreements", agreements_api),
        ("activities", activities_api),
        ("indicators", indicators_api),
    )
    for name, api in apis:
        path = out / f"{name}.json"
        path.write_text(json.dumps(api.document(), indent=2, ensure_ascii=False) + "\n")
        console.print(f"{path} skrevet")


def _fail(message: str) -> NoReturn:
    console.print(f"[red]Fejl:[/] {message}")
    raise typer.Exit(code=1)
