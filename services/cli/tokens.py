"""``helhed tokens``: issue and revoke access tokens (shown once, stored as digests)."""

from __future__ import annotations

from pathlib import Path  # noqa: TC003 - typer reads the annotations
from typing import Annotated

import typer
from rich.console import Console

from services.cli.agreements import DATA_DIR, TOKEN, URL, _fail, _local, _remote
from shared import access

app = typer.Typer(help="Adgangsnøgler: udsted og tilbagekald.", no_args_is_help=True)
console = Console(stderr=True)


def _grant(text: str) -> access.Grant:
    plan_id, _, role = text.rpartition(":")
    try:
        return access.Grant(plan_id=plan_id, role=access.Role(role))
    except ValueError:
        roles = ", ".join(r.value for r in access.Role)
        raise typer.BadParameter(
            f"{text!r}: write PLAN:ROLE (or *:ROLE); roles: {roles}"
        ) from None


@app.command()
def issue(
    label: Annotated[str, typer.Option(help="What the token is for; never a name.")],
    grant: Annotated[
        list[str], typer.Option(help="PLAN:ROLE, e.g. nordvest:tool; repeat.")
    ],
    source_prefix: Annotated[
        list[str] | None,
        typer.Option(help="CloudEvents source prefix a tool posts as."),
    ] = None,
    url: Annotated[str | None, URL] = None,
    token: Annotated[str | None, TOKEN] = None,
    data_dir: Annotated[Path | None, DATA_DIR] = None,
) -> None:
    """Issue a token; the secret is printed once and only its digest is kept."""
    grants = [_grant(g) for g in grant]
    prefixes = list(source_prefix or [])
    if url:
        body = {
            "label": label,
            "grants": [g.model_dump(mode="json") for g in grants],
            "source_prefixes": prefixes,
        }
        answer = _remote("POST", url, "/tokens", token, body)
        token_id, secret = answer["token_id"], answer["token"]
    else:
        agreements = _local(data_dir)
        try:
            token_id, secret = agreements.issue_token(label, grants, prefixes)
        except Exception as error:  # a clear message instead of a traceback
            _fail(str(error))
            return
        finally:
            agreements.close()
    console.print(
        f"Nøgle [bold]{token_id}[/] udstedt. Gem den nu; den vises ikke igen:"
    )
    typer.echo(secret)


@app.command()
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (t…).")],
    url: Annotated[str | None, URL] = None,
    token: Annotated[str | None, TOKEN] = None,
    data_dir: Annotated[Path | None, DATA_DIR] = None,
) -> None:
    """Revoke a token for good."""
    if url:
        _remote("DELETE", url, f"/tokens/{token_id}", token)
    else:
        agreements = _local(data_dir)
        try:
            agreements.revoke_token(token_id, "revoked with the CLI")
        except Exception as error:
            _fail(str(error))
            return
        finally:
            agreements.close()
    console.print(f"Nøgle {token_id} er tilbagekaldt.")
