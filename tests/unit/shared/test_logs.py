"""Structured logs: one JSON object per line, with the event and correlation ids."""

from __future__ import annotations

import json
import logging

from shared.logs import JsonFormatter


def test_a_log_line_is_one_json_object_with_the_event_and_correlation_ids() -> None:
    record = logging.LogRecord(
        "activities", logging.WARNING, __file__, 1, "event %s", ("rejected",), None
    )
    record.event_id = "e-1"
    record.correlation_id = "req-9"
    line = JsonFormatter("activities").format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "event rejected"
    assert (entry["level"], entry["service"]) == ("warning", "activities")
    assert (entry["event_id"], entry["correlation_id"]) == ("e-1", "req-9")
    assert "plan_id" not in entry  # only what the call gave


def test_an_exception_is_kept_inside_the_one_line() -> None:
    try:
        raise ValueError("poison\nevent")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: poison" in entry["error"]
