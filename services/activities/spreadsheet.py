"""Activity records from CSV and Excel sheets, as CloudEvents (pure, but for reading).

Danish conventions are accepted: ``;`` or ``,`` separators, UTF-8 with or without
BOM, decimal comma, dates as ``2025-09-01``, ``1.9.2025``, ``01-09-2025`` or
``1/9/2025`` (or real date cells in Excel). Every problem names the row (as numbered
in the sheet, the header being row 1), the column as written, and why, in Danish.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import yaml

from services.activities import headers
from shared.contracts.registry import schema_uri

if TYPE_CHECKING:
    from pathlib import Path

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
PREFIX = "dk.helhedsplan.activity."
_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_DURATION = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(t|timer|time|h|min|minutter)?\.?$")


class SheetError(ValueError):
    """The file cannot be read as a sheet at all."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class Mapping:
    """How a sheet's columns map to event fields (defaults: Danish headers)."""

    columns: dict[str, str] = field(default_factory=dict)
    event_type: str = "session-held"
    defaults: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> Mapping:
        if path is None:
            return cls()
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise SheetError(f"kan ikke læse mappingfilen {path}: {error}") from None
        if not isinstance(raw, dict):
            raise SheetError(f"mappingfilen {path} skal være et objekt")
        columns = {_norm(k): str(v) for k, v in (raw.get("columns") or {}).items()}
        return cls(
            columns, str(raw.get("type", "session-held")), raw.get("defaults") or {}
        )

    def field_of(self, header: str) -> str | None:
        key = _norm(header)
        return self.columns.get(key) or headers.COLUMNS.get(key)


@dataclass
class Sheet:
    """The events read from a sheet, with the row each came from, and the problems."""

    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written
    rows: int = 0


def _norm(header: str) -> str:
    return " ".join(str(header).replace("\ufeff", "").strip().lower().split())


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header row and the data rows (with their sheet row numbers)."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    if path.suffix.lower() in (".csv", ".txt"):
        return _read_csv(path)
    raise SheetError(f"{path.name}: kun .csv og .xlsx kan indlæses")


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SheetError(f"{path.name} kan ikke læses som UTF-8: {error}") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise SheetError(f"{path.name} er tom")
    return rows[0], list(enumerate(rows[1:], start=2))


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a bad file
        raise SheetError(f"{path.name} er ikke en Excel-fil: {error}") from None
    try:
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        raise SheetError(f"{path.name} er tom")
    return [str(h or "") for h in rows[0]], list(enumerate(rows[1:], start=2))


def to_events(path: Path, plan_id: str, source: str, mapping: Mapping) -> Sheet:
    """Convert every non-empty row; collect row problems instead of stopping."""
    header, rows = read_rows(path)
    sheet = Sheet()
    fields: dict[int, str] = {}
    for index, title in enumerate(header):
        name = mapping.field_of(title)
        if name is not None:
            fields[index] = name
            sheet.columns.setdefault(name, str(title))
    if "date" not in fields.values():
        raise SheetError(f"{path.name}: ingen kolonne 'dato' (brug en mappingfil)")
    for number, cells in rows:
        if all(cell in (None, "") for cell in cells):
            continue
        sheet.rows += 1
        values = {fields[i]: cell for i, cell in enumerate(cells) if i in fields}
        event = _row_event(path, number, values, plan_id, source, mapping, sheet)
        if event is not None:
            sheet.events.append((number, event))
    return sheet


def _row_event(
    path: Path,
    number: int,
    values: dict[str, Any],
    plan_id: str,
    source: str,
    mapping: Mapping,
    sheet: Sheet,
) -> dict[str, Any] | None:
    problems: list[RowProblem] = []

    def problem(name: str, message: str) -> None:
        problems.append(RowProblem(number, sheet.columns.get(name, name), message))

    kind = mapping.event_type
    if values.get("type") not in (None, ""):
        label = _norm(str(values["type"]))
        kind = headers.TYPES.get(label, label)
        if f"{PREFIX}{kind}" not in _known_types():
            problem("type", f"ukendt hændelse '{values['type']}'")
    data: dict[str, Any] = {"plan_id": plan_id, **mapping.defaults}
    happened = _date(values.get("date"))
    if happened is None:
        problem("date", f"ugyldig dato '{values.get('date')}'")
    for name, value in values.items():
        if name in ("id", "type", "date") or value in (None, ""):
            continue
        try:
            data[name] = _value(name, value)
        except ValueError as error:
            problem(name, str(error))
    sheet.problems += problems
    if problems or happened is None:
        return None
    moment = datetime.combine(happened, time(12, 0), tzinfo=COPENHAGEN)
    event_id = values.get("id") or _row_id(path, number, kind, moment, data)
    return {
        "specversion": "1.0",
        "id": str(event_id),
        "source": source,
        "type": f"{PREFIX}{kind}",
        "time": moment.isoformat(),
        "subject": plan_id,
        "dataschema": schema_uri(f"{PREFIX}{kind}", 1),
        "data": data,
    }


def _known_types() -> set[str]:
    from shared.contracts.registry import DATA_MODELS

    return {event_type for event_type, _ in DATA_MODELS}


def _row_id(
    path: Path, number: int, kind: str, moment: datetime, data: dict[str, Any]
) -> str:
    """The same row of the same file gives the same id: re-importing is harmless."""
    content = json.dumps(
        [path.name, kind, moment.isoformat(), data], sort_keys=True, default=str
    )
    return f"{path.stem}-{hashlib.sha256(content.encode()).hexdigest()[:16]}"


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return (
            date.fromisoformat(text[:10])
            if len(text) >= 10 and text[4] == "-"
            else _dmy(text)
        )
    except ValueError:
        return None


def _dmy(text: str) -> date | None:
    match = _DATE.match(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


def _value(name: str, value: Any) -> Any:
    text = str(value).strip()
    if name in headers.INTEGERS:
        number = _number(text, value)
        if number != int(number):
            raise ValueError(f"'{text}' er ikke et helt tal")
        return int(number)
    if name == "duration_minutes":
        return _minutes(text, value)
    if name in headers.BOOLEANS:
        return _norm(text) in ("ja", "x", "1", "true", "sand")
    if name == "kind":
        return headers.OUTCOMES.get(_norm(text), text)
    if name == "referral_source":
        return headers.REFERRALS.get(_norm(text), text)
    return text


def _number(text: str, value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(text.replace(".", "").replace(",", ".") if "," in text else text)
    except ValueError:
        raise ValueError(f"'{text}' er ikke et tal") from None


def _minutes(text: str, value: Any) -> int:
    if isinstance(value, int | float):
        return int(value)
    match = _DURATION.match(text.lower())
    if match is None:
        raise ValueError(f"ugyldig varighed '{text}' (fx 90, '90 min' eller '1,5 t')")
    amount = float(match[1].replace(",", "."))
    return (
        round(amount * 60) if match[2] in ("t", "timer", "time", "h") else round(amount)
    )
