"""Customer filters shared by the API and the pages."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from core.access import DEPARTMENT_TREE_IDS_SQL
from core.org.models import Department

from .models import Customer


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
