"""Notifications: inbox rows for whoever must act, and e-mail through a real SMTP server."""

from __future__ import annotations

import socket
from datetime import date
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from cases import services
from cases.tests import factories as f
from core.models import Notification

TODAY = date(2025, 11, 20)


class Collect(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    handler = Collect()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


def body_of(message) -> str:
    payload = message_from_bytes(message.as_bytes()).get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


@pytest.mark.django_db(transaction=True)
def test_submission_emails_the_employer_operators_through_smtp(smtp):
    world = f.make_world()
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    received = [
        m for m in smtp.messages if m["X-RcptTo"] == world.operator.email or world.operator.email in m["To"]
    ]
    assert len(received) == 1
    assert case.reference in subject_of(received[0])
    body = body_of(received[0])
    assert "核查" in body and f"/cases/{case.public_id}/" in body
    assert Notification.objects.filter(user=world.operator, subject__contains=case.reference).exists()


@pytest.mark.django_db(transaction=True)
def test_return_emails_the_opinion_and_the_tips_separately(smtp):
    world = f.make_world()
    case = f.accepted_case(world, TODAY)
    smtp.messages.clear()
    services.return_case(
        world.reviewer,
        case,
        to="applicant",
        version=case.version,
        today=TODAY,
        opinion="缺少租房合同",
        tips="请逐页盖章",
    )
    mail = [m for m in smtp.messages if world.applicant_user.email in m["To"]]
    assert len(mail) == 1
    body = body_of(mail[0])
    assert "审核意见：缺少租房合同" in body
    assert "温馨提示（仅供参考，不作为审核意见）：请逐页盖章" in body


def test_who_is_told_at_each_step(world):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    assert Notification.objects.filter(user=world.operator).count() == 1
    assert not Notification.objects.filter(user=world.other_operator).exists()
    case = f.employer_complete(case, world.operator, TODAY)
    case = services.employer_submit(world.operator, case, version=case.version, today=TODAY)
    assert Notification.objects.filter(user=world.applicant_user, body__contains="2025-12-18").exists()
    case = services.accept(world.reviewer, case, version=case.version, today=TODAY)
    f.confirm_materials(case, world.reviewer)
    case = services.approve(world.reviewer, case, version=case.version, today=TODAY)
    approved = Notification.objects.filter(subject__contains="审核通过")
    assert {n.user_id for n in approved} == {world.applicant_user.pk, world.operator.pk}


def test_mail_text_is_not_html_escaped(world):
    world.employer.registry.name = "北京A&B科技有限公司"
    world.employer.registry.save()
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    case = f.employer_complete(case, world.operator, TODAY)
    services.employer_submit(world.operator, case, version=case.version, today=TODAY)
    message = Notification.objects.get(user=world.applicant_user, subject__contains="已提交主管部门")
    assert "北京A&B科技有限公司" in message.body and "&amp;" not in message.body
