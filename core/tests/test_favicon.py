"""Issue 10 (9): /favicon.ico is served (no 404 on every page) and base.html links the icon."""

from __future__ import annotations

import io

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_is_served_to_anyone_as_an_icon():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert "max-age" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"


def test_every_page_links_the_icon_from_the_static_files():
    body = Client().get("/").content.decode()
    assert '<link rel="icon" href="/static/core/favicon.ico"' in body
    assert finders.find("core/favicon.ico")
