"""FilterSets shared by the OA web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import UtcIsoDateTimeFilter

from .models import (
    Announcement, AnnouncementKind, ApprovalState, Document, Event, ExpenseClaim, Folder, LeaveRequest, Message, Share,
    WorkLog,
)


class LeaveRequestFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ApprovalState.choices, label=_("State"))

    class Meta:
        model = LeaveRequest
        fields = ["state", "kind"]


class ExpenseClaimFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ApprovalState.choices, label=_("State"))

    class Meta:
        model = ExpenseClaim
        fields = ["state"]


class WorkLogFilterSet(django_filters.FilterSet):
    day_from = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("From"))
    day_to = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("To"))

    class Meta:
        model = WorkLog
        fields = ["author", "day_from", "day_to"]


class EventFilterSet(django_filters.FilterSet):
    start = UtcIsoDateTimeFilter(field_name="ends_at", lookup_expr="gte",
                                             label=_("Ending at or after"))
    end = UtcIsoDateTimeFilter(field_name="starts_at", lookup_expr="lt", label=_("Starting before"))

    class Meta:
        model = Event
        fields = ["start", "end"]


class MessageFilterSet(django_filters.FilterSet):
    box = django_filters.ChoiceFilter(choices=[("inbox", _("Inbox")), ("sent", _("Sent"))], method="filter_box",
                                      label=_("Box"))
    unread = django_filters.BooleanFilter(method="filter_unread", label=_("Unread only"))

    class Meta:
        model = Message
        fields = ["box", "unread"]

    def filter_box(self, queryset, name, value):
        user = self.request.user
        if value == "sent":
            return queryset.filter(sender=user)
        return queryset.filter(recipients__user=user)

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        rows = {"recipients__user": self.request.user, "recipients__read_at__isnull": True}
        return queryset.filter(**rows) if value else queryset.exclude(**rows)


class AnnouncementFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AnnouncementKind.choices, label=_("Kind"))

    class Meta:
        model = Announcement
        fields = ["kind"]


class FolderFilterSet(django_filters.FilterSet):
    parent = django_filters.UUIDFilter(label=_("Inside this folder"))
    top = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("At the top level"))

    class Meta:
        model = Folder
        fields = ["parent", "top", "owner"]


class DocumentFilterSet(django_filters.FilterSet):
    folder = django_filters.UUIDFilter(label=_("In this folder"))
    top = django_filters.BooleanFilter(field_name="folder", lookup_expr="isnull", label=_("Not in a folder"))

    class Meta:
        model = Document
        fields = ["folder", "top", "owner"]


class ShareFilterSet(django_filters.FilterSet):
    document = django_filters.UUIDFilter(label=_("Of this document"))
    folder = django_filters.UUIDFilter(label=_("Of this folder"))

    class Meta:
        model = Share
        fields = ["document", "folder"]
