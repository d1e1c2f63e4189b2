"""manage.py import_registry FILE: upsert the market-regulation registry extract (CSV or JSON).

Besides the registry columns, a row may carry `deregistered_on` (注销登记日期, YYYY-MM-DD; empty when the
employer is not deregistered). The column is optional: a file without it leaves every stored date as it
is; a row that has it, even empty, sets the date (INSPECTION classifies "employer deregistered" from it).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from employers.models import RegistryEntry
from employers.registry_import import ImportResult, parse_row, read_rows

DEREGISTERED_ON = "deregistered_on"
CONTACT_EMAIL = "contact_email"


def parse_deregistered_on(row: dict[str, Any]) -> tuple[bool, date | None]:
    """(column present, date): ValueError naming the field when the value is not a date."""
    if DEREGISTERED_ON not in row:
        return False, None
    text = str(row.get(DEREGISTERED_ON) or "").strip()
    if not text:
        return True, None
    try:
        return True, date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{DEREGISTERED_ON} {text!r} is not a date (YYYY-MM-DD)") from error


def import_file(path: Path) -> ImportResult:
    """Upsert every valid row (each row on its own); bad rows are reported with their line numbers."""
    result = ImportResult()
    for line, row in read_rows(path):
        try:
            values = parse_row(row)
            present, deregistered_on = parse_deregistered_on(row)
        except ValueError as error:
            result.errors.append((line, str(error)))
            continue
        if present:
            if deregistered_on is not None and deregistered_on < values["registered_on"]:
                result.errors.append((line, f"{DEREGISTERED_ON} is before registered_on"))
                continue
            values[DEREGISTERED_ON] = deregistered_on
        if CONTACT_EMAIL in row:  # optional column: where the registrant's authority code is sent
            values[CONTACT_EMAIL] = str(row.get(CONTACT_EMAIL) or "").strip().lower()
        code = values.pop("credit_code")
        with transaction.atomic():
            _, created = RegistryEntry.objects.update_or_create(credit_code=code, defaults=values)
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result


class Command(BaseCommand):
    help = (
        "Import registry rows (credit_code, name, legal_person_kind, ..., optional deregistered_on) "
        "from a .csv or .json file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        try:
            result = import_file(path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from error
        for line, message in result.errors:
            self.stderr.write(f"{path}:{line}: {message}")
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, rejected {len(result.errors)}"
        )
