"""Web leads (在线订单): enquiries from the public order form and their queue.

Rules:
- the public form (no sign-in) needs a company and a contact name, and a phone
  number or an e-mail address to answer on; a product of interest must be an
  active catalog product; the message is optional;
- each client address may send ``WEB_LEAD_RATE`` enquiries per
  ``WEB_LEAD_WINDOW_SECONDS`` to one workspace (the counter of
  tenants/ratelimit.py, keyed by schema and address); past that the form
  answers 429 and stores nothing. Only valid enquiries use up the allowance;
- a lead is assigned to ``CrmSettings.lead_assignee`` (and that person's
  department, so the queue follows data scopes), who is told in-app and by
  e-mail; without an assignee, every active workspace administrator is told;
- a new lead is decided once: qualified or rejected (a second decision is a
  ``conflict``). Qualifying creates, in one transaction, a customer (or links
  an existing one the caller may see), optionally a contact (primary when the
  customer has none) and an opportunity (source "web form"), through the
  customer, contact and opportunity services, so their rules hold (duplicate
  names, the open-project lock, data scopes). The caller needs the matching
  add permissions. The owner is told when it is not the caller. Rejecting
  needs a reason.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import access_for
from core.audit.services import audit_record
from core.errors import DomainError, ErrorCode
from core.notifications.services import notify
from tenants.ratelimit import client_key, take_slot

from ..models import Contact, Customer, Opportunity, WebLead
from ._common import check_reference, raise_if, text
from .customers import customer_create
from .followups import contact_create
from .opportunities import opportunity_create
from .settings import crm_settings

logger = logging.getLogger(__name__)

WEB_LEAD_RATE = 5
WEB_LEAD_WINDOW_SECONDS = 10 * 60
NEW_LEAD_TITLE = gettext_lazy("New web lead: %(company)s")
NEW_LEAD_BODY = gettext_lazy("%(contact)s of %(company)s sent an enquiry through the order form. "
                             "Qualify it into a customer or reject it.")
QUALIFIED_TITLE = gettext_lazy("Web lead qualified for you: %(customer)s")
QUALIFIED_BODY = gettext_lazy("%(by)s qualified the enquiry of %(contact)s into %(what)s, which you own.")


class LeadRateLimited(DomainError):
    """Too many enquiries from one client; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int):
        super().__init__(_("Too many enquiries were sent from your network. Please try again in a few minutes."),
                         code=ErrorCode.THROTTLED)
        self.retry_after = retry_after


# ---------------------------------------------------------------- the public form


def _clean_enquiry(data: dict) -> dict:
    errors: dict = {}
    data = dict(data)
    text(data, errors, "company_name", 200, required=True)
    text(data, errors, "contact_name", 120, required=True)
    text(data, errors, "phone", 40)
    text(data, errors, "email", 254)
    text(data, errors, "message", 5000)
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if not data["phone"] and not data["email"] and "phone" not in errors and "email" not in errors:
        errors["phone"] = [_("Give a phone number or an e-mail address so that we can answer you.")]
    product = data["product"]
    if product is not None and not product.is_active:
        errors["product"] = [_("This product is no longer sold.")]
    raise_if(errors)
    return data


def _rate_key(client_ip: str) -> str:
    return f"crm-web-lead:{connection.schema_name}:{client_key(client_ip)}"


def lead_submit(*, company_name: str, contact_name: str, phone: str = "", email: str = "", product=None,
                message: str = "", client_ip: str | None = None) -> WebLead:
    """Store an enquiry from the public form and tell its assignee. With
    ``client_ip`` it takes a slot of that client's allowance first."""
    data = _clean_enquiry({"company_name": company_name, "contact_name": contact_name, "phone": phone,
                           "email": email, "product": product, "message": message})
    if client_ip is not None:
        retry_after = take_slot(_rate_key(client_ip), limit=WEB_LEAD_RATE, window_seconds=WEB_LEAD_WINDOW_SECONDS)
        if retry_after:
            logger.info("Web lead refused: rate limit for %s in %s", client_key(client_ip), connection.schema_name)
            raise LeadRateLimited(retry_after)
    return _store_lead(data)


