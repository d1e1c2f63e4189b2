"""`manage.py sweep_files`: remove stored files no row refers to (every `run_worker` also does it hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core.files import sweep_orphans


class Command(BaseCommand):
    help = "Remove orphan upload files older than ORPHAN_FILE_MAX_AGE_SECONDS; finish staged ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-age-seconds", type=float, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = sweep_orphans(max_age_seconds=options["max_age_seconds"])
        self.stdout.write(
            f"removed {counts['removed']}, finalized {counts['finalized']}, temporary {counts['temporary']}"
        )
