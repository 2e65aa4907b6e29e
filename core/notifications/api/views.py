"""Notifications API: your own notifications and preferences only."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from api.viewsets import TenantViewSet
from core.notifications import selectors, services
from core.notifications.filters import NotificationFilterSet
from core.notifications.kinds import kinds
from core.notifications.models import Channel, Notification

from .serializers import MarkedSerializer, NotificationSerializer, PreferenceSerializer, UnreadCountSerializer


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Your in-app notifications, newest first (``?unread=true`` for unread only)."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()
    lookup_value_regex = r"[0-9a-fA-F-]{36}"
    filterset_class = NotificationFilterSet
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = services.notification_mark_read(notification=self.get_object(), by=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your notifications read."""
        return Response({"marked": services.notifications_mark_all_read(by=request.user)})

    @extend_schema(responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count", pagination_class=None, filter_backends=[])
    def unread_count(self, request):
        """How many unread notifications you have (the bell's number)."""
        return Response({"unread": selectors.unread_count(user=request.user)})


class PreferenceViewSet(mixins.ListModelMixin, TenantViewSet):
    """Per kind of notification: whether you get it in the app and by e-mail.
    PATCH ``/notifications/preferences/{kind}/`` with ``in_app`` and/or ``email``."""

    serializer_class = PreferenceSerializer
    queryset = Notification.objects.none()
    lookup_field = "kind"
    lookup_value_regex = r"[^/]+"
    filter_backends = []

    def list(self, request):
        page = self.paginate_queryset(selectors.preference_rows(user=request.user))
        return self.get_paginated_response(PreferenceSerializer(page, many=True).data)

    def partial_update(self, request, kind=None):
        if kind not in kinds:
            raise Http404
        serializer = PreferenceSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        for channel in Channel.values:
            if channel in serializer.validated_data:
                services.preference_set(user=request.user, kind=kind, channel=channel,
                                        enabled=serializer.validated_data[channel])
        row = next(r for r in selectors.preference_rows(user=request.user) if r["kind"] == kind)
        return Response(PreferenceSerializer(row).data)
