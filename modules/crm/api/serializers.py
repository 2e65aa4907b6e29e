"""Shapes only: formats are checked here, business rules in services."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from core.org.models import Department
from modules.crm.models import Customer

User = get_user_model()


class CustomerSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, help_text="Defaults to the caller."
    )
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False,
        help_text="Defaults to the caller's department; follows the new owner on reassignment.",
    )
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    credit_limit = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)

    class Meta:
        model = Customer
        fields = ["id", "name", "kind", "grade", "region", "industry", "phone", "credit_limit", "owner",
                  "owner_name", "department", "department_name", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class ReassignSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False,
        help_text="Defaults to the new owner's department.",
    )
