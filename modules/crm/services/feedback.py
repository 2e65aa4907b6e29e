"""Complaints and feedback (投诉/反馈).

Rules:
- against a customer the caller may see, optionally one of its opportunities
  (the customer is taken from the opportunity; giving both must agree) and a
  catalog product; received now unless given (never in the future);
- the status moves open → in progress → resolved → closed; a resolved one may
  be reopened (back to in progress). Any other move is a ``conflict`` (409);
- resolving needs a resolution text; it stamps ``resolved_at`` (reopening
  clears it). A closed complaint is no longer edited (409);
- the assignee must be an active member; a new assignee is notified
  (kind "crm.complaint") unless they assigned it to themselves.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit.services import audit_record, changes_between
from core.catalog.models import Product
from core.errors import DomainError, ErrorCode
from core.notifications.services import notify

from ..models import Complaint, Customer, Opportunity
from ..models.feedback import ComplaintStatus
from ._common import check_reference, choice, raise_if, text

EDITABLE_FIELDS = ("kind", "severity", "subject", "description", "product", "assignee", "received_at")
RESOLUTION_LIMIT = 10000
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
TRANSITIONS = {
    ComplaintStatus.OPEN: (ComplaintStatus.IN_PROGRESS,),
    ComplaintStatus.IN_PROGRESS: (ComplaintStatus.RESOLVED,),
    ComplaintStatus.RESOLVED: (ComplaintStatus.CLOSED, ComplaintStatus.IN_PROGRESS),
    ComplaintStatus.CLOSED: (),
}
ASSIGNED_TITLE = gettext_lazy("Assigned to you: %(subject)s (%(customer)s)")


def _clean(data: dict) -> dict:
    errors: dict = {}
    data = dict(data)
    text(data, errors, "subject", 200, required=True)
    text(data, errors, "description", 10000)
    choice(data, errors, "kind", Complaint.Kind)
    choice(data, errors, "severity", Complaint.Severity)
    if "received_at" in data:
        if data["received_at"] is None:
            data["received_at"] = timezone.now()
        elif data["received_at"] > timezone.now() + FUTURE_TOLERANCE:
            errors["received_at"] = [_("It cannot have been received in the future.")]
    if data.get("product") is not None and not isinstance(data["product"], Product):
        errors["product"] = [_("Choose a product.")]
    assignee = data.get("assignee")
    if assignee is not None and (not isinstance(assignee, get_user_model()) or not assignee.is_active):
        errors["assignee"] = [_("The assignee must be an active member.")]
    raise_if(errors)
    return data


def _notify_assignee(complaint: Complaint, by) -> None:
    if complaint.assignee_id is None or complaint.assignee_id == by.pk:
        return
    notify([complaint.assignee], kind="crm.complaint", title=ASSIGNED_TITLE, body=complaint.description[:500],
           link=reverse("crm:complaint-detail", args=[complaint.pk]), obj=complaint,
           params={"subject": complaint.subject, "customer": complaint.customer.name})


@transaction.atomic
def complaint_create(
    *, by, customer: Customer | None = None, opportunity: Opportunity | None = None, subject: str,
    kind: str = Complaint.Kind.COMPLAINT, severity: str = Complaint.Severity.MEDIUM, description: str = "",
    product: Product | None = None, assignee=None, received_at: datetime.datetime | None = None,
) -> Complaint:
    if opportunity is not None:
        check_reference(opportunity, by, "crm.opportunity.view", "opportunity")
        if customer is not None and customer.pk != opportunity.customer_id:
            raise DomainError(_("Please correct the highlighted fields."),
                              fields={"opportunity": [_("This opportunity belongs to another customer.")]})
        customer = opportunity.customer
    if customer is None:
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"customer": [_("This field is required.")]})
    check_reference(customer, by, "crm.customer.view", "customer")
    data = _clean({"subject": subject, "kind": kind, "severity": severity, "description": description,
                   "product": product, "assignee": assignee, "received_at": received_at})
    complaint = Complaint.objects.create(customer=customer, opportunity=opportunity, recorded_by=by, **data)
    _notify_assignee(complaint, by)
    audit_record(actor=by, action="create", obj=complaint, changes=data | {"customer": customer})
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).select_related("customer").get(pk=complaint.pk)


@transaction.atomic
def complaint_update(*, complaint: Complaint, by, **data) -> Complaint:
    """Change fields; a new assignee is notified."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"complaint_update() got unexpected fields {sorted(unknown)}")
    complaint = _locked(complaint)
    if complaint.status == ComplaintStatus.CLOSED:
        raise DomainError(_("A closed complaint cannot be changed."), code=ErrorCode.CONFLICT)
    data = _clean(data)
    changes = changes_between(complaint, data)
    if not changes:
        return complaint
    for field, value in data.items():
        setattr(complaint, field, value)
    complaint.save()
    if "assignee" in changes:
        _notify_assignee(complaint, by)
    audit_record(actor=by, action="update", obj=complaint, changes=changes,
                 message="assigned" if "assignee" in changes else "")
    return complaint


@transaction.atomic
def complaint_set_status(*, complaint: Complaint, by, status: str, resolution: str = "") -> Complaint:
    """Move along open → in progress → resolved → closed (or reopen a resolved one)."""
    complaint = _locked(complaint)
    if status not in ComplaintStatus.values:
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"status": [_("Choose a valid option.")]})
    if status not in TRANSITIONS[complaint.status]:
        raise DomainError(_("A complaint that is %(old)s cannot be moved to %(new)s.") % {
            "old": complaint.get_status_display().lower(), "new": ComplaintStatus(status).label.lower()},
            code=ErrorCode.CONFLICT)
    old = complaint.status
    complaint.status = status
    if status == ComplaintStatus.RESOLVED:
        resolution = (resolution or complaint.resolution or "").strip()
        if not resolution or len(resolution) > RESOLUTION_LIMIT:
            message = (_("Say how it was resolved.") if not resolution
                       else _("Use at most %(n)d characters.") % {"n": RESOLUTION_LIMIT})
            raise DomainError(_("Please correct the highlighted fields."), fields={"resolution": [message]})
        complaint.resolution = resolution
        complaint.resolved_at = timezone.now()
    elif status == ComplaintStatus.IN_PROGRESS and old == ComplaintStatus.RESOLVED:
        complaint.resolved_at = None
    complaint.save()
    audit_record(actor=by, action="update", obj=complaint, changes={"status": [old, status]},
                 message=f"status: {status}")
    return complaint


@transaction.atomic
def complaint_delete(*, complaint: Complaint, by) -> None:
    complaint = _locked(complaint)
    audit_record(actor=by, action="delete", obj=complaint,
                 changes={"subject": complaint.subject, "customer": str(complaint.customer_id)})
    complaint.delete()
