"""Periodic jobs fan out per tenant: one task per workspace, queued inside that
workspace's schema (tenant-schemas-celery puts the schema in the message), and
only for workspaces whose state allows work and whose module is on."""

from __future__ import annotations

from django.db.models import QuerySet
from django_tenants.utils import schema_context

from tenants.models import BLOCKED_STATES, Tenant, TenantKind


def tenants_for_jobs(module: str | None = None) -> QuerySet[Tenant]:
    tenants = Tenant.objects.filter(kind=TenantKind.CUSTOMER).exclude(state__in=BLOCKED_STATES)
    if module is not None:
        tenants = tenants.filter(modules__key=module, modules__enabled=True)
    return tenants.order_by("pk")


def fan_out(task, *, module: str | None = None, kwargs: dict | None = None) -> list[str]:
    """Queue ``task`` once per eligible tenant; returns the schemas queued."""
    schemas = list(tenants_for_jobs(module).values_list("schema_name", flat=True))
    for schema in schemas:
        with schema_context(schema):
            task.apply_async(kwargs=kwargs or {})
    return schemas
