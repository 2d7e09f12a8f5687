"""Configuration, read from the environment in one place.

Every process builds one `Settings` (directly, or from the ``HELHED`` key of a nameko
config) and hands it down; nothing else reads ``os.environ``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ServiceName = Literal["agreements", "activities", "indicators"]
SERVICE_NAMES: tuple[ServiceName, ...] = ("agreements", "activities", "indicators")

#: The services whose notification logs other services follow.
LEADERS: dict[ServiceName, tuple[ServiceName, ...]] = {
    "agreements": (),
    "activities": ("agreements",),
    "indicators": ("agreements", "activities"),
}


class Settings(BaseSettings):
    """Where the bus, the stores and the HTTP endpoints are."""

    model_config = SettingsConfigDict(env_prefix="HELHED_", extra="ignore")

    amqp_uri: str = Field(
        default="memory://",
        description="AMQP broker; memory:// runs every service in one process.",
    )
    data_dir: Path = Field(
        default=Path("var"), description="Where SQLite files live in embedded mode."
    )
    agreements_db: str | None = Field(
        default=None, description="Database URL; default: SQLite under data_dir."
    )
    activities_db: str | None = None
    indicators_db: str | None = None
    agreements_http: str = "127.0.0.1:8001"
    activities_http: str = "127.0.0.1:8002"
    indicators_http: str = "127.0.0.1:8003"
    admin_token: str | None = Field(
        default=None,
        description="The platform administrator's token (may do everything).",
    )
    relay_batch: int = Field(default=500, description="Events per published message.")
    max_workers: int = 10
    log_format: str = Field(
        default="json", description="Service logs: json (one object a line) or text."
    )

    @property
    def embedded(self) -> bool:
        return self.amqp_uri.startswith("memory://")

    def database_url(self, service: ServiceName) -> str:
        """The service's own database: a PostgreSQL URL (``?schema=``) or SQLite."""
        url: str | None = getattr(self, f"{service}_db")
        if url:
            return url
        return f"sqlite:///{(self.data_dir / f'{service}.sqlite').resolve()}"

    def http_address(self, service: ServiceName) -> str:
        address: str = getattr(self, f"{service}_http")
        return address

    def base_url(self, service: ServiceName) -> str:
        host, port = self.http_address(service).rsplit(":", 1)
        if host in ("0.0.0.0", ""):
            host = "127.0.0.1"
        return f"http://{host}:{port}"

    def nameko_config(self, service: ServiceName) -> dict[str, object]:
        """The nameko container config for one service (its own HTTP address)."""
        transport: dict[str, float] = {
            "max_retries": 3,
            "interval_start": 2,
            "interval_step": 1,
            "interval_max": 5,
        }
        if self.embedded:
            # kombu's virtual transport sleeps polling_interval between empty polls
            transport["polling_interval"] = 0.005
        return {
            "AMQP_URI": self.amqp_uri,
            "WEB_SERVER_ADDRESS": self.http_address(service),
            "TRANSPORT_OPTIONS": transport,
            "max_workers": self.max_workers,
            "serializer": "json",
            "HELHED": self.model_dump(mode="json"),
        }

    @classmethod
    def from_nameko_config(cls, config: dict[str, object]) -> Settings:
        """Settings embedded by `nameko_config`, else the environment's."""
        embedded = config.get("HELHED")
        if isinstance(embedded, dict):
            return cls.model_validate(embedded)
        return cls(amqp_uri=str(config.get("AMQP_URI", "memory://")))
