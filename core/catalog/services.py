"""Every change to categories and products: validated, audited, atomic.

Rules: a category tree has no cycles and no two siblings share a name; a
category with products or sub-categories cannot be deleted; SKUs are unique
(case-insensitively); prices are Decimal amounts >= 0 with two decimals.
Products are deactivated, never deleted (other modules refer to them)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit.services import audit_record, update_audited
from core.errors import DomainError, ErrorCode

from .models import Category, Product
from .selectors import category_subtree_ids

MAX_MONEY = Decimal("999999999999.99")
CENT = Decimal("0.01")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
PRODUCT_FIELDS = ("sku", "name", "category", "unit", "currency", "list_price", "cost", "is_active")
CATEGORY_FIELDS = ("name", "parent")


def _raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)


def _text(errors: dict, field: str, value, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = [_("This field is required.")]
    elif len(value) > max_length:
        errors[field] = [_("Use at most %(n)d characters.") % {"n": max_length}]
    return value


def _money(errors: dict, field: str, value) -> Decimal | None:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = [_("Enter an amount.")]
        return None
    if not amount.is_finite():
        errors[field] = [_("Enter an amount.")]
    elif amount < 0:
        errors[field] = [_("The amount cannot be negative.")]
    elif amount.as_tuple().exponent < -2:
        errors[field] = [_("Use at most two decimal places.")]
    elif amount > MAX_MONEY:
        errors[field] = [_("The amount is too large.")]
    else:
        return amount.quantize(CENT)  # 120 and 120.00 are the same price
    return amount


# --- categories -------------------------------------------------------------


def _check_category(errors: dict, *, name: str, parent: Category | None, category: Category | None) -> None:
    if "name" not in errors:
        siblings = Category.objects.filter(parent=parent, name__iexact=name)
        if category is not None:
            siblings = siblings.exclude(pk=category.pk)
        if siblings.exists():
            errors["name"] = [_("Another category under the same parent has this name.")]
    if category is not None and parent is not None:
        if Category.objects.filter(pk=parent.pk).filter(pk__in=category_subtree_ids(category)).exists():
            errors["parent"] = [_("A category cannot be placed under itself or one of its sub-categories.")]


@transaction.atomic
def category_create(*, by, name: str, parent: Category | None = None) -> Category:
    errors: dict = {}
    name = _text(errors, "name", name, max_length=120)
    _check_category(errors, name=name, parent=parent, category=None)
    _raise_if(errors)
    category = Category.objects.create(name=name, parent=parent)
    audit_record(actor=by, action="create", obj=category, changes={"name": name, "parent": parent})
    return category


@transaction.atomic
def category_update(*, category: Category, by, **data) -> Category:
    unknown = set(data) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"category_update() got unexpected fields {sorted(unknown)}")
    category = Category.objects.select_for_update().get(pk=category.pk)
    errors: dict = {}
    if "name" in data:
        data["name"] = _text(errors, "name", data["name"], max_length=120)
    _check_category(
        errors, name=data.get("name", category.name), parent=data.get("parent", category.parent), category=category
    )
    _raise_if(errors)
    return update_audited(category, data, by=by)


@transaction.atomic
def category_delete(*, category: Category, by) -> None:
    category = Category.objects.select_for_update().get(pk=category.pk)
    if category.children.exists():
        raise DomainError(_("Move or delete the sub-categories of “%(name)s” first.") % {"name": category.name},
                          code=ErrorCode.CONFLICT)
    if category.products.exists():
        raise DomainError(_("Move the products of “%(name)s” to another category first.") % {"name": category.name},
                          code=ErrorCode.CONFLICT)
    audit_record(actor=by, action="delete", obj=category, changes={"name": category.name, "parent": category.parent_id})
    category.delete()


# --- products ---------------------------------------------------------------


def _clean_product(data: dict, *, product: Product | None) -> dict:
    """Normalised copy of ``data`` (only the given fields); raises on errors."""
    errors: dict = {}
    clean = dict(data)
    if "sku" in clean:
        clean["sku"] = _text(errors, "sku", clean["sku"], max_length=64)
        if "sku" not in errors:
            taken = Product.objects.filter(sku__iexact=clean["sku"])
            if product is not None:
                taken = taken.exclude(pk=product.pk)
            if taken.exists():
                errors["sku"] = [_("Another product already uses this SKU.")]
    if "name" in clean:
        clean["name"] = _text(errors, "name", clean["name"], max_length=200)
    if "unit" in clean:
        clean["unit"] = _text(errors, "unit", clean["unit"], max_length=20)
    if "currency" in clean:
        clean["currency"] = (clean["currency"] or "").strip().upper()
        if not CURRENCY_RE.match(clean["currency"]):
            errors["currency"] = [_("Use a three-letter ISO currency code, such as CNY.")]
    for field in ("list_price", "cost"):
        if field in clean:
            clean[field] = _money(errors, field, clean[field])
    if "is_active" in clean:
        clean["is_active"] = bool(clean["is_active"])
    _raise_if(errors)
    return clean


def _save_product(product: Product) -> None:
    """Save; a concurrent insert of the same SKU still answers as a field error."""
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError as exc:
        if "sku" in str(exc):
            raise DomainError(
                _("Please correct the highlighted fields."),
                fields={"sku": [_("Another product already uses this SKU.")]},
            ) from exc
        raise


@transaction.atomic
def product_create(
    *, by, sku: str, name: str, category: Category | None = None, unit: str = "pcs", currency: str = "CNY",
    list_price: Decimal = Decimal("0"), cost: Decimal = Decimal("0"), is_active: bool = True,
) -> Product:
    data = _clean_product(
        {"sku": sku, "name": name, "category": category, "unit": unit, "currency": currency,
         "list_price": list_price, "cost": cost, "is_active": is_active},
        product=None,
    )
    product = Product(**data)
    _save_product(product)
    audit_record(actor=by, action="create", obj=product, changes=data)
    return product


@transaction.atomic
def product_update(*, product: Product, by, **data) -> Product:
    unknown = set(data) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"product_update() got unexpected fields {sorted(unknown)}")
    product = Product.objects.select_for_update().get(pk=product.pk)
    data = _clean_product(data, product=product)
    return update_audited(product, data, by=by, save=_save_product)


@transaction.atomic
def product_deactivate(*, product: Product, by) -> Product:
    """Take a product out of use (it stays on past documents)."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not product.is_active:
        raise DomainError(_("This product is already inactive."), code=ErrorCode.CONFLICT)
    product.is_active = False
    product.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=by, action="update", obj=product, changes={"is_active": [True, False]}, message="deactivated")
    return product
