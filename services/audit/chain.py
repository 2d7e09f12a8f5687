"""A hash chain over JSON Lines (pure): each line carries the previous line's
hash and its own, SHA-256 over the previous hash and the line's canonical JSON."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(content: dict[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 as is: the same bytes for the same content."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def digest(previous: str, content: dict[str, Any]) -> str:
    return hashlib.sha256((previous + canonical(content)).encode()).hexdigest()


def chain(contents: list[dict[str, Any]]) -> list[str]:
    """The lines of a file: every content with ``prev`` and ``hash``."""
    lines, previous = [], GENESIS
    for content in contents:
        link = digest(previous, content)
        lines.append(canonical({**content, "prev": previous, "hash": link}))
        previous = link
    return lines


@dataclass(frozen=True)
class Broken:
    """The first line that does not hold, and why."""

    line: int
    reason: str
    content: dict[str, Any] | None


def check(lines: list[str]) -> tuple[list[dict[str, Any]], Broken | None]:
    """The contents of the lines, and the first broken one (None if all hold)."""
    contents: list[dict[str, Any]] = []
    previous = GENESIS
    for number, line in enumerate(lines, start=1):
        try:
            parsed = json.loads(line)
        except ValueError:
            return contents, Broken(number, "not valid JSON", None)
        if not isinstance(parsed, dict):
            return contents, Broken(number, "not a JSON object", None)
        stated, link = parsed.pop("prev", None), parsed.pop("hash", None)
        if stated != previous:
            return contents, Broken(
                number,
                "does not follow the line before (a line missing or moved)",
                parsed,
            )
        if digest(previous, parsed) != link:
            return contents, Broken(
                number, "its content does not match its hash", parsed
            )
        contents.append(parsed)
        previous = link
    return contents, None
