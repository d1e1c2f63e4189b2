import pytest
from django.urls import reverse

from accounts.testing import make_user
from core.models import Notification


@pytest.mark.django_db
def test_inbox_lists_only_own_messages_and_opening_marks_read(client):
    alice, bob = make_user(), make_user()
    mine = Notification.objects.create(user=alice, subject="材料已退回", body="请修改", url="/inbox/")
    Notification.objects.create(user=bob, subject="别人的消息", body="x")
    client.force_login(alice)
    body = client.get(reverse("core:inbox")).content.decode()
    assert "材料已退回" in body and "别人的消息" not in body
    response = client.post(reverse("core:inbox_open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.django_db
def test_opening_another_users_message_is_404(client):
    alice, bob = make_user(), make_user()
    theirs = Notification.objects.create(user=bob, subject="s", body="b")
    client.force_login(alice)
    assert client.post(reverse("core:inbox_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_inbox_needs_login(client):
    response = client.get(reverse("core:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_external_redirect_target_is_ignored(client):
    alice = make_user()
    note = Notification.objects.create(user=alice, subject="s", body="b", url="https://evil.example/")
    client.force_login(alice)
    assert client.post(reverse("core:inbox_open", args=[note.pk]))["Location"] == reverse("core:inbox")
