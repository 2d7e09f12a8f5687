"""Structured logs: one JSON object per line, with the event and correlation ids
when a log call gives them (``extra={"event_id": ..., "correlation_id": ...}``)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

#: Fields a log call may add with ``extra=``; they are written when present.
CONTEXT = (
    "event_id",
    "source",
    "correlation_id",
    "plan_id",
    "producer",
    "position",
    "count",
    "service",
)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str | None = None) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if self.service:
            entry["service"] = self.service
        for name in CONTEXT:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(
    log_format: str, service: str | None = None, level: int = logging.INFO
) -> None:
    """Log to stderr as JSON lines (``json``) or as plain text (``text``)."""
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # nameko says "killing N managed thread(s)" at every orderly stop
    logging.getLogger("nameko.containers").setLevel(logging.ERROR)
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
