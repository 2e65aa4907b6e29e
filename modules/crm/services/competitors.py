"""Competitor analysis: competitor products and the competitors of an opportunity.

Rules:
- a competitor is a counterparty of kind "competitor" the caller may see
  (``crm.competitor.view`` + the customer's data scope); anything else is
  refused on the ``competitor`` field;
- prices are optional Decimals >= 0 with two places and a three-letter
  currency; "our comparable product" must be an active catalog product when set;
- a competitor appears at most once per opportunity: a second one is a
  ``conflict`` (the unique constraint ``crm_opportunity_competitor_unique``
  decides under concurrency); the opportunity must be one the caller may see;
  the quoted price's currency defaults to the opportunity's.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.access import access_for
from core.audit.services import audit_record, update_audited
from core.catalog.models import Product
from core.errors import DomainError, ErrorCode

from ..models import CompetitorProduct, Customer, Opportunity, OpportunityCompetitor
from ..models.competitors import ThreatLevel
from ._common import check_reference, choice, currency_code, money, raise_if, text

PRODUCT_FIELDS = ("name", "model", "price", "currency", "our_product", "strengths", "weaknesses", "strategy",
                  "last_seen_on")
ENTRY_FIELDS = ("quoted_price", "currency", "threat_level", "notes")
NOTE_LIMIT = 5000


def check_competitor(competitor: Customer | None, by) -> None:
    """``competitor`` must be a counterparty of kind competitor (competitors are
    shared company-wide: the caller needs the permission, not the scope)."""
    if competitor is None:
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"competitor": [_("This field is required.")]})
    if competitor.kind != Customer.Kind.COMPETITOR:
        raise DomainError(_("Please correct the highlighted fields."), fields={"competitor": [
            _("“%(name)s” is not a competitor; set its kind to competitor in the customer file first.")
            % {"name": competitor.name}]})
    if not access_for(by).can("crm.competitor.view"):
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"competitor": [_("Unknown or outside your data scope.")]})


def _optional_money(data: dict, errors: dict, field: str) -> None:
    if data.get(field) not in (None, ""):
        data[field] = money(data[field], errors, field)
    elif field in data:
        data[field] = None


def _clean_product(data: dict, *, changing_product: bool) -> dict:
    errors: dict = {}
    data = dict(data)
    text(data, errors, "name", 200, required=True)
    text(data, errors, "model", 200)
    for field in ("strengths", "weaknesses", "strategy"):
        text(data, errors, field, NOTE_LIMIT)
    _optional_money(data, errors, "price")
    currency_code(data, errors)
    if "last_seen_on" in data and data["last_seen_on"] is not None and not isinstance(
            data["last_seen_on"], datetime.date):
        errors["last_seen_on"] = [_("Enter a date.")]
    product = data.get("our_product")
    if changing_product and product is not None:
        if not isinstance(product, Product):
            errors["our_product"] = [_("Choose a product.")]
        elif not product.is_active:
            errors["our_product"] = [_("This product is no longer sold.")]
    raise_if(errors)
    return data


@transaction.atomic
def competitor_product_create(
    *, by, competitor: Customer, name: str, model: str = "", price: Decimal | None = None, currency: str = "CNY",
    our_product: Product | None = None, strengths: str = "", weaknesses: str = "", strategy: str = "",
    last_seen_on: datetime.date | None = None,
) -> CompetitorProduct:
    check_competitor(competitor, by)
    data = _clean_product({"name": name, "model": model, "price": price, "currency": currency,
                           "our_product": our_product, "strengths": strengths, "weaknesses": weaknesses,
                           "strategy": strategy, "last_seen_on": last_seen_on}, changing_product=True)
    product = CompetitorProduct.objects.create(competitor=competitor, **data)
    audit_record(actor=by, action="create", obj=product, changes=data | {"competitor": competitor})
    return product


@transaction.atomic
def competitor_product_update(*, product: CompetitorProduct, by, **data) -> CompetitorProduct:
    unknown = set(data) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"competitor_product_update() got unexpected fields {sorted(unknown)}")
    product = CompetitorProduct.objects.select_for_update().get(pk=product.pk)
    changing = "our_product" in data and getattr(data["our_product"], "pk", None) != product.our_product_id
    data = _clean_product(data, changing_product=changing)
    return update_audited(product, data, by=by)


@transaction.atomic
def competitor_product_delete(*, product: CompetitorProduct, by) -> None:
    product = CompetitorProduct.objects.select_for_update().get(pk=product.pk)
    audit_record(actor=by, action="delete", obj=product,
                 changes={"name": product.name, "competitor": str(product.competitor_id)})
    product.delete()


# ------------------------------------------------------- opportunity competitors


def _clean_entry(data: dict) -> dict:
    errors: dict = {}
    data = dict(data)
    text(data, errors, "notes", NOTE_LIMIT)
    _optional_money(data, errors, "quoted_price")
    currency_code(data, errors)
    choice(data, errors, "threat_level", ThreatLevel)
    raise_if(errors)
    return data


def _already_listed(competitor: Customer) -> DomainError:
    message = _("%(name)s is already listed as a competitor on this opportunity.") % {"name": competitor.name}
    return DomainError(message, code=ErrorCode.CONFLICT, fields={"competitor": [message]})


@transaction.atomic
def opportunity_competitor_add(
    *, by, opportunity: Opportunity, competitor: Customer, quoted_price: Decimal | None = None,
    currency: str | None = None, threat_level: str = ThreatLevel.MEDIUM, notes: str = "",
) -> OpportunityCompetitor:
    check_reference(opportunity, by, "crm.opportunity.view", "opportunity")
    check_competitor(competitor, by)
    data = _clean_entry({"quoted_price": quoted_price, "currency": currency or opportunity.currency,
                         "threat_level": threat_level, "notes": notes})
    if OpportunityCompetitor.objects.filter(opportunity=opportunity, competitor=competitor).exists():
        raise _already_listed(competitor)
    entry = OpportunityCompetitor(opportunity=opportunity, competitor=competitor, **data)
    try:
        with transaction.atomic():
            entry.save(force_insert=True)
    except IntegrityError as exc:
        if "crm_opportunity_competitor_unique" not in str(exc):
            raise
        raise _already_listed(competitor) from exc
    audit_record(actor=by, action="create", obj=entry,
                 changes=data | {"opportunity": opportunity, "competitor": competitor})
    return entry


@transaction.atomic
def opportunity_competitor_update(*, entry: OpportunityCompetitor, by, **data) -> OpportunityCompetitor:
    unknown = set(data) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"opportunity_competitor_update() got unexpected fields {sorted(unknown)}")
    entry = OpportunityCompetitor.objects.select_for_update(of=("self",)).select_related(
        "opportunity", "competitor").get(pk=entry.pk)
    data = _clean_entry(data)
    return update_audited(entry, data, by=by)


@transaction.atomic
def opportunity_competitor_remove(*, entry: OpportunityCompetitor, by) -> None:
    entry = OpportunityCompetitor.objects.select_for_update().get(pk=entry.pk)
    audit_record(actor=by, action="delete", obj=entry,
                 changes={"opportunity": str(entry.opportunity_id), "competitor": str(entry.competitor_id)})
    entry.delete()
