"""Meetings: the organiser invites people and departments (expanded to
their active members when the meeting is created: one invitation each, an
in-app + e-mail notification, and a reminder before the start). Attendees
accept or decline; the organiser edits the minutes or cancels (attendees
are told; reminders are dropped)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit.services import audit_record
from core.errors import DomainError, ErrorCode
from core.notifications.services import notify, remind, reminder_cancel

from ..models import InvitationResponse, Meeting, MeetingInvitation
from ._common import audience, check_members, raise_if, text

INVITE_TITLE = gettext_lazy("Meeting invitation: %(title)s")
INVITE_BODY = gettext_lazy("%(organiser)s invites you to “%(title)s” on %(start)s at %(place)s.")
CANCEL_TITLE = gettext_lazy("Meeting cancelled: %(title)s")
REMINDER_TEXT = gettext_lazy("Meeting “%(title)s” starts at %(start)s (%(place)s).")
MAX_REMIND = 7 * 24 * 60


def _link(meeting) -> str:
    return reverse("oa:meeting-detail", args=[meeting.pk])


def _start(meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")


def _schedule(meeting, people) -> None:
    due = meeting.starts_at - timedelta(minutes=meeting.remind_minutes)
    if due <= timezone.now():
        return
    for person in people:
        remind(user=person, obj=meeting, message=REMINDER_TEXT, at=due, link=_link(meeting),
               kind="oa.meeting_reminder",
               params={"title": meeting.title, "start": _start(meeting), "place": meeting.location or "—"})


@transaction.atomic
def meeting_create(*, by, title: str, starts_at, ends_at, location: str = "", agenda: str = "", users=(),
                   departments=(), remind_minutes: int = 15) -> Meeting:
    data = {"title": title, "location": location, "agenda": agenda}
    errors: dict = {}
    text(data, errors, "title", 200, required=True)
    text(data, errors, "location", 200)
    text(data, errors, "agenda", 20000)
    users, departments = list(users or []), list(departments or [])
    check_members(users, errors, "users")
    if starts_at is None or ends_at is None:
        errors["starts_at"] = [_("Enter the start and the end.")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("The meeting must end after it starts.")]
    elif starts_at < timezone.now():
        errors["starts_at"] = [_("A meeting cannot start in the past.")]
    if not isinstance(remind_minutes, int) or isinstance(remind_minutes, bool) or not 0 <= remind_minutes <= MAX_REMIND:
        errors["remind_minutes"] = [_("Enter minutes from 0 to %(n)d.") % {"n": MAX_REMIND}]
    if not errors and not users and not departments:
        errors["users"] = [_("Invite at least one person or department.")]
    raise_if(errors)
    attendees = audience(users=users, departments=departments, exclude=by)
    if not attendees:
        raise DomainError(_("Nobody would be invited."),
                          fields={"departments": [_("These departments have no other active members.")]})
    meeting = Meeting.objects.create(organiser=by, starts_at=starts_at, ends_at=ends_at,
                                     remind_minutes=remind_minutes, **data)
    meeting.departments.set(departments)
    MeetingInvitation.objects.bulk_create([MeetingInvitation(meeting=meeting, user=u) for u in attendees])
    notify(attendees, kind="oa.meeting", title=INVITE_TITLE, body=INVITE_BODY, link=_link(meeting), obj=meeting,
           params={"title": meeting.title, "organiser": by, "start": _start(meeting),
                   "place": meeting.location or "—"})
    _schedule(meeting, [by, *attendees])
    audit_record(actor=by, action="create", obj=meeting)
    return meeting


def _organiser_only(meeting, by) -> None:
    if meeting.organiser_id != by.pk:
        raise DomainError(_("Only the organiser can do this."), code=ErrorCode.PERMISSION_DENIED)


@transaction.atomic
def meeting_respond(*, meeting: Meeting, by, response: str) -> MeetingInvitation:
    if response not in (InvitationResponse.ACCEPTED, InvitationResponse.DECLINED):
        raise DomainError(_("Accept or decline."), fields={"response": [_("Choose accepted or declined.")]})
    invitation = (MeetingInvitation.objects.select_for_update(of=("self",))
                  .filter(meeting=meeting, user=by).first())
    if invitation is None:
        raise DomainError(_("You are not invited to this meeting."), code=ErrorCode.PERMISSION_DENIED)
    if meeting.cancelled_at is not None:
        raise DomainError(_("This meeting was cancelled."), code=ErrorCode.CONFLICT)
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    if response == InvitationResponse.DECLINED:
        reminder_cancel(obj=meeting, user=by)
    else:
        _schedule(meeting, [by])
    return invitation


@transaction.atomic
def meeting_record_minutes(*, meeting: Meeting, by, minutes: str) -> Meeting:
    _organiser_only(meeting, by)
    data, errors = {"minutes": minutes}, {}
    text(data, errors, "minutes", 50000, required=True)
    raise_if(errors)
    meeting.minutes = data["minutes"]
    meeting.save(update_fields=["minutes", "updated_at"])
    audit_record(actor=by, action="update", obj=meeting, message="minutes")
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    _organiser_only(meeting, by)
    if meeting.cancelled_at is not None:
        raise DomainError(_("This meeting was already cancelled."), code=ErrorCode.CONFLICT)
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at", "updated_at"])
    reminder_cancel(obj=meeting)
    attendees = [i.user for i in meeting.invitations.select_related("user")]
    notify(attendees, kind="oa.meeting", title=CANCEL_TITLE, link=_link(meeting), obj=meeting,
           params={"title": meeting.title})
    audit_record(actor=by, action="other", obj=meeting, message="cancelled")
    return meeting