@transaction.atomic
def _store_lead(data: dict) -> WebLead:
    assignee = crm_settings().lead_assignee
    if assignee is not None and not assignee.is_active:
        assignee = None
    lead = WebLead.objects.create(**data, assignee=assignee, department=assignee.department if assignee else None)
    recipients = [assignee] if assignee else get_user_model().objects.filter(is_tenant_admin=True, is_active=True)
    notify(recipients, kind="crm.web_lead", title=NEW_LEAD_TITLE, body=NEW_LEAD_BODY,
           link=reverse("crm:lead-detail", args=[lead.pk]), obj=lead,
           params={"company": lead.company_name, "contact": lead.contact_name})
    audit_record(actor=None, action="create", obj=lead, message="web form",
                 changes={"company_name": lead.company_name, "assignee": assignee})
    return lead


# ---------------------------------------------------------------- the queue


def _locked_new(lead: WebLead) -> WebLead:
    lead = WebLead.objects.select_for_update(of=("self",)).get(pk=lead.pk)
    if not lead.is_new:
        raise DomainError(_("This lead was already %(status)s.") % {"status": lead.get_status_display().lower()},
                          code=ErrorCode.CONFLICT)
    return lead


def _require(by, permission: str) -> None:
    if not access_for(by).can(permission):
        raise DomainError(_("You may not do this: your role lacks the permission “%(code)s”.")
                          % {"code": permission}, code=ErrorCode.PERMISSION_DENIED)


def _decided(lead: WebLead, by, status: str) -> None:
    lead.status = status
    lead.decided_by = by
    lead.decided_at = timezone.now()


@transaction.atomic
def lead_qualify(*, lead: WebLead, by, customer: Customer | None = None, customer_name: str = "", owner=None,
                 create_contact: bool = True, opportunity_project: str = "", allow_duplicate: bool = False) -> WebLead:
    """Turn a new lead into a customer (``customer`` links an existing one
    instead), optionally a contact and an opportunity (when
    ``opportunity_project`` is given), all owned by ``owner`` (default: the caller)."""
    lead = _locked_new(lead)
    owner = owner if owner is not None else by
    if customer is None:
        _require(by, "crm.customer.add")
        customer = customer_create(
            by=by, name=(customer_name or "").strip() or lead.company_name, phone=lead.phone,
            source=Customer.Source.WEB_FORM, owner=owner, department=owner.department,
            allow_duplicate=allow_duplicate,
        )
        created_customer = True
    else:
        check_reference(customer, by, "crm.customer.view", "customer")
        created_customer = False
    if create_contact:
        _require(by, "crm.contact.add")
        has_primary = Contact.objects.filter(customer=customer, is_primary=True).exists()
        contact_create(by=by, customer=customer, name=lead.contact_name, phone=lead.phone, email=lead.email,
                       is_primary=not has_primary)
    opportunity = None
    if (opportunity_project or "").strip():
        _require(by, "crm.opportunity.add")
        opportunity = opportunity_create(by=by, customer=customer, project=opportunity_project,
                                         source=Opportunity.Source.WEB_FORM, owner=owner)
    _decided(lead, by, WebLead.Status.QUALIFIED)
    lead.customer = customer
    lead.opportunity = opportunity
    lead.save()
    audit_record(actor=by, action="update", obj=lead, message="qualified", changes={
        "status": [WebLead.Status.NEW, WebLead.Status.QUALIFIED], "customer": customer, "opportunity": opportunity})
    if owner.pk != by.pk and (created_customer or opportunity is not None):
        target = opportunity or customer
        link = (reverse("crm:opportunity-detail", args=[opportunity.pk]) if opportunity is not None
                else reverse("crm:customer-detail", args=[customer.pk]))
        notify([owner], kind="crm.web_lead", title=QUALIFIED_TITLE, body=QUALIFIED_BODY, link=link, obj=target,
               params={"customer": customer.name, "by": by, "contact": lead.contact_name, "what": target})
    return lead


@transaction.atomic
def lead_reject(*, lead: WebLead, by, reason: str) -> WebLead:
    data = {"reject_reason": reason}
    errors: dict = {}
    text(data, errors, "reject_reason", 300, required=True)
    raise_if(errors)
    lead = _locked_new(lead)
    _decided(lead, by, WebLead.Status.REJECTED)
    lead.reject_reason = data["reject_reason"]
    lead.save()
    audit_record(actor=by, action="update", obj=lead, message=f"rejected: {lead.reject_reason}",
                 changes={"status": [WebLead.Status.NEW, WebLead.Status.REJECTED]})
    return lead


@transaction.atomic
def lead_delete(*, lead: WebLead, by) -> None:
    """Remove a lead (e.g. spam); what it was qualified into stays."""
    lead = WebLead.objects.select_for_update().get(pk=lead.pk)
    audit_record(actor=by, action="delete", obj=lead,
                 changes={"company_name": lead.company_name, "status": lead.status})
    lead.delete()
