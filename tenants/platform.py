"""Idempotent platform set-up shared by `manage.py prepare_platform`, the test
suite and the benchmarks."""

from django.conf import settings
from django.db import connection

from . import provisioning
from .models import Domain, Tenant, TenantKind, TenantState


def ensure_public_tenant() -> Tenant:
    connection.set_schema_to_public()
    public, _created = Tenant.objects.get_or_create(
        schema_name="public", defaults={"kind": TenantKind.PUBLIC, "name": "Weft", "state": TenantState.ACTIVE}
    )
    for host in {settings.ROOT_DOMAIN, "127.0.0.1"}:
        Domain.objects.get_or_create(domain=host, defaults={"tenant": public, "is_primary": host == settings.ROOT_DOMAIN})
    return public


def prepare_platform(pool_size: int | None = None) -> dict:
    ensure_public_tenant()
    provisioning.ensure_template()
    made = provisioning.refill_pool(pool_size)
    return {"spares_made": made, "spares": provisioning.spare_count()}
