"""Internal messages (我的消息): sent to people and departments; departments
are expanded to their members when the message is sent."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TenantModel


class Message(TenantModel):
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("sender"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    departments = models.ManyToManyField("org.Department", blank=True, related_name="+",
                                         verbose_name=_("departments"))
    sent_at = models.DateTimeField(_("sent"), db_index=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.subject


class MessageRecipient(models.Model):
    """One recipient of a message (their inbox row)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("recipient"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["message", "user"]
        verbose_name = _("message recipient")
        verbose_name_plural = _("message recipients")
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="oa_message_recipient_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="oa_msg_inbox_idx")]

    def __str__(self):
        return f"{self.user_id} ← {self.message_id}"
