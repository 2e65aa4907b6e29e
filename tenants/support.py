"""Support access: a vendor ops user enters a tenant as that tenant's support
user, only with a written reason, for a limited time, through a single-use
link. The tenant's own audit log shows every entry; no tenant user's password
is ever used."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.audit.services import audit_record
from core.errors import DomainError, ErrorCode

from .lifecycle import ops_record
from .models import SupportAccess, Tenant, TenantKind

MAX_MINUTES = 120
LINK_SECONDS = 60
SESSION_KEY = "weft_support_access"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def support_email(ops_user_id) -> str:
    return f"support+{ops_user_id.hex[:12]}@support.weft.invalid"


@transaction.atomic
def support_access_grant(*, tenant: Tenant, ops_user, reason: str, minutes: int) -> tuple[SupportAccess, str]:
    """Open a time-boxed support session; returns it with the single-use token."""
    reason = (reason or "").strip()
    errors = {}
    if len(reason) < 10:
        errors["reason"] = [_("Write why you need access (at least 10 characters).")]
    if not 5 <= int(minutes) <= MAX_MINUTES:
        errors["minutes"] = [_("Between 5 and %(max)s minutes.") % {"max": MAX_MINUTES}]
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    if tenant.kind != TenantKind.CUSTOMER:
        raise DomainError(_("Only customer workspaces can be entered."), code=ErrorCode.CONFLICT)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    access = SupportAccess.objects.create(
        tenant=tenant, ops_user=ops_user, ops_user_email=ops_user.email,
        ops_user_name=ops_user.full_name or ops_user.email, reason=reason, token_hash=_digest(token),
        token_expires_at=now + timedelta(seconds=LINK_SECONDS), expires_at=now + timedelta(minutes=int(minutes)),
    )
    with schema_context(tenant.schema_name):
        support_user = _support_user(access)
        audit_record(
            actor=support_user, action="other", obj=support_user,
            changes={"reason": reason, "until": access.expires_at.isoformat(), "ops_user": access.ops_user_email},
            message=f"Weft support access by {ops_user.email} for {int(minutes)} min",
        )
    ops_record(actor=ops_user, tenant=tenant, action="support_access", reason=reason,
               details={"minutes": int(minutes), "access_id": str(access.pk)})
    return access, token


def _support_user(access: SupportAccess):
    """The tenant-side account of the access's ops user (run inside the
    tenant's schema): admin rights, no usable password, no seat."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=support_email(access.ops_user_id),
        defaults={"full_name": f"Weft support ({access.ops_user_name})", "is_support": True,
                  "is_tenant_admin": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def support_access_consume(*, tenant: Tenant, token: str):
    """Spend the link on the tenant's host; returns (access, support user)."""
    access = (
        SupportAccess.objects.select_for_update()
        .filter(token_hash=_digest(token or ""), tenant_id=tenant.pk, used_at__isnull=True, ended_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if access is None or access.token_expires_at < now or access.expires_at < now:
        raise DomainError(_("This support link is invalid or has expired."), code=ErrorCode.PERMISSION_DENIED)
    access.used_at = now
    access.save(update_fields=["used_at"])
    return access, _support_user(access)


def support_access_is_live(access_id) -> SupportAccess | None:
    access = SupportAccess.objects.filter(pk=access_id, ended_at__isnull=True).first()
    if access is None or access.expires_at <= timezone.now():
        return None
    return access


@transaction.atomic
def support_access_end(*, access: SupportAccess, by) -> SupportAccess:
    if access.ended_at is None:
        access.ended_at = timezone.now()
        access.save(update_fields=["ended_at"])
        ops_record(actor=by, tenant=access.tenant, action="support_access_end", details={"access_id": str(access.pk)})
    return access


class SupportSessionMiddleware:
    """Ends a support session the moment its access is ended or expires, and
    exposes the live access to templates (the banner)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.support_access = None
        session = getattr(request, "session", None)
        access_id = session.get(SESSION_KEY) if session is not None else None
        if access_id:
            access = support_access_is_live(access_id)
            if access is None:
                from django.contrib.auth import logout

                logout(request)
            else:
                request.support_access = access
        return self.get_response(request)
