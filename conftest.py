"""Project-wide test fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test stores files in its own folder and sends mail to the in-memory outbox."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language (Chinese): a request to an English page
    leaves English active in the thread (LocaleMiddleware), which must not reach the next test."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


def _django_tests(request: pytest.FixtureRequest) -> bool:
    """False in the fault and deployment runs (`-p no:django`): they start real processes, which
    read their own settings, so the unit tests' per-test settings do not apply there."""
    return request.config.pluginmanager.hasplugin("django")


@pytest.fixture(autouse=True)
def _income_reading_only_when_asked(request):
    """Reading income printouts (issue 13; OCR takes seconds per page) runs only in tests marked `ocr`."""
    if _django_tests(request):
        settings = request.getfixturevalue("settings")
        settings.MATERIALS_EXTRACT_INCOME = request.node.get_closest_marker("ocr") is not None


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Rate-limit counters (core.ratelimit, kept in the cache) do not carry from one test to the next."""
    if _django_tests(request):
        from django.core.cache import cache

        cache.clear()
    yield
