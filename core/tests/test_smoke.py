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
