"""Account writes: supervisors create staff accounts (never self-registration)."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import STAFF_ROLES, User
from core.notifications import notify


def password_set_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def create_staff(*, by: User, username: str, display_name: str, email: str, role: str) -> User:
    """A supervisor creates a reviewer or supervisor; the new member sets a password by e-mail."""
    if not by.is_supervisor:
        raise PermissionDenied
    if role not in STAFF_ROLES:
        raise PermissionDenied
    user = User(username=username, display_name=display_name, email=email.lower(), role=role)
    user.set_unusable_password()
    user.save()
    notify(
        [user],
        "staff_invite",
        {"created_by": by, "role": user.get_role_display()},
        url=password_set_path(user),
    )
    return user
