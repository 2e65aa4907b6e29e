"""Complaint and feedback pages: list with filters (and export), record,
edit, move through the statuses, delete."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.listing import filter_list
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..exports import COMPLAINT_EXPORT
from ..filters import ComplaintFilterSet
from ..forms import ComplaintForm, ComplaintStatusForm
from ..models.feedback import ComplaintStatus
from ..services.feedback import TRANSITIONS


def _complaints(request):
    return filter_list(request, ComplaintFilterSet, selectors.complaint_list(user=request.user))


@permission_required("crm.complaint.view")
def complaint_list(request):
    listing = _complaints(request)
    access = access_for(request.user)
    return render(request, "crm/complaint_list.html", {
        "filter": listing.filter, "page_obj": listing.page(request),
        "can_add": access.can("crm.complaint.add"), "can_export": access.can("crm.complaint.export"),
    }, status=listing.status)


@permission_required("crm.complaint.export")
def complaint_export(request):
    return _complaints(request).export(request, COMPLAINT_EXPORT)


def _render_detail(request, complaint, status_form=None, status=200):
    """The detail page; ``status_form`` carries a refused status change back (nothing typed is lost)."""
    access = access_for(request.user)
    next_statuses = [(value.value, value.label) for value in TRANSITIONS[complaint.status]]
    if status_form is None:
        status_form = ComplaintStatusForm(initial={"status": next_statuses[0][0] if next_statuses else None})
    status_form.fields["status"].choices = next_statuses
    return render(request, "crm/complaint_detail.html", {
        "complaint": complaint, "status_form": status_form if next_statuses else None,
        "can_change": access.can("crm.complaint.change"), "can_delete": access.can("crm.complaint.delete"),
    }, status=status)


@permission_required("crm.complaint.view")
def complaint_detail(request, pk):
    return _render_detail(request, get_object_or_404(selectors.complaint_list(user=request.user), pk=pk))


@permission_required("crm.complaint.add")
@require_http_methods(["GET", "POST"])
def complaint_create(request):
    form = ComplaintForm(request.POST or None, customers=selectors.customer_list(user=request.user),
                         initial={"customer": request.GET.get("customer")})
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("crm:complaint-detail", pk=complaint.pk)
    return render(request, "crm/complaint_form.html", {"form": form, "complaint": None},
                  status=400 if form.errors else 200)


@permission_required("crm.complaint.change")
@require_http_methods(["GET", "POST"])
def complaint_edit(request, pk):
    complaint = get_object_or_404(selectors.complaint_list(user=request.user), pk=pk)
    form = ComplaintForm(request.POST or None, initial=ComplaintForm.initial_for(complaint))
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.complaint_update(complaint=complaint, by=request.user, **changed)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("crm:complaint-detail", pk=complaint.pk)
    return render(request, "crm/complaint_form.html", {"form": form, "complaint": complaint},
                  status=400 if form.errors else 200)


@permission_required("crm.complaint.change")
@require_POST
def complaint_status(request, pk):
    complaint = get_object_or_404(selectors.complaint_list(user=request.user), pk=pk)
    form = ComplaintStatusForm(request.POST)
    form.fields["status"].choices = ComplaintStatus.choices  # the service decides which move is allowed
    status = 400
    if form.is_valid():
        try:
            services.complaint_set_status(complaint=complaint, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Status changed."))
            return redirect("crm:complaint-detail", pk=complaint.pk)
    return _render_detail(request, complaint, form, status=status)


@permission_required("crm.complaint.delete")
@require_POST
def complaint_delete(request, pk):
    complaint = get_object_or_404(selectors.complaint_list(user=request.user), pk=pk)
    services.complaint_delete(complaint=complaint, by=request.user)
    messages.success(request, _("Deleted."))
    return redirect("crm:complaint-list")
