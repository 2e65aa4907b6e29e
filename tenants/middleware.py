"""Resolve the tenant from the Host header (cached, no DB query when warm) and
refuse unknown or blocked workspaces with a clear page or JSON error."""

from django.db import connection
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from core.errors import ErrorCode, json_error, wants_json

from .cache import tenant_for_hostname

ALWAYS_OPEN_PATHS = ("/healthz",)


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
        if tenant.is_blocked and not request.path.startswith(ALWAYS_OPEN_PATHS):
            connection.set_schema_to_public()
            message = _("This workspace is suspended. Contact your administrator or Weft support.")
            if wants_json(request):
                return json_error(ErrorCode.PERMISSION_DENIED, message, status=403)
            return render(request, "tenants/suspended.html", {"tenant": tenant}, status=403)
        return None
