"""Competitor pages: the competitors (counterparties of kind competitor) with
their products and the opportunities they appear in, the side-by-side price
comparison, and adding/editing/removing a competitor on an opportunity."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.listing import filter_list
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..exports import COMPETITOR_PRODUCT_EXPORT
from ..filters import CompetitorFilterSet, CompetitorProductFilterSet
from ..forms import ComparisonForm, CompetitorProductForm, OpportunityCompetitorForm


@permission_required("crm.competitor.view")
def competitor_list(request):
    listing = filter_list(request, CompetitorFilterSet, selectors.competitor_list(user=request.user))
    access = access_for(request.user)
    return render(request, "crm/competitor_list.html", {
        "filter": listing.filter, "page_obj": listing.page(request),
        "can_add": access.can("crm.customer.add"), "can_export": access.can("crm.competitor.export"),
    }, status=listing.status)


@permission_required("crm.competitor.export")
def competitor_export(request):
    """The competitor products the caller may see (``?competitor=``, ``?q=``), as CSV or Excel."""
    listing = filter_list(request, CompetitorProductFilterSet, selectors.competitor_product_list(user=request.user))
    return listing.export(request, COMPETITOR_PRODUCT_EXPORT)


@permission_required("crm.competitor.view")
def competitor_detail(request, pk):
    user = request.user
    competitor = get_object_or_404(selectors.competitor_list(user=user), pk=pk)
    access = access_for(user)
    return render(request, "crm/competitor_detail.html", {
        "competitor": competitor,
        "products": selectors.competitor_product_list(user=user).filter(competitor=competitor),
        "appearances": selectors.opportunity_competitor_list(user=user).filter(competitor=competitor)
        .order_by("-opportunity__created_at"),
        "can_add": access.can("crm.competitor.add"), "can_change": access.can("crm.competitor.change"),
        "can_export": access.can("crm.competitor.export"),
    })


@permission_required("crm.competitor.view")
def competitor_compare(request):
    """``?product=<id>`` or ``?category=<id>``: our list price against every
    matched competitor product."""
    form = ComparisonForm(request.GET or None)
    rows = []
    if form.is_bound and form.is_valid():
        rows = selectors.competitor_comparison(user=request.user, **form.cleaned_data)
    return render(request, "crm/competitor_compare.html", {"form": form, "rows": rows},
                  status=400 if form.errors else 200)


@permission_required("crm.competitor.add")
@require_http_methods(["GET", "POST"])
def competitor_product_create(request, pk):
    competitor = get_object_or_404(selectors.competitor_list(user=request.user), pk=pk)
    form = CompetitorProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.competitor_product_create(by=request.user, competitor=competitor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Competitor product added."))
            return redirect("crm:competitor-detail", pk=competitor.pk)
    return render(request, "crm/competitor_product_form.html", {"form": form, "competitor": competitor,
                                                                "product": None},
                  status=400 if form.errors else 200)


@permission_required("crm.competitor.change")
@require_http_methods(["GET", "POST"])
def competitor_product_edit(request, pk):
    product = get_object_or_404(selectors.competitor_product_list(user=request.user), pk=pk)
    form = CompetitorProductForm(request.POST or None, initial=CompetitorProductForm.initial_for(product))
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.competitor_product_update(product=product, by=request.user, **changed)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Competitor product saved."))
            return redirect("crm:competitor-detail", pk=product.competitor_id)
    return render(request, "crm/competitor_product_form.html", {
        "form": form, "competitor": product.competitor, "product": product,
        "can_delete": access_for(request.user).can("crm.competitor.delete"),
    }, status=400 if form.errors else 200)


@permission_required("crm.competitor.delete")
@require_POST
def competitor_product_delete(request, pk):
    product = get_object_or_404(selectors.competitor_product_list(user=request.user), pk=pk)
    services.competitor_product_delete(product=product, by=request.user)
    messages.success(request, _("Competitor product deleted."))
    return redirect("crm:competitor-detail", pk=product.competitor_id)


# ------------------------------------------------------- opportunity competitors


@permission_required("crm.competitor.add")
@require_http_methods(["GET", "POST"])
def opportunity_competitor_create(request, pk):
    user = request.user
    opportunity = get_object_or_404(selectors.opportunity_list(user=user), pk=pk)
    form = OpportunityCompetitorForm(request.POST or None, competitors=selectors.competitor_list(user=user),
                                     initial={"currency": opportunity.currency})
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_competitor_add(by=user, opportunity=opportunity, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Competitor added to the opportunity."))
            return redirect("crm:opportunity-detail", pk=opportunity.pk)
    return render(request, "crm/opportunity_competitor_form.html", {"form": form, "opportunity": opportunity,
                                                                    "entry": None},
                  status=400 if form.errors else 200)


@permission_required("crm.competitor.change")
@require_http_methods(["GET", "POST"])
def opportunity_competitor_edit(request, pk):
    entry = get_object_or_404(selectors.opportunity_competitor_list(user=request.user), pk=pk)
    form = OpportunityCompetitorForm(request.POST or None, initial=OpportunityCompetitorForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["currency"] = data["currency"] or entry.opportunity.currency
        try:
            services.opportunity_competitor_update(entry=entry, by=request.user, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Competitor saved."))
            return redirect("crm:opportunity-detail", pk=entry.opportunity_id)
    return render(request, "crm/opportunity_competitor_form.html", {
        "form": form, "opportunity": entry.opportunity, "entry": entry,
        "can_delete": access_for(request.user).can("crm.competitor.delete"),
    }, status=400 if form.errors else 200)


@permission_required("crm.competitor.delete")
@require_POST
def opportunity_competitor_delete(request, pk):
    entry = get_object_or_404(selectors.opportunity_competitor_list(user=request.user), pk=pk)
    services.opportunity_competitor_remove(entry=entry, by=request.user)
    messages.success(request, _("Competitor removed from the opportunity."))
    return redirect("crm:opportunity-detail", pk=entry.opportunity_id)
