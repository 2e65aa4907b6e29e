"""Shapes only."""

from rest_framework import serializers

from api.serializers import ModelSerializer
from core.notifications.models import Notification


class NotificationSerializer(ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked read.")


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    in_app = serializers.BooleanField(required=False, help_text="Show it in the in-app inbox.")
    email = serializers.BooleanField(required=False, help_text="Send it by e-mail.")
