"""OA pages (thin: selectors scope, services write). Anything outside the
caller's scope answers 404, like the API."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.approvals.selectors import history_for, pending_for
from core.approvals.services import open_request_for
from core.errors import DomainError
from core.notifications.models import Reminder
from core.notifications.services import render_text
from core.org.webutils import add_domain_error, permission_required

from . import selectors, services
from .filters import LeaveRequestFilterSet, WorkLogFilterSet
from .forms import (
    AnnouncementForm, EventForm, ExpenseClaimForm, LeaveRequestForm, MeetingForm, MessageForm, MinutesForm,
    RespondForm, WorkLogForm,
)
from .models import EDITABLE_STATES, ApprovalState

PAGE_SIZE = 25


def _form_page(request, template, form, context=None):
    return render(request, template, {"form": form, **(context or {})}, status=400 if form.errors else 200)


# -------------------------------------------------------------- workbench


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


# ------------------------------------------------------ leave and expense


def _approval_context(document):
    request = open_request_for(document)
    return {"approval": request, "history": history_for(document),
            "editable": document.state in EDITABLE_STATES}


@permission_required("oa.leave_request.view")
def leave_list(request):
    filterset = LeaveRequestFilterSet(request.GET, queryset=selectors.leave_list(user=request.user))
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render(request, "oa/leave_list.html", {
        "filter": filterset, "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_add": access_for(request.user).can("oa.leave_request.add"),
    })


@permission_required("oa.leave_request.view")
def leave_detail(request, pk):
    leave = get_object_or_404(selectors.leave_list(user=request.user), pk=pk)
    return render(request, "oa/leave_detail.html", {"leave": leave, "mine": leave.requester_id == request.user.pk,
                                                    **_approval_context(leave)})


@permission_required("oa.leave_request.add")
@require_http_methods(["GET", "POST"])
def leave_create(request):
    form = LeaveRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.leave_request_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Leave request saved as a draft. Submit it when ready."))
            return redirect("oa:leave-detail", pk=leave.pk)
    return _form_page(request, "oa/leave_form.html", form)


@permission_required("oa.leave_request.change")
@require_http_methods(["GET", "POST"])
def leave_edit(request, pk):
    leave = get_object_or_404(selectors.leave_list(user=request.user), pk=pk)
    form = LeaveRequestForm(request.POST or None, initial={
        "kind": leave.kind, "starts_on": leave.starts_on, "ends_on": leave.ends_on, "days": leave.days,
        "reason": leave.reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_request_update(leave=leave, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Leave request saved."))
            return redirect("oa:leave-detail", pk=leave.pk)
    return _form_page(request, "oa/leave_form.html", form, {"leave": leave})


def _document_action(request, document, service, kwarg, done, target):
    try:
        service(**{kwarg: document}, by=request.user, comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(target, pk=document.pk)


@permission_required("oa.leave_request.change")
@require_POST
def leave_submit(request, pk):
    leave = get_object_or_404(selectors.leave_list(user=request.user), pk=pk)
    return _document_action(request, leave, services.leave_request_submit, "leave",
                            _("Leave request submitted for approval."), "oa:leave-detail")


@permission_required("oa.leave_request.change")
@require_POST
def leave_withdraw(request, pk):
    leave = get_object_or_404(selectors.leave_list(user=request.user), pk=pk)
    return _document_action(request, leave, services.leave_request_withdraw, "leave",
                            _("Leave request withdrawn."), "oa:leave-detail")


@permission_required("oa.expense_claim.view")
def expense_list(request):
    rows = selectors.expense_list(user=request.user)
    state = request.GET.get("state")
    if state in ApprovalState.values:
        rows = rows.filter(state=state)
    return render(request, "oa/expense_list.html", {
        "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "states": ApprovalState.choices,
        "state": state, "can_add": access_for(request.user).can("oa.expense_claim.add"),
    })


@permission_required("oa.expense_claim.view")
def expense_detail(request, pk):
    claim = get_object_or_404(selectors.expense_list(user=request.user), pk=pk)
    return render(request, "oa/expense_detail.html", {"claim": claim, "mine": claim.claimant_id == request.user.pk,
                                                      **_approval_context(claim)})


@permission_required("oa.expense_claim.add")
@require_http_methods(["GET", "POST"])
def expense_create(request):
    form = ExpenseClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.expense_claim_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Expense claim saved as a draft. Submit it when ready."))
            return redirect("oa:expense-detail", pk=claim.pk)
    return _form_page(request, "oa/expense_form.html", form)


@permission_required("oa.expense_claim.change")
@require_http_methods(["GET", "POST"])
def expense_edit(request, pk):
    claim = get_object_or_404(selectors.expense_list(user=request.user), pk=pk)
    form = ExpenseClaimForm(request.POST or None, initial={
        "title": claim.title, "amount": claim.amount, "currency": claim.currency, "spent_on": claim.spent_on,
        "description": claim.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_claim_update(claim=claim, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Expense claim saved."))
            return redirect("oa:expense-detail", pk=claim.pk)
    return _form_page(request, "oa/expense_form.html", form, {"claim": claim})


@permission_required("oa.expense_claim.change")
@require_POST
def expense_submit(request, pk):
    claim = get_object_or_404(selectors.expense_list(user=request.user), pk=pk)
    return _document_action(request, claim, services.expense_claim_submit, "claim",
                            _("Expense claim submitted for approval."), "oa:expense-detail")


@permission_required("oa.expense_claim.change")
@require_POST
def expense_withdraw(request, pk):
    claim = get_object_or_404(selectors.expense_list(user=request.user), pk=pk)
    return _document_action(request, claim, services.expense_claim_withdraw, "claim",
                            _("Expense claim withdrawn."), "oa:expense-detail")


# -------------------------------------------------------------- work logs


@permission_required("oa.worklog.view")
def worklog_list(request):
    filterset = WorkLogFilterSet(request.GET, queryset=selectors.worklog_list(user=request.user))
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render(request, "oa/worklog_list.html", {
        "filter": filterset, "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_add": access_for(request.user).can("oa.worklog.add"),
    })


@permission_required("oa.worklog.view")
def worklog_detail(request, pk):
    log = get_object_or_404(selectors.worklog_list(user=request.user), pk=pk)
    return render(request, "oa/worklog_detail.html", {"log": log, "mine": log.author_id == request.user.pk})


@permission_required("oa.worklog.add")
@require_http_methods(["GET", "POST"])
def worklog_create(request):
    form = WorkLogForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            log = services.worklog_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Work log saved."))
            return redirect("oa:worklog-detail", pk=log.pk)
    return _form_page(request, "oa/worklog_form.html", form)


@permission_required("oa.worklog.change")
@require_http_methods(["GET", "POST"])
def worklog_edit(request, pk):
    log = get_object_or_404(selectors.worklog_list(user=request.user), pk=pk)
    form = WorkLogForm(request.POST or None, initial={"day": log.day, "summary": log.summary,
                                                      "next_plan": log.next_plan})
    form.fields["day"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.worklog_update(log=log, by=request.user, summary=form.cleaned_data["summary"],
                                    next_plan=form.cleaned_data["next_plan"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Work log saved."))
            return redirect("oa:worklog-detail", pk=log.pk)
    return _form_page(request, "oa/worklog_form.html", form, {"log": log})


# --------------------------------------------------------------- calendar


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
    return _form_page(request, "oa/event_form.html", form)


@permission_required("oa.event.delete")
@require_POST
def event_delete(request, pk):
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    services.event_delete(event=event, by=request.user)
    messages.success(request, _("Event deleted."))
    return redirect("oa:calendar")


# --------------------------------------------------------------- messages


@permission_required("oa.message.view")
def message_inbox(request):
    box = request.GET.get("box", "inbox")
    if box not in ("inbox", "sent"):
        raise Http404
    query = (request.GET.get("q") or "").strip()
    rows = selectors.message_list(user=request.user)
    rows = rows.filter(sender=request.user) if box == "sent" else rows.filter(recipients__user=request.user)
    if query:
        from django.db.models import Q

        rows = rows.filter(Q(subject__icontains=query) | Q(body__icontains=query)
                           | Q(sender__full_name__icontains=query))
    unread = set(selectors.inbox(user=request.user).filter(read_at__isnull=True).values_list("message_id", flat=True))
    return render(request, "oa/message_list.html", {
        "box": box, "q": query, "unread": unread,
        "page_obj": Paginator(rows.order_by("-sent_at"), PAGE_SIZE).get_page(request.GET.get("page")),
        "can_add": access_for(request.user).can("oa.message.add"),
    })


@permission_required("oa.message.view")
def message_detail(request, pk):
    message = get_object_or_404(selectors.message_list(user=request.user), pk=pk)
    services.message_mark_read(message=message, by=request.user)
    return render(request, "oa/message_detail.html", {"message": message})


@permission_required("oa.message.add")
@require_http_methods(["GET", "POST"])
def message_create(request):
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_send(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Message sent."))
            return redirect("oa:message-detail", pk=message.pk)
    return _form_page(request, "oa/message_form.html", form)


# ---------------------------------------------------------- announcements


@permission_required("oa.announcement.view")
def announcement_list(request):
    rows = selectors.announcement_list(user=request.user).order_by("-published_at")
    return render(request, "oa/announcement_list.html", {
        "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "unread": {r.announcement_id for r in selectors.unread_announcements(user=request.user)},
        "can_add": access_for(request.user).can("oa.announcement.add"),
    })


@permission_required("oa.announcement.view")
def announcement_detail(request, pk):
    announcement = get_object_or_404(selectors.announcement_list(user=request.user), pk=pk)
    receipt = selectors.receipt_of(user=request.user, announcement=announcement)
    if receipt is not None:
        receipt = services.announcement_mark_read(announcement=announcement, by=request.user)
    can_manage = access_for(request.user).can("oa.announcement.change") or announcement.author_id == request.user.pk
    return render(request, "oa/announcement_detail.html", {
        "announcement": announcement, "receipt": receipt,
        "receipts": selectors.receipts_of(announcement=announcement) if can_manage else None,
    })


@permission_required("oa.announcement.view")
@require_POST
def announcement_acknowledge(request, pk):
    announcement = get_object_or_404(selectors.announcement_list(user=request.user), pk=pk)
    try:
        services.announcement_acknowledge(announcement=announcement, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: your acknowledgement is recorded."))
    return redirect("oa:announcement-detail", pk=announcement.pk)


@permission_required("oa.announcement.add")
@require_http_methods(["GET", "POST"])
def announcement_create(request):
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_publish(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Published."))
            return redirect("oa:announcement-detail", pk=announcement.pk)
    return _form_page(request, "oa/announcement_form.html", form)


# --------------------------------------------------------------- meetings


@permission_required("oa.meeting.view")
def meeting_list(request):
    rows = selectors.meeting_list(user=request.user)
    past = request.GET.get("past") == "1"
    now = timezone.now()
    rows = rows.filter(ends_at__lt=now).order_by("-starts_at") if past else rows.filter(ends_at__gte=now)
    return render(request, "oa/meeting_list.html", {
        "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "past": past,
        "can_add": access_for(request.user).can("oa.meeting.add"),
    })


@permission_required("oa.meeting.view")
def meeting_detail(request, pk):
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    return render(request, "oa/meeting_detail.html", {
        "meeting": meeting, "invitation": selectors.invitation_of(user=request.user, meeting=meeting),
        "is_organiser": meeting.organiser_id == request.user.pk,
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
    })


@permission_required("oa.meeting.add")
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Meeting created; invitations sent."))
            return redirect("oa:meeting-detail", pk=meeting.pk)
    return _form_page(request, "oa/meeting_form.html", form)


@permission_required("oa.meeting.view")
@require_POST
def meeting_respond(request, pk):
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Accept or decline."))
        return redirect("oa:meeting-detail", pk=meeting.pk)
    try:
        services.meeting_respond(meeting=meeting, by=request.user, response=form.cleaned_data["response"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your answer is recorded."))
    return redirect("oa:meeting-detail", pk=meeting.pk)


@permission_required("oa.meeting.change")
@require_POST
def meeting_minutes(request, pk):
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    form = MinutesForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Write the minutes first."))
        services.meeting_record_minutes(meeting=meeting, by=request.user, minutes=form.cleaned_data["minutes"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Minutes saved."))
    return redirect("oa:meeting-detail", pk=meeting.pk)


@permission_required("oa.meeting.change")
@require_POST
def meeting_cancel(request, pk):
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    try:
        services.meeting_cancel(meeting=meeting, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Meeting cancelled; attendees were told."))
    return redirect("oa:meeting-detail", pk=meeting.pk)
