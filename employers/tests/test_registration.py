"""Employer registration (注册 1 and 注意事项 1): credit code, registry data, first operator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role, User
from employers.models import Employer, Operator
from employers.tests import factories

pytestmark = pytest.mark.django_db
URL = "/employers/register/"


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


def test_registration_creates_operator_employer_and_logs_in(client):
    entry = factories.registry_entry()
    response = client.post(URL, account(entry.credit_code))
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
