"""Tenant-host side of data export: a tenant admin starts an export of their
own workspace, watches its progress and downloads the archive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from api.serializers import ModelSerializer
from core.access import access_for

from .export import export_request
from .models import Tenant, TenantExport


def _admin_only(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied


def _own_exports(request):
    return TenantExport.objects.filter(tenant_id=request.tenant.pk)


@login_required
def export_page(request):
    _admin_only(request)
    return render(request, "tenants/export.html", {"exports": _own_exports(request)[:10]})


@login_required
@require_POST
def export_start(request):
    _admin_only(request)
    export_request(tenant=Tenant.objects.get(pk=request.tenant.pk), requested_by=request.user.email)
    messages.success(request, _("Export started. This page shows its progress."))
    return redirect("settings-export")


@login_required
def export_row(request, export_id):
    _admin_only(request)
    return render(request, "tenants/_export_row.html", {"export": get_object_or_404(_own_exports(request), pk=export_id)})


@login_required
def export_download(request, export_id):
    _admin_only(request)
    export = get_object_or_404(_own_exports(request), pk=export_id, status=TenantExport.Status.DONE)
    return FileResponse(open(export.file_path, "rb"), as_attachment=True,
                        filename=f"weft-{export.tenant_label}-{export.created_at:%Y%m%d-%H%M}.zip")


class TenantExportSerializer(ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = TenantExport
        fields = ["id", "status", "progress", "size_bytes", "error", "created_at", "finished_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, export) -> str | None:
        return f"/settings/export/{export.pk}/download/" if export.status == TenantExport.Status.DONE else None


class TenantExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Exports of this workspace's data (tenant admins). POST starts one."""

    serializer_class = TenantExportSerializer
    queryset = TenantExport.objects.none()
    admin_only = True

    def get_queryset(self):
        return _own_exports(self.request)

    @extend_schema(request=None, responses={202: TenantExportSerializer})
    def create(self, request):
        export = export_request(tenant=Tenant.objects.get(pk=request.tenant.pk), requested_by=request.user.email)
        return Response(TenantExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)
