"""Customer pages (thin: the selector applies the data scope, services write).
A customer outside the caller's scope answers 404, like the API."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import access_for
from core.audit.selectors import audit_list, change_rows
from core.csvexport import csv_response
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..api.views import CUSTOMER_CSV_HEADER, customer_csv_rows
from ..filters import CustomerFilterSet
from ..forms import CustomerForm

PAGE_SIZE = 25


def _filtered(request):
    filterset = CustomerFilterSet(request.GET, queryset=selectors.customer_list(user=request.user), request=request)
    valid = filterset.is_valid()
    return filterset, (filterset.qs if valid else filterset.queryset.none()), valid


@permission_required("crm.customer.view")
def customer_list(request):
    filterset, customers, valid = _filtered(request)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    access = access_for(request.user)
    return render(request, "crm/customer_list.html", {
        "filter": filterset, "page_obj": page,
        "can_add": access.can("crm.customer.add"), "can_export": access.can("crm.customer.export"),
    }, status=200 if valid else 400)


@permission_required("crm.customer.export")
def customer_export(request):
    _filterset, customers, _valid = _filtered(request)
    return csv_response(f"customers-{timezone.localdate():%Y%m%d}.csv", CUSTOMER_CSV_HEADER,
                        customer_csv_rows(customers))


@permission_required("crm.customer.view")
def customer_detail(request, pk):
    customer = get_object_or_404(selectors.customer_list(user=request.user), pk=pk)
    access = access_for(request.user)
    history = None
    if access.can("core.audit.view"):
        entries = audit_list(user=request.user).filter(object_type="crm.customer", object_id=str(customer.pk))[:20]
        history = [(entry, change_rows(entry)) for entry in entries]
    user = request.user
    return render(request, "crm/customer_detail.html", {
        "customer": customer, "history": history,
        "can_change": access.can("crm.customer.change"), "can_delete": access.can("crm.customer.delete"),
        "contacts": selectors.contact_list(user=user).filter(customer=customer) if access.can("crm.contact.view")
        else None,
        "opportunities": selectors.opportunity_list(user=user).filter(customer=customer)
        if access.can("crm.opportunity.view") else None,
        "follow_ups": selectors.follow_up_list(user=user).filter(customer=customer)[:20]
        if access.can("crm.followup.view") else None,
        "owner_changes": selectors.owner_change_list(user=user).filter(customer=customer, opportunity=None)[:20],
        "can_add_contact": access.can("crm.contact.add"), "can_add_opportunity": access.can("crm.opportunity.add"),
        "can_add_follow_up": access.can("crm.followup.add"),
    })


@permission_required("crm.customer.add")
@require_http_methods(["GET", "POST"])
def customer_create(request):
    form = CustomerForm(request.POST or None,
                        initial={"owner": request.user.pk, "department": request.user.department_id})
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Customer %(name)s created.") % {"name": customer.name})
            return redirect("crm:customer-detail", pk=customer.pk)
    return render(request, "crm/customer_form.html", {"form": form, "customer": None},
                  status=400 if form.errors else 200)


@permission_required("crm.customer.change")
@require_http_methods(["GET", "POST"])
def customer_edit(request, pk):
    customer = get_object_or_404(selectors.customer_list(user=request.user), pk=pk)
    form = CustomerForm(request.POST or None, initial=CustomerForm.initial_for(customer))
    if request.method == "POST" and form.is_valid():
        # Only what the user changed: a new owner with the department left
        # alone moves the customer to the new owner's department.
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.customer_update(customer=customer, by=request.user, **changed)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Customer %(name)s saved.") % {"name": form.cleaned_data["name"]})
            return redirect("crm:customer-detail", pk=customer.pk)
    return render(request, "crm/customer_form.html", {"form": form, "customer": customer},
                  status=400 if form.errors else 200)


@permission_required("crm.customer.delete")
@require_http_methods(["GET", "POST"])
def customer_delete(request, pk):
    customer = get_object_or_404(selectors.customer_list(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            services.customer_delete(customer=customer, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("crm:customer-detail", pk=customer.pk)
        messages.success(request, _("Customer %(name)s deleted.") % {"name": customer.name})
        return redirect("crm:customer-list")
    return render(request, "crm/customer_confirm_delete.html", {"customer": customer})
