"""Meetings (会议): organiser, attendees (people and departments, expanded
to invitations when the meeting is created), time, place, agenda, minutes."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TenantModel


class Meeting(TenantModel):
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("organiser"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    departments = models.ManyToManyField("org.Department", blank=True, related_name="+",
                                         verbose_name=_("departments"))
    remind_minutes = models.PositiveIntegerField(_("remind minutes before"), default=15)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="oa_meeting_ends_after_start"),
        ]

    def __str__(self):
        return self.title


class InvitationResponse(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class MeetingInvitation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("attendee"))
    response = models.CharField(_("answer"), max_length=16, choices=InvitationResponse.choices,
                                default=InvitationResponse.PENDING)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "user"]
        verbose_name = _("meeting invitation")
        verbose_name_plural = _("meeting invitations")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="oa_invitation_once")]

    def __str__(self):
        return f"{self.user_id} → {self.meeting_id}: {self.response}"
