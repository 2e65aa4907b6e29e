"""Switching modules on and off for a tenant (data, never a migration)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing.models import Plan
from core.audit.services import audit_record
from core.errors import DomainError, ErrorCode
from tenants.models import Tenant, TenantModule

from . import ModuleSpec, registry


@dataclass(frozen=True)
class ModuleState:
    spec: ModuleSpec
    enabled: bool
    in_plan: bool


def module_states(*, tenant: Tenant) -> list[ModuleState]:
    enabled = set(TenantModule.objects.filter(tenant_id=tenant.pk, enabled=True).values_list("key", flat=True))
    plan = Plan.objects.filter(code=tenant.plan_code).first()
    return [
        ModuleState(spec=spec, enabled=spec.key in enabled, in_plan=plan is None or plan.includes(spec.key))
        for spec in registry.all()
    ]


@transaction.atomic
def module_set_enabled(*, tenant: Tenant, key: str, enabled: bool, by) -> TenantModule:
    """Enable or disable one module, enforcing the plan and dependencies."""
    if key not in registry:
        raise DomainError(_("Unknown module."), code=ErrorCode.NOT_FOUND)
    spec = registry[key]
    rows = {
        row.key: row for row in TenantModule.objects.select_for_update().filter(tenant_id=tenant.pk)
    }
    row = rows.get(key) or TenantModule(tenant_id=tenant.pk, key=key)
    if row.enabled == enabled and row.pk:
        return row
    on = {k for k, r in rows.items() if r.enabled}
    if enabled:
        plan = Plan.objects.filter(code=tenant.plan_code).first()
        if plan is not None and not plan.includes(key):
            raise DomainError(
                _("Your plan (%(plan)s) does not include %(module)s. Upgrade to enable it.")
                % {"plan": plan.name, "module": spec.name},
                code=ErrorCode.CONFLICT,
            )
        missing = [registry[d].name for d in spec.dependencies if d not in on]
        if missing:
            raise DomainError(
                _("%(module)s needs %(deps)s. Enable %(deps)s first.")
                % {"module": spec.name, "deps": ", ".join(str(m) for m in missing)},
                code=ErrorCode.CONFLICT,
            )
    else:
        dependents = [d.name for d in registry.dependents_of(key) if d.key in on]
        if dependents:
            raise DomainError(
                _("%(deps)s depends on %(module)s. Disable %(deps)s first.")
                % {"module": spec.name, "deps": ", ".join(str(d) for d in dependents)},
                code=ErrorCode.CONFLICT,
            )
    row.enabled = enabled
    row.save()
    with schema_context(tenant.schema_name):
        audit_record(
            actor=by, action="update", obj=row, changes={"enabled": [not enabled, enabled]},
            message=f"module {key} {'enabled' if enabled else 'disabled'}",
        )
    return row
