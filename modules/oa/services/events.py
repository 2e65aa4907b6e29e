"""Personal calendar events with an optional reminder (N minutes before)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, ErrorCode
from core.notifications.services import remind, reminder_cancel

from ..models import Event
from ._common import raise_if, text

REMINDER_TEXT = gettext_lazy("“%(title)s” starts at %(start)s.")
MAX_REMIND = 7 * 24 * 60


def _clean(data: dict, current: Event | None = None) -> dict:
    errors: dict = {}
    text(data, errors, "title", 200, required=True)
    text(data, errors, "location", 200)
    text(data, errors, "notes", 5000)
    starts_at = data.get("starts_at", current.starts_at if current else None)
    ends_at = data.get("ends_at", current.ends_at if current else None)
    if starts_at is None:
        errors["starts_at"] = [_("Enter the start.")]
    if ends_at is None:
        errors["ends_at"] = [_("Enter the end.")]
    elif starts_at is not None and ends_at < starts_at:
        errors["ends_at"] = [_("The end cannot be before the start.")]
    minutes = data.get("remind_minutes")
    if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool)
                                or not 0 <= minutes <= MAX_REMIND):
        errors["remind_minutes"] = [_("Enter minutes from 0 to %(n)d.") % {"n": MAX_REMIND}]
    raise_if(errors)
    return data


def _reschedule(event: Event) -> None:
    reminder_cancel(obj=event)
    if event.remind_minutes is None:
        return
    due = event.starts_at - timedelta(minutes=event.remind_minutes)
    if due > timezone.now():
        remind(user=event.owner, obj=event, message=REMINDER_TEXT, at=due,
               link=reverse("oa:event-detail", args=[event.pk]),
               params={"title": event.title, "start": timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")})


@transaction.atomic
def event_create(*, by, title: str, starts_at, ends_at, location: str = "", notes: str = "",
                 remind_minutes: int | None = None) -> Event:
    data = _clean({"title": title, "starts_at": starts_at, "ends_at": ends_at, "location": location,
                   "notes": notes, "remind_minutes": remind_minutes})
    event = Event.objects.create(owner=by, **data)
    _reschedule(event)
    return event


@transaction.atomic
def event_update(*, event: Event, by, **fields) -> Event:
    if event.owner_id != by.pk:
        raise DomainError(_("This is not your event."), code=ErrorCode.NOT_FOUND)
    allowed = {"title", "starts_at", "ends_at", "location", "notes", "remind_minutes"}
    data = _clean({k: v for k, v in fields.items() if k in allowed}, event)
    for key, value in data.items():
        setattr(event, key, value)
    event.save()
    _reschedule(event)
    return event


@transaction.atomic
def event_delete(*, event: Event, by) -> None:
    if event.owner_id != by.pk:
        raise DomainError(_("This is not your event."), code=ErrorCode.NOT_FOUND)
    reminder_cancel(obj=event)
    event.delete()
