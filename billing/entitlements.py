"""What a tenant's plan lets it use: seats and modules.

Seats are counted in the tenant's own schema: active members plus people
invited who can still accept (their pending invitation will activate them).
Support accounts of vendor staff never take a seat.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.errors import DomainError, ErrorCode
from core.modules import registry
from tenants.models import Tenant, TenantModule

from .models import Plan

# pg_advisory_xact_lock(SEAT_LOCK, tenant id): one seat-taking change at a time per tenant.
SEAT_LOCK = 0x5EA7


def current_tenant() -> Tenant | None:
    """The tenant whose schema this connection is in (None in the public schema)."""
    if connection.schema_name == "public":
        return None
    return Tenant.objects.get(schema_name=connection.schema_name)


def plan_of(tenant: Tenant) -> Plan | None:
    return Plan.objects.filter(code=tenant.plan_code).first()


def _seat_holders(exclude=None):
    from core.users.models import Invitation, User

    pending = Invitation.objects.filter(
        user=OuterRef("pk"), purpose=Invitation.Purpose.INVITE, used_at__isnull=True, expires_at__gt=timezone.now()
    )
    users = User.objects.filter(is_support=False).filter(Q(is_active=True) | Q(Exists(pending)))
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users


def seats_used(tenant: Tenant, *, exclude=None) -> int:
    """Members who hold a seat in ``tenant`` (``exclude``: leave one user out)."""
    with schema_context(tenant.schema_name):
        return _seat_holders(exclude).count()


def seat_limit(tenant: Tenant) -> int | None:
    plan = plan_of(tenant)
    return None if plan is None else plan.seat_limit


def assert_seat_available(tenant: Tenant | None = None, *, exclude=None) -> None:
    """Refuse (conflict) when every seat of the plan is taken. Call it inside
    the transaction that adds the member: it holds a per-tenant lock until
    commit, so two concurrent invitations cannot both take the last seat."""
    tenant = tenant or current_tenant()
    if tenant is None:
        return
    plan = plan_of(tenant)
    if plan is None or plan.seat_limit is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SEAT_LOCK, tenant.pk])
    used = seats_used(tenant, exclude=exclude)
    if used >= plan.seat_limit:
        raise DomainError(
            _("Your plan (%(plan)s) includes %(limit)d users and all of them are taken. Deactivate a member "
              "or upgrade your plan to add more.") % {"plan": plan.name, "limit": plan.seat_limit},
            code=ErrorCode.CONFLICT,
        )


def enabled_modules(tenant: Tenant) -> set[str]:
    return set(TenantModule.objects.filter(tenant_id=tenant.pk, enabled=True).values_list("key", flat=True))


def modules_dropped_by(tenant: Tenant, plan: Plan, *, enabled: set[str] | None = None) -> list[str]:
    """Enabled modules that ``plan`` does not cover, in an order that lets
    each be switched off (dependents first). A module the plan includes but
    whose dependency it lacks is dropped too."""
    enabled = enabled_modules(tenant) if enabled is None else enabled
    dropped = {key for key in enabled if not plan.includes(key)}
    changed = True
    while changed:
        changed = False
        for key in enabled - dropped:
            if key in registry and any(dep in dropped for dep in registry[key].dependencies):
                dropped.add(key)
                changed = True
    ordered: list[str] = []
    remaining = set(dropped)
    while remaining:
        free = sorted(key for key in remaining if not any(d.key in remaining for d in registry.dependents_of(key)))
        if not free:  # a dependency cycle cannot be declared, but never loop forever
            free = sorted(remaining)
        ordered.extend(free)
        remaining -= set(free)
    return ordered


def module_names(keys: list[str]) -> list[str]:
    return [str(registry[key].name) if key in registry else key for key in keys]


def assert_plan_fits_seats(tenant: Tenant, plan: Plan) -> None:
    """A plan with fewer seats than are taken is refused until members are deactivated."""
    if plan.seat_limit is None:
        return
    used = seats_used(tenant)
    if used > plan.seat_limit:
        raise DomainError(
            _("%(plan)s includes %(limit)d users but %(used)d seats are taken. Deactivate members first.")
            % {"plan": plan.name, "limit": plan.seat_limit, "used": used},
            code=ErrorCode.CONFLICT, fields={"plan": [_("Too many members for this plan.")]},
        )
