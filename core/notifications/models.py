"""In-app notifications (with their e-mail outbox state), per-user channel
preferences and stored reminders. Write them through
``core.notifications.services``."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")


class EmailStatus(models.TextChoices):
    NONE = "", _("Not sent by e-mail")
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """A message to one person. Title and body are rendered in the
    recipient's language when the notification is created. The row is also
    the e-mail outbox: ``email_status`` "pending" rows are sent after commit.
    ``in_app`` False means the recipient only wanted the e-mail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    in_app = models.BooleanField(default=True)
    email_status = models.CharField(max_length=16, choices=EmailStatus.choices, blank=True, default=EmailStatus.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], condition=Q(in_app=True), name="notification_inbox_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's choice for one kind of notification on one channel. No row
    means the kind's default."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["user", "kind", "channel"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"],
                                               name="notification_preference_unique")]

    def __str__(self):
        return f"{self.user_id} {self.kind}/{self.channel}={'on' if self.enabled else 'off'}"


class Reminder(models.Model):
    """Remind ``user`` about an object at ``due_at``. Stored in the database,
    so reminders survive restarts; ``sent_at`` is set in the same transaction
    that creates the notification, so each reminder is delivered once.
    ``message`` may be a translatable message id with ``params``: it is
    rendered in the recipient's language when delivered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders",
                             verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=64, default="reminder")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    message = models.CharField(_("message"), max_length=300)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("due"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["user", "content_type", "object_id", "due_at"],
                                               name="reminder_unique_per_user_object_time")]
        indexes = [models.Index(fields=["due_at"], condition=Q(sent_at__isnull=True), name="reminder_due_idx")]

    def __str__(self):
        return f"{self.user_id} @ {self.due_at:%Y-%m-%d %H:%M}: {self.message[:40]}"
