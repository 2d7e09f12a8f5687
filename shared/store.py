"""Each service's own store: eventsourcing for the log, SQLAlchemy for read models.

A database URL chooses the backend: ``sqlite:///path/file.sqlite`` (embedded mode)
or ``postgresql://user@host:port/db?schema=name`` (production; one schema per
service). Read models live beside the log: in the same PostgreSQL schema, or in a
``-views`` SQLite file next to the log's file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def _parts(database_url: str) -> tuple[URL, str | None]:
    url = make_url(database_url)
    schema = url.query.get("schema")
    if isinstance(schema, tuple):
        schema = schema[0]
    return url.difference_update_query(["schema"]), schema


def is_postgres(database_url: str) -> bool:
    return make_url(database_url).get_backend_name() == "postgresql"


def eventsourcing_env(database_url: str) -> dict[str, str]:
    """The eventsourcing persistence settings for a database URL."""
    url, schema = _parts(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(path),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    if url.get_backend_name() == "postgresql":
        ensure_schema(database_url)
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.database or "postgres",
            "POSTGRES_HOST": url.host or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": url.username or "postgres",
            "POSTGRES_PASSWORD": url.password or "",
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_CONNECT_TIMEOUT": "5",
        }
        if schema:
            env["POSTGRES_SCHEMA"] = schema
        return env
    raise ValueError(f"unsupported database URL {database_url!r}")


def ensure_schema(database_url: str) -> None:
    """Create the PostgreSQL schema named by ``?schema=`` if it is missing."""
    _on_schema(database_url, 'CREATE SCHEMA IF NOT EXISTS "{schema}"')


def drop_schema(database_url: str) -> None:
    """Drop a service's PostgreSQL schema (tests and benchmarks)."""
    _on_schema(database_url, 'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _on_schema(database_url: str, statement: str) -> None:
    url, schema = _parts(database_url)
    if url.get_backend_name() != "postgresql" or not schema:
        return
    engine = sa.create_engine(url.set(drivername="postgresql+psycopg"))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(statement.format(schema=schema)))
    finally:
        engine.dispose()


def views_engine(database_url: str) -> Engine:
    """A SQLAlchemy engine for the service's read models."""
    url, schema = _parts(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        views = path.with_name(f"{path.stem}-views{path.suffix}")
        views.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(f"sqlite:///{views}", connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: object, _record: object) -> None:
            cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    if url.get_backend_name() == "postgresql":
        ensure_schema(database_url)
        connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
        return sa.create_engine(
            url.set(drivername="postgresql+psycopg"),
            connect_args=connect_args,
            pool_pre_ping=True,
        )
    raise ValueError(f"unsupported database URL {database_url!r}")
