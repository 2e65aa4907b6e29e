"""Test settings: same PostgreSQL server (database test_weft) and a separate
Redis database, so the suite never touches development data."""

from .settings import *  # noqa: F403
from .settings import CACHES, REDIS_URL

TEST_REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + "/15"
for alias in CACHES:
    CACHES[alias]["LOCATION"] = TEST_REDIS_URL
CELERY_BROKER_URL = TEST_REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; production uses Argon2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TENANT_SPARE_POOL_SIZE = 2
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
