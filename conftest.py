"""Shared fixtures. The test database is migrated once; the template schema and
two tenants ("alpha", "beta") are made once per session and reused by every
test (each test runs in a transaction that is rolled back)."""

import pytest
from django.core.cache import caches
from django.db import connection
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from tenants.models import Tenant
from tests.factories import UserFactory

PASSWORD = "Weft-test-pass-42"


def _always_set_up_default_database():
    """pytest-django creates test databases only for aliases that some
    collected test marks with django_db. Tests that commit on their own
    connections (concurrency, faults) request django_db_setup without that
    marker; run alone, they would otherwise reach the development database.
    (pytest-django is pinned; this wraps its helper.)"""
    import pytest_django.fixtures as fixtures

    original = fixtures._get_databases_for_setup

    def with_default(items):
        aliases, serialized = original(items)
        return set(aliases) | {"default"}, serialized

    fixtures._get_databases_for_setup = with_default


_always_set_up_default_database()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tenants.platform import ensure_public_tenant
    from tenants.provisioning import ensure_template
    from tenants.services import tenant_signup

    with django_db_blocker.unblock():
        clear_test_caches()
        ensure_public_tenant()
        ensure_template()
        for sub in ("alpha", "beta"):
            if not Tenant.objects.filter(subdomain=sub).exists():
                tenant_signup(
                    company_name=f"{sub.title()} Ltd", subdomain=sub, admin_name=f"{sub.title()} Admin",
                    admin_email=f"admin@{sub}.test", admin_password=PASSWORD,
                )
        connection.set_schema_to_public()


def clear_test_caches():
    """Delete this run's cache keys only (other runs share the Redis database)."""
    from django.conf import settings

    client = caches["platform"]._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"*{settings.TEST_DATABASE}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_platform_cache():
    """Cached tenant rows must not outlive a rolled-back test."""
    clear_test_caches()
    yield
    clear_test_caches()
    connection.set_schema_to_public()


@pytest.fixture
def tenant_a(db):
    return Tenant.objects.get(subdomain="alpha")


@pytest.fixture
def tenant_b(db):
    return Tenant.objects.get(subdomain="beta")


def host_of(tenant) -> str:
    return f"{tenant.subdomain}.localhost"


@pytest.fixture
def make_user():
    """make_user(tenant, **fields) creates a user inside that tenant's schema."""

    def _make(tenant, roles=(), **fields):
        fields.setdefault("password", PASSWORD)
        with schema_context(tenant.schema_name):
            user = UserFactory(**fields)
            if roles:
                user.roles.set(roles)
        return user

    return _make


@pytest.fixture
def admin_a(tenant_a):
    from core.users.models import User

    with schema_context(tenant_a.schema_name):
        return User.objects.get(email="admin@alpha.test")


@pytest.fixture
def admin_b(tenant_b):
    from core.users.models import User

    with schema_context(tenant_b.schema_name):
        return User.objects.get(email="admin@beta.test")


@pytest.fixture
def api_for():
    """api_for(tenant, user) -> an APIClient on the tenant's host with a real bearer token."""
    from core.users.services import token_create

    def _client(tenant, user=None):
        client = APIClient(HTTP_HOST=host_of(tenant))
        if user is not None:
            with schema_context(tenant.schema_name):
                _token, clear = token_create(user=user, name="tests")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
        return client

    return _client


@pytest.fixture
def web_for(client):
    """web_for(tenant, user) -> a Django test client on the tenant's host, logged in."""
    from django.test import Client

    def _client(tenant, user=None):
        c = Client(HTTP_HOST=host_of(tenant))
        if user is not None:
            with schema_context(tenant.schema_name):
                c.force_login(user)
        return c

    return _client


@pytest.fixture(autouse=True)
def _never_the_dev_database(request):
    """Tests that commit (concurrency, faults) must run against the per-run
    test database, never the development one, even when run alone."""
    from django.conf import settings

    if request.node.get_closest_marker("django_db") or "django_db_setup" in request.fixturenames:
        request.getfixturevalue("django_db_setup")
        name = settings.DATABASES["default"]["NAME"]
        assert name.startswith("test_"), f"refusing to run against database {name!r}"
