"""``helhed audit``: tamper-evident export of a plan's history, and its check.

(To be filled in: issue 7, part 4.)
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Revision: eksport af en plans historik med hashkæde, og kontrol.",
    no_args_is_help=True,
)
