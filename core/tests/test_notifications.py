import pytest
from django.core import mail
from django.db import transaction

from accounts.testing import make_user
from core.masking import mask_id_number, mask_name, mask_phone
from core.models import Notification
from core.notifications import notify


@pytest.mark.django_db(transaction=True)
def test_notify_writes_inbox_now_and_mails_after_commit(settings, tmp_path):
    (tmp_path / "notifications").mkdir()
    (tmp_path / "notifications" / "hello_subject.txt").write_text("您好 {{ name }}")
    (tmp_path / "notifications" / "hello_body.txt").write_text("请查看：{{ url }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = make_user()
    with transaction.atomic():
        notify([user], "hello", {"name": "张三"}, url="/cases/x/")
        assert Notification.objects.get(user=user).subject == "您好 张三"
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].body.endswith("/cases/x/")


@pytest.mark.django_db(transaction=True)
def test_no_mail_when_the_transaction_rolls_back(settings, tmp_path):
    (tmp_path / "notifications").mkdir()
    (tmp_path / "notifications" / "x_subject.txt").write_text("s")
    (tmp_path / "notifications" / "x_body.txt").write_text("b")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([user], "x", {})
        raise RuntimeError
    assert mail.outbox == []
    assert not Notification.objects.filter(user=user).exists()


def test_masking():
    assert mask_id_number("11010519900101123X") == "1101**********123X"
    assert mask_name("张三丰") == "张**"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_id_number("") == ""
