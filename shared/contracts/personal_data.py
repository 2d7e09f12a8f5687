"""The personal-data guard: no CPR number, e-mail address or phone number in an event.

Participants are the project's own opaque references; anything that looks like a
Danish CPR number (with or without the dash, and a real date), an e-mail address or
a phone number, in any string anywhere in the event, is refused with its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[-\s]?(\d{4})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(
    r"(?<![\w-])(?:\+45|0045)?[\s.]?(?:\d{2}[\s.]?){3}\d{2}(?![\w-])|"
    r"(?<![\w-])\+\d{1,3}[\s.-]?\d(?:[\s.-]?\d){6,12}(?![\w-])"
)


@dataclass(frozen=True)
class Finding:
    field: str
    kind: str

    @property
    def message(self) -> str:
        return (
            f"looks like {self.kind}; personal data is never stored: use the "
            "project's own pseudonymous reference"
        )


def _is_cpr(text: str) -> bool:
    for match in _CPR.finditer(text):
        day, month, year = (int(match[i]) for i in (1, 2, 3))
        for century in (1900, 2000):
            try:
                date(century + year, month, day)
            except ValueError:
                continue
            return True
    return False


#: Eight digits, at most one separator between each: every CPR or phone number has them.
_MANY_DIGITS = re.compile(r"\d(?:[\s.+-]?\d){7}")


def kind_of(text: str) -> str | None:
    """What personal data a string looks like, if any."""
    if "@" in text and _EMAIL.search(text):
        return "an e-mail address"
    if not _MANY_DIGITS.search(text):
        return None  # the common case, decided by one cheap search
    if _is_cpr(text):
        return "a CPR number"
    if _PHONE.search(text):
        return "a phone number"
    return None


def scan(value: Any, path: str = "") -> list[Finding]:
    """Every string in a nested structure that looks like personal data."""
    if isinstance(value, str):
        kind = kind_of(value)
        return [Finding(path or "(value)", kind)] if kind else []
    if isinstance(value, dict):
        findings = []
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            findings += scan(str(key), inner) + scan(item, inner)
        return findings
    if isinstance(value, list | tuple):
        return [
            finding
            for index, item in enumerate(value)
            for finding in scan(item, f"{path}[{index}]")
        ]
    return []
