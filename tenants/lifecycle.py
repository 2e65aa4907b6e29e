"""Tenant lifecycle actions taken by vendor ops (and by jobs): trial
extension, suspension, reactivation, scheduled deletion. Every ops action is
written to the ops audit log with its reason."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode

from .cache import forget_tenant_everywhere
from .files import delete_tenant_files
from .models import OpsAuditEntry, Tenant, TenantKind, TenantState

DELETION_GRACE_DAYS = 30


def ops_record(*, actor, tenant: Tenant | None, action: str, reason: str = "", details: dict | None = None):
    return OpsAuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "email", None) or str(actor or "system"),
        tenant=tenant, tenant_label=(tenant.subdomain or tenant.schema_name) if tenant else "",
        action=action, reason=reason, details=details or {},
    )


def _locked(tenant: Tenant) -> Tenant:
    row = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if row.kind != TenantKind.CUSTOMER:
        raise DomainError(_("Only customer workspaces can be changed."), code=ErrorCode.CONFLICT)
    return row


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError(_("Give a reason (at least 5 characters)."), fields={"reason": [_("Give a reason.")]})
    return reason


def _save(row: Tenant, fields: list[str]) -> Tenant:
    Tenant.objects.filter(pk=row.pk).update(**{f: getattr(row, f) for f in fields})
    forget_tenant_everywhere(row.pk)
    return row


@transaction.atomic
def tenant_extend_trial(*, tenant: Tenant, days: int, by, reason: str) -> Tenant:
    reason = _require_reason(reason)
    if not 1 <= int(days) <= 90:
        raise DomainError(_("Extend by 1 to 90 days."), fields={"days": [_("Extend by 1 to 90 days.")]})
    row = _locked(tenant)
    start = max(row.trial_ends_at or timezone.now(), timezone.now())
    before = row.trial_ends_at
    row.trial_ends_at = start + timedelta(days=int(days))
    fields = ["trial_ends_at"]
    if row.state == TenantState.SUSPENDED and row.plan_code == "trial":
        row.state = TenantState.TRIALING
        fields.append("state")
    _save(row, fields)
    ops_record(actor=by, tenant=row, action="extend_trial", reason=reason,
               details={"days": int(days), "from": before.isoformat() if before else None,
                        "to": row.trial_ends_at.isoformat()})
    return row


@transaction.atomic
def tenant_suspend(*, tenant: Tenant, by, reason: str) -> Tenant:
    reason = _require_reason(reason)
    row = _locked(tenant)
    if row.state == TenantState.SUSPENDED:
        raise DomainError(_("This workspace is already suspended."), code=ErrorCode.CONFLICT)
    before = row.state
    row.state = TenantState.SUSPENDED
    _save(row, ["state"])
    ops_record(actor=by, tenant=row, action="suspend", reason=reason, details={"from": before})
    return row


@transaction.atomic
def tenant_reactivate(*, tenant: Tenant, by, reason: str) -> Tenant:
    """Back to use: active with a plan, trialing during a trial. Also cancels
    a scheduled deletion."""
    reason = _require_reason(reason)
    row = _locked(tenant)
    if row.state not in (TenantState.SUSPENDED, TenantState.SCHEDULED_FOR_DELETION):
        raise DomainError(_("This workspace is not suspended."), code=ErrorCode.CONFLICT)
    before = row.state
    in_trial = row.plan_code == "trial" and row.trial_ends_at and row.trial_ends_at > timezone.now()
    row.state = TenantState.TRIALING if in_trial else TenantState.ACTIVE
    row.deletion_scheduled_for = None
    _save(row, ["state", "deletion_scheduled_for"])
    ops_record(actor=by, tenant=row, action="reactivate", reason=reason, details={"from": before, "to": row.state})
    return row


@transaction.atomic
def tenant_schedule_deletion(*, tenant: Tenant, by, reason: str, grace_days: int = DELETION_GRACE_DAYS) -> Tenant:
    """Block the workspace now; export and drop it after the grace period."""
    reason = _require_reason(reason)
    row = _locked(tenant)
    if row.state == TenantState.SCHEDULED_FOR_DELETION:
        raise DomainError(_("Deletion is already scheduled."), code=ErrorCode.CONFLICT)
    before = row.state
    row.state = TenantState.SCHEDULED_FOR_DELETION
    row.deletion_scheduled_for = timezone.now() + timedelta(days=grace_days)
    _save(row, ["state", "deletion_scheduled_for"])
    ops_record(actor=by, tenant=row, action="schedule_deletion", reason=reason,
               details={"from": before, "delete_after": row.deletion_scheduled_for.isoformat()})
    return row


def tenants_due_for_deletion():
    return Tenant.objects.filter(
        kind=TenantKind.CUSTOMER, state=TenantState.SCHEDULED_FOR_DELETION,
        deletion_scheduled_for__lte=timezone.now(),
    )


def tenant_delete_now(*, tenant: Tenant) -> str:
    """Export the tenant's data, then drop its schema and rows. Returns the
    archive path. Refuses unless the deletion is due."""
    from .export import build_export, export_create

    connection.set_schema_to_public()
    row = Tenant.objects.get(pk=tenant.pk)
    if row.state != TenantState.SCHEDULED_FOR_DELETION or not row.deletion_scheduled_for or (
        row.deletion_scheduled_for > timezone.now()
    ):
        raise DomainError(_("This workspace is not due for deletion."), code=ErrorCode.CONFLICT)
    export = export_create(tenant=row, requested_by="deletion job")
    build_export(export.pk)
    export.refresh_from_db()
    if export.status != export.Status.DONE:
        raise DomainError(_("The final export failed; the workspace was not deleted."), code=ErrorCode.CONFLICT)
    with transaction.atomic():
        with connection.cursor() as cursor:  # settle deferred FK checks before DROP SCHEMA
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        ops_record(actor=None, tenant=row, action="delete", details={"archive": export.file_path,
                                                                      "schema": row.schema_name})
        forget_tenant_everywhere(row.pk)
        row.delete(force_drop=True)
        transaction.on_commit(partial(delete_tenant_files, row.schema_name))
    return export.file_path


def exports_dir():
    return settings.MEDIA_ROOT / "exports"


@transaction.atomic
def tenant_change_plan(*, tenant: Tenant, plan_code: str, by, reason: str, confirm: bool = False) -> list[str]:
    """Ops puts a workspace on another plan (e.g. a complimentary upgrade).
    Modules the plan lacks are switched off (data kept) only with ``confirm``.
    Returns the modules switched off."""
    from billing.entitlements import modules_dropped_by
    from billing.models import Plan
    from billing.services import plan_apply

    reason = _require_reason(reason)
    row = _locked(tenant)
    plan = Plan.objects.filter(code=plan_code).first()
    if plan is None:
        raise DomainError(_("Unknown plan."), fields={"plan": [_("Unknown plan.")]})
    if plan.code == row.plan_code:
        raise DomainError(_("The workspace is already on this plan."), code=ErrorCode.CONFLICT)
    dropped = modules_dropped_by(row, plan)
    if dropped and not confirm:
        raise DomainError(
            _("%(plan)s does not include %(modules)s. Confirm to switch them off (their data is kept).")
            % {"plan": plan.name, "modules": ", ".join(dropped)},
            code=ErrorCode.CONFLICT,
        )
    before = row.plan_code
    switched_off = plan_apply(tenant=row, plan=plan, by=None, source="by Weft ops")
    ops_record(actor=by, tenant=row, action="change_plan", reason=reason,
               details={"from": before, "to": plan.code, "modules_disabled": switched_off})
    return switched_off
