"""Tell people that something waits for them: an inbox row now, an e-mail after the transaction commits.

The e-mail is written to the outbox in the same transaction as the event (`core.outbox`) and sent
by a worker with retries, so a mail server that is down delays the mail but never loses it.

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
from core.outbox import queue_mail

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def notify(
    users: Iterable[User], key: str, context: dict[str, Any], url: str = "", language: str = ""
) -> None:
    """Create an inbox message for each user and e-mail them once the current transaction commits."""
    absolute_url = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    for user in users:
        subject, body = _render(key, context, user, absolute_url, language or settings.LANGUAGE_CODE)
        subject_en, body_en = _render(key, context, user, absolute_url, "en")
        Notification.objects.create(
            user=user, subject=subject, body=body, subject_en=subject_en, body_en=body_en, url=url
        )
        if user.email:
            queue_mail(user, subject, body)


def _render(key: str, context: dict[str, Any], user: User, url: str, language: str) -> tuple[str, str]:
    with translation.override(language):
        ctx = {**context, "user": user, "url": url, "site_name": str(SITE_NAME)}
        subject = render_to_string(f"notifications/{key}_subject.txt", ctx).strip()
        body = render_to_string(f"notifications/{key}_body.txt", ctx).strip()
    return subject, body


def mail_only(user: User, key: str, context: dict[str, Any], url: str = "", language: str = "") -> None:
    """E-mail one user after commit without an inbox row and outside the outbox: for a message holding
    a secret (a set-password link) that must not be stored in any database row. If the mail server is
    down, the mail is lost and the supervisor sends a new link (the secret is never kept)."""
    absolute_url = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    with translation.override(language or settings.LANGUAGE_CODE):
        ctx = {**context, "user": user, "url": absolute_url, "site_name": str(SITE_NAME)}
        subject = render_to_string(f"notifications/{key}_subject.txt", ctx).strip()
        body = render_to_string(f"notifications/{key}_body.txt", ctx).strip()
    if user.email:
        transaction.on_commit(partial(_send, subject, body, user.email, user.pk))


def _send(subject: str, body: str, recipient: str, user_id: int) -> None:
    try:
        send_mail(subject, body, None, [recipient], fail_silently=False)
    except Exception:  # a new link can be sent; a mail failure must not break the user's action
        logger.exception("secret-bearing mail to user %s failed (subject %r)", user_id, subject)
