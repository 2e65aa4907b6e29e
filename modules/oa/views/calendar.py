"""The calendar (day, week, month) and personal events."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..forms import EventForm
from ._common import form_page


def _parse_day(value) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        raise Http404 from None


@permission_required("oa.event.view")
def calendar_view(request):
    """Day, week or month grid of the caller's events and meetings."""
    view = request.GET.get("view", "week")
    if view not in ("day", "week", "month"):
        raise Http404
    day = _parse_day(request.GET.get("day"))
    if view == "day":
        first, last = day, day
        previous, following = day - timedelta(days=1), day + timedelta(days=1)
    elif view == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
        previous, following = day - timedelta(days=7), day + timedelta(days=7)
    else:
        month_first = day.replace(day=1)
        month_last = day.replace(day=pycalendar.monthrange(day.year, day.month)[1])
        first = month_first - timedelta(days=month_first.weekday())
        last = month_last + timedelta(days=6 - month_last.weekday())
        previous = (month_first - timedelta(days=1)).replace(day=1)
        following = month_last + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    items = [(e.starts_at, e.ends_at, e.title, ("oa:event-detail", e.pk), "event")
             for e in selectors.events_between(user=request.user, start=start, end=end)]
    if access_for(request.user).can("oa.meeting.view"):
        items += [(m.starts_at, m.ends_at, m.title, ("oa:meeting-detail", m.pk), "meeting")
                  for m in selectors.meeting_list(user=request.user).filter(
                      starts_at__lt=end, ends_at__gte=start, cancelled_at__isnull=True)]
    days = []
    current = first
    while current <= last:
        day_start = datetime.combine(current, time.min, tzinfo=tz)
        day_end = day_start + timedelta(days=1)
        entries = sorted(
            ({"starts_at": s, "ends_at": e, "title": t, "url_name": u[0], "pk": u[1], "kind": k}
             for s, e, t, u, k in items if s < day_end and e >= day_start), key=lambda x: x["starts_at"])
        days.append({"date": current, "entries": entries, "in_month": current.month == day.month,
                     "is_today": current == timezone.localdate()})
        current += timedelta(days=1)
    weeks = [days[i:i + 7] for i in range(0, len(days), 7)]
    return render(request, "oa/calendar.html", {
        "view": view, "day": day, "days": days, "weeks": weeks, "previous": previous, "following": following,
        "can_add": access_for(request.user).can("oa.event.add"),
    })


@permission_required("oa.event.view")
def event_detail(request, pk):
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    return render(request, "oa/event_detail.html", {"event": event})


@permission_required("oa.event.add")
@require_http_methods(["GET", "POST"])
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Event saved."))
            return redirect(f"{redirect('oa:calendar').url}?view=day&day={timezone.localtime(event.starts_at).date()}")
    return form_page(request, "oa/event_form.html", form)


@permission_required("oa.event.change")
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    """Change an event; its reminder moves with it."""
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    form = EventForm(request.POST or None, initial={
        "title": event.title, "starts_at": event.starts_at, "ends_at": event.ends_at, "location": event.location,
        "notes": event.notes, "remind_minutes": event.remind_minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Event saved."))
            return redirect("oa:event-detail", pk=event.pk)
    return form_page(request, "oa/event_form.html", form, {"event": event})


@permission_required("oa.event.delete")
@require_POST
def event_delete(request, pk):
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    services.event_delete(event=event, by=request.user)
    messages.success(request, _("Event deleted."))
    return redirect("oa:calendar")
