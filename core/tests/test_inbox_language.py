"""Issue 10 (9): an inbox message reads in the reader's language, whatever language it was sent in."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.testing import make_user
from cases.models import Kind
from core.models import Notification
from core.notifications import notify

pytestmark = pytest.mark.django_db


def test_inbox_message_is_shown_in_english_to_an_english_reader():
    user = make_user(display_name="李雷")
    context = {"kind": Kind.NEW.label, "reference": "HD2025000001", "state": "", "employer": "某公司"}
    notify([user], "case_accepted", context, "/")
    message = Notification.objects.get(user=user)
    assert "受理" in message.subject and "新办" in message.body
    assert message.subject_en and "受理" not in message.subject_en
    assert "新办" not in message.body_en and "HD2025000001" in message.body_en
    client = Client()
    client.force_login(user)
    chinese = client.get("/inbox/").content.decode()
    assert message.subject in chinese
    client.cookies["django_language"] = "en"
    english = client.get("/inbox/").content.decode()
    assert message.subject_en in english and message.subject not in english
