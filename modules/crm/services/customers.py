"""Every change to customers: validated, audited, atomic.

Rules: a customer has a name and an active owner; the credit limit is a
Decimal >= 0; the owner defaults to the caller and the department to the
caller's department; a reassignment moves the customer to the new owner's
department unless one is given; and nobody may save a customer so that it
falls outside their own data scope (they could no longer see or fix it).

Duplicates: a new customer, or an edit, whose name, tax id or phone matches
another counterparty of the company is refused with a 409 naming the match,
unless the caller confirms (``allow_duplicate``). The check is company-wide
(customers belong to the company, not to one rep's scope).

A change of owner is a reassignment (one place for it: :func:`customer_update`):
the open opportunities the previous owner held on the customer follow it, and
every hand-over is kept as an :class:`OwnerChange` row."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from core.access import scope_filter
from core.audit.services import audit_record, changes_between
from core.errors import DomainError, ErrorCode

from ..models import Customer, Opportunity, OwnerChange
from ._common import money, raise_if, text
from ..models.opportunities import OPEN_STAGES

UNSET = object()
EDITABLE_FIELDS = ("name", "kind", "grade", "region", "industry", "phone", "tax_id", "source", "credit_rating",
                   "credit_limit", "owner", "department")
TEXT_LIMITS = {"name": 200, "grade": 16, "region": 80, "industry": 80, "phone": 40, "tax_id": 40}
CHOICE_FIELDS = {"kind": Customer.Kind, "source": Customer.Source, "credit_rating": Customer.CreditRating}
DUPLICATE_KEYS = ("name", "tax_id", "phone")


def _clean(data: dict) -> dict:
    """Normalised copy of ``data``; raises a validation error listing every bad field."""
    errors: dict = {}
    clean = dict(data)
    for field, limit in TEXT_LIMITS.items():
        text(clean, errors, field, limit, required=field == "name")
    for field, choices in CHOICE_FIELDS.items():
        if field in clean:
            clean[field] = clean[field] or ("" if field != "kind" else Customer.Kind.CUSTOMER)
            if clean[field] and clean[field] not in choices.values:
                errors[field] = [_("Choose a valid option.")]
    if "credit_limit" in clean:
        clean["credit_limit"] = money(clean["credit_limit"], errors, "credit_limit")
    if "owner" in clean:
        owner = clean["owner"]
        if owner is None:
            errors["owner"] = [_("This field is required.")]
        elif not owner.is_active:
            errors["owner"] = [_("The owner must be an active member.")]
    raise_if(errors)
    return clean


def _refuse_duplicates(data: dict, *, exclude_pk=None) -> None:
    """Raise a 409 naming the counterparties that share a name, tax id or phone."""
    from ..selectors import customer_duplicates

    matches = customer_duplicates(name=data.get("name", ""), tax_id=data.get("tax_id", ""),
                                  phone=data.get("phone", ""), exclude_pk=exclude_pk)
    if not matches:
        return
    fields: dict = {}
    for match in matches:
        for field in match.matched_on:
            fields.setdefault(field, []).append(
                _("Same as “%(name)s” (owner: %(owner)s).") % {"name": match.customer.name,
                                                              "owner": match.customer.owner})
    raise DomainError(
        _("This looks like a customer that already exists. Check the matches, or confirm to save it anyway."),
        code=ErrorCode.CONFLICT, fields=fields,
    )


def _check_still_visible(customer: Customer, by) -> None:
    """Refuse a save that would move the customer out of the caller's scope."""
    q = scope_filter(by, Customer)
    if q is not None and not Customer.objects.filter(q, pk=customer.pk).exists():
        raise DomainError(
            _("You would no longer be able to see this customer. "
              "Choose an owner or department within your data scope."),
            fields={"owner": [_("Outside your data scope.")]},
        )


