"""The workbench: today's schedule, messages, approvals, reminders and news."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core.access import access_for
from core.approvals.selectors import pending_for
from core.notifications.models import Reminder
from core.notifications.services import render_text

from .. import selectors


def workbench_context(request) -> dict:
    """Today's schedule, unread messages, pending approvals, reminders and the
    latest announcements of the signed-in person."""
    user = request.user
    access = access_for(user)
    now = timezone.localtime()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    meetings = (selectors.meeting_list(user=user).filter(starts_at__lt=end, ends_at__gte=start,
                                                         cancelled_at__isnull=True).order_by("starts_at")
                if access.can("oa.meeting.view") else [])
    return {
        "today": now.date(),
        "events": selectors.events_between(user=user, start=start, end=end),
        "meetings": meetings,
        "inbox": selectors.inbox(user=user).filter(read_at__isnull=True)[:5],
        "unread_count": selectors.unread_message_count(user=user),
        "pending_approvals": pending_for(user=user)[:10],
        "reminders": [
            {"due_at": r.due_at, "link": r.link, "text": render_text(r.message, r.params)}
            for r in Reminder.objects.filter(user=user, sent_at__isnull=True, due_at__lt=end).order_by("due_at")[:5]
        ],
        "announcements": selectors.announcement_list(user=user).order_by("-published_at")[:5],
        "unread_announcements": {r.announcement_id for r in selectors.unread_announcements(user=user)},
        "can": {code: access.can(f"oa.{code}.add") for code in ("leave_request", "expense_claim", "worklog",
                                                                   "event", "message", "meeting", "announcement")},
    }


@login_required
def workbench(request):
    return render(request, "oa/workbench.html", workbench_context(request))
