"""Issue 11, production 8: the documented `REDIS_URL` works — the `redis` client is installed (locked)
and Django's Redis cache talks to the local Redis at 127.0.0.1:6379 (skipped only if it is not running)."""

from __future__ import annotations

import socket
import uuid

import pytest

REDIS_URL = "redis://127.0.0.1:6379/15"


def _reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_the_redis_client_is_installed():
    import redis  # noqa: F401 - ModuleNotFoundError before the lock had it


def test_settings_pick_the_redis_cache_from_redis_url(monkeypatch):
    import importlib

    import config.settings as settings_module

    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    try:
        fresh = importlib.reload(settings_module)
        assert fresh.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert fresh.CACHES["default"]["LOCATION"] == REDIS_URL
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(settings_module)


@pytest.mark.skipif(not _reachable(), reason="no Redis at 127.0.0.1:6379")
def test_the_redis_cache_stores_reads_increments_and_expires():
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    cache.set("greeting", {"zh": "您好"}, timeout=30)
    assert cache.get("greeting") == {"zh": "您好"}
    assert cache.add("counter", 1) and cache.incr("counter", 2) == 3
    cache.set("short", 1, timeout=0)
    assert cache.get("short") is None
    cache.delete_many(["greeting", "counter"])
    assert cache.get("greeting") is None
