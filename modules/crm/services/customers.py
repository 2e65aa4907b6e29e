"""Every change to customers: validated, audited, atomic.

Rules: a customer has a name and an active owner; the credit limit is a
Decimal >= 0; the owner defaults to the caller and the department to the
caller's department; a reassignment moves the customer to the new owner's
department unless one is given; and nobody may save a customer so that it
falls outside their own data scope (they could no longer see or fix it).

A change of owner is a reassignment (one place for it: :func:`customer_update`):
the open opportunities the previous owner held on the customer follow it, and
every hand-over is kept as an :class:`OwnerChange` row."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from core.access import scope_filter
from core.audit.services import audit_record, changes_between
from core.errors import DomainError, ErrorCode

from ..models import Customer, Opportunity, OwnerChange
from ..models.opportunities import OPEN_STAGES

UNSET = object()
EDITABLE_FIELDS = ("name", "kind", "grade", "region", "industry", "phone", "credit_limit", "owner", "department")
TEXT_LIMITS = {"name": 200, "grade": 16, "region": 80, "industry": 80, "phone": 40}
MAX_MONEY = Decimal("999999999999.99")


def _clean(data: dict) -> dict:
    """Normalised copy of ``data``; raises a validation error listing every bad field."""
    errors: dict = {}
    clean = dict(data)
    for field, limit in TEXT_LIMITS.items():
        if field in clean:
            clean[field] = (clean[field] or "").strip()
            if len(clean[field]) > limit:
                errors[field] = [_("Use at most %(n)d characters.") % {"n": limit}]
    if "name" in clean and not clean["name"]:
        errors["name"] = [_("This field is required.")]
    if "kind" in clean and clean["kind"] not in Customer.Kind.values:
        errors["kind"] = [_("Choose a valid kind.")]
    if "credit_limit" in clean:
        try:
            amount = Decimal(str(clean["credit_limit"]))
        except (InvalidOperation, TypeError, ValueError):
            errors["credit_limit"] = [_("Enter an amount.")]
        else:
            if not amount.is_finite():
                errors["credit_limit"] = [_("Enter an amount.")]
            elif amount < 0:
                errors["credit_limit"] = [_("The credit limit cannot be negative.")]
            elif amount.as_tuple().exponent < -2:
                errors["credit_limit"] = [_("Use at most two decimal places.")]
            elif amount > MAX_MONEY:
                errors["credit_limit"] = [_("The amount is too large.")]
            else:
                amount = amount.quantize(Decimal("0.01"))  # 5 and 5.00 are the same limit
            clean["credit_limit"] = amount
    if "owner" in clean:
        owner = clean["owner"]
        if owner is None:
            errors["owner"] = [_("This field is required.")]
        elif not owner.is_active:
            errors["owner"] = [_("The owner must be an active member.")]
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    return clean


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
    phone: str = "", credit_limit: Decimal = Decimal("0"), owner=None, department=UNSET,
) -> Customer:
    data = _clean({
        "name": name, "kind": kind, "grade": grade, "region": region, "industry": industry, "phone": phone,
        "credit_limit": credit_limit, "owner": owner if owner is not None else by,
    })
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
def customer_update(*, customer: Customer, by, reason: str = "", job=None, **data) -> Customer:
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
