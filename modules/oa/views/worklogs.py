"""Work logs: one per author and day, read up the manager chain."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..filters import WorkLogFilterSet
from ..forms import WorkLogForm
from ._common import PAGE_SIZE, form_page


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
    return form_page(request, "oa/worklog_form.html", form)


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
    return form_page(request, "oa/worklog_form.html", form, {"log": log})
