"""Opportunity, follow-up, contact and reassignment pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import access_for
from core.errors import DomainError
from core.listing import filter_list
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..exports import FOLLOW_UP_EXPORT, OPPORTUNITY_EXPORT
from ..filters import FollowUpFilterSet, OpportunityFilterSet
from ..forms import ContactForm, FollowUpForm, OpportunityForm, ReassignmentForm
from .board import BOARD_TABS



def _opportunities(request):
    return filter_list(request, OpportunityFilterSet, selectors.opportunity_list(user=request.user))


@permission_required("crm.opportunity.view")
def opportunity_list(request):
    listing = _opportunities(request)
    access = access_for(request.user)
    return render(request, "crm/opportunity_list.html", {
        "filter": listing.filter, "page_obj": listing.page(request), "can_add": access.can("crm.opportunity.add"),
        "can_export": access.can("crm.opportunity.export"),
    }, status=listing.status)


@permission_required("crm.opportunity.export")
def opportunity_export(request):
    return _opportunities(request).export(request, OPPORTUNITY_EXPORT)


@permission_required("crm.opportunity.view")
def opportunity_detail(request, pk):
    """The opportunity board (商机看板): the opportunity and one tab at a time
    (``?tab=``), each tab read through its scoped selector."""
    user = request.user
    opportunity = get_object_or_404(selectors.opportunity_list(user=user), pk=pk)
    access = access_for(user)
    tabs = [tab for tab in BOARD_TABS if access.can(tab.permission)]
    active = next((tab for tab in tabs if tab.key == request.GET.get("tab")), tabs[0] if tabs else None)
    context = {
        "opportunity": opportunity, "tabs": tabs, "active_tab": active,
        "can_change": access.can("crm.opportunity.change"), "can_add_follow_up": access.can("crm.followup.add"),
        "can_add_quote": access.can("crm.quote.add") and opportunity.is_open,
    }
    if active is not None:
        context.update(active.load(user, opportunity, access))
    return render(request, "crm/opportunity_detail.html", context)


@permission_required("crm.opportunity.add")
@require_http_methods(["GET", "POST"])
def opportunity_create(request):
    customers = selectors.customer_list(user=request.user)
    form = OpportunityForm(request.POST or None, customers=customers,
                           initial={"owner": request.user.pk, "customer": request.GET.get("customer")})
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Opportunity %(name)s created.") % {"name": opportunity.project})
            return redirect("crm:opportunity-detail", pk=opportunity.pk)
    return render(request, "crm/opportunity_form.html", {"form": form, "opportunity": None},
                  status=400 if form.errors else 200)


@permission_required("crm.opportunity.change")
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk):
    opportunity = get_object_or_404(selectors.opportunity_list(user=request.user), pk=pk)
    form = OpportunityForm(request.POST or None, editing=True, initial=OpportunityForm.initial_for(opportunity))
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.opportunity_update(opportunity=opportunity, by=request.user, **changed)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Opportunity %(name)s saved.") % {"name": form.cleaned_data["project"]})
            return redirect("crm:opportunity-detail", pk=opportunity.pk)
    return render(request, "crm/opportunity_form.html", {"form": form, "opportunity": opportunity},
                  status=400 if form.errors else 200)


def _follow_ups(request):
    return filter_list(request, FollowUpFilterSet, selectors.follow_up_list(user=request.user))


@permission_required("crm.followup.view")
def follow_up_list(request):
    listing = _follow_ups(request)
    return render(request, "crm/followup_list.html", {
        "filter": listing.filter, "page_obj": listing.page(request),
        "can_export": access_for(request.user).can("crm.followup.export"),
    }, status=listing.status)


@permission_required("crm.followup.export")
def follow_up_export(request):
    return _follow_ups(request).export(request, FOLLOW_UP_EXPORT)


@permission_required("crm.followup.add")
@require_http_methods(["GET", "POST"])
def follow_up_create(request):
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
            raise Http404  # unknown or outside the caller's scope
        messages.info(request, _("Record follow-ups from a customer or an opportunity."))
        return redirect("crm:followup-list")
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = services.follow_up_create(by=user, customer=customer, opportunity=opportunity,
                                                  **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Follow-up recorded."))
            if opportunity is not None:
                return redirect("crm:opportunity-detail", pk=opportunity.pk)
            return redirect("crm:customer-detail", pk=follow_up.customer_id)
    return render(request, "crm/followup_form.html", {
        "form": form, "customer": customer or opportunity.customer, "opportunity": opportunity,
    }, status=400 if form.errors else 200)


@permission_required("crm.contact.add")
@require_http_methods(["GET", "POST"])
def contact_create(request, pk):
    customer = get_object_or_404(selectors.customer_list(user=request.user), pk=pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(by=request.user, customer=customer, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Contact added."))
            return redirect("crm:customer-detail", pk=customer.pk)
    return render(request, "crm/contact_form.html", {"form": form, "customer": customer},
                  status=400 if form.errors else 200)


@permission_required("crm.customer.change")
@require_http_methods(["GET", "POST"])
def reassignment_list(request):
    user = request.user
    form = ReassignmentForm(request.POST or None,
                            customers=selectors.customer_list(user=user, permission="crm.customer.change"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.reassignment_start(
                by=user, to_owner=data["to_owner"], reason=data["reason"],
                customers=list(data["customers"]) if data["customers"] else None,
                from_owner=None if data["customers"] else data["from_owner"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Reassignment started."))
            return redirect("crm:reassignment-detail", pk=job.pk)
    jobs = selectors.reassignment_list(user=user)[:20]
    return render(request, "crm/reassignment_list.html", {"form": form, "jobs": jobs},
                  status=400 if form.errors else 200)


@permission_required("crm.customer.change")
def reassignment_detail(request, pk):
    job = get_object_or_404(selectors.reassignment_list(user=request.user), pk=pk)
    changes = selectors.owner_change_list(user=request.user).filter(job=job)[:200]
    return render(request, "crm/reassignment_detail.html", {"job": job, "changes": changes})
