from __future__ import annotations

from datetime import date

import pytest

from cases.tests.factories import World, make_world

TODAY = date(2025, 11, 20)  # a Thursday; the 2025 calendar is published


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
