"""Test settings: same PostgreSQL server (a test database of its own per run,
so parallel runs never drop each other's) and a separate Redis database, with
cache keys prefixed by that test database, so the suite never touches
development data or another run's."""

import os

from .settings import *  # noqa: F403
from .settings import CACHES, DATABASES, REDIS_URL, STORAGES

TEST_DATABASE = os.environ.get("WEFT_TEST_DATABASE") or f"test_weft_{os.getpid()}"
DATABASES["default"]["TEST"] = {"NAME": TEST_DATABASE}
TEST_REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + "/15"
for alias, cache in CACHES.items():
    cache["LOCATION"] = TEST_REDIS_URL
    cache["KEY_PREFIX"] = f"{TEST_DATABASE}:{alias}"
CELERY_BROKER_URL = TEST_REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; production uses Argon2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TENANT_SPARE_POOL_SIZE = 2
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
