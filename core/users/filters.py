"""Filters of the people list (search, department, status)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.org.selectors import department_choices

from .models import User


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    department = django_filters.ChoiceFilter(
        label=_("Department"), field_name="department_id", empty_label=_("All departments")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="by_status", empty_label=_("Any status"),
        choices=[("active", _("Active")), ("inactive", _("Inactive"))],
    )

    class Meta:
        model = User
        fields = ["q", "department", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].extra["choices"] = department_choices()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value))

    def by_status(self, queryset, name, value):
        return queryset.filter(is_active=(value == "active"))