@transaction.atomic
def customer_create(
    *, by, name: str, kind: str = Customer.Kind.CUSTOMER, grade: str = "", region: str = "", industry: str = "",
    phone: str = "", tax_id: str = "", source: str = "", credit_rating: str = "",
    credit_limit: Decimal = Decimal("0"), owner=None, department=UNSET, allow_duplicate: bool = False,
) -> Customer:
    data = _clean({
        "name": name, "kind": kind, "grade": grade, "region": region, "industry": industry, "phone": phone,
        "tax_id": tax_id, "source": source, "credit_rating": credit_rating, "credit_limit": credit_limit,
        "owner": owner if owner is not None else by,
    })
    if not allow_duplicate:
        _refuse_duplicates(data)
    data["department"] = by.department if department is UNSET else department
    customer = Customer.objects.create(**data)
    _check_still_visible(customer, by)
    audit_record(actor=by, action="create", obj=customer, changes=data)
    return customer


def _hand_over(*, customer: Customer, old_owner, by, reason: str, job) -> None:
    """Record the customer's hand-over and move the open opportunities the
    previous owner held on it (locked) to the new owner and department."""
    OwnerChange.objects.create(customer=customer, from_owner=old_owner, to_owner=customer.owner, by=by,
                               reason=reason, job=job)
    opportunities = list(Opportunity.objects.select_for_update().filter(
        customer=customer, owner=old_owner, stage__in=OPEN_STAGES).order_by("pk"))
    for opportunity in opportunities:
        opportunity.owner = customer.owner
        opportunity.department = customer.department
        opportunity.save(update_fields=["owner", "department", "updated_at"])
        audit_record(actor=by, action="update", obj=opportunity, message="reassigned",
                     changes={"owner": [str(old_owner.pk), str(customer.owner_id)]})
    OwnerChange.objects.bulk_create([
        OwnerChange(customer=customer, opportunity=o, from_owner=old_owner, to_owner=customer.owner, by=by,
                    reason=reason, job=job)
        for o in opportunities
    ])


@transaction.atomic
def customer_update(*, customer: Customer, by, reason: str = "", job=None, allow_duplicate: bool = False,
                    **data) -> Customer:
    """Change fields; a change of owner is a reassignment (see :func:`customer_reassign`)."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"customer_update() got unexpected fields {sorted(unknown)}")
    customer = (
        Customer.objects.select_for_update(of=("self",)).select_related("owner", "department").get(pk=customer.pk)
    )
    data = _clean(data)
    if "owner" in data and data["owner"].pk != customer.owner_id and "department" not in data:
        data["department"] = data["owner"].department
    changes = changes_between(customer, data)
    if not changes:
        return customer
    if not allow_duplicate and set(changes) & set(DUPLICATE_KEYS):
        _refuse_duplicates({key: data.get(key, getattr(customer, key)) for key in DUPLICATE_KEYS},
                           exclude_pk=customer.pk)
    old_owner = customer.owner
    for field, value in data.items():
        setattr(customer, field, value)
    customer.save()
    _check_still_visible(customer, by)
    reassigned = "owner" in changes
    if reassigned:
        _hand_over(customer=customer, old_owner=old_owner, by=by, reason=(reason or "").strip()[:300], job=job)
    audit_record(actor=by, action="update", obj=customer, changes=changes, message="reassigned" if reassigned else "")
    return customer


def customer_reassign(*, customer: Customer, by, owner, department=UNSET, reason: str = "", job=None) -> Customer:
    """Hand a customer (and the open opportunities its owner held on it) to
    another owner; it follows the new owner's department unless ``department``
    is given."""
    data = {"owner": owner}
    if department is not UNSET:
        data["department"] = department
    return customer_update(customer=customer, by=by, reason=reason, job=job, **data)


@transaction.atomic
def customer_delete(*, customer: Customer, by) -> None:
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    audit_record(
        actor=by, action="delete", obj=customer,
        changes={"name": customer.name, "owner": customer.owner_id, "department": customer.department_id},
    )
    try:
        with transaction.atomic():
            customer.delete()
    except ProtectedError as exc:
        raise DomainError(
            _("“%(name)s” is used by other records and cannot be deleted.") % {"name": customer.name},
            code=ErrorCode.CONFLICT,
        ) from exc
