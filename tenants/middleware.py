"""Resolve the tenant from the Host header (cached, no DB query when warm) and
refuse unknown or blocked workspaces with a clear page or JSON error."""

import time

from django.db import connection
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from core.errors import ErrorCode, json_error, wants_json

from .cache import tenant_for_hostname
from .models import TenantState

ALWAYS_OPEN_PATHS = ("/healthz",)
# Writes still allowed while a past-due workspace is read-only: paying, signing in and out.
READ_ONLY_OPEN_PATHS = ("/billing/", "/api/v1/billing/", "/accounts/login/", "/accounts/logout/",
                        "/api/v1/auth/token/", "/i18n/")
# A suspended (not deleted) workspace can still sign in and pay: billing pages
# check that the caller is an administrator.
SUSPENDED_OPEN_PATHS = READ_ONLY_OPEN_PATHS + ("/static/",)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TenantResolutionMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        return tenant_for_hostname(hostname)

    def no_tenant_found(self, request, hostname):
        message = _("There is no workspace at %(host)s.") % {"host": hostname}
        if wants_json(request):
            return json_error(ErrorCode.NOT_FOUND, message)
        return render(request, "tenants/unknown_workspace.html", {"hostname": hostname}, status=404)

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = request.tenant
        if tenant.is_blocked and not request.path.startswith(ALWAYS_OPEN_PATHS) and not (
            tenant.state == TenantState.SUSPENDED and request.path.startswith(SUSPENDED_OPEN_PATHS)
        ):
            connection.set_schema_to_public()
            message = _("This workspace is suspended. Contact your administrator or Weft support.")
            if wants_json(request):
                return json_error(ErrorCode.PERMISSION_DENIED, message, status=403)
            return render(request, "tenants/suspended.html", {"tenant": tenant}, status=403)
        if (tenant.is_read_only and request.method not in SAFE_METHODS
                and not request.path.startswith(READ_ONLY_OPEN_PATHS)):
            message = _("Payment is overdue and the grace period has ended: this workspace is read-only until "
                        "the subscription is paid. An administrator can settle it on the Billing page.")
            if wants_json(request):
                return json_error(ErrorCode.PERMISSION_DENIED, message, status=403)
            return render(request, "billing/read_only.html", {"tenant": tenant, "message": message}, status=403)
        return None


class TenantActivityMiddleware:
    """Record the tenant's last activity (for ops), at most once per five
    minutes per tenant, from signed-in requests. The shared cache decides
    across processes; each process also remembers when it last asked, so a
    busy worker asks Redis once per interval per tenant instead of on every
    request (the stamp may then lag by up to two intervals)."""

    INTERVAL_SECONDS = 300

    def __init__(self, get_response):
        self.get_response = get_response
        self._next_check: dict[int, float] = {}

    def __call__(self, request):
        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        user = getattr(request, "user", None)
        if (tenant is not None and tenant.schema_name != "public" and user is not None and user.is_authenticated
                and self._due(tenant.pk)):
            from django.core.cache import caches
            from django.utils import timezone

            from .models import Tenant

            if caches["platform"].add(f"tenant-activity:{tenant.pk}", 1, self.INTERVAL_SECONDS):
                Tenant.objects.filter(pk=tenant.pk).update(last_activity_at=timezone.now())
        return response

    def _due(self, tenant_pk: int) -> bool:
        """True at most once per interval per tenant in this process."""
        now = time.monotonic()
        if self._next_check.get(tenant_pk, 0.0) > now:
            return False
        self._next_check[tenant_pk] = now + self.INTERVAL_SECONDS
        return True
