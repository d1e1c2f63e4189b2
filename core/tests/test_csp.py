"""Issue 11, Low: a strict Content-Security-Policy on every response, and templates that need no
inline script or style to work under it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

REQUIRED = [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]


def _directives(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        out[name] = value
    return out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/accounts/login/", "/healthz", "/api/v1/openapi.json", "/no-such-page/", "/static/core/site.css"],
)
def test_every_response_carries_the_strict_policy(url):
    response = Client().get(url)
    header = response.headers.get("Content-Security-Policy", "")
    for directive in REQUIRED:
        assert directive in header, (url, directive, header)
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    directives = _directives(header)
    assert directives["script-src"] == "'self'"


@pytest.mark.django_db
def test_htmx_is_told_not_to_inject_its_indicator_styles():
    html = Client().get("/accounts/login/").content.decode()
    assert "includeIndicatorStyles&quot;: false" in html or '"includeIndicatorStyles": false' in html
    assert re.search(r"<script src=\"[^\"]*htmx", html), "htmx comes from a static file"


def test_no_template_has_inline_script_style_or_handler():
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.glob("*/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text()
        for match in re.finditer(
            r"javascript:|<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle=|\son[a-z]+=",
            text,
        ):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert offenders == []
