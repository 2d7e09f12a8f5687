"""Small SQL helpers for read models, portable between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    import sqlalchemy as sa
    from sqlalchemy.engine import Connection


def add_to(
    conn: Connection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    key: Sequence[str],
    add: Sequence[str],
) -> None:
    """Insert rows, or add their ``add`` columns to rows already there, at once."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    else:
        raise NotImplementedError(f"no upsert for {conn.dialect.name}")
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(key),
        set_={name: table.c[name] + statement.excluded[name] for name in add},
    )
    conn.execute(statement, list(rows))
