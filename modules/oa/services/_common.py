"""Validation and audience helpers shared by the OA services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core.errors import DomainError

MAX_MONEY = Decimal("999999999999.99")
CENT = Decimal("0.01")


def raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)


def text(data: dict, errors: dict, field: str, limit: int, *, required: bool = False) -> None:
    """Strip ``data[field]`` and check it is present (if required) and short enough."""
    if field not in data:
        return
    data[field] = (data[field] or "").strip()
    if required and not data[field]:
        errors[field] = [_("This field is required.")]
    elif len(data[field]) > limit:
        errors[field] = [_("Use at most %(n)d characters.") % {"n": limit}]


def money(value, errors: dict, field: str) -> Decimal | None:
    """A positive amount with at most two decimal places."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = [_("Enter an amount.")]
        return None
    if not amount.is_finite():
        errors[field] = [_("Enter an amount.")]
    elif amount <= 0:
        errors[field] = [_("The amount must be more than zero.")]
    elif amount.as_tuple().exponent < -2:
        errors[field] = [_("Use at most two decimal places.")]
    elif amount > MAX_MONEY:
        errors[field] = [_("The amount is too large.")]
    else:
        return amount.quantize(CENT)
    return None


def audience(*, users=(), departments=(), everyone: bool = False, exclude=None) -> list:
    """Active members named directly or through a department (its members at
    this moment; sub-departments are not included), without duplicates,
    ordered by name. ``exclude`` (a user) is left out."""
    User = get_user_model()
    people = User.objects.filter(is_active=True)
    if not everyone:
        user_ids = [u.pk for u in users]
        department_ids = [d.pk for d in departments]
        people = people.filter(pk__in=user_ids) | people.filter(department_id__in=department_ids)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people.distinct().order_by("full_name", "email"))


def check_members(users, errors: dict, field: str) -> None:
    """Every named person must be an active member."""
    if any(not u.is_active for u in users):
        errors[field] = [_("Choose active members only.")]
