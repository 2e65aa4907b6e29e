from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from api.serializers import ModelSerializer
from core.org.models import DataScope, Department, Role


class DepartmentSerializer(ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), allow_null=True, required=False)
    member_count = serializers.IntegerField(read_only=True, help_text="Users in this department (not below it).")
    children_count = serializers.IntegerField(read_only=True, help_text="Direct sub-departments.")

    class Meta:
        model = Department
        fields = ["id", "name", "parent", "member_count", "children_count", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Name uniqueness per parent is a business rule checked by the service.
        validators = []


class RoleSerializer(ModelSerializer):
    permissions = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False,
        help_text='Permission codes such as "crm.customer.view"; see /api/v1/permissions/.',
    )
    data_scope = serializers.ChoiceField(choices=DataScope.choices, required=False)
    user_count = serializers.IntegerField(read_only=True, help_text="Users holding this role.")

    class Meta:
        model = Role
        fields = ["id", "name", "description", "permissions", "data_scope", "user_count", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Name uniqueness is checked by the service (one rule, web and API).
        extra_kwargs = {"name": {"validators": []}}


class PermissionObjectSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='Object type, e.g. "customer".')
    label = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField())
    codes = serializers.ListField(child=serializers.CharField(), help_text='Full codes, e.g. "crm.customer.view".')


class PermissionModuleSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='"core" or a module key.')
    name = serializers.CharField()
    objects = PermissionObjectSerializer(many=True)


@extend_schema_serializer(many=False)  # one catalogue object, although served by a list route
class PermissionCatalogSerializer(serializers.Serializer):
    actions = serializers.ListField(child=serializers.CharField(), help_text="Matrix columns, in order.")
    modules = PermissionModuleSerializer(many=True)
