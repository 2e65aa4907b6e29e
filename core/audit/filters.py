"""Audit log filters shared by the API and the page."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


class AuditEntryFilterSet(django_filters.FilterSet):
    object_type = django_filters.CharFilter(label=_("Record type"), help_text=_('For example "crm.customer".'))
    object_id = django_filters.CharFilter(label=_("Record id"))
    actor = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("Changed by"))
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, label=_("Action"))
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From date"))
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To date"))

    class Meta:
        model = AuditEntry
        fields = ["object_type", "object_id", "actor", "action", "date_from", "date_to"]
