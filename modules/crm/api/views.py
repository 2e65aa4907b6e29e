"""Customers API (thin: the selector applies the data scope, services write)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.viewsets import ExportMixin, TenantViewSet
from modules.crm import selectors, services
from modules.crm.exports import BID_EXPORT, LEAD_EXPORT
from modules.crm.filters import BidFilterSet, LeadFilterSet
from modules.crm.models import Bid, WebLead
from modules.crm.services import customer_import
from modules.crm.exports import (
    COMPETITOR_PRODUCT_EXPORT, COMPLAINT_EXPORT, CONTACT_EXPORT, CUSTOMER_EXPORT, FOLLOW_UP_EXPORT,
    OPPORTUNITY_COMPETITOR_EXPORT, OPPORTUNITY_EXPORT, QUOTE_EXPORT,
)
from modules.crm.filters import (
    ArticleFilterSet, CompetitorFilterSet, CompetitorProductFilterSet, ComplaintFilterSet,
    OpportunityCompetitorFilterSet, ContactFilterSet, CustomerFilterSet, FollowUpFilterSet, OpportunityFilterSet, OwnerChangeFilterSet,
    QuoteFilterSet,
)
from modules.crm.models import (
    Article, ArticleCategory, CompetitorProduct, Complaint, Contact, Customer, FollowUp, Opportunity,
    OpportunityCompetitor, OwnerChange, Quote, ReassignmentJob,
)

from .serializers import (
    BidSerializer, LeadQualifySerializer, LeadRejectSerializer, CrmSettingsSerializer, WebLeadSerializer,
)
from .serializers import (
    ArticleCategorySerializer, ArticleSerializer, ComparisonQuerySerializer, ComparisonRowSerializer, CompetitorProductSerializer,
    CompetitorSerializer, ComplaintSerializer, ComplaintStatusSerializer, OpportunityCompetitorSerializer,
    CustomerImportResultSerializer, CustomerImportSerializer,
    ContactSerializer, CustomerSerializer, FollowUpSerializer, OpportunityReassignSerializer, OpportunitySerializer, OwnerChangeSerializer,
    QuoteCommentSerializer, QuoteCopySerializer, QuoteLostSerializer, QuoteSerializer,
    ReassignmentSerializer, ReassignSerializer, StageSerializer,
)

class CustomerViewSet(ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    """Customers within the caller's data scope; others answer 404. The owner
    defaults to the caller and the department to the caller's department."""

    serializer_class = CustomerSerializer
    permission_object = "crm.customer"
    table_export = CUSTOMER_EXPORT
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

    @extend_schema(request={"multipart/form-data": CustomerImportSerializer},
                   responses={200: CustomerImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import", required_action="add",
            parser_classes=[MultiPartParser])
    def import_file(self, request):
        """Import customers from Excel/CSV: ``preview`` checks every row (nothing
        saved); ``all`` saves every row or none (400 listing the bad rows);
        ``valid`` saves the valid rows and reports the others."""
        serializer = CustomerImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mode = serializer.validated_data["mode"]
        rows = customer_import.read_customer_rows(serializer.validated_data["file"])
        if mode == "preview":
            result = customer_import.preview_customer_import(rows, by=request.user)
        else:
            result = customer_import.import_customers(rows, by=request.user, mode=mode)
        return Response(CustomerImportResultSerializer({
            "mode": mode, "valid": len(result.valid_rows), "invalid": len(result.invalid_rows),
            "created": sum(1 for row in result.rows if row.customer is not None), "rows": result.rows,
        }).data)


class _CrudViewSet(ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    """Thin CRUD over a selector (data scope) and services (rules)."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _fresh(self, instance):
        return self.get_queryset().get(pk=instance.pk)


class ContactViewSet(_CrudViewSet):
    """Contacts of the customers in the caller's data scope."""

    serializer_class = ContactSerializer
    permission_object = "crm.contact"
    table_export = CONTACT_EXPORT
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
    table_export = OPPORTUNITY_EXPORT
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
    table_export = FOLLOW_UP_EXPORT
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
    table_export = QUOTE_EXPORT
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


# ------------------------------------------------------------- competitors


class CompetitorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Competitors: counterparties of kind competitor in the caller's data
    scope, with their number of products (create them as customers of kind
    "competitor")."""

    serializer_class = CompetitorSerializer
    permission_object = "crm.competitor"
    queryset = Customer.objects.none()
    filterset_class = CompetitorFilterSet
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return selectors.competitor_list(user=self.request.user)


class CompetitorProductViewSet(_CrudViewSet):
    """Products of the competitors in the caller's data scope, optionally
    matched to one of our catalog products; ``compare`` lines them up against
    our list prices."""

    serializer_class = CompetitorProductSerializer
    permission_object = "crm.competitor"
    table_export = COMPETITOR_PRODUCT_EXPORT
    queryset = CompetitorProduct.objects.none()
    filterset_class = CompetitorProductFilterSet
    ordering_fields = ["name", "price", "last_seen_on", "created_at"]

    def get_queryset(self):
        return selectors.competitor_product_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(
            services.competitor_product_create(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self._fresh(services.competitor_product_update(
            product=serializer.instance, by=self.request.user, **serializer.validated_data))

    def perform_destroy(self, instance):
        services.competitor_product_delete(product=instance, by=self.request.user)

    @extend_schema(
        parameters=[ComparisonQuerySerializer], responses={200: ComparisonRowSerializer(many=True)}, filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def compare(self, request):
        """Side by side: our list price against each matched competitor product,
        with the difference (their − ours) in money and percent."""
        query = ComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.competitor_comparison(user=request.user, **query.validated_data)
        return Response(ComparisonRowSerializer(rows, many=True, context=self.get_serializer_context()).data)


class OpportunityCompetitorViewSet(_CrudViewSet):
    """Competitors on the opportunities in the caller's data scope (one row per
    opportunity and competitor: a second one is a 409 conflict)."""

    serializer_class = OpportunityCompetitorSerializer
    permission_object = "crm.competitor"
    table_export = OPPORTUNITY_COMPETITOR_EXPORT
    queryset = OpportunityCompetitor.objects.none()
    filterset_class = OpportunityCompetitorFilterSet
    ordering_fields = ["created_at", "quoted_price"]

    def get_queryset(self):
        return selectors.opportunity_competitor_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(
            services.opportunity_competitor_add(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self._fresh(services.opportunity_competitor_update(
            entry=serializer.instance, by=self.request.user, **serializer.validated_data))

    def perform_destroy(self, instance):
        services.opportunity_competitor_remove(entry=instance, by=self.request.user)


# ------------------------------------------------------------- complaints


class ComplaintViewSet(_CrudViewSet):
    """Complaints and feedback of the customers in the caller's data scope.
    ``status`` moves one along open → in_progress → resolved → closed (any other
    move is a 409; resolving needs a resolution). A new assignee is notified."""

    serializer_class = ComplaintSerializer
    permission_object = "crm.complaint"
    table_export = COMPLAINT_EXPORT
    queryset = Complaint.objects.none()
    filterset_class = ComplaintFilterSet
    ordering_fields = ["received_at", "created_at", "severity"]

    def get_queryset(self):
        return selectors.complaint_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(services.complaint_create(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self._fresh(services.complaint_update(
            complaint=serializer.instance, by=self.request.user, **serializer.validated_data))

    def perform_destroy(self, instance):
        services.complaint_delete(complaint=instance, by=self.request.user)

    @extend_schema(request=ComplaintStatusSerializer, responses={200: ComplaintSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def status(self, request, pk=None):
        """Move the complaint to another status."""
        complaint = self.get_object()
        serializer = ComplaintStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.complaint_set_status(complaint=complaint, by=request.user, **serializer.validated_data)
        return Response(ComplaintSerializer(self._fresh(complaint), context=self.get_serializer_context()).data)


# ------------------------------------------------------------- knowledge base


class _KnowledgeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    permission_object = "crm.article"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _fresh(self, instance):
        return self.get_queryset().get(pk=instance.pk)


class ArticleCategoryViewSet(_KnowledgeViewSet):
    """Knowledge-base categories (a tree; a category with sub-categories or
    articles cannot be deleted: 409)."""

    serializer_class = ArticleCategorySerializer
    queryset = ArticleCategory.objects.none()
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.article_category_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(
            services.article_category_create(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self._fresh(services.article_category_update(
            category=serializer.instance, by=self.request.user, **serializer.validated_data))

    def perform_destroy(self, instance):
        services.article_category_delete(category=instance, by=self.request.user)


class ArticleViewSet(_KnowledgeViewSet):
    """Knowledge-base articles: published ones for everyone with
    ``crm.article.view``; drafts for their author and editors. ``q`` searches
    title and text (substring, works for Chinese)."""

    serializer_class = ArticleSerializer
    queryset = Article.objects.none()
    filterset_class = ArticleFilterSet
    ordering_fields = ["title", "updated_at", "published_at"]

    def get_queryset(self):
        return selectors.article_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(services.article_create(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self._fresh(services.article_update(
            article=serializer.instance, by=self.request.user, **serializer.validated_data))

    def perform_destroy(self, instance):
        services.article_delete(article=instance, by=self.request.user)



# ------------------------------------------------------------ web leads and bids


class LeadViewSet(ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                  TenantViewSet):
    """Web leads (在线订单) from the public order form, in the caller's data
    scope (by assignee). A new lead is decided once: ``qualify`` turns it into
    a customer (or links an existing one), optionally with a contact and an
    opportunity, in one transaction; ``reject`` needs a reason. Deciding again
    answers 409."""

    serializer_class = WebLeadSerializer
    permission_object = "crm.lead"
    table_export = LEAD_EXPORT
    queryset = WebLead.objects.none()
    filterset_class = LeadFilterSet
    search_fields = ["company_name", "contact_name", "phone", "email"]
    ordering_fields = ["created_at", "company_name", "decided_at"]

    def get_queryset(self):
        return selectors.lead_list(user=self.request.user)

    def _answer(self, lead):
        return Response(WebLeadSerializer(self.get_queryset().get(pk=lead.pk)).data)

    def perform_destroy(self, instance):
        services.lead_delete(lead=instance, by=self.request.user)

    @extend_schema(request=LeadQualifySerializer, responses={200: WebLeadSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def qualify(self, request, pk=None):
        """Qualify into a new customer (409 when its name or phone matches an
        existing one, unless ``allow_duplicate``) or into ``customer``, with a
        contact and, given ``opportunity_project``, an opportunity."""
        lead = self.get_object()
        serializer = LeadQualifySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self._answer(services.lead_qualify(lead=lead, by=request.user, **serializer.validated_data))

    @extend_schema(request=LeadRejectSerializer, responses={200: WebLeadSerializer})
    @action(detail=True, methods=["post"], required_action="change")
    def reject(self, request, pk=None):
        """Reject a new lead, with a reason."""
        lead = self.get_object()
        serializer = LeadRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.lead_reject(lead=lead, by=request.user, **serializer.validated_data))


class CrmSettingsView(APIView):
    """The workspace's CRM settings: who receives the leads of the public order
    form, and after how many days an opportunity without a follow-up is stale
    (administrators only)."""

    admin_only = True

    @extend_schema(responses={200: CrmSettingsSerializer}, operation_id="crm_settings_retrieve")
    def get(self, request):
        return Response(CrmSettingsSerializer(services.crm_settings()).data)

    @extend_schema(request=CrmSettingsSerializer, responses={200: CrmSettingsSerializer},
                   operation_id="crm_settings_partial_update")
    def patch(self, request):
        serializer = CrmSettingsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(CrmSettingsSerializer(
            services.crm_settings_update(by=request.user, **serializer.validated_data)).data)


class BidViewSet(_CrudViewSet):
    """Bids (招投标记录) on the opportunities in the caller's data scope."""

    serializer_class = BidSerializer
    permission_object = "crm.bid"
    table_export = BID_EXPORT
    queryset = Bid.objects.none()
    filterset_class = BidFilterSet
    ordering_fields = ["bid_date", "amount", "created_at"]

    def get_queryset(self):
        return selectors.bid_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._fresh(services.bid_create(by=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self._fresh(services.bid_update(bid=serializer.instance, by=self.request.user,
                                                              **serializer.validated_data))

    def perform_destroy(self, instance):
        services.bid_delete(bid=instance, by=self.request.user)
