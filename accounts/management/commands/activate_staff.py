"""Out-of-band activation of a pending staff account (e.g. the district's only supervisor), audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = "Activate a pending reviewer or supervisor account and e-mail its set-password link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            member = User.objects.get(username=options["username"])
            services.approve_staff(actor=None, member=member)
        except (User.DoesNotExist, PermissionDenied) as exc:
            raise CommandError("no pending staff account with this username") from exc
        self.stdout.write(f"activated {member.username}; the set-password link was e-mailed")
