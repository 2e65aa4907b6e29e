"""The cache backend on its own, pointed at a Redis that is not there: every
operation answers at once as a miss or a dropped write, counters start from
nothing, the outage is logged, and a health check still sees it."""

from __future__ import annotations

import logging
import time

import pytest

from core.cache import ResilientRedisCache
from tests.browser.live import free_port


@pytest.fixture
def absent_redis():
    ResilientRedisCache._last_warning = 0.0
    cache = ResilientRedisCache(f"redis://127.0.0.1:{free_port()}/0",
                                {"KEY_PREFIX": "absent", "OPTIONS": {"socket_connect_timeout": 1}})
    yield cache
    ResilientRedisCache._last_warning = 0.0


def test_every_operation_degrades_instead_of_raising(absent_redis, caplog):
    cache = absent_redis
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("k") is None
        assert cache.get("k", "fallback") == "fallback"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        assert cache.set("k", 1) is None
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.add("k", 0, 60) is False
        assert cache.touch("k") is False
        assert cache.delete("k") is False
        assert cache.delete_many(["a", "b"]) is None
        assert cache.incr("counter") == 1
        assert cache.incr("counter", 5) == 5
        assert cache.decr("counter") == -1
        assert cache.get_or_set("k", "computed") == "computed"
        assert cache.clear() is False
    assert time.monotonic() - started < 5
    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1  # one line per outage window, not one per call
    assert warnings[0].levelno == logging.WARNING
    assert warnings[0].getMessage().startswith("Redis unreachable (get: ")


def test_ping_reports_the_outage(absent_redis):
    from redis.exceptions import ConnectionError as RedisConnectionError

    with pytest.raises(RedisConnectionError):
        absent_redis.ping()


def test_with_redis_there_it_is_the_ordinary_redis_cache(settings):
    from django.core.cache import caches

    cache = caches["platform"]
    assert isinstance(cache, ResilientRedisCache)
    assert cache.ping() is True
    key = f"{settings.TEST_DATABASE}:resilient-probe"
    try:
        assert cache.add(key, 1, 30) is True and cache.add(key, 2, 30) is False
        assert cache.incr(key, 4) == 5 and cache.get(key) == 5
    finally:
        cache.delete(key)
