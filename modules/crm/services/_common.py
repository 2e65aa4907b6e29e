"""Small validation helpers shared by the CRM services (formats only; each
business rule lives in the service that owns it)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.access import access_for, scope_filter
from core.errors import DomainError

MAX_MONEY = Decimal("999999999999.99")
CENT = Decimal("0.01")


def money(value, errors: dict, field: str, *, allow_negative: bool = False) -> Decimal | None:
    """``value`` as a Decimal with at most two places (quantised to cents), or
    an entry in ``errors``."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = [_("Enter an amount.")]
        return None
    if not amount.is_finite():
        errors[field] = [_("Enter an amount.")]
    elif amount < 0 and not allow_negative:
        errors[field] = [_("The amount cannot be negative.")]
    elif amount.as_tuple().exponent < -2:
        errors[field] = [_("Use at most two decimal places.")]
    elif abs(amount) > MAX_MONEY:
        errors[field] = [_("The amount is too large.")]
    else:
        return amount.quantize(CENT)
    return None


def text(data: dict, errors: dict, field: str, limit: int, *, required: bool = False) -> None:
    if field not in data:
        return
    data[field] = (data[field] or "").strip()
    if required and not data[field]:
        errors[field] = [_("This field is required.")]
    elif len(data[field]) > limit:
        errors[field] = [_("Use at most %(n)d characters.") % {"n": limit}]


def raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)


def visible(obj, by, permission: str) -> bool:
    """Whether ``by`` may reach ``obj`` with ``permission`` (role + data scope),
    evaluated on the database row."""
    if not access_for(by).can(permission):
        return False
    q = scope_filter(by, type(obj))
    return q is None or type(obj).objects.filter(q, pk=obj.pk).exists()


def check_reference(obj, by, permission: str, field: str) -> None:
    """A referenced record (e.g. the customer of a new opportunity) must be one
    the caller may see; otherwise it is reported as unknown on ``field``."""
    if obj is not None and not visible(obj, by, permission):
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={field: [_("Unknown or outside your data scope.")]})


def check_still_visible(obj, by, field: str = "owner") -> None:
    """Refuse a save that would move ``obj`` out of the caller's data scope."""
    q = scope_filter(by, type(obj))
    if q is not None and not type(obj).objects.filter(q, pk=obj.pk).exists():
        raise DomainError(
            _("You would no longer be able to see this record. Choose an owner within your data scope."),
            fields={field: [_("Outside your data scope.")]},
        )


def currency_code(data: dict, errors: dict, field: str = "currency") -> None:
    """Normalise ``data[field]`` to an upper-case three-letter code, or report it."""
    if field not in data:
        return
    data[field] = (data[field] or "").strip().upper()
    if len(data[field]) != 3 or not data[field].isalpha():
        errors[field] = [_("Use a three-letter currency code.")]


def choice(data: dict, errors: dict, field: str, choices) -> None:
    """Report ``data[field]`` unless it is one of ``choices`` (a TextChoices)."""
    if field in data and data[field] not in choices.values:
        errors[field] = [_("Choose a valid option.")]
