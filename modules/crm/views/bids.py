"""Bid pages: add, edit and delete the bids of an opportunity (the
opportunity board lists them with crm/board/_bids.html)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..forms import BidForm


@permission_required("crm.bid.add")
@require_http_methods(["GET", "POST"])
def bid_create(request, pk):
    opportunity = get_object_or_404(selectors.opportunity_list(user=request.user), pk=pk)
    form = BidForm(request.POST or None, initial={"currency": opportunity.currency})
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_create(by=request.user, opportunity=opportunity, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Bid recorded."))
            return redirect("crm:opportunity-detail", pk=opportunity.pk)
    return render(request, "crm/bid_form.html", {"form": form, "opportunity": opportunity, "bid": None},
                  status=400 if form.errors else 200)


@permission_required("crm.bid.change")
@require_http_methods(["GET", "POST"])
def bid_edit(request, pk):
    bid = get_object_or_404(selectors.bid_list(user=request.user, permission="crm.bid.change"), pk=pk)
    form = BidForm(request.POST or None, initial=BidForm.initial_for(bid))
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_update(bid=bid, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Bid saved."))
            return redirect("crm:opportunity-detail", pk=bid.opportunity_id)
    return render(request, "crm/bid_form.html", {
        "form": form, "opportunity": bid.opportunity, "bid": bid,
        "can_delete": access_for(request.user).can("crm.bid.delete"),
    }, status=400 if form.errors else 200)


@permission_required("crm.bid.delete")
@require_POST
def bid_delete(request, pk):
    bid = get_object_or_404(selectors.bid_list(user=request.user, permission="crm.bid.delete"), pk=pk)
    services.bid_delete(bid=bid, by=request.user)
    messages.success(request, _("Bid deleted."))
    return redirect("crm:opportunity-detail", pk=bid.opportunity_id)
