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
from modules.crm.filters import (
    ContactFilterSet, CustomerFilterSet, FollowUpFilterSet, OpportunityFilterSet, OwnerChangeFilterSet,
    QuoteFilterSet,
)
from modules.crm.models import Contact, Customer, FollowUp, Opportunity, OwnerChange, Quote, ReassignmentJob

from .serializers import (
    ContactSerializer, CustomerSerializer, FollowUpSerializer, OpportunityReassignSerializer, OpportunitySerializer, OwnerChangeSerializer,
    QuoteCommentSerializer, QuoteCopySerializer, QuoteLostSerializer, QuoteSerializer,
    ReassignmentSerializer, ReassignSerializer, StageSerializer,
)

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


class _CrudViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    """Thin CRUD over a selector (data scope) and services (rules)."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _fresh(self, instance):
        return self.get_queryset().get(pk=instance.pk)


class ContactViewSet(_CrudViewSet):
    """Contacts of the customers in the caller's data scope."""

    serializer_class = ContactSerializer
    permission_object = "crm.contact"
    queryset = Contact.objects.none()
    filterset_class = ContactFilterSet
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return selectors.contact_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(services.contact_create(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self._fresh(services.contact_update(
            contact=serializer.instance, by=self.request.user, **serializer.validated_data))

    def perform_destroy(self, instance):
        services.contact_delete(contact=instance, by=self.request.user)


class OpportunityViewSet(_CrudViewSet):
    """Opportunities in the caller's data scope. An open opportunity locks its
    customer + project (a second one is a 409 conflict); the probability follows
    the stage unless set."""

    serializer_class = OpportunitySerializer
    permission_object = "crm.opportunity"
    queryset = Opportunity.objects.none()
    filterset_class = OpportunityFilterSet
    search_fields = ["project", "customer__name"]
    ordering_fields = ["created_at", "amount", "expected_close", "probability", "last_follow_up_at"]

    def get_queryset(self):
        return selectors.opportunity_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(
            services.opportunity_create(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self._fresh(services.opportunity_update(
            opportunity=serializer.instance, by=self.request.user, **serializer.validated_data))

    def perform_destroy(self, instance):
        services.opportunity_delete(opportunity=instance, by=self.request.user)

    @extend_schema(request=OpportunityReassignSerializer, responses={200: OpportunitySerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def reassign(self, request, pk=None):
        """Hand the opportunity to another owner (recorded in the owner-change history)."""
        opportunity = self.get_object()
        serializer = OpportunityReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opportunity = services.opportunity_reassign(opportunity=opportunity, by=request.user,
                                                    **serializer.validated_data)
        return Response(OpportunitySerializer(self._fresh(opportunity), context={"request": request}).data)

    @extend_schema(request=StageSerializer, responses={200: OpportunitySerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def stage(self, request, pk=None):
        """Move the opportunity to another stage (lost needs a reason)."""
        opportunity = self.get_object()
        serializer = StageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opportunity = services.opportunity_set_stage(opportunity=opportunity, by=request.user,
                                                     **serializer.validated_data)
        return Response(OpportunitySerializer(self._fresh(opportunity), context={"request": request}).data)


class FollowUpViewSet(_CrudViewSet):
    """Follow-ups on the customers in the caller's data scope. A next-action
    date reminds the owner at 09:00 that day."""

    serializer_class = FollowUpSerializer
    permission_object = "crm.followup"
    queryset = FollowUp.objects.none()
    filterset_class = FollowUpFilterSet
    ordering_fields = ["happened_at", "next_action_on", "created_at"]

    def get_queryset(self):
        return selectors.follow_up_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(
            services.follow_up_create(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self._fresh(services.follow_up_update(
            follow_up=serializer.instance, by=self.request.user, **serializer.validated_data))

    def perform_destroy(self, instance):
        services.follow_up_delete(follow_up=instance, by=self.request.user)


class OwnerChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Hand-over history (customers and opportunities) of the customers in the caller's scope."""

    serializer_class = OwnerChangeSerializer
    permission_object = "crm.customer"
    queryset = OwnerChange.objects.none()
    filterset_class = OwnerChangeFilterSet
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.owner_change_list(user=self.request.user)


class ReassignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          TenantViewSet):
    """Bulk reassignment of customers (with the open opportunities their owner
    held on them). Creating one answers 202: a background job hands the
    customers over; poll the job for ``done``/``total``."""

    serializer_class = ReassignmentSerializer
    permission_object = "crm.customer"
    required_action = "change"
    queryset = ReassignmentJob.objects.none()
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.reassignment_list(user=self.request.user)

    @extend_schema(responses={202: ReassignmentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        kwargs = {"to_owner": data["to_owner"], "reason": data.get("reason", ""),
                  "customers": data.get("customers"), "from_owner": data.get("from_owner")}
        if "to_department" in data:
            kwargs["to_department"] = data["to_department"]
        job = services.reassignment_start(by=request.user, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=job.pk)).data, status=202)


class QuoteViewSet(_CrudViewSet):
    """Quotes in the caller's data scope. Create from an opportunity (its
    customer, project and currency are carried over) or for a customer; lines
    are replaced as a whole when sent. Totals are computed per line to the cent
    (ROUND_HALF_UP). ``submit`` sends the quote through the "crm.quote" approval
    flow; an approved quote is marked ``won`` (its opportunity too) or ``lost``."""

    serializer_class = QuoteSerializer
    permission_object = "crm.quote"
    queryset = Quote.objects.none()
    filterset_class = QuoteFilterSet
    ordering_fields = ["created_at", "total", "number"]

    def get_queryset(self):
        return selectors.quote_with_lines(user=self.request.user)

    def _answer(self, quote, status=200):
        fresh = selectors.quote_with_lines(user=self.request.user).get(pk=quote.pk)
        return Response(QuoteSerializer(fresh, context=self.get_serializer_context()).data, status=status)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(services.quote_create(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self._fresh(services.quote_update(
            quote=serializer.instance, by=self.request.user, **serializer.validated_data))

    def perform_destroy(self, instance):
        services.quote_delete(quote=instance, by=self.request.user)

    @extend_schema(request=QuoteCopySerializer, responses={201: QuoteSerializer})
    @action(detail=True, methods=["post"], required_action="add")
    def copy(self, request, pk=None):
        """A new draft with this quote's lines, for an opportunity or a customer."""
        source = self.get_object()
        serializer = QuoteCopySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v is not None}
        return self._answer(services.quote_copy(source=source, by=request.user, **data), status=201)

    @extend_schema(request=QuoteCommentSerializer, responses={200: QuoteSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def submit(self, request, pk=None):
        """Submit for approval (a draft, returned or rejected quote with lines)."""
        quote = self.get_object()
        serializer = QuoteCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.quote_submit(quote=quote, by=request.user, **serializer.validated_data)
        return self._answer(quote)

    @extend_schema(request=QuoteCommentSerializer, responses={200: QuoteSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def withdraw(self, request, pk=None):
        """Withdraw the pending (or returned) approval request; the quote is a draft again."""
        quote = self.get_object()
        serializer = QuoteCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.quote_withdraw(quote=quote, by=request.user, **serializer.validated_data)
        return self._answer(quote)

    @extend_schema(request=None, responses={200: QuoteSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def won(self, request, pk=None):
        """Mark an approved quote won: its open opportunity becomes won."""
        return self._answer(services.quote_mark_won(quote=self.get_object(), by=request.user))

    @extend_schema(request=QuoteLostSerializer, responses={200: QuoteSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def lost(self, request, pk=None):
        """Mark an approved quote lost, with a reason (its open opportunity is lost too)."""
        quote = self.get_object()
        serializer = QuoteLostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.quote_mark_lost(quote=quote, by=request.user,
                                                     reason=serializer.validated_data["lost_reason"]))
