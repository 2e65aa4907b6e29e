"""Hostname → tenant lookup cached in Redis, so resolving the tenant (with its
state and enabled modules) costs no database query once warm. Every change to
a tenant, its domains or its modules deletes the cached entries (signals.py),
so a suspension or module switch applies on the next request."""

from __future__ import annotations

from django.core.cache import caches
from django.db import transaction

from .models import Domain, Tenant

CACHE_ALIAS = "platform"
TTL_SECONDS = 300
_FIELDS = ("id", "schema_name", "public_id", "kind", "name", "subdomain", "state", "plan_code", "language", "timezone",
           "grace_ends_at")


def _key(hostname: str) -> str:
    return f"tenant-host:{hostname.lower()}"


def _snapshot(tenant: Tenant) -> dict:
    data = {name: getattr(tenant, name) for name in _FIELDS}
    data["modules"] = sorted(tenant.enabled_module_keys())
    return data


def _restore(data: dict) -> Tenant:
    modules = data.pop("modules")
    tenant = Tenant(**data)
    tenant._state.adding = False
    tenant._state.db = "default"
    tenant._enabled_modules = frozenset(modules)
    return tenant


def tenant_for_hostname(hostname: str) -> Tenant:
    """The tenant serving ``hostname``; raises Domain.DoesNotExist."""
    cache = caches[CACHE_ALIAS]
    data = cache.get(_key(hostname))
    if data is None:
        domain = Domain.objects.select_related("tenant").get(domain=hostname.lower())
        data = _snapshot(domain.tenant)
        cache.set(_key(hostname), data, TTL_SECONDS)
    return _restore(dict(data))


def forget_hostnames(hostnames) -> None:
    keys = [_key(h) for h in hostnames if h]
    if keys:
        caches[CACHE_ALIAS].delete_many(keys)


def forget_tenant(tenant_id: int) -> None:
    forget_hostnames(Domain.objects.filter(tenant_id=tenant_id).values_list("domain", flat=True))


def forget_tenant_everywhere(tenant_id: int) -> None:
    """Forget now (this request sees the change) and again after commit (no
    other request re-caches the old row in between)."""
    forget_tenant(tenant_id)
    transaction.on_commit(lambda: forget_tenant(tenant_id))
