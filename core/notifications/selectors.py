"""Reads of a person's own notifications and preferences (nobody reads
another person's inbox, administrators included)."""

from __future__ import annotations

from django.db.models import QuerySet

from .kinds import kinds
from .models import Channel, Notification, NotificationPreference


def notification_list(*, user) -> QuerySet[Notification]:
    """The caller's in-app notifications, newest first."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, in_app=True).order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    return notification_list(user=user).filter(read_at__isnull=True).count()


def preference_rows(*, user) -> list[dict]:
    """One row per registered kind with the effective setting per channel:
    ``{"kind", "label", "description", "in_app", "email"}``."""
    chosen = {
        (pref.kind, pref.channel): pref.enabled
        for pref in NotificationPreference.objects.filter(user=user)
    }
    return [
        {
            "kind": spec.key,
            "label": spec.label,
            "description": spec.description,
            "in_app": chosen.get((spec.key, Channel.IN_APP), spec.in_app_default),
            "email": chosen.get((spec.key, Channel.EMAIL), spec.email_default),
        }
        for spec in kinds.all()
    ]
