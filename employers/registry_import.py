"""Import of the market-regulation registry extract (CSV or JSON) into RegistryEntry rows."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from employers.credit_code import (
    KIND_AUTHORITIES,
    REGISTRATION_AUTHORITIES,
    CreditCodeError,
    kind_contradicts_code,
    validate,
)
from employers.models import LegalPersonKind, RegistryEntry

COLUMNS = (
    "credit_code",
    "name",
    "legal_person_kind",
    "registered_district",
    "registered_address",
    "legal_representative",
    "registered_on",
    "registered_capital",
)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, row) pairs: CSV lines count the header as line 1; JSON rows are numbered from 1."""
    if path.suffix.lower() == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = data.get("rows", [])
        if not isinstance(data, list):
            raise ValueError("JSON must be a list of objects")
        return [(index, row if isinstance(row, dict) else {}) for index, row in enumerate(data, start=1)]
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"missing columns: {', '.join(missing)}")
            return [(reader.line_num, dict(row)) for row in reader]
    raise ValueError("file must end in .csv or .json")


def parse_row(row: dict[str, Any]) -> dict[str, Any]:
    """Validated field values for one row; ValueError with a message naming the bad field."""
    values: dict[str, Any] = {column: str(row.get(column) or "").strip() for column in COLUMNS}
    try:
        values["credit_code"] = validate(values["credit_code"])
    except CreditCodeError as error:
        raise ValueError(f"credit_code {values['credit_code']!r}: {error.reason}") from error
    for column in ("name", "registered_district", "registered_address", "legal_representative"):
        if not values[column]:
            raise ValueError(f"{column} is empty")
    if values["legal_person_kind"] not in LegalPersonKind.values:
        raise ValueError(
            f"legal_person_kind {values['legal_person_kind']!r} is not one of {LegalPersonKind.values}"
        )
    if kind_contradicts_code(values["legal_person_kind"], values["credit_code"]):
        first = values["credit_code"][0]
        allowed = ", ".join(
            f"{char} {REGISTRATION_AUTHORITIES[char]}"
            for char in sorted(KIND_AUTHORITIES[values["legal_person_kind"]])
        )
        raise ValueError(
            f"legal_person_kind {values['legal_person_kind']!r} contradicts credit_code "
            f"{values['credit_code']!r}: its registration authority (1st character, GB 32100) is "
            f"{first} {REGISTRATION_AUTHORITIES.get(first, '?')}; this kind is registered by {allowed}"
        )
    values["registered_district"] = values["registered_district"].lower()
    try:
        values["registered_on"] = date.fromisoformat(values["registered_on"])
    except ValueError as error:
        raise ValueError(f"registered_on {values['registered_on']!r} is not a date (YYYY-MM-DD)") from error
    try:
        capital = int(values["registered_capital"] or 0)
    except ValueError as error:
        raise ValueError(f"registered_capital {values['registered_capital']!r} is not whole yuan") from error
    if capital < 0:
        raise ValueError("registered_capital is negative")
    values["registered_capital"] = capital
    return values


def import_registry(path: Path) -> ImportResult:
    """Upsert every valid row (each row on its own); bad rows are reported with their line numbers."""
    result = ImportResult()
    for line, row in read_rows(path):
        try:
            values = parse_row(row)
        except ValueError as error:
            result.errors.append((line, str(error)))
            continue
        code = values.pop("credit_code")
        with transaction.atomic():
            _, created = RegistryEntry.objects.update_or_create(credit_code=code, defaults=values)
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result
