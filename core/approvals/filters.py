"""Request filters shared by the API and the pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import ApprovalRequest, RequestState


class RequestFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=RequestState.choices, label=_("State"))
    document_type = django_filters.CharFilter(label=_("Document type"))
    object_id = django_filters.UUIDFilter(label=_("Document"), help_text=_("The requests of one document."))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Submitted by me"))

    class Meta:
        model = ApprovalRequest
        fields = ["state", "document_type", "object_id", "mine"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(submitter=user) if value else queryset.exclude(submitter=user)
