"""Follow-ups (跟进记录) and contacts.

Follow-up rules:
- against a customer the caller may see, optionally one of its opportunities
  (the customer is taken from the opportunity; giving both must agree);
- it cannot have happened in the future; a next-action date cannot be in the past;
- it stamps the opportunity's ``last_follow_up_at`` (the stale job reads it)
  and clears its stale flag;
- a next-action date schedules one reminder to the owner (of the opportunity,
  else of the customer) at 09:00 that day in the workspace's time zone;
  changing or deleting the follow-up moves or drops the reminder.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit.services import audit_record, changes_between
from core.errors import DomainError
from core.notifications.services import remind, reminder_cancel

from ..models import Contact, Customer, FollowUp, Opportunity
from ._common import check_reference, raise_if, text

REMINDER_HOUR = 9
FOLLOW_UP_FIELDS = ("kind", "summary", "happened_at", "next_action", "next_action_on")
CONTACT_FIELDS = ("name", "title", "phone", "email", "is_primary", "notes")
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


def _clean_follow_up(data: dict) -> dict:
    errors: dict = {}
    data = dict(data)
    text(data, errors, "summary", 5000, required=True)
    text(data, errors, "next_action", 200)
    if "kind" in data and data["kind"] not in FollowUp.Kind.values:
        errors["kind"] = [_("Choose a valid kind.")]
    if "happened_at" in data:
        if data["happened_at"] is None:
            data["happened_at"] = timezone.now()
        elif data["happened_at"] > timezone.now() + FUTURE_TOLERANCE:
            errors["happened_at"] = [_("A follow-up cannot be in the future; plan it as the next action.")]
    if data.get("next_action_on") is not None and data["next_action_on"] < timezone.localdate():
        errors["next_action_on"] = [_("The next action cannot be in the past.")]
    raise_if(errors)
    return data


def _reminder_owner(follow_up: FollowUp):
    return follow_up.opportunity.owner if follow_up.opportunity_id else follow_up.customer.owner


def _schedule_reminder(follow_up: FollowUp) -> None:
    reminder_cancel(obj=follow_up)
    if follow_up.next_action_on is None:
        return
    at = timezone.make_aware(datetime.datetime.combine(follow_up.next_action_on, datetime.time(REMINDER_HOUR)))
    remind(user=_reminder_owner(follow_up), obj=follow_up, at=at, kind="crm.follow_up",
           message=gettext_lazy("Follow up with %(customer)s: %(action)s"),
           params={"customer": follow_up.customer.name, "action": follow_up.next_action or follow_up.summary[:80]},
           link=reverse("crm:customer-detail", args=[follow_up.customer_id]))


def _stamp_opportunity(opportunity_id, happened_at) -> None:
    """Newest follow-up wins (conditional update: concurrent follow-ups cannot
    move the stamp backwards)."""
    Opportunity.objects.filter(pk=opportunity_id).filter(
        Q(last_follow_up_at__isnull=True) | Q(last_follow_up_at__lt=happened_at)
    ).update(last_follow_up_at=happened_at, stale_since=None)


@transaction.atomic
def follow_up_create(
    *, by, customer: Customer | None = None, opportunity: Opportunity | None = None, kind: str = FollowUp.Kind.CALL,
    summary: str, happened_at: datetime.datetime | None = None, next_action: str = "",
    next_action_on: datetime.date | None = None,
) -> FollowUp:
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
    data = _clean_follow_up({"kind": kind, "summary": summary, "happened_at": happened_at,
                             "next_action": next_action, "next_action_on": next_action_on})
    follow_up = FollowUp.objects.create(customer=customer, opportunity=opportunity, author=by, **data)
    if opportunity is not None:
        _stamp_opportunity(opportunity.pk, follow_up.happened_at)
    _schedule_reminder(follow_up)
    audit_record(actor=by, action="create", obj=follow_up, changes=data | {"customer": customer})
    return follow_up


@transaction.atomic
def follow_up_update(*, follow_up: FollowUp, by, **data) -> FollowUp:
    unknown = set(data) - set(FOLLOW_UP_FIELDS)
    if unknown:
        raise TypeError(f"follow_up_update() got unexpected fields {sorted(unknown)}")
    follow_up = FollowUp.objects.select_for_update(of=("self",)).select_related(
        "customer__owner", "opportunity__owner").get(pk=follow_up.pk)
    data = _clean_follow_up(data)
    changes = changes_between(follow_up, data)
    if not changes:
        return follow_up
    for field, value in data.items():
        setattr(follow_up, field, value)
    follow_up.save()
    if follow_up.opportunity_id and "happened_at" in changes:
        _stamp_opportunity(follow_up.opportunity_id, follow_up.happened_at)
    if {"next_action_on", "next_action"} & set(changes):
        _schedule_reminder(follow_up)
    audit_record(actor=by, action="update", obj=follow_up, changes=changes)
    return follow_up


@transaction.atomic
def follow_up_delete(*, follow_up: FollowUp, by) -> None:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    reminder_cancel(obj=follow_up)
    audit_record(actor=by, action="delete", obj=follow_up,
                 changes={"customer": str(follow_up.customer_id), "summary": follow_up.summary[:200]})
    follow_up.delete()


# ------------------------------------------------------------------ contacts


def _clean_contact(data: dict) -> dict:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    errors: dict = {}
    data = dict(data)
    text(data, errors, "name", 120, required=True)
    text(data, errors, "title", 80)
    text(data, errors, "phone", 40)
    text(data, errors, "email", 254)
    text(data, errors, "notes", 5000)
    if data.get("email"):
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if "is_primary" in data:
        data["is_primary"] = bool(data["is_primary"])
    raise_if(errors)
    return data


def _one_primary(contact: Contact) -> None:
    """A new primary contact replaces the previous one (locked)."""
    if contact.is_primary:
        list(Contact.objects.select_for_update().filter(customer_id=contact.customer_id, is_primary=True))
        Contact.objects.filter(customer_id=contact.customer_id, is_primary=True).exclude(pk=contact.pk).update(
            is_primary=False)


@transaction.atomic
def contact_create(*, by, customer: Customer, name: str, title: str = "", phone: str = "", email: str = "",
                   is_primary: bool = False, notes: str = "") -> Contact:
    check_reference(customer, by, "crm.customer.view", "customer")
    data = _clean_contact({"name": name, "title": title, "phone": phone, "email": email,
                           "is_primary": is_primary, "notes": notes})
    contact = Contact(customer=customer, **data)
    _one_primary(contact)
    contact.save()
    audit_record(actor=by, action="create", obj=contact, changes=data | {"customer": customer})
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, by, **data) -> Contact:
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"contact_update() got unexpected fields {sorted(unknown)}")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    data = _clean_contact(data)
    changes = changes_between(contact, data)
    if not changes:
        return contact
    for field, value in data.items():
        setattr(contact, field, value)
    _one_primary(contact)
    contact.save()
    audit_record(actor=by, action="update", obj=contact, changes=changes)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, by) -> None:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    audit_record(actor=by, action="delete", obj=contact, changes={"name": contact.name})
    contact.delete()
