"""Quote pages: list (also the search for a quote to copy), create from an
opportunity or a customer, edit, detail with the approval actions, won/lost,
copy, and a print view fit to send to the customer (print CSS, no script)."""

from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.approvals.services.engine import open_request_for
from core.errors import DomainError
from core.listing import filter_list
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..exports import QUOTE_EXPORT
from ..filters import QuoteFilterSet
from ..forms import QuoteCopyForm, QuoteForm, QuoteLineForm, QuoteLineFormSet, QuoteLostForm



def _quote(request, pk, permission="crm.quote.view"):
    return get_object_or_404(selectors.quote_with_lines(user=request.user, permission=permission), pk=pk)


def _quotes(request):
    return filter_list(request, QuoteFilterSet, selectors.quote_list(user=request.user))


@permission_required("crm.quote.view")
def quote_list(request):
    listing = _quotes(request)
    return render(request, "crm/quote_list.html", {
        "filter": listing.filter, "page_obj": listing.page(request),
        "can_export": access_for(request.user).can("crm.quote.export"),
    }, status=listing.status)


@permission_required("crm.quote.export")
def quote_export(request):
    return _quotes(request).export(request, QUOTE_EXPORT)


def _lines_of(formset) -> list[dict]:
    return [line for line in (form.as_line() for form in formset.forms) if line is not None]


def _show_line_errors(formset, exc: DomainError) -> DomainError:
    """Line problems come back as "<n>: <field>: message"; put them on the rows."""
    rest = {}
    for field, problems in exc.fields.items():
        if field != "lines":
            rest[field] = problems
            continue
        for problem in problems:
            number, _sep, tail = problem.partition(": ")
            name, _sep, message = tail.partition(": ")
            filled = [form for form in formset.forms if form.as_line() is not None]
            if number.isdigit() and 0 < int(number) <= len(filled) and name in filled[int(number) - 1].fields:
                filled[int(number) - 1].add_error(name, message)
            else:
                rest.setdefault("__all__", []).append(problem)
    return DomainError(exc.message, code=exc.code, fields=rest)


@permission_required("crm.quote.add")
@require_http_methods(["GET", "POST"])
def quote_create(request):
    """``?opportunity=<id>`` or ``?customer=<id>`` (in the caller's scope, else 404)."""
    user = request.user
    opportunity = customer = None
    try:
        if request.GET.get("opportunity"):
            opportunity = selectors.opportunity_list(user=user).filter(pk=request.GET["opportunity"]).first()
        elif request.GET.get("customer"):
            customer = selectors.customer_list(user=user).filter(pk=request.GET["customer"]).first()
    except (ValueError, DjangoValidationError):
        raise Http404 from None
    if opportunity is None and customer is None:
        if request.GET.get("opportunity") or request.GET.get("customer"):
            raise Http404
        messages.info(request, _("Create quotes from an opportunity or a customer."))
        return redirect("crm:quote-list")
    form = QuoteForm(request.POST or None)
    formset = QuoteLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            quote = services.quote_create(by=user, customer=customer, opportunity=opportunity,
                                          lines=_lines_of(formset), **data)
        except DomainError as exc:
            add_domain_error(form, _show_line_errors(formset, exc))
        else:
            messages.success(request, _("Quote %(number)s created.") % {"number": quote.number})
            return redirect("crm:quote-detail", pk=quote.pk)
    return render(request, "crm/quote_form.html", {
        "form": form, "formset": formset, "quote": None, "opportunity": opportunity,
        "customer": customer or opportunity.customer,
    }, status=400 if form.errors or formset.total_error_count() else 200)


