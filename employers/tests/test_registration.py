"""Employer registration (注册 1 and 注意事项 1): credit code, registry data, first operator."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import Role, User
from core.models import OutboxMail
from employers.models import ClaimStatus, Employer, Operator, RegistrationClaim
from employers.tests import factories

pytestmark = pytest.mark.django_db
URL = "/employers/register/"
VERIFY = "/employers/register/verify/"


def account(code: str, **overrides: str) -> dict[str, str]:
    data = {
        "step": "account",
        "credit_code": code,
        "name": "刘经办",
        "email": "liu@example.cn",
        "phone": "13800001234",
        "password1": "Haidian-hr-2025",
        "password2": "Haidian-hr-2025",
    }
    data.update(overrides)
    return data


def test_url():
    assert reverse("employers:register") == URL


def test_form_page(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "统一社会信用代码" in response.content.decode()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111010855138508", "应为18位"),
        ("91110108551385082P", "校验位不正确"),
        ("91110108551385082O", "只能包含数字和大写字母"),
    ],
)
def test_malformed_code_gets_a_field_error(client, code, message):
    response = client.post(URL, {"step": "code", "credit_code": code})
    html = response.content.decode()
    assert message in html
    assert 'href="#id_credit_code"' in html  # error summary links to the field
    assert 'id="id_credit_code-error"' in html


def test_unknown_code(client):
    response = client.post(URL, {"step": "code", "credit_code": factories.credit_code()})
    assert (
        "市场监管登记信息中未找到该统一社会信用代码，请核对或联系北京市市场监督管理局"
        in response.content.decode()
    )


def test_known_code_shows_registry_data_read_only(client):
    entry = factories.registry_entry(name="北京海星科技有限公司", legal_representative="王海星")
    response = client.post(URL, {"step": "code", "credit_code": entry.credit_code.lower()})
    html = response.content.decode()
    assert "北京海星科技有限公司" in html
    assert "王海星" in html
    assert "北京市市场监督管理局" in html
    assert 'name="name"' in html and 'name="password2"' in html
    assert 'name="legal_representative"' not in html  # registry data is not a form field
    assert not Employer.objects.exists()


def codes_for(email: str) -> tuple[str, str]:
    """The two codes the registrant and the registry contact received (through the outbox)."""
    claim = RegistrationClaim.objects.filter(email=email).latest("created_at")
    mail = {
        m.reference.split(":")[0]: m
        for m in OutboxMail.objects.filter(reference__endswith=str(claim.public_id))
    }
    email_code = re.search(r"\b(\d{6})\b", mail["claim-email"].body)
    authority_code = re.search(r"\b(\d{6})\b", mail["claim-authority"].body)
    assert email_code and authority_code
    return email_code.group(1), authority_code.group(1)


def test_registration_creates_operator_employer_and_logs_in_once_verified(client):
    entry = factories.registry_entry()
    response = client.post(URL, account(entry.credit_code))
    assert response.status_code == 302 and response.url == reverse("employers:register_verify")
    assert not User.objects.filter(email="liu@example.cn").exists(), "nothing before verification"
    assert not Employer.objects.exists()
    authority_mail = OutboxMail.objects.get(reference__startswith="claim-authority:")
    assert authority_mail.to_address == entry.contact_email  # the registry's contact, not the registrant
    email_code, authority_code = codes_for("liu@example.cn")
    response = client.post(VERIFY, {"email_code": email_code, "authority_code": authority_code})
    assert response.status_code == 302
    assert response.url == reverse("employers:profile")
    user = User.objects.get(email="liu@example.cn")
    assert user.role == Role.OPERATOR
    assert user.display_name == "刘经办"
    assert user.phone == "13800001234"
    assert user.check_password("Haidian-hr-2025")
    operator = Operator.objects.get(user=user)
    assert operator.is_admin
    assert operator.employer.registry == entry
    assert client.get(reverse("employers:profile")).status_code == 200


def test_password_mismatch_and_weak_password_keep_the_input(client):
    entry = factories.registry_entry()
    response = client.post(URL, account(entry.credit_code, password2="Other-pass-2025"))
    html = response.content.decode()
    assert "两次输入的密码不一致" in html
    assert 'value="liu@example.cn"' in html
    response = client.post(URL, account(entry.credit_code, password1="12345678901", password2="12345678901"))
    assert 'id="id_password1-error"' in response.content.decode()
    assert not Employer.objects.exists()


def test_duplicate_registration_is_refused(client):
    employer = factories.make_employer()
    response = client.post(URL, {"step": "code", "credit_code": employer.credit_code})
    assert "该单位已注册" in response.content.decode()
    response = client.post(URL, account(employer.credit_code, email="second@example.cn"))
    assert "该单位已注册" in response.content.decode()
    assert not User.objects.filter(email="second@example.cn").exists()
    assert Employer.objects.count() == 1


def test_email_already_used(client):
    factories.operator(email="liu@example.cn")
    entry = factories.registry_entry()
    response = client.post(URL, account(entry.credit_code))
    assert "该电子邮箱已注册" in response.content.decode()
    assert not Employer.objects.filter(registry=entry).exists()


def test_tampered_code_at_account_step_is_validated_again(client):
    response = client.post(URL, account("91110108551385082P"))
    assert "校验位不正确" in response.content.decode()
    assert not User.objects.filter(email="liu@example.cn").exists()


# --- issue 11, Medium 6: a claim is pending until verified; pending claims never block the real one --


def test_two_anonymous_posts_no_longer_take_an_employer(client):
    """The audit's attack: knowing the public credit code is not enough."""
    entry = factories.registry_entry()
    client.post(URL, account(entry.credit_code, email="attacker@example.cn"))
    for guess in ("000000", "123456"):
        response = client.post(VERIFY, {"email_code": guess, "authority_code": guess})
        assert "验证码不正确" in response.content.decode()
    assert not Employer.objects.filter(registry=entry).exists()
    assert not User.objects.filter(email="attacker@example.cn").exists()


