"""Issue 11 (low): the rate limits and django-axes take the hop the trusted proxy added, not a
client-written X-Forwarded-For; /api/v1/materials/checklist is rate limited too."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from core.clientip import client_ip

FACTS = '{"business": "new"}'


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _request(forwarded: str = "", remote: str = "10.0.0.9"):
    meta: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_behind_one_trusted_proxy_the_client_is_the_hop_it_added(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("1.2.3.4")) == "1.2.3.4"
    # The client wrote a fake first hop; the proxy appended the real address.
    assert client_ip(_request("6.6.6.6, 1.2.3.4")) == "1.2.3.4"
    assert client_ip(_request("")) == "10.0.0.9"


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("6.6.6.6")) == "10.0.0.9"


def test_axes_uses_the_same_client_address(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(_request("6.6.6.6, 1.2.3.4")) == "1.2.3.4"


@pytest.mark.django_db
def test_a_spoofed_first_hop_does_not_escape_the_rate_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ELIGIBILITY_RATE_LIMIT = 2
    client = Client()
    codes = [
        client.post(
            "/api/v1/eligibility/check",
            data=FACTS,
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 1.2.3.4",
        ).status_code
        for n in range(3)
    ]
    assert codes[-1] == 429 and 429 not in codes[:2]


@pytest.mark.django_db
def test_the_materials_checklist_is_rate_limited(settings):
    settings.ELIGIBILITY_RATE_LIMIT = 2
    client = Client()
    codes = [
        client.post("/api/v1/materials/checklist", data=FACTS, content_type="application/json").status_code
        for _n in range(3)
    ]
    assert codes[-1] == 429 and 429 not in codes[:2]
