"""CRM filters shared by the API and the pages."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import DEPARTMENT_TREE_IDS_SQL
from core.org.models import Department

from core.catalog.models import Product
from core.trees import subtree_ids

from .models import (
    Article, ArticleCategory, Bid, CompetitorProduct, Complaint, Contact, Customer, FollowUp, Opportunity,
    OpportunityCompetitor, OwnerChange, Quote, QuoteLine, WebLead,
)
from .models.competitors import ThreatLevel
from .models.feedback import ComplaintStatus
from .models.quotes import QuoteState
from .models.opportunities import CLOSED_STAGES


class CustomerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), help_text=_("Name, phone, region or industry"))
    kind = django_filters.ChoiceFilter(choices=Customer.Kind.choices, label=_("Kind"))
    grade = django_filters.CharFilter(label=_("Grade"))
    owner = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.filter(is_active=True),
                                             label=_("Owner"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), method="filter_department", label=_("Department"),
        help_text=_("Includes its sub-departments"),
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Only mine"))

    class Meta:
        model = Customer
        fields = ["q", "kind", "grade", "owner", "department", "mine"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(phone__icontains=value) | Q(region__icontains=value)
            | Q(industry__icontains=value)
        )

    def filter_department(self, queryset, name, value):
        return queryset.filter(department_id__in=RawSQL(DEPARTMENT_TREE_IDS_SQL, [value.pk]))

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(owner=user) if value else queryset.exclude(owner=user)


class OpportunityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), help_text=_("Project or customer name"))
    stage = django_filters.MultipleChoiceFilter(choices=Opportunity.Stage.choices, label=_("Stage"))
    kind = django_filters.ChoiceFilter(choices=Opportunity.Kind.choices, label=_("Kind"))
    source = django_filters.ChoiceFilter(choices=Opportunity.Source.choices, label=_("Source"))
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all(), label=_("Customer"),
                                                widget=forms.HiddenInput)
    owner = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.filter(is_active=True),
                                             label=_("Owner"))
    region = django_filters.CharFilter(field_name="customer__region", lookup_expr="icontains", label=_("Region"))
    is_open = django_filters.BooleanFilter(method="filter_open", label=pgettext_lazy("still in progress", "Open"))
    stale = django_filters.BooleanFilter(method="filter_stale", label=_("Stale"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Only mine"))

    class Meta:
        model = Opportunity
        fields = ["q", "stage", "kind", "source", "customer", "owner", "region", "is_open", "stale", "mine"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(project__icontains=value) | Q(customer__name__icontains=value))

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(stage__in=CLOSED_STAGES) if value else queryset.filter(stage__in=CLOSED_STAGES)

    def filter_stale(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(stale_since__isnull=not value)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(owner=user) if value else queryset.exclude(owner=user)


class FollowUpFilterSet(django_filters.FilterSet):
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all(), label=_("Customer"),
                                                widget=forms.HiddenInput)
    opportunity = django_filters.ModelChoiceFilter(queryset=Opportunity.objects.all(), label=_("Opportunity"),
                                                   widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(choices=FollowUp.Kind.choices, label=_("Kind"))
    due_by = django_filters.DateFilter(field_name="next_action_on", lookup_expr="lte", label=_("Next action by"))

    class Meta:
        model = FollowUp
        fields = ["customer", "opportunity", "kind", "due_by"]


class ContactFilterSet(django_filters.FilterSet):
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all(), label=_("Customer"))
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    class Meta:
        model = Contact
        fields = ["customer", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(phone__icontains=value) | Q(email__icontains=value))


class OwnerChangeFilterSet(django_filters.FilterSet):
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all(), label=_("Customer"))
    opportunity = django_filters.ModelChoiceFilter(queryset=Opportunity.objects.all(), label=_("Opportunity"))

    class Meta:
        model = OwnerChange
        fields = ["customer", "opportunity"]


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": QuoteState.values}})
class QuoteStateFilter(django_filters.MultipleChoiceFilter):
    """Documented as an inline enum: "state" choice sets of other apps would
    otherwise collide in the schema's enum names."""


