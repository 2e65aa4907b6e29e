"""Opportunity, follow-up, contact and reassignment pages."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..filters import FollowUpFilterSet, OpportunityFilterSet
from ..forms import ContactForm, FollowUpForm, OpportunityForm, ReassignmentForm

PAGE_SIZE = 25


@permission_required("crm.opportunity.view")
def opportunity_list(request):
    filterset = OpportunityFilterSet(request.GET, queryset=selectors.opportunity_list(user=request.user),
                                     request=request)
    valid = filterset.is_valid()
    page = Paginator(filterset.qs if valid else filterset.queryset.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "crm/opportunity_list.html", {
        "filter": filterset, "page_obj": page, "can_add": access_for(request.user).can("crm.opportunity.add"),
    }, status=200 if valid else 400)


@permission_required("crm.opportunity.view")
def opportunity_detail(request, pk):
    user = request.user
    opportunity = get_object_or_404(selectors.opportunity_list(user=user), pk=pk)
    access = access_for(user)
    return render(request, "crm/opportunity_detail.html", {
        "opportunity": opportunity,
        "follow_ups": selectors.follow_up_list(user=user).filter(opportunity=opportunity)
        if access.can("crm.followup.view") else None,
        "contacts": selectors.contact_list(user=user).filter(customer_id=opportunity.customer_id)
        if access.can("crm.contact.view") else None,
        "owner_changes": selectors.owner_change_list(user=user).filter(opportunity=opportunity)
        if access.can("crm.customer.view") else None,
        "quotes": selectors.quote_list(user=user).filter(opportunity=opportunity)
        if access.can("crm.quote.view") else None,
        "can_change": access.can("crm.opportunity.change"), "can_add_follow_up": access.can("crm.followup.add"),
        "can_add_quote": access.can("crm.quote.add") and opportunity.is_open,
    })


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


@permission_required("crm.followup.view")
def follow_up_list(request):
    filterset = FollowUpFilterSet(request.GET, queryset=selectors.follow_up_list(user=request.user),
                                  request=request)
    valid = filterset.is_valid()
    page = Paginator(filterset.qs if valid else filterset.queryset.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "crm/followup_list.html", {"filter": filterset, "page_obj": page},
                  status=200 if valid else 400)


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
