"""/api/v1/settings/: the workspace's name, default language and time zone."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import access_for
from core.errors import DomainError, ErrorCode
from tenants.services import tenant_update_settings


class WorkspaceSettingsSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    subdomain = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    plan_code = serializers.CharField(read_only=True)
    language = serializers.CharField(max_length=16)
    timezone = serializers.CharField(max_length=64)


class WorkspaceSettingsView(APIView):
    @extend_schema(responses={200: WorkspaceSettingsSerializer}, operation_id="settings_retrieve")
    def get(self, request):
        return Response(WorkspaceSettingsSerializer(request.tenant).data)

    @extend_schema(request=WorkspaceSettingsSerializer, responses={200: WorkspaceSettingsSerializer},
                   operation_id="settings_partial_update")
    def patch(self, request):
        if not access_for(request.user).is_admin:
            raise DomainError("Only workspace administrators can change settings.", code=ErrorCode.PERMISSION_DENIED)
        serializer = WorkspaceSettingsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        tenant = tenant_update_settings(tenant=request.tenant, by=request.user, **serializer.validated_data)
        return Response(WorkspaceSettingsSerializer(tenant).data)
