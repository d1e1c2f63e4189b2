"""申请人注册 (申请单位及申请人注册 2): real-name check, identity fields from the ID number."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.identity import make_id_number
from accounts.models import Role, User
from applicants.models import Applicant
from applicants.tests.factories import make_applicant

GOOD_ID = make_id_number("110108", date(1992, 4, 15), 13)
PASSWORD = "Zhang-wei-2025!"


def form(**overrides):
    data = {
        "name": "张伟",
        "id_number": GOOD_ID,
        "email": "zhangwei@example.cn",
        "phone": "13912345678",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_registration_creates_user_and_applicant_with_identity_from_id(client):
    response = client.post(reverse("applicants:register"), form())
    assert response.status_code == 302 and response["Location"] == reverse("applicants:profile")
    user = User.objects.get(email="zhangwei@example.cn")
    assert user.role == Role.APPLICANT and user.check_password(PASSWORD) and user.phone == "13912345678"
    applicant = user.applicant
    assert applicant.name == "张伟" and applicant.id_number == GOOD_ID
    assert applicant.birth_date == date(1992, 4, 15) and applicant.sex == "male"
    assert applicant.retirement_category == "male"
    assert applicant.identity_provider == "dev" and applicant.identity_verified_at is not None
    # Logged in straight away; the profile shows the ID number masked.
    page = client.get(reverse("applicants:profile")).content.decode()
    assert GOOD_ID not in page and GOOD_ID[:4] + "**********" + GOOD_ID[-4:] in page


def _assert_kept(page: str, data: dict) -> None:
    for key in ("name", "email", "phone"):
        assert f'value="{data[key]}"' in page
    assert PASSWORD not in page


@pytest.mark.django_db
def test_wrong_checksum_error_at_the_field_and_input_kept(client):
    bad = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")
    data = form(id_number=bad)
    page = client.post(reverse("applicants:register"), data).content.decode()
    assert 'href="#id_id_number"' in page and "身份证号码校验位不正确" in page
    assert f'value="{bad}"' in page
    _assert_kept(page, data)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_impossible_birth_date_error(client):
    first17 = "11010819910229001"  # 1991 is not a leap year
    from accounts.identity import check_char

    page = client.post(reverse("applicants:register"), form(id_number=first17 + check_char(first17)))
    assert "19910229 不是有效日期" in page.content.decode()
    assert not Applicant.objects.exists()


@pytest.mark.django_db
def test_duplicate_id_number_and_email_give_one_message_that_reveals_neither(client):
    """Issue 11, Low: registration must not tell whether an ID number (or e-mail) is registered."""
    existing = make_applicant()
    by_id = client.post(reverse("applicants:register"), form(id_number=existing.id_number)).content.decode()
    by_email = client.post(
        reverse("applicants:register"), form(email=existing.user.email.upper())
    ).content.decode()
    for page in (by_id, by_email):
        assert "无法用这些信息完成注册" in page
        assert "已注册" not in page
        assert 'href="#id_id_number"' not in page and 'href="#id_email"' not in page
    assert Applicant.objects.count() == 1


@pytest.mark.django_db
def test_registration_is_rate_limited_per_client(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REGISTRATION_RATE_LIMIT = 3
    existing = make_applicant()
    for _attempt in range(3):
        page = client.post(reverse("applicants:register"), form(id_number=existing.id_number))
        assert page.status_code == 200
    refused = client.post(reverse("applicants:register"), form())
    assert refused.status_code == 429
    assert "注册尝试过于频繁" in refused.content.decode()
    assert Applicant.objects.count() == 1
    cache.clear()


@pytest.mark.django_db
def test_password_rules_and_mismatch(client):
    page = client.post(reverse("applicants:register"), form(password2="Other-pass-2025")).content.decode()
    assert "两次输入的密码不一致" in page
    page = client.post(
        reverse("applicants:register"), form(password1="12345", password2="12345")
    ).content.decode()
    assert 'href="#id_password1"' in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_lowercase_x_is_normalised(client):
    from accounts.identity import check_char

    first17 = "11010519491231002"
    assert check_char(first17) == "X"
    client.post(reverse("applicants:register"), form(id_number=first17 + "x"))
    applicant = Applicant.objects.get()
    assert applicant.id_number == first17 + "X" and applicant.sex == "female"
    assert applicant.retirement_category == ""  # women choose 55 or 50 in the profile


@pytest.fixture
def oidc_urls(settings):
    """Rebuild the URLconf with IDENTITY_PROVIDER=oidc (URLs are wired at import), then restore it."""
    import importlib

    from django.urls import clear_url_caches

    import accounts.urls
    import config.urls

    def rebuild():
        importlib.reload(accounts.urls)
        importlib.reload(config.urls)
        clear_url_caches()

    settings.IDENTITY_PROVIDER = "oidc"
    settings.OIDC_RP_CLIENT_ID = "permits"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://bjt.example/authorize"
    settings.OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_authentication_callback"
    rebuild()
    yield
    settings.IDENTITY_PROVIDER = "dev"
    rebuild()


@pytest.mark.django_db
def test_oidc_urls_absent_unless_configured(client):
    assert client.get("/accounts/oidc/authenticate/").status_code == 404


@pytest.mark.django_db
def test_oidc_mode_offers_beijing_tong_instead_of_the_form(client, oidc_urls):
    response = client.get(reverse("applicants:register"))
    page = response.content.decode()
    assert "使用北京通登录" in page and 'href="/accounts/oidc/authenticate/"' in page
    assert client.post(reverse("applicants:register"), form()).status_code == 200
    assert not User.objects.exists()
    response = client.get("/accounts/oidc/authenticate/")
    assert response.status_code == 302 and response["Location"].startswith("https://bjt.example/authorize")
