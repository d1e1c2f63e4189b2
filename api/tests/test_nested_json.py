"""Issue 11 (low): deeply nested JSON gives 422 (a field error at the root), not 500, on both endpoints."""

from __future__ import annotations

import pytest
from django.test import Client

from core.jsonlimits import MAX_DEPTH, nesting_depth

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/eligibility/check", "/api/v1/materials/checklist"])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 200_000])
def test_deeply_nested_json_is_refused_with_422(url, depth):
    body = '{"a":' * depth + "1" + "}" * depth
    response = Client().post(url, data=body, content_type="application/json")
    assert response.status_code == 422
    assert "(root)" in response.content.decode()


def test_depth_ignores_brackets_inside_strings():
    assert nesting_depth('{"a": "[[[[{{{{", "b": [1, {"c": "\\"]"}]}') == 3
