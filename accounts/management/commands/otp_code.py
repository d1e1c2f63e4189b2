"""Print the current TOTP code of a staff member's device (development aid for demo staff)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "打印指定审核人员当前的6位动态验证码（仅限开发和演示环境）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境不提供该命令。")
        device = (
            TOTPDevice.objects.filter(user__username=options["username"], confirmed=True)
            .order_by("id")
            .first()
        )
        if device is None:
            raise CommandError(f"用户 {options['username']} 没有已绑定的身份验证器。")
        self.stdout.write(current_code(device))
