"""/api/v1/modules/: which modules this workspace has on; admins switch them."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from core.access import access_for
from core.errors import DomainError, ErrorCode

from .services import module_set_enabled, module_states


class ModuleSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    dependencies = serializers.ListField(child=serializers.CharField(), read_only=True)
    enabled = serializers.BooleanField()
    in_plan = serializers.BooleanField(read_only=True)


def _as_dict(state) -> dict:
    return {"key": state.spec.key, "name": str(state.spec.name), "description": str(state.spec.description),
            "dependencies": list(state.spec.dependencies), "enabled": state.enabled, "in_plan": state.in_plan}


class ModuleViewSet(viewsets.ViewSet):
    """Every module with its state. Enabling checks the plan and dependencies."""

    lookup_field = "key"
    lookup_value_regex = "[a-z]+"
    serializer_class = ModuleSerializer

    def _state(self, key):
        for state in module_states(tenant=self.request.tenant):
            if state.spec.key == key:
                return state
        raise DomainError("Unknown module.", code=ErrorCode.NOT_FOUND)

    @extend_schema(responses={200: ModuleSerializer(many=True)})
    def list(self, request):
        return Response([_as_dict(s) for s in module_states(tenant=request.tenant)])

    @extend_schema(responses={200: ModuleSerializer})
    def retrieve(self, request, key=None):
        return Response(_as_dict(self._state(key)))

    @extend_schema(request=ModuleSerializer, responses={200: ModuleSerializer})
    def partial_update(self, request, key=None):
        if not access_for(request.user).is_admin:
            raise DomainError("Only workspace administrators can switch modules.", code=ErrorCode.PERMISSION_DENIED)
        self._state(key)
        serializer = ModuleSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "enabled" not in serializer.validated_data:
            raise DomainError("Send enabled: true or false.", fields={"enabled": ["This field is required."]})
        module_set_enabled(tenant=request.tenant, key=key, enabled=serializer.validated_data["enabled"], by=request.user)
        return Response(_as_dict(self._state(key)))
