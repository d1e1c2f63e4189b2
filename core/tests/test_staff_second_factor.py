"""Issue 11, High 2: a staff session with a password but no verified TOTP device reaches nothing but the
login, TOTP and logout pages. The route list is generated from the URLconf, so a new route is covered
(and a route that served data to such a session would fail here)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.testing import login_staff
from cases.tests import factories as f
from core.models import PersonalDataAccess

TODAY = date(2025, 11, 20)
EXEMPT = {"accounts:login", "accounts:otp", "accounts:logout"}
SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x"}


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def _routes(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _routes(pattern.url_patterns, route, ns)
        else:
            yield route, f"{namespace}{pattern.name or ''}"


def _fill(route: str, ids: list[str]) -> list[str]:
    """Concrete paths for a route: every uuid parameter filled with each of the given real ids."""
    route = route.replace("^", "").replace("$", "").replace("\\", "")
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    paths = []
    for value in ids:

        def sample(match: re.Match[str], value: str = value) -> str:
            converter = match.group(1) or "str"
            return value if converter == "uuid" else SAMPLE.get(converter, "x")

        paths.append("/" + re.sub(r"<(?:(\w+):)?(\w+)>", sample, route))
    return sorted(set(paths))


ROUTES = sorted(set(_routes(get_resolver().url_patterns)))


def test_the_route_list_is_generated_from_the_urlconf():
    names = {name for _route, name in ROUTES}
    assert {"materials:download", "materials:versions", "materials:status", "cases:review_detail"} <= names
    assert len(ROUTES) > 50


@pytest.mark.django_db
def test_every_route_sends_staff_without_totp_to_the_totp_page(world_case):
    case, document, reviewer = world_case
    client = Client()
    client.force_login(reviewer)  # password passed, no verified device
    ids = [str(case.public_id), str(document.public_id), str(uuid.uuid4())]
    otp = reverse("accounts:otp")
    checked = 0
    for route, name in ROUTES:
        if name in EXEMPT:
            continue
        for path in _fill(route, ids):
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                assert response.status_code == 302, (method, path, response.status_code)
                assert response["Location"].startswith(otp), (method, path, response["Location"])
                checked += 1
    assert checked > 100
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_login_totp_and_logout_stay_reachable_without_totp(world_case):
    _case, _document, reviewer = world_case
    client = Client()
    client.force_login(reviewer)
    assert client.get(reverse("accounts:otp")).status_code == 200
    assert client.get(reverse("accounts:login")).status_code in (200, 302)
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_download_without_totp_is_refused_and_with_totp_is_logged_as_passed(world_case):
    _case, document, reviewer = world_case
    url = reverse("materials:download", args=[document.public_id])
    client = Client()
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp"))
    assert not PersonalDataAccess.objects.exists()
    login_staff(client, reviewer)
    response = client.get(url)
    assert response.status_code == 200
    read = PersonalDataAccess.objects.get(object_id=str(document.pk), purpose="download")
    assert read.totp_verified is True


@pytest.fixture
def world_case(db):
    world = f.make_world()
    case = f.new_case_with_authority(world, TODAY)
    document = case.documents.select_related("document").first().document  # type: ignore[union-attr]
    return case, document, world.reviewer
