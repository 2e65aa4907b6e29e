"""Categories and products API (thin: selectors read, services write)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from api.viewsets import ExportMixin, TenantViewSet
from core.catalog import selectors, services
from core.catalog.exports import PRODUCT_EXPORT
from core.catalog.filters import CategoryFilterSet, ProductFilterSet
from core.catalog.models import Category, Product

from .serializers import CategorySerializer, ProductSerializer


class CategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    """Product categories (a tree). A category with products or sub-categories
    cannot be deleted (409)."""

    serializer_class = CategorySerializer
    permission_object = "core.category"
    queryset = Category.objects.none()
    filterset_class = CategoryFilterSet
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return selectors.category_list(user=self.request.user)

    def perform_create(self, serializer):
        category = services.category_create(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=category.pk)

    def perform_update(self, serializer):
        category = services.category_update(category=serializer.instance, by=self.request.user,
                                            **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=category.pk)

    def perform_destroy(self, instance):
        services.category_delete(category=instance, by=self.request.user)




class ProductViewSet(ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    """Products. Products are never removed: DELETE deactivates one (it stays
    on past documents); PATCH ``is_active`` to reactivate."""

    serializer_class = ProductSerializer
    permission_object = "core.product"
    table_export = PRODUCT_EXPORT
    queryset = Product.objects.none()
    filterset_class = ProductFilterSet
    search_fields = ["sku", "name"]
    ordering_fields = ["sku", "name", "list_price", "created_at"]

    def get_queryset(self):
        return selectors.product_list(user=self.request.user)

    def perform_create(self, serializer):
        product = services.product_create(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=product.pk)

    def perform_update(self, serializer):
        product = services.product_update(product=serializer.instance, by=self.request.user,
                                          **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=product.pk)

    @extend_schema(responses={204: OpenApiResponse(description="Deactivated.")})
    def destroy(self, request, *args, **kwargs):
        services.product_deactivate(product=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
