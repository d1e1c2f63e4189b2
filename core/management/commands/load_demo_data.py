"""Load demo data for every context (idempotent) and print the demo logins.

Each app may ship `<app>/demo.py` with `load() -> list[DemoLogin]`; they run in INSTALLED_APPS
order, so employers exist before applicants associate with them and cases exist before permits.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from core.demo import DemoLogin

ROLE_ORDER = {"主管人员": 0, "审核人员": 1, "单位经办人": 2, "申请人": 3, "持证人": 4}


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def handle(self, *args: object, **options: object) -> None:
        logins: list[DemoLogin] = []
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name == "core" or find_spec(module_name) is None:
                continue
            # Demo notifications go to the in-app inbox; their e-mails stay in memory, not on screen.
            locmem = "django.core.mail.backends.locmem.EmailBackend"
            with override_settings(EMAIL_BACKEND=locmem), transaction.atomic():
                logins.extend(import_module(module_name).load())
        self.stdout.write(
            self.style.SUCCESS("演示账号 / Demo logins (http://127.0.0.1:8000/accounts/login/):")
        )
        seen: set[tuple[str, str, str]] = set()
        for login in sorted(logins, key=lambda item: ROLE_ORDER.get(str(item.role), 9)):
            key = (str(login.role), login.username, login.note)
            if key in seen:
                continue
            seen.add(key)
            self.stdout.write(f"  {login.role:<12} {login.username:<22} {login.password:<18} {login.note}")
