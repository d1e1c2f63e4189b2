"""Tell people that something waits for them: an inbox row now, an e-mail after the transaction commits.

Subjects and bodies are rendered from templates `notifications/<key>_subject.txt` and
`notifications/<key>_body.txt`, in each recipient's language (Chinese by default).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.context_processors import SITE_NAME
from core.models import Notification

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def notify(
    users: Iterable[User], key: str, context: dict[str, Any], url: str = "", language: str = ""
) -> None:
    """Create an inbox message for each user and e-mail them once the current transaction commits."""
    absolute_url = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    for user in users:
        with translation.override(language or settings.LANGUAGE_CODE):
            ctx = {**context, "user": user, "url": absolute_url, "site_name": str(SITE_NAME)}
            subject = render_to_string(f"notifications/{key}_subject.txt", ctx).strip()
            body = render_to_string(f"notifications/{key}_body.txt", ctx).strip()
        Notification.objects.create(user=user, subject=subject, body=body, url=url)
        if user.email:
            transaction.on_commit(partial(_send, subject, body, user.email))


def mail_only(user: User, key: str, context: dict[str, Any], url: str = "", language: str = "") -> None:
    """E-mail one user after commit without an inbox row: for a message holding a secret (a
    set-password link) that must not be stored in the database."""
    absolute_url = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    with translation.override(language or settings.LANGUAGE_CODE):
        ctx = {**context, "user": user, "url": absolute_url, "site_name": str(SITE_NAME)}
        subject = render_to_string(f"notifications/{key}_subject.txt", ctx).strip()
        body = render_to_string(f"notifications/{key}_body.txt", ctx).strip()
    if user.email:
        transaction.on_commit(partial(_send, subject, body, user.email))


def _send(subject: str, body: str, recipient: str) -> None:
    try:
        send_mail(subject, body, None, [recipient], fail_silently=False)
    except Exception:  # the inbox row exists; mail failure must not break the user's action
        logger.exception("mail to a user failed (subject %r)", subject)
