"""A task for the tests of tenant-aware Celery: it records the schema it ran
in, under a key the test chooses (the worker loads it with --include)."""

from celery import shared_task
from django.core.cache import caches
from django.db import connection


@shared_task(acks_late=True, ignore_result=True)
def record_schema(key: str) -> str:
    caches["platform"].set(key, connection.schema_name, 120)
    return connection.schema_name
