"""Tenant-aware Celery tasks: a task queued inside a tenant runs in that
tenant's schema — checked with a real worker on real Redis — and beat jobs
fan out only to workspaces whose state and modules allow it."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from core.scheduling import fan_out, tenants_for_jobs
from core.users.models import ApiToken
from core.users.tasks import purge_expired_tokens
from tests.celery_probe import record_schema
from tenants.models import TenantModule, TenantState
from tenants.services import tenant_set_state


def test_jobs_skip_blocked_tenants_and_disabled_modules(tenant_a, tenant_b):
    assert {tenant_a.pk, tenant_b.pk} <= set(tenants_for_jobs("crm").values_list("pk", flat=True))
    TenantModule.objects.filter(tenant=tenant_b, key="crm").update(enabled=False)
    tenant_set_state(tenant=tenant_a, state=TenantState.SUSPENDED)
    eligible = set(tenants_for_jobs("crm").values_list("pk", flat=True))
    assert tenant_a.pk not in eligible and tenant_b.pk not in eligible
    assert tenant_b.pk in set(tenants_for_jobs().values_list("pk", flat=True))


def test_purge_runs_inside_each_tenant(tenant_a, admin_a):
    with schema_context(tenant_a.schema_name):
        ApiToken.objects.create(user=admin_a, name="old", prefix="oldoldold", digest="x" * 64,
                                expires_at=timezone.now() - timedelta(days=40))
        assert purge_expired_tokens.apply().get() == 1
        assert not ApiToken.objects.filter(prefix="oldoldold").exists()


def test_fan_out_queues_each_eligible_schema(tenant_a, tenant_b):
    schemas = fan_out(record_schema, kwargs={"key": "fan-out-probe"})
    assert tenant_a.schema_name in schemas and tenant_b.schema_name in schemas
    assert "public" not in schemas and settings.TENANT_TEMPLATE_SCHEMA not in schemas


@pytest.fixture
def real_worker(django_db_setup, django_db_blocker):
    """A Celery worker process on real Redis, reading the test database."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "core.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REDIS_URL": settings.TEST_REDIS_URL,
        "WEFT_CACHE_PREFIX": settings.TEST_DATABASE,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "core", "worker", "--pool=solo", "-Q", settings.TEST_DATABASE,
         "--include", "tests.celery_probe",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"],
        env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    yield
    worker.terminate()
    worker.wait(timeout=20)


def test_task_queued_in_a_tenant_runs_in_that_schema_on_a_real_worker(tenant_a, tenant_b, real_worker):
    from django.core.cache import caches

    from core.celery import app

    app.conf.task_always_eager = False
    try:
        for tenant in (tenant_a, tenant_b):
            with schema_context(tenant.schema_name):
                record_schema.apply_async(kwargs={"key": f"probe:{tenant.subdomain}"}, queue=settings.TEST_DATABASE)
    finally:
        app.conf.task_always_eager = True
    assert connection.schema_name == "public"
    cache = caches["platform"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(cache.get(f"probe:{s}") for s in ("alpha", "beta")):
        time.sleep(0.2)
    assert cache.get("probe:alpha") == tenant_a.schema_name
    assert cache.get("probe:beta") == tenant_b.schema_name