def test_the_registrant_email_code_alone_is_not_enough(client):
    entry = factories.registry_entry()
    client.post(URL, account(entry.credit_code, email="attacker@example.cn"))
    email_code, _authority_code = codes_for("attacker@example.cn")
    response = client.post(VERIFY, {"email_code": email_code, "authority_code": "000000"})
    assert "单位授权验证码不正确" in response.content.decode()
    assert not Employer.objects.filter(registry=entry).exists()


def test_a_pending_claim_does_not_block_the_real_employer_and_is_told(client):
    from django.test import Client

    entry = factories.registry_entry()
    attacker = Client()
    attacker.post(URL, account(entry.credit_code, email="attacker@example.cn"))
    real = Client()
    response = real.post(URL, account(entry.credit_code, email="hr@real.example.cn"))
    assert response.status_code == 302, "a pending claim does not block a second one"
    assert RegistrationClaim.objects.filter(registry=entry, status=ClaimStatus.PENDING).count() == 2
    email_code, authority_code = codes_for("hr@real.example.cn")
    response = real.post(VERIFY, {"email_code": email_code, "authority_code": authority_code})
    assert response.status_code == 302
    assert Operator.objects.get(employer__registry=entry).user.email == "hr@real.example.cn"
    loser = RegistrationClaim.objects.get(email="attacker@example.cn")
    assert loser.status == ClaimStatus.SUPERSEDED
    told = OutboxMail.objects.get(reference=f"claim-superseded:{loser.public_id}")
    assert told.to_address == "attacker@example.cn" and "另一位经办人" in told.body
    codes = codes_for("attacker@example.cn")
    response = attacker.post(VERIFY, {"email_code": codes[0], "authority_code": codes[1]})
    assert "另一位经办人完成核验注册" in response.content.decode()
    assert Employer.objects.filter(registry=entry).count() == 1


def test_too_many_wrong_codes_end_the_claim(client):
    entry = factories.registry_entry()
    client.post(URL, account(entry.credit_code))
    for _attempt in range(5):
        client.post(VERIFY, {"email_code": "000000", "authority_code": "000000"})
    claim = RegistrationClaim.objects.get()
    assert claim.status == ClaimStatus.EXPIRED and claim.failed_attempts == 5
    codes = codes_for("liu@example.cn")
    response = client.post(VERIFY, {"email_code": codes[0], "authority_code": codes[1]})
    assert "已失效" in response.content.decode()
    assert not Employer.objects.exists()


def test_codes_and_password_are_not_stored_in_clear(client):
    entry = factories.registry_entry()
    client.post(URL, account(entry.credit_code))
    claim = RegistrationClaim.objects.get()
    email_code, authority_code = codes_for("liu@example.cn")
    assert email_code not in claim.email_code_hash and authority_code not in claim.authority_code_hash
    assert "Haidian-hr-2025" not in claim.password_hash


def test_an_employer_without_a_registry_contact_cannot_be_verified_online(client):
    entry = factories.registry_entry(contact_email="")
    client.post(URL, account(entry.credit_code))
    response = client.post(VERIFY, {"email_code": "000000", "authority_code": "000000"})
    assert "没有该单位的联系邮箱" in response.content.decode()
    assert not Employer.objects.exists()


def test_the_verify_page_needs_the_browser_that_started_the_claim(client):
    assert client.get(VERIFY).url == URL


def test_registration_is_rate_limited(client, settings):
    settings.REGISTRATION_RATE_LIMIT = 2
    entry = factories.registry_entry()
    for _attempt in range(2):
        client.post(URL, {"step": "code", "credit_code": entry.credit_code})
    response = client.post(URL, account(entry.credit_code))
    assert response.status_code == 429
    assert "注册尝试过于频繁" in response.content.decode()
    assert not RegistrationClaim.objects.exists()
