"""Web leads: the public order form (no sign-in; the module guard still
answers 404 while CRM is off) and the staff queue where customer service
qualifies or rejects them. The rules live in services/leads.py."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError, ErrorCode
from core.listing import filter_list
from core.org.webutils import add_domain_error, permission_required
from tenants.ratelimit import client_key
from tenants.views import client_ip

from .. import selectors, services
from ..exports import LEAD_EXPORT
from ..filters import LeadFilterSet
from ..forms import CrmSettingsForm, LeadQualifyForm, LeadRejectForm, WebLeadForm

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------ public


@require_http_methods(["GET", "HEAD", "POST"])
def web_lead_form(request):
    """A filled honeypot stores nothing and answers like a success, so a
    robot learns nothing; past the per-address allowance: 429, nothing stored."""
    form = WebLeadForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            logger.info("Web lead dropped (honeypot filled) from %s in %s", client_key(client_ip(request)),
                        connection.schema_name)
            return redirect("crm:web-lead-thanks")
        if form.is_valid():
            try:
                services.lead_submit(client_ip=client_ip(request), **form.enquiry)
            except services.LeadRateLimited as exc:
                response = render(request, "crm/web_lead_rate_limited.html", {"message": exc.message}, status=429)
                response["Retry-After"] = str(exc.retry_after)
                return response
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("crm:web-lead-thanks")
    return render(request, "crm/web_lead_form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD"])
def web_lead_thanks(request):
    return render(request, "crm/web_lead_thanks.html")


# ------------------------------------------------------------------ queue


def _leads(request):
    return filter_list(request, LeadFilterSet, selectors.lead_list(user=request.user))


def _lead(request, pk, permission="crm.lead.view"):
    return get_object_or_404(selectors.lead_list(user=request.user, permission=permission), pk=pk)


@permission_required("crm.lead.view")
def lead_list(request):
    listing = _leads(request)
    access = access_for(request.user)
    return render(request, "crm/lead_list.html", {
        "filter": listing.filter, "page_obj": listing.page(request),
        "can_export": access.can("crm.lead.export"), "can_configure": access.is_admin,
    }, status=listing.status)


@permission_required("crm.lead.export")
def lead_export(request):
    return _leads(request).export(request, LEAD_EXPORT)


def _detail_page(request, lead, reject_form=None, status=200):
    access = access_for(request.user)
    return render(request, "crm/lead_detail.html", {
        "lead": lead, "reject_form": reject_form or LeadRejectForm(),
        "can_decide": lead.is_new and access.can("crm.lead.change"), "can_delete": access.can("crm.lead.delete"),
    }, status=status)


@permission_required("crm.lead.view")
def lead_detail(request, pk):
    return _detail_page(request, _lead(request, pk))


@permission_required("crm.lead.change")
@require_http_methods(["GET", "POST"])
def lead_qualify(request, pk):
    user = request.user
    lead = _lead(request, pk, "crm.lead.change")
    if not lead.is_new:
        messages.error(request, _("This lead was already %(status)s.") % {"status": lead.get_status_display().lower()})
        return redirect("crm:lead-detail", pk=lead.pk)
    access = access_for(user)
    customers = selectors.customer_list(user=user)
    form = LeadQualifyForm(request.POST or None, customers=customers, initial={
        "customer_name": lead.company_name, "owner": user.pk, "create_contact": access.can("crm.contact.add"),
        "opportunity_project": lead.product.name if lead.product_id else "",
    })
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.lead_qualify(lead=lead, by=user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Lead qualified into %(customer)s.") % {"customer": lead.customer.name})
            if lead.opportunity_id and access.can("crm.opportunity.view"):
                return redirect("crm:opportunity-detail", pk=lead.opportunity_id)
            return redirect("crm:lead-detail", pk=lead.pk)
    name = form["customer_name"].value() or lead.company_name
    matches = selectors.customer_duplicates(name=name, phone=lead.phone)
    linkable = set(customers.filter(pk__in=[m.customer.pk for m in matches]).values_list("pk", flat=True))
    return render(request, "crm/lead_qualify.html", {
        "lead": lead, "form": form, "duplicates": [(m, m.customer.pk in linkable) for m in matches],
    }, status=400 if form.errors else 200)


@permission_required("crm.lead.change")
@require_POST
def lead_reject(request, pk):
    lead = _lead(request, pk, "crm.lead.change")
    form = LeadRejectForm(request.POST)
    if form.is_valid():
        try:
            services.lead_reject(lead=lead, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if exc.code == ErrorCode.CONFLICT:
                messages.error(request, exc.message)
                return redirect("crm:lead-detail", pk=lead.pk)
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Lead rejected."))
            return redirect("crm:lead-detail", pk=lead.pk)
    return _detail_page(request, lead, reject_form=form, status=400)


@permission_required("crm.lead.delete")
@require_POST
def lead_delete(request, pk):
    lead = _lead(request, pk, "crm.lead.delete")
    services.lead_delete(lead=lead, by=request.user)
    messages.success(request, _("Lead deleted."))
    return redirect("crm:lead-list")


@login_required
@require_http_methods(["GET", "POST"])
def crm_settings(request):
    """Who receives new web leads; when opportunities go stale (administrators only)."""
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    current = services.crm_settings()
    form = CrmSettingsForm(request.POST or None, initial={"lead_assignee": current.lead_assignee_id,
                                                          "stale_after_days": current.stale_after_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.crm_settings_update(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("CRM settings saved."))
            return redirect("crm:settings")
    return render(request, "crm/crm_settings.html", {"form": form}, status=400 if form.errors else 200)
