from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from api.viewsets import TenantViewSet
from core.org import selectors, services
from core.org.models import Department, Role

from .serializers import DepartmentSerializer, PermissionCatalogSerializer, RoleSerializer


class DepartmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, TenantViewSet,
):
    """The department tree. ``parent`` is null for top-level departments;
    a department with members or sub-departments cannot be deleted (409)."""

    serializer_class = DepartmentSerializer
    permission_object = "core.department"
    queryset = Department.objects.none()
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]
    filterset_fields = ["parent"]

    def get_queryset(self):
        return selectors.department_list(user=self.request.user)

    def _fresh(self, department):
        return self.get_queryset().get(pk=department.pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        department = services.department_create(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._fresh(department)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        department = services.department_update(department=instance, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._fresh(department)).data)

    def perform_destroy(self, instance):
        services.department_delete(department=instance, by=self.request.user)


class RoleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, TenantViewSet,
):
    """Roles: permission codes (see ``/permissions/``) plus a data scope.
    Deleting a role in use is allowed; its holders lose it."""

    serializer_class = RoleSerializer
    permission_object = "core.role"
    queryset = Role.objects.none()
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at"]
    filterset_fields = ["data_scope"]

    def get_queryset(self):
        return selectors.role_list(user=self.request.user)

    def _fresh(self, role):
        return self.get_queryset().get(pk=role.pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        role = services.role_create(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._fresh(role)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        role = services.role_update(role=instance, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._fresh(role)).data)

    def perform_destroy(self, instance):
        services.role_delete(role=instance, by=self.request.user)


class PermissionCatalogViewSet(TenantViewSet):
    """Every permission code, grouped by module and object type, with the
    action columns in order: what a role editor needs to draw its matrix."""

    permission_object = "core.role"
    pagination_class = None
    filter_backends = []

    @extend_schema(responses={200: PermissionCatalogSerializer}, operation_id="permissions_list")
    def list(self, request):
        body = {
            "actions": selectors.permission_columns(),
            "modules": [
                {
                    "key": module.key,
                    "name": module.name,
                    "objects": [
                        {
                            "key": obj.key,
                            "label": obj.label,
                            "actions": obj.actions,
                            "codes": [obj.code(module.key, action) for action in obj.actions],
                        }
                        for obj in module.objects
                    ],
                }
                for module in selectors.permission_catalog()
            ],
        }
        return Response(PermissionCatalogSerializer(body).data)
