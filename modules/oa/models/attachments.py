"""Files attached to a document or to a meeting (minutes, slides...). The
file sits in the default storage under the workspace's schema name and a
random name; the name people see is ``name``. Files are served only by
permission-checked views, never from a public URL."""

import uuid

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def attachment_path(instance, filename: str) -> str:
    """``<schema>/oa/<2 hex>/<32 hex>``: the workspace's opaque schema name and
    a random name. The uploaded ``filename`` is never part of the path."""
    random_name = uuid.uuid4().hex
    return f"{connection.schema_name}/oa/{random_name[:2]}/{random_name}"


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey("oa.Document", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="attachments")
    meeting = models.ForeignKey("oa.Meeting", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(condition=Q(document__isnull=False, meeting__isnull=True)
                                   | Q(document__isnull=True, meeting__isnull=False), name="oa_attachment_one_parent"),
        ]

    @property
    def parent(self):
        return self.document or self.meeting

    def __str__(self):
        return self.name
