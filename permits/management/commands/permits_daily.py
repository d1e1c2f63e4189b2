"""`manage.py permits_daily [--today YYYY-MM-DD]`: statuses and renewal reminders (idempotent)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from permits.lifecycle import run_daily


class Command(BaseCommand):
    help = "Move permits to renewal_due / expired and send renewal reminders (safe to run twice)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the day to run for (YYYY-MM-DD); default: today in Beijing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        result = run_daily(today)
        self.stdout.write(
            f"{today}: expired {result.expired}, renewal_due {result.renewal_due}, "
            f"reminders {result.reminders['window_open']} + {result.reminders['deadline_near']}"
        )
