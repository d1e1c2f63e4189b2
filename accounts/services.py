"""Account writes: supervisors create staff accounts (never self-registration)."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import SECOND_FACTOR_ROLES, STAFF_ROLES, Role, StaffAccountEvent, User
from accounts.sessions import end_sessions
from core.notifications import mail_only, notify


def password_set_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def create_staff(*, by: User, username: str, display_name: str, email: str, role: str) -> User:
    """A supervisor creates a reviewer or supervisor account. It stays inactive until another
    supervisor approves it (`approve_staff`) or it is activated out of band (`activate_staff`
    command); only then is the set-password link sent, by e-mail only (four-eyes, issue 11)."""
    if not by.is_supervisor or not by.is_active:
        raise PermissionDenied
    if role not in STAFF_ROLES:
        raise PermissionDenied
    user = User(username=username, display_name=display_name, email=email.lower(), role=role, is_active=False)
    user.set_unusable_password()
    user.save()
    StaffAccountEvent.objects.create(member=user, actor=by, action=StaffAccountEvent.Action.CREATED)
    others = User.objects.filter(role=Role.SUPERVISOR, is_active=True).exclude(pk=by.pk)
    notify(
        list(others),
        "staff_pending",
        {"created_by": by, "member": user, "role": user.get_role_display()},
        url=reverse("accounts:staff"),
    )
    return user


def creator_of(member: User) -> User | None:
    event = (
        StaffAccountEvent.objects.filter(member=member, action=StaffAccountEvent.Action.CREATED)
        .select_related("actor")
        .first()
    )
    return event.actor if event is not None else None


def is_pending(member: User) -> bool:
    return (
        member.is_district_staff
        and not member.is_active
        and not StaffAccountEvent.objects.filter(
            member=member,
            action__in=[StaffAccountEvent.Action.APPROVED, StaffAccountEvent.Action.DEACTIVATED],
        ).exists()
    )


@transaction.atomic
def approve_staff(*, actor: User | None, member: User) -> User:
    """Activate a pending staff account. `actor` is another active supervisor — never the account's
    creator nor the member — or None for an out-of-band activation (audited either way). The
    set-password link goes to the member's e-mail only; no database row holds it."""
    member = User.objects.select_for_update().get(pk=member.pk)
    if not is_pending(member):
        raise PermissionDenied
    if actor is not None:
        creator = creator_of(member)
        if (
            not actor.is_supervisor
            or not actor.is_active
            or actor.pk in (member.pk, getattr(creator, "pk", None))
        ):
            raise PermissionDenied
    member.is_active = True
    member.save(update_fields=["is_active"])
    StaffAccountEvent.objects.create(member=member, actor=actor, action=StaffAccountEvent.Action.APPROVED)
    mail_only(
        member,
        "staff_invite",
        {"created_by": creator_of(member) or "", "role": member.get_role_display()},
        url=password_set_path(member),
    )
    return member


REASON_MAX_LENGTH = 500


@transaction.atomic
def deactivate_staff(*, actor: User, member: User, reason: str) -> User:
    """Offboarding (issue 11, production 10): a supervisor deactivates a reviewer's, supervisor's or
    ratifier's account. It can no longer log in (inactive, no usable password), every session it
    holds ends at once, and the event is audited with who, when and why. A supervisor cannot
    deactivate their own account (so at least one supervisor always remains)."""
    reason = (reason or "").strip()
    if not actor.is_supervisor or not actor.is_active:
        raise PermissionDenied
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.role not in SECOND_FACTOR_ROLES or member.pk == actor.pk or not member.is_active:
        raise PermissionDenied
    if not reason or len(reason) > REASON_MAX_LENGTH:
        raise PermissionDenied
    member.is_active = False
    member.set_unusable_password()  # a session not recorded still fails its auth-hash check
    member.save(update_fields=["is_active", "password"])
    StaffAccountEvent.objects.create(
        member=member, actor=actor, action=StaffAccountEvent.Action.DEACTIVATED, reason=reason
    )
    end_sessions(member)
    return member


def account_events(limit: int = 50) -> list[StaffAccountEvent]:
    return list(StaffAccountEvent.objects.select_related("member", "actor").order_by("-at", "-id")[:limit])
