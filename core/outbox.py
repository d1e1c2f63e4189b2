"""Transactional outbox for e-mail: rows written with the event, sent after commit with retries.

`queue_mail` writes the row inside the caller's transaction (so a rolled-back event sends nothing) and,
once the transaction commits, asks a worker to deliver it (`core.outbox.deliver_mail`). `deliver`
claims a row, sends it, and records the attempt; a failure schedules the next attempt after an
exponentially growing delay (`MAIL_RETRY_BASE_SECONDS` × 2^(attempt − 1)); after `MAIL_MAX_ATTEMPTS`
the row is `failed` and shows on the supervisors' page. Running `deliver` twice on the same row
sends it once: the claim is taken under a row lock and a sent row is never sent again. A crash
between the SMTP server accepting the mail and the row being marked sent may send it twice (at least
once, never lost).

Logs name the recipient by user id, never by address.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.models import MailStatus, OutboxMail

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)
CLAIM_SECONDS = 120


def max_attempts() -> int:
    return int(getattr(settings, "MAIL_MAX_ATTEMPTS", 6))


def retry_delay(attempts: int) -> timedelta:
    """Delay before the next attempt after `attempts` failed ones (exponential backoff)."""
    base = float(getattr(settings, "MAIL_RETRY_BASE_SECONDS", 60))
    return timedelta(seconds=base * 2 ** max(0, attempts - 1))


def queue_mail(
    user: User | None, subject: str, body: str, *, address: str = "", reference: str = ""
) -> OutboxMail:
    """Write the mail in the current transaction; a worker sends it once the transaction commits.

    Mail for someone without an account (an invitation) passes `address` and a `reference` for logs.
    """
    mail = OutboxMail.objects.create(
        user=user,
        reference=reference[:60],
        to_address=address or (user.email if user is not None else ""),
        subject=subject,
        body=body,
        next_attempt_at=timezone.now(),
    )
    mail_id = mail.pk
    transaction.on_commit(lambda: _enqueue(mail_id))
    return mail


@task()
def deliver_mail(mail_id: int) -> str:
    """The background task: send one outbox mail if it is due; safe to run twice (the row is claimed
    under a lock). Defined here, beside `deliver`, so that the outbox and its task need no cycle."""
    return deliver(mail_id)


def _enqueue(mail_id: int) -> None:
    try:
        deliver_mail.enqueue(mail_id)
    except Exception:  # the row is safe; the worker's periodic pass sends it
        logger.exception(
            "mail %s: could not queue the delivery task; the periodic pass will send it", mail_id
        )


def _error_text(exc: BaseException, address: str) -> str:
    text = f"{type(exc).__name__}: {exc}"
    if address:
        text = text.replace(address, "<recipient>")
    return text[:300]


def deliver(mail_id: int) -> str:
    """Try to send one mail now if it is due; returns its status afterwards."""
    now = timezone.now()
    with transaction.atomic():
        mail = OutboxMail.objects.select_for_update(skip_locked=True).filter(pk=mail_id).first()
        if mail is None:
            return "busy"
        if mail.status != MailStatus.PENDING or mail.next_attempt_at > now:
            return str(mail.status)
        if mail.claimed_until is not None and mail.claimed_until > now:
            return "busy"
        mail.attempts += 1
        mail.claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
        mail.save(update_fields=["attempts", "claimed_until"])
    try:
        send_mail(mail.subject, mail.body, None, [mail.to_address], fail_silently=False)
    except Exception as exc:
        final = mail.attempts >= max_attempts()
        mail.last_error = _error_text(exc, mail.to_address)
        mail.claimed_until = None
        if final:
            mail.status = MailStatus.FAILED
        else:
            mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
        mail.save(update_fields=["last_error", "claimed_until", "status", "next_attempt_at"])
        logger.warning(
            "mail %s to %s failed (attempt %s of %s, %s): %s",
            mail.pk,
            mail.recipient_label,
            mail.attempts,
            max_attempts(),
            "given up" if final else "will retry",
            type(exc).__name__,
        )
        return str(mail.status)
    mail.status = MailStatus.SENT
    mail.sent_at = timezone.now()
    mail.claimed_until = None
    mail.save(update_fields=["status", "sent_at", "claimed_until"])
    logger.info("mail %s to %s sent (attempt %s)", mail.pk, mail.recipient_label, mail.attempts)
    return str(mail.status)


def due_ids(limit: int = 50) -> list[int]:
    now = timezone.now()
    return list(
        OutboxMail.objects.filter(status=MailStatus.PENDING, next_attempt_at__lte=now)
        .exclude(claimed_until__gt=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliver_due(limit: int = 50) -> int:
    """Send every due mail (the worker's periodic pass); returns how many were sent."""
    return sum(1 for mail_id in due_ids(limit) if deliver(mail_id) == MailStatus.SENT)


def undelivered() -> list[OutboxMail]:
    return list(OutboxMail.objects.filter(status=MailStatus.FAILED).select_related("user").order_by("-pk"))


def resend(*, actor: User, mail_id: int) -> OutboxMail:
    """A supervisor sends an undelivered mail again: a fresh series of attempts starts now."""
    from django.core.exceptions import PermissionDenied

    if not getattr(actor, "is_supervisor", False):
        raise PermissionDenied
    with transaction.atomic():
        mail = OutboxMail.objects.select_for_update().get(pk=mail_id, status=MailStatus.FAILED)
        mail.status = MailStatus.PENDING
        mail.attempts = 0
        mail.next_attempt_at = timezone.now()
        mail.claimed_until = None
        mail.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_until"])
        transaction.on_commit(lambda: _enqueue(mail_id))
    logger.info("mail %s to %s queued again by user %s", mail_id, mail.recipient_label, actor.pk)
    return mail