@permission_required("crm.quote.change")
@require_http_methods(["GET", "POST"])
def quote_edit(request, pk):
    quote = _quote(request, pk, "crm.quote.change")
    if not quote.is_editable:
        messages.error(request, _("A quote that is %(state)s cannot be edited.")
                       % {"state": quote.get_state_display().lower()})
        return redirect("crm:quote-detail", pk=quote.pk)
    form = QuoteForm(request.POST or None, initial={"title": quote.title, "currency": quote.currency,
                                                    "valid_until": quote.valid_until, "notes": quote.notes})
    formset = QuoteLineFormSet(request.POST or None, prefix="lines",
                               initial=[QuoteLineForm.initial_for(line) for line in quote.lines.all()])
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        data["currency"] = data["currency"] or quote.currency
        data["title"] = data["title"] or quote.title
        try:
            services.quote_update(quote=quote, by=request.user, lines=_lines_of(formset), **data)
        except DomainError as exc:
            add_domain_error(form, _show_line_errors(formset, exc))
        else:
            messages.success(request, _("Quote %(number)s saved.") % {"number": quote.number})
            return redirect("crm:quote-detail", pk=quote.pk)
    return render(request, "crm/quote_form.html", {
        "form": form, "formset": formset, "quote": quote, "opportunity": quote.opportunity,
        "customer": quote.customer,
    }, status=400 if form.errors or formset.total_error_count() else 200)


@permission_required("crm.quote.view")
def quote_detail(request, pk):
    quote = _quote(request, pk)
    access = access_for(request.user)
    return render(request, "crm/quote_detail.html", {
        "quote": quote, "approval": open_request_for(quote), "can_change": access.can("crm.quote.change"),
        "can_add": access.can("crm.quote.add"), "lost_form": QuoteLostForm(),
        "copy_form": QuoteCopyForm(opportunities=selectors.opportunity_list(user=request.user)
                                   .filter(customer_id=quote.customer_id, stage__in=["lead", "qualified", "proposal",
                                                                                    "negotiation"])),
    })


@permission_required("crm.quote.view")
def quote_print(request, pk):
    """The quote as a document for the customer (print with the browser: print CSS, no script)."""
    return render(request, "crm/quote_print.html", {"quote": _quote(request, pk)})


def _act(request, pk, run, success: str):
    quote = _quote(request, pk, "crm.quote.change")
    try:
        run(quote)
    except DomainError as exc:
        messages.error(request, "; ".join([exc.message] + [m for ms in exc.fields.values() for m in ms
                                                          if m != exc.message]))
    else:
        messages.success(request, success)
    return redirect("crm:quote-detail", pk=quote.pk)


@permission_required("crm.quote.change")
@require_POST
def quote_submit(request, pk):
    return _act(request, pk, lambda q: services.quote_submit(quote=q, by=request.user,
                                                             comment=request.POST.get("comment", "")),
                _("Quote submitted for approval."))


@permission_required("crm.quote.change")
@require_POST
def quote_withdraw(request, pk):
    return _act(request, pk, lambda q: services.quote_withdraw(quote=q, by=request.user),
                _("Approval request withdrawn."))


@permission_required("crm.quote.change")
@require_POST
def quote_won(request, pk):
    return _act(request, pk, lambda q: services.quote_mark_won(quote=q, by=request.user), _("Quote marked won."))


@permission_required("crm.quote.change")
@require_POST
def quote_lost(request, pk):
    return _act(request, pk, lambda q: services.quote_mark_lost(quote=q, by=request.user,
                                                                reason=request.POST.get("lost_reason", "")),
                _("Quote marked lost."))


@permission_required("crm.quote.add")
@require_POST
def quote_copy(request, pk):
    source = _quote(request, pk)
    form = QuoteCopyForm(request.POST, opportunities=selectors.opportunity_list(user=request.user))
    if not form.is_valid():
        messages.error(request, _("Choose an opportunity you can see."))
        return redirect("crm:quote-detail", pk=source.pk)
    try:
        quote = services.quote_copy(source=source, by=request.user, opportunity=form.cleaned_data["opportunity"])
    except DomainError as exc:
        messages.error(request, "; ".join([exc.message] + [m for ms in exc.fields.values() for m in ms]))
        return redirect("crm:quote-detail", pk=source.pk)
    messages.success(request, _("Quote %(number)s created from %(source)s.") % {"number": quote.number,
                                                                                  "source": source.number})
    return redirect("crm:quote-edit", pk=quote.pk)


@permission_required("crm.quote.delete")
@require_POST
def quote_delete(request, pk):
    quote = _quote(request, pk, "crm.quote.delete")
    try:
        services.quote_delete(quote=quote, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("crm:quote-detail", pk=quote.pk)
    messages.success(request, _("Quote deleted."))
    return redirect("crm:quote-list")
