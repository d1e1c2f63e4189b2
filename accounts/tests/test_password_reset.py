"""Password reset by e-mail (Django's views with Chinese templates), via the outbox and real SMTP."""

import re
import socket

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from accounts.testing import make_user

NEW_PASSWORD = "Neu-Kennwort-2025!"


def _reset_link(body: object) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)", str(body))
    assert match, body
    return match.group(1)


def _complete_reset(client, path: str) -> None:
    response = client.get(path, follow=True)
    assert "设置新密码" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_complete")


@pytest.mark.django_db
def test_reset_through_the_outbox(client):
    user = make_user(Role.APPLICANT, username="zhang", email="zhang@example.cn")
    response = client.post(reverse("accounts:password_reset"), {"email": "zhang@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhang@example.cn"]
    assert "重设密码" in message.subject
    assert "请在3天内打开以下链接设置新密码" in message.body
    _complete_reset(client, _reset_link(message.body))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    response = client.get(_reset_link(message.body), follow=True)
    assert "该链接无效或已被使用" in response.content.decode()


@pytest.mark.django_db
def test_unknown_email_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"}, follow=True)
    assert "如果该邮箱已注册" in response.content.decode()
    assert mail.outbox == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.django_db
def test_reset_mail_goes_through_a_real_smtp_server(client, settings):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = _free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        user = make_user(Role.APPLICANT, username="li", email="li@example.cn")
        response = client.post(reverse("accounts:password_reset"), {"email": "li@example.cn"})
        assert response.status_code == 302
    finally:
        controller.stop()
    assert len(received) == 1
    message = received[0]
    assert message["To"] == "li@example.cn"
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    _complete_reset(client, _reset_link(body))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
