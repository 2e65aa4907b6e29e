"""Shapes only: formats are checked here, business rules in services."""

from rest_framework import serializers

from api.serializers import ModelSerializer
from core.catalog.models import Category, Product


class CategorySerializer(ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), allow_null=True, required=False)
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)
    product_count = serializers.IntegerField(read_only=True)
    child_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Category
        fields = ["id", "name", "parent", "parent_name", "product_count", "child_count", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []  # sibling-name uniqueness is a service rule


class ProductSerializer(ModelSerializer):
    sku = serializers.CharField(max_length=64)  # uniqueness is a service rule
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), allow_null=True, required=False)
    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    list_price = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)

    class Meta:
        model = Product
        fields = ["id", "sku", "name", "category", "category_name", "unit", "currency", "list_price", "cost",
                  "is_active", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
