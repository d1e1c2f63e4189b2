import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_public_home_page_is_chinese_by_default(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="zh-CN"' in body
    assert "工作居住证" in body


@pytest.mark.django_db
def test_healthz(client):
    assert client.get(reverse("core:healthz")).json() == {"status": "ok"}


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["version"] == "1"


def test_api_docs_load_no_asset_from_the_internet(client):
    import re

    body = client.get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert assets, "the docs page references its assets"
    assert all(not asset.startswith(("http://", "https://", "//")) for asset in assets), assets


def test_pages_load_no_asset_from_the_internet(client):
    import re

    for url in ("/", "/accounts/login/", "/eligibility/self-check/", "/eligibility/deadlines/"):
        response = client.get(url)
        assert response.status_code == 200, url  # a redirect or error page would check nothing
        body = response.content.decode()
        assets = re.findall(r'<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]*)"', body)
        assert assets, url  # the page's own stylesheet at least
        for asset in assets:
            assert not asset.startswith(("http:", "https:", "//")), (url, asset)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["applicant", "operator", "reviewer", "supervisor"])
def test_each_role_sees_its_navigation(client, role):
    from accounts.testing import login_staff, make_user

    user = make_user(role)
    if role in {"reviewer", "supervisor"}:
        login_staff(client, user)
    else:
        client.force_login(user)
    body = client.get("/").content.decode()
    assert 'class="site-nav"' in body
    expected = {
        "applicant": "/applicants/profile/",
        "operator": "/employers/profile/",
        "reviewer": "/cases/review/",
        "supervisor": "/accounts/staff/",
    }[role]
    assert f'href="{expected}"' in body
    if role == "reviewer":
        assert 'href="/accounts/staff/"' not in body