class QuoteFilterSet(django_filters.FilterSet):
    """Also the search for a historical quote to copy: by customer (name or
    id) and by product (id, or SKU/name in ``q``)."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"),
                                  help_text=_("Number, title, customer name, product SKU or name"))
    state = QuoteStateFilter(choices=QuoteState.choices, label=_("State"))
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all(), label=_("Customer"),
                                                widget=forms.HiddenInput)
    opportunity = django_filters.ModelChoiceFilter(queryset=Opportunity.objects.all(), label=_("Opportunity"),
                                                   widget=forms.HiddenInput)
    product = django_filters.ModelChoiceFilter(queryset=Product.objects.all(), field_name="lines__product",
                                               distinct=True, label=_("Product"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Only mine"))

    class Meta:
        model = Quote
        fields = ["q", "state", "customer", "opportunity", "product", "mine"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        lines = QuoteLine.objects.filter(Q(product__sku__icontains=value) | Q(product__name__icontains=value)
                                         | Q(description__icontains=value)).values("quote_id")
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value)
                               | Q(customer__name__icontains=value) | Q(pk__in=lines))

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(owner=user) if value else queryset.exclude(owner=user)


# ------------------------------------------------------------- competitors


class CompetitorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), help_text=_("Name, region or industry"))

    class Meta:
        model = Customer
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(region__icontains=value)
                               | Q(industry__icontains=value))


class CompetitorProductFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), help_text=_("Name or model"))
    competitor = django_filters.ModelChoiceFilter(queryset=Customer.objects.filter(kind=Customer.Kind.COMPETITOR),
                                                  label=_("Competitor"))
    our_product = django_filters.ModelChoiceFilter(queryset=Product.objects.all(), label=_("Our product"))

    class Meta:
        model = CompetitorProduct
        fields = ["q", "competitor", "our_product"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(model__icontains=value))


@extend_schema_field({"type": "string", "enum": ThreatLevel.values})
class ThreatLevelFilter(django_filters.ChoiceFilter):
    """Documented as an inline enum (see :class:`QuoteStateFilter`)."""


class OpportunityCompetitorFilterSet(django_filters.FilterSet):
    opportunity = django_filters.ModelChoiceFilter(queryset=Opportunity.objects.all(), label=_("Opportunity"))
    competitor = django_filters.ModelChoiceFilter(queryset=Customer.objects.filter(kind=Customer.Kind.COMPETITOR),
                                                  label=_("Competitor"))
    threat_level = ThreatLevelFilter(choices=ThreatLevel.choices, label=_("Threat level"))

    class Meta:
        model = OpportunityCompetitor
        fields = ["opportunity", "competitor", "threat_level"]


# ------------------------------------------------------------- complaints


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": ComplaintStatus.values}})
class ComplaintStatusFilter(django_filters.MultipleChoiceFilter):
    """Documented as an inline enum (see :class:`QuoteStateFilter`)."""


@extend_schema_field({"type": "string", "enum": Complaint.Kind.values})
class ComplaintKindFilter(django_filters.ChoiceFilter):
    """Documented as an inline enum (see :class:`QuoteStateFilter`)."""


@extend_schema_field({"type": "string", "enum": Complaint.Severity.values})
class SeverityFilter(django_filters.ChoiceFilter):
    """Documented as an inline enum (see :class:`QuoteStateFilter`)."""


class ComplaintFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"),
                                  help_text=_("Subject, description or customer name"))
    status = ComplaintStatusFilter(choices=ComplaintStatus.choices, label=_("Status"))
    kind = ComplaintKindFilter(choices=Complaint.Kind.choices, label=_("Kind"))
    severity = SeverityFilter(choices=Complaint.Severity.choices, label=_("Severity"))
    assignee = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.filter(is_active=True),
                                                label=_("Assignee"))
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all(), label=_("Customer"),
                                                widget=forms.HiddenInput)

    class Meta:
        model = Complaint
        fields = ["q", "status", "kind", "severity", "assignee", "customer"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(subject__icontains=value) | Q(description__icontains=value)
                               | Q(customer__name__icontains=value))


# ------------------------------------------------------------- knowledge base


class ArticleFilterSet(django_filters.FilterSet):
    """Search is a case-insensitive substring match on title and text
    (``icontains``): it finds Chinese words, which PostgreSQL's full-text
    parsers do not segment."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), help_text=_("Words in the title or text"))
    category = django_filters.ModelChoiceFilter(queryset=ArticleCategory.objects.all(), method="filter_category",
                                                label=_("Category"), help_text=_("Includes its sub-categories"))
    tag = django_filters.CharFilter(method="filter_tag", label=_("Tag"))
    is_published = django_filters.BooleanFilter(label=pgettext_lazy("state", "Published"))

    class Meta:
        model = Article
        fields = ["q", "category", "tag", "is_published"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))

    def filter_category(self, queryset, name, value):
        return queryset.filter(category__in=subtree_ids(ArticleCategory, value))

    def filter_tag(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(tags__contains=[value]) if value else queryset


@extend_schema_field({"type": "string", "enum": WebLead.Status.values})
class LeadStatusFilter(django_filters.ChoiceFilter):
    """Inline enum (see QuoteStateFilter)."""


class LeadFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"),
                                  help_text=_("Company, contact, phone or e-mail"))
    status = LeadStatusFilter(choices=WebLead.Status.choices, label=_("Status"))
    received_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte",
                                              label=_("Received from"),
                                              widget=forms.DateInput(attrs={"type": "date"}))
    received_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte",
                                            label=_("Received until"),
                                            widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = WebLead
        fields = ["q", "status", "received_from", "received_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(company_name__icontains=value) | Q(contact_name__icontains=value)
                               | Q(phone__icontains=value) | Q(email__icontains=value))


@extend_schema_field({"type": "string", "enum": Bid.Result.values})
class BidResultFilter(django_filters.ChoiceFilter):
    """Inline enum (see QuoteStateFilter)."""


class BidFilterSet(django_filters.FilterSet):
    opportunity = django_filters.ModelChoiceFilter(queryset=Opportunity.objects.all(), label=_("Opportunity"))
    result = BidResultFilter(choices=Bid.Result.choices, label=_("Result"))

    class Meta:
        model = Bid
        fields = ["opportunity", "result"]
