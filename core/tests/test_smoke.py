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
        body = client.get(url).content.decode()
        for tag in re.findall(r"<(?:script|link|img)[^>]+>", body):
            assert "://" not in tag, (url, tag)
