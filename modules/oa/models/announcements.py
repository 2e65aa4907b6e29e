"""Announcements, company news and policies (公告/新闻/制度) with read
receipts; "required reading" ones also need an acknowledgement."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TenantModel


class AnnouncementKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    NEWS = "news", _("Company news")
    POLICY = "policy", _("Policy")


class Announcement(TenantModel):
    """Published to everyone or to departments (expanded to their members at
    publish time: one receipt row per reader)."""

    kind = models.CharField(_("kind"), max_length=16, choices=AnnouncementKind.choices,
                            default=AnnouncementKind.ANNOUNCEMENT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    to_all = models.BooleanField(_("everyone"), default=True)
    departments = models.ManyToManyField("org.Department", blank=True, related_name="+",
                                         verbose_name=_("departments"))
    requires_ack = models.BooleanField(_("required reading"), default=False)
    published_at = models.DateTimeField(_("published"), db_index=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self):
        return self.title


class AnnouncementReceipt(models.Model):
    """One reader of an announcement: when they read and acknowledged it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("reader"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        ordering = ["announcement", "user"]
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="oa_receipt_one_per_reader"),
            models.CheckConstraint(condition=models.Q(acknowledged_at__isnull=True) | models.Q(read_at__isnull=False),
                                   name="oa_receipt_ack_after_read"),
        ]

    def __str__(self):
        return f"{self.user_id} on {self.announcement_id}"
