"""Demo staff: a reviewer and two supervisors (four eyes), each with a confirmed TOTP device."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from core.demo import DEMO_PASSWORD, DemoLogin

STAFF = [
    ("reviewer", Role.REVIEWER, "王审核"),
    ("supervisor", Role.SUPERVISOR, "李主管"),
    # A second supervisor, so that four eyes (sanctions, overrides to or from `fail`) can be shown.
    ("supervisor2", Role.SUPERVISOR, "赵主管"),
]


def load() -> list[DemoLogin]:
    logins = []
    for username, role, name in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@hdrc.example.cn", "role": role, "display_name": name},
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"confirmed": True})
        logins.append(
            DemoLogin(
                role=str(role.label),
                username=username,
                note=f"二次验证: .venv/bin/python manage.py otp_code {username}",
            )
        )
    return logins
