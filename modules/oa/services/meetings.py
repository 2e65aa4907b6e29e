"""Meetings: the organiser invites people and departments (expanded to
their active members when the meeting is created: one invitation each, an
in-app + e-mail notification, and a reminder before the start). Attendees
accept or decline; the organiser edits the minutes, edits or reschedules the
meeting (new attendees are invited, removed ones told, everyone else gets an
update and the reminders follow the new time) or cancels it (attendees are
told; reminders are dropped). Minutes files are attachments
(``services.attachments``)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit.services import audit_record, changes_between
from core.errors import DomainError, ErrorCode
from core.notifications.services import notify, remind, reminder_cancel

from ..models import InvitationResponse, Meeting, MeetingInvitation
from ._common import audience, check_members, raise_if, text

INVITE_TITLE = gettext_lazy("Meeting invitation: %(title)s")
INVITE_BODY = gettext_lazy("%(organiser)s invites you to “%(title)s” on %(start)s at %(place)s.")
CANCEL_TITLE = gettext_lazy("Meeting cancelled: %(title)s")
UNINVITED_TITLE = gettext_lazy("Meeting cancelled for you: %(title)s")
UNINVITED_BODY = gettext_lazy("%(organiser)s took you off the attendees of “%(title)s” on %(start)s.")
UPDATED_TITLE = gettext_lazy("Meeting updated: %(title)s")
UPDATED_BODY = gettext_lazy("“%(title)s” is now on %(start)s at %(place)s.")
REMINDER_TEXT = gettext_lazy("Meeting “%(title)s” starts at %(start)s (%(place)s).")
MAX_REMIND = 7 * 24 * 60
DETAILS = ("title", "starts_at", "ends_at", "location", "agenda", "remind_minutes")


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


def _params(meeting) -> dict:
    return {"title": meeting.title, "organiser": meeting.organiser, "start": _start(meeting),
            "place": meeting.location or "—"}


def _clean(data: dict, current: Meeting | None = None) -> dict:
    """Check the given fields (all of them for a new meeting). ``users`` and
    ``departments``, when either is given, name the whole attendee list."""
    errors: dict = {}
    text(data, errors, "title", 200, required=True)
    text(data, errors, "location", 200)
    text(data, errors, "agenda", 20000)
    if "users" in data or "departments" in data:
        data["users"], data["departments"] = list(data.get("users") or []), list(data.get("departments") or [])
        check_members(data["users"], errors, "users")
    starts_at = data.get("starts_at", current.starts_at if current else None)
    ends_at = data.get("ends_at", current.ends_at if current else None)
    if starts_at is None or ends_at is None:
        errors["starts_at"] = [_("Enter the start and the end.")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("The meeting must end after it starts.")]
    elif (current is None or starts_at != current.starts_at) and starts_at < timezone.now():
        errors["starts_at"] = [_("A meeting cannot start in the past.")]
    minutes = data.get("remind_minutes", 0)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= MAX_REMIND:
        errors["remind_minutes"] = [_("Enter minutes from 0 to %(n)d.") % {"n": MAX_REMIND}]
    if not errors and "users" in data and not data["users"] and not data["departments"]:
        errors["users"] = [_("Invite at least one person or department.")]
    raise_if(errors)
    return data


def _attendees(data: dict, organiser) -> list:
    attendees = audience(users=data.pop("users"), departments=data["departments"], exclude=organiser)
    if not attendees:
        raise DomainError(_("Nobody would be invited."),
                          fields={"departments": [_("These departments have no other active members.")]})
    return attendees


@transaction.atomic
def meeting_create(*, by, title: str, starts_at, ends_at, location: str = "", agenda: str = "", users=(),
                   departments=(), remind_minutes: int = 15) -> Meeting:
    data = _clean({"title": title, "starts_at": starts_at, "ends_at": ends_at, "location": location,
                   "agenda": agenda, "remind_minutes": remind_minutes, "users": users, "departments": departments})
    attendees = _attendees(data, by)
    departments = data.pop("departments")
    meeting = Meeting.objects.create(organiser=by, **data)
    meeting.departments.set(departments)
    MeetingInvitation.objects.bulk_create([MeetingInvitation(meeting=meeting, user=u) for u in attendees])
    notify(attendees, kind="oa.meeting", title=INVITE_TITLE, body=INVITE_BODY, link=_link(meeting), obj=meeting,
           params=_params(meeting))
    _schedule(meeting, [by, *attendees])
    audit_record(actor=by, action="create", obj=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by, **fields) -> Meeting:
    """The organiser changes the details or the attendees (``users`` and
    ``departments``, when either is given, replace the whole list; departments
    are expanded to their members again). New attendees are invited, removed
    ones told and their reminders dropped; if the details changed, the others
    get an update; the reminders follow the new time."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("organiser").get(pk=meeting.pk)
    _organiser_only(meeting, by)
    if meeting.cancelled_at is not None:
        raise DomainError(_("A cancelled meeting cannot be changed."), code=ErrorCode.CONFLICT)
    data = _clean({k: v for k, v in fields.items() if k in DETAILS + ("users", "departments")}, meeting)
    invited = {i.user_id: i.user for i in meeting.invitations.select_related("user")}
    attendees = _attendees(data, by) if "departments" in data else list(invited.values())
    departments = data.pop("departments", None)
    details = changes_between(meeting, data)
    changes = dict(details)
    before = list(meeting.departments.all())
    if departments is not None and {d.pk for d in departments} != {d.pk for d in before}:
        changes["departments"] = [[str(d.pk) for d in before], [str(d.pk) for d in departments]]
        meeting.departments.set(departments)
    added = [u for u in attendees if u.pk not in invited]
    removed = [u for pk, u in invited.items() if pk not in {a.pk for a in attendees}]
    if not changes and not added and not removed:
        return meeting
    for key, value in data.items():
        setattr(meeting, key, value)
    meeting.save()
    MeetingInvitation.objects.filter(meeting=meeting, user__in=removed).delete()
    MeetingInvitation.objects.bulk_create([MeetingInvitation(meeting=meeting, user=u) for u in added])
    params = _params(meeting)
    notify(added, kind="oa.meeting", title=INVITE_TITLE, body=INVITE_BODY, link=_link(meeting), obj=meeting,
           params=params)
    notify(removed, kind="oa.meeting", title=UNINVITED_TITLE, body=UNINVITED_BODY, link="", obj=meeting,
           params=params)
    if set(details) - {"remind_minutes"}:
        stayed = [u for u in attendees if u.pk in invited]
        notify(stayed, kind="oa.meeting", title=UPDATED_TITLE, body=UPDATED_BODY, link=_link(meeting),
               obj=meeting, params=params)
    reminder_cancel(obj=meeting)
    declined = set(meeting.invitations.filter(response=InvitationResponse.DECLINED).values_list("user_id", flat=True))
    _schedule(meeting, [by, *(u for u in attendees if u.pk not in declined)])
    audit_record(actor=by, action="update", obj=meeting, changes=changes,
                 message=f"attendees: {len(added)} invited, {len(removed)} removed")
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
