"""manage.py import_registry FILE: upsert the market-regulation registry extract (CSV or JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from employers.registry_import import import_registry


class Command(BaseCommand):
    help = "Import registry rows (credit_code, name, legal_person_kind, ...) from a .csv or .json file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        try:
            result = import_registry(path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from error
        for line, message in result.errors:
            self.stderr.write(f"{path}:{line}: {message}")
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, rejected {len(result.errors)}"
        )
