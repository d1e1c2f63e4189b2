"""Real-name check (申请单位及申请人注册 2: 北京通实名认证) and the Beijing Tong OIDC claim mapping."""

from datetime import date

import pytest

from accounts.identity import (
    DevIdentityProvider,
    IdentityError,
    OidcIdentityProvider,
    check_char,
    get_identity_provider,
    make_id_number,
    parse_id_number,
)
from accounts.models import Role, User


def test_known_checksums_including_x():
    # GB 11643 worked example and an ID whose check character is X.
    assert check_char("11010519491231002") == "X"
    assert check_char("44052418800101001") == "4"
    assert parse_id_number("11010519491231002x") == (date(1949, 12, 31), "female")


def test_fills_birth_date_and_sex_from_17th_digit():
    male = make_id_number("110108", date(1992, 4, 15), 13)
    female = make_id_number("110108", date(1992, 4, 15), 24)
    assert parse_id_number(male) == (date(1992, 4, 15), "male")
    assert parse_id_number(female) == (date(1992, 4, 15), "female")


def test_wrong_checksum_is_refused_at_the_id_field():
    good = make_id_number("110108", date(1992, 4, 15), 13)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(IdentityError) as error:
        DevIdentityProvider().verify("张伟", bad)
    assert error.value.field == "id_number"
    assert "校验位" in error.value.message


@pytest.mark.parametrize(
    ("first17", "message"),
    [
        ("11010819920230001", "不是有效日期"),  # 30 February
        ("11010819921301001", "不是有效日期"),  # month 13
        ("11010829990101001", "不可能"),  # in the future
        ("99010819920101001", "行政区划"),  # no such province
        ("11000019920101001", "行政区划"),
    ],
)
def test_impossible_birth_date_and_bad_region(first17, message):
    id_number = first17 + check_char(first17)
    with pytest.raises(IdentityError) as error:
        parse_id_number(id_number, today=date(2025, 11, 20))
    assert message in error.value.message


def test_birth_today_is_possible_tomorrow_is_not():
    today = date(2025, 11, 20)
    assert parse_id_number(make_id_number("110108", today, 1), today=today)[0] == today
    with pytest.raises(IdentityError):
        parse_id_number(make_id_number("110108", date(2025, 11, 21), 1), today=today)


@pytest.mark.parametrize("value", ["", "12345", "1101081992041501AB", "11010819920415013Y"])
def test_shape(value):
    with pytest.raises(IdentityError) as error:
        parse_id_number(value)
    assert "18位" in error.value.message


def test_name_required():
    with pytest.raises(IdentityError) as error:
        DevIdentityProvider().verify("  ", make_id_number("110108", date(1990, 1, 1), 1))
    assert error.value.field == "name"


def test_provider_chosen_by_setting(settings):
    settings.IDENTITY_PROVIDER = "dev"
    assert isinstance(get_identity_provider(), DevIdentityProvider)
    settings.IDENTITY_PROVIDER = "oidc"
    assert isinstance(get_identity_provider(), OidcIdentityProvider)


@pytest.mark.parametrize("key", ["id_number", "idcard"])
def test_oidc_claims_map_to_identity(key):
    id_number = make_id_number("110108", date(1988, 2, 29), 22)
    identity = OidcIdentityProvider().identity_from_claims({"sub": "x", "name": "李娜", key: id_number})
    assert identity.name == "李娜"
    assert identity.id_number == id_number
    assert identity.birth_date == date(1988, 2, 29)
    assert identity.sex == "female"


@pytest.fixture
def oidc_settings(settings):
    settings.IDENTITY_PROVIDER = "oidc"
    settings.OIDC_RP_CLIENT_ID = "permits"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://bjt.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://bjt.example/userinfo"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://bjt.example/authorize"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://bjt.example/jwks"
    return settings


@pytest.mark.django_db
def test_oidc_backend_creates_then_links_the_applicant(oidc_settings):
    from accounts.oidc import BeijingTongBackend

    backend = BeijingTongBackend()
    id_number = make_id_number("110108", date(1990, 6, 1), 11)
    claims = {"sub": "bjt-1", "name": "赵强", "idcard": id_number, "email": "ZQ@example.cn"}
    assert backend.verify_claims(claims)
    assert not backend.filter_users_by_claims(claims).exists()
    user = backend.create_user(claims)
    assert user.role == Role.APPLICANT and user.email == "zq@example.cn" and not user.has_usable_password()
    assert user.applicant.id_number == id_number
    assert user.applicant.birth_date == date(1990, 6, 1)
    assert user.applicant.sex == "male" and user.applicant.identity_provider == "oidc"
    assert list(backend.filter_users_by_claims(claims)) == [user]
    backend.update_user(user, {**claims, "name": "赵 强"})
    user.applicant.refresh_from_db()
    assert user.applicant.name == "赵 强"
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_oidc_backend_refuses_bad_claims(oidc_settings):
    from accounts.oidc import BeijingTongBackend

    backend = BeijingTongBackend()
    assert not backend.verify_claims({"sub": "x", "name": "赵强", "id_number": "110108199006010001"})
    assert not backend.verify_claims({"sub": "x", "name": "赵强"})


@pytest.mark.django_db
def test_oidc_backend_without_email_claim_gets_placeholder(oidc_settings):
    from accounts.oidc import BeijingTongBackend

    claims = {"sub": "bjt-2", "name": "王芳", "id_number": make_id_number("110108", date(1995, 1, 1), 2)}
    user = BeijingTongBackend().create_user(claims)
    assert user.email.endswith("@users.invalid")
