"""Meetings: invitations, answers, editing and rescheduling, minutes (text
and files), cancelling."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..forms import AttachmentForm, MeetingForm, MinutesForm, RespondForm
from ._common import PAGE_SIZE, form_page


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


def _meeting_page(request, meeting, *, upload_form=None):
    """The meeting page; a refused minutes file shows its form errors (400)."""
    access = access_for(request.user)
    is_organiser = meeting.organiser_id == request.user.pk
    return render(request, "oa/meeting_detail.html", {
        "meeting": meeting, "invitation": selectors.invitation_of(user=request.user, meeting=meeting),
        "is_organiser": is_organiser, "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        "attachments": meeting.attachments.all(), "can_attach": access.can("oa.meeting.change"),
        "can_remove_all": is_organiser or access.is_admin, "upload_form": upload_form or AttachmentForm(),
    }, status=400 if upload_form is not None and upload_form.errors else 200)


@permission_required("oa.meeting.view")
def meeting_detail(request, pk):
    return _meeting_page(request, get_object_or_404(selectors.meeting_list(user=request.user), pk=pk))


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
    return form_page(request, "oa/meeting_form.html", form)


@permission_required("oa.meeting.change")
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    """The organiser changes the details, the time or the attendees."""
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    form = MeetingForm(request.POST or None, initial={
        "title": meeting.title, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at,
        "location": meeting.location, "agenda": meeting.agenda, "remind_minutes": meeting.remind_minutes,
        "users": [i.user_id for i in meeting.invitations.all()], "departments": list(meeting.departments.all()),
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Meeting saved; attendees were told."))
            return redirect("oa:meeting-detail", pk=meeting.pk)
    return form_page(request, "oa/meeting_form.html", form, {"meeting": meeting})


@permission_required("oa.meeting.change")
@require_POST
def meeting_attach(request, pk):
    """Attach a minutes file (or any file) to the meeting."""
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(parent=meeting, by=request.user, upload=form.cleaned_data["file"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("File attached."))
            return redirect("oa:meeting-detail", pk=meeting.pk)
    return _meeting_page(request, meeting, upload_form=form)


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
