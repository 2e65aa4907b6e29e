"""Personal calendar events (工作日程) with an optional reminder."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.access import ScopeFields
from core.models import TenantModel


class Event(TenantModel):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oa_events",
                              verbose_name=_("owner"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    remind_minutes = models.PositiveIntegerField(_("remind minutes before"), null=True, blank=True)

    data_scope = ScopeFields(owner="owner")

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="oa_event_ends_after_start")]
        indexes = [models.Index(fields=["owner", "starts_at"], name="oa_event_owner_start_idx")]

    def __str__(self):
        return self.title
