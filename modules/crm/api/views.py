"""Customers API (thin: the selector applies the data scope, services write)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.viewsets import TenantViewSet
from core.csvexport import CSVRenderer, csv_response
from modules.crm import selectors, services
from modules.crm.filters import CustomerFilterSet
from modules.crm.models import Customer

from .serializers import CustomerSerializer, ReassignSerializer

CUSTOMER_CSV_HEADER = ["id", "name", "kind", "grade", "region", "industry", "phone", "credit_limit", "owner",
                       "owner_email", "department"]


def customer_csv_rows(customers):
    for c in customers:
        yield [c.pk, c.name, c.kind, c.grade, c.region, c.industry, c.phone, c.credit_limit, str(c.owner),
               c.owner.email, c.department.name if c.department else ""]


class CustomerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    """Customers within the caller's data scope; others answer 404. The owner
    defaults to the caller and the department to the caller's department."""

    serializer_class = CustomerSerializer
    permission_object = "crm.customer"
    queryset = Customer.objects.none()
    filterset_class = CustomerFilterSet
    search_fields = ["name", "phone"]
    ordering_fields = ["name", "created_at", "credit_limit"]

    def get_queryset(self):
        return selectors.customer_list(user=self.request.user)

    def perform_create(self, serializer):
        customer = services.customer_create(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=customer.pk)

    def perform_update(self, serializer):
        customer = services.customer_update(customer=serializer.instance, by=self.request.user,
                                            **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=customer.pk)

    def perform_destroy(self, instance):
        services.customer_delete(customer=instance, by=self.request.user)

    @extend_schema(request=ReassignSerializer, responses={200: CustomerSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def reassign(self, request, pk=None):
        """Hand the customer to another owner (and, by default, their department)."""
        customer = self.get_object()  # out of scope or unknown: 404 before any validation
        serializer = ReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = services.customer_reassign(customer=customer, by=request.user, **serializer.validated_data)
        return Response(CustomerSerializer(self.get_queryset().get(pk=customer.pk)).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR}, filters=True)
    @action(detail=False, methods=["get"], required_action="export", renderer_classes=[JSONRenderer, CSVRenderer],
            pagination_class=None)
    def export(self, request):
        """Exactly the customers the caller may see (with the list's filters), as CSV."""
        customers = self.filter_queryset(self.get_queryset())
        return csv_response(f"customers-{timezone.localdate():%Y%m%d}.csv", CUSTOMER_CSV_HEADER,
                            customer_csv_rows(customers))
