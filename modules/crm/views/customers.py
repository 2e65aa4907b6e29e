"""Customer pages (thin: the selector applies the data scope, services write).
A customer outside the caller's scope answers 404, like the API."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import access_for
from core.audit.selectors import audit_list, change_rows
from core.errors import DomainError, ErrorCode
from core.listing import filter_list
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..exports import CUSTOMER_EXPORT
from ..filters import CustomerFilterSet
from ..forms import CustomerForm, CustomerImportForm
from ..services import customer_import as importing



def _customers(request):
    return filter_list(request, CustomerFilterSet, selectors.customer_list(user=request.user))


def _refused(form, exc: DomainError) -> None:
    """Show the service's refusal on the form; a possible duplicate may be confirmed."""
    if exc.code == ErrorCode.CONFLICT:
        form.offer_duplicate_override()
        form.add_error(None, exc.message)
    add_domain_error(form, exc)


@permission_required("crm.customer.view")
def customer_list(request):
    listing = _customers(request)
    access = access_for(request.user)
    return render(request, "crm/customer_list.html", {
        "filter": listing.filter, "page_obj": listing.page(request),
        "can_add": access.can("crm.customer.add"), "can_export": access.can("crm.customer.export"),
        "can_import": access.can("crm.customer.add"),
    }, status=listing.status)


@permission_required("crm.customer.export")
def customer_export(request):
    return _customers(request).export(request, CUSTOMER_EXPORT)


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
        data, allow_duplicate = form.service_data()
        try:
            customer = services.customer_create(by=request.user, allow_duplicate=allow_duplicate, **data)
        except DomainError as exc:
            _refused(form, exc)
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
        changed, allow_duplicate = form.service_data(form.changed_data)
        try:
            services.customer_update(customer=customer, by=request.user, allow_duplicate=allow_duplicate, **changed)
        except DomainError as exc:
            _refused(form, exc)
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


IMPORT_SALT = "crm.customer-import"
IMPORT_MAX_AGE = 3600


@permission_required("crm.customer.add")
def customer_import_template(request):
    """An empty sheet with the columns the import reads (the export's)."""
    return CUSTOMER_EXPORT.response([], "xlsx")


@permission_required("crm.customer.add")
@require_http_methods(["GET", "POST"])
def customer_import(request):
    """Upload → preview (every row checked, nothing saved) → import all rows or
    only the valid ones. The checked rows travel between the two steps signed
    in the page, so nothing is stored half-way; they are checked again when saved."""
    form = CustomerImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "preview": None}
    if request.method == "POST" and "rows" in request.POST:
        try:
            rows = signing.loads(request.POST["rows"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("The preview has expired. Upload the file again."))
            return redirect("crm:customer-import")
        rows = [(number, data) for number, data in rows]
        try:
            result = importing.import_customers(rows, by=request.user, mode=request.POST.get("mode", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
            context.update(_preview_context(rows, request.user), form=CustomerImportForm())
            return render(request, "crm/customer_import.html", context, status=400)
        created = sum(1 for row in result.rows if row.customer is not None)
        messages.success(request, _("%(n)d customer(s) imported.") % {"n": created}
                         + (" " + _("%(n)d row(s) with errors were skipped.") % {"n": len(result.invalid_rows)}
                            if result.invalid_rows else ""))
        return redirect("crm:customer-list")
    if request.method == "POST" and form.is_valid():
        try:
            rows = importing.read_customer_rows(form.cleaned_data["file"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            context.update(_preview_context(rows, request.user))
    return render(request, "crm/customer_import.html", context, status=400 if form.errors else 200)


def _preview_context(rows, user) -> dict:
    preview = importing.preview_customer_import(rows, by=user)
    return {"preview": preview, "columns": importing.COLUMNS,
            "rows_token": signing.dumps(rows, salt=IMPORT_SALT, compress=True)}
