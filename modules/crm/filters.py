"""CRM filters shared by the API and the pages."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from core.access import DEPARTMENT_TREE_IDS_SQL
from core.org.models import Department

from core.catalog.models import Product

from .models import Contact, Customer, FollowUp, Opportunity, OwnerChange, Quote, QuoteLine
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
    is_open = django_filters.BooleanFilter(method="filter_open", label=_("Open"))
    stale = django_filters.BooleanFilter(method="filter_stale", label=_("Stale"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Only mine"))

    class Meta:
        model = Opportunity
        fields = ["q", "stage", "kind", "source", "customer", "owner", "is_open", "stale", "mine"]

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
