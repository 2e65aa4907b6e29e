from django.contrib.auth import get_user_model
from rest_framework import serializers

from api.serializers import ModelSerializer
from core.org.models import Department, Role
from core.users.models import ApiToken

User = get_user_model()


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    name = serializers.CharField(max_length=100, required=False, default="API token")


class TokenCreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    token = serializers.CharField(help_text="Shown once; send as `Authorization: Bearer <token>`.")
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class UserSerializer(ModelSerializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), allow_null=True, required=False)
    manager = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    roles = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all(), many=True, required=False)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "is_active", "is_tenant_admin", "department", "manager", "roles",
                  "language", "date_joined", "last_login"]
        read_only_fields = ["id", "is_active", "date_joined", "last_login"]


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), allow_null=True, required=False)
    manager = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    roles = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all(), many=True, required=False)
    is_tenant_admin = serializers.BooleanField(default=False)
