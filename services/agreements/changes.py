"""What changed between two versions of an agreement document (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One difference: ``path`` like ``delmaal[UL-DM1].indicators[UL-I1].target``."""

    path: str
    before: Any
    after: Any

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


def diff(before: Any, after: Any, path: str = "") -> list[Change]:
    """Changes from ``before`` to ``after``; items with an ``id`` match by it."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[Change] = []
        for key in sorted(before.keys() | after.keys()):
            inner = f"{path}.{key}" if path else str(key)
            changes += diff(before.get(key), after.get(key), inner)
        return changes
    if isinstance(before, list) and isinstance(after, list):
        if _keyed(before) and _keyed(after):
            old = {item["id"]: item for item in before}
            new = {item["id"]: item for item in after}
            changes = []
            for key in [*old, *(k for k in new if k not in old)]:
                changes += diff(old.get(key), new.get(key), f"{path}[{key}]")
            return changes
        if len(before) == len(after):
            changes = []
            for index, (old_item, new_item) in enumerate(
                zip(before, after, strict=True)
            ):
                changes += diff(old_item, new_item, f"{path}[{index}]")
            return changes
    if before == after:
        return []
    return [Change(path=path, before=before, after=after)]


def _keyed(items: list[Any]) -> bool:
    ids = [item.get("id") for item in items if isinstance(item, dict)]
    return len(ids) == len(items) and None not in ids and len(set(ids)) == len(ids)
