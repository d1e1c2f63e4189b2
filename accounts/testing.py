"""Test helpers shared by every app's tests: users of each role, logged in as the real flow would."""

from __future__ import annotations

import itertools

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User

_seq = itertools.count(1)


def make_user(role: str = Role.APPLICANT, **fields: object) -> User:
    n = next(_seq)
    username = str(fields.pop("username", f"{role}{n}"))
    email = str(fields.pop("email", f"{username}@example.cn"))
    return User.objects.create_user(
        username=username, email=email, password="Test-pass-2025", role=role, **fields
    )


def login_staff(client: Client, user: User) -> TOTPDevice:
    """Log a reviewer or supervisor in with a verified second factor (as after entering a TOTP code)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
