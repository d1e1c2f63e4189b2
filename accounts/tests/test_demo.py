import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo
from accounts.models import User
from core.demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_demo_staff_are_idempotent_with_confirmed_devices():
    first = demo.load()
    second = demo.load()
    names = ["reviewer", "supervisor", "supervisor2"]
    assert [login.username for login in first] == names == [x.username for x in second]
    assert User.objects.filter(username__in=names).count() == 3
    assert User.objects.get(username="supervisor2").is_supervisor
    for login in first:
        user = User.objects.get(username=login.username)
        assert user.check_password(DEMO_PASSWORD)
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
        assert f"otp_code {login.username}" in login.note
