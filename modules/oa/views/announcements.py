"""Announcements with read receipts and acknowledgements."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..forms import AnnouncementForm
from ._common import PAGE_SIZE, form_page


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
    return form_page(request, "oa/announcement_form.html", form)
