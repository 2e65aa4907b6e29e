"""Bids (招投标记录) on an opportunity.

Rules: the opportunity must be one the caller may see (it is fixed after
creation); a tender number, the tendering party and the bid date are
required; the bid amount and the deposit are amounts >= 0 with two places, in
a three-letter currency (default: the opportunity's); the result is one of
pending / won / lost / cancelled.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit.services import audit_record, update_audited

from ..models import Bid, Opportunity
from ._common import check_reference, choice, currency_code, money, raise_if, text

BID_FIELDS = ("tender_number", "tendering_party", "bid_date", "amount", "deposit", "currency", "result", "notes")


def _clean(data: dict) -> dict:
    errors: dict = {}
    data = dict(data)
    text(data, errors, "tender_number", 64, required=True)
    text(data, errors, "tendering_party", 200, required=True)
    text(data, errors, "notes", 5000)
    if "bid_date" in data and data["bid_date"] is None:
        errors["bid_date"] = [_("This field is required.")]
    elif "bid_date" in data and not isinstance(data["bid_date"], datetime.date):
        errors["bid_date"] = [_("Enter a date.")]
    for field in ("amount", "deposit"):
        if field in data:
            data[field] = money(data[field], errors, field)
    currency_code(data, errors)
    choice(data, errors, "result", Bid.Result)
    raise_if(errors)
    return data


@transaction.atomic
def bid_create(*, by, opportunity: Opportunity, tender_number: str, tendering_party: str,
               bid_date: datetime.date | None, amount: Decimal, deposit: Decimal = Decimal("0"),
               currency: str | None = None, result: str = Bid.Result.PENDING, notes: str = "") -> Bid:
    check_reference(opportunity, by, "crm.opportunity.view", "opportunity")
    data = _clean({"tender_number": tender_number, "tendering_party": tendering_party, "bid_date": bid_date,
                   "amount": amount, "deposit": deposit, "currency": currency or opportunity.currency,
                   "result": result, "notes": notes})
    bid = Bid.objects.create(opportunity=opportunity, **data)
    audit_record(actor=by, action="create", obj=bid, changes=data | {"opportunity": opportunity})
    return bid


@transaction.atomic
def bid_update(*, bid: Bid, by, **data) -> Bid:
    unknown = set(data) - set(BID_FIELDS)
    if unknown:
        raise TypeError(f"bid_update() got unexpected fields {sorted(unknown)}")
    bid = Bid.objects.select_for_update().get(pk=bid.pk)
    data = _clean(data)
    return update_audited(bid, data, by=by)


@transaction.atomic
def bid_delete(*, bid: Bid, by) -> None:
    bid = Bid.objects.select_for_update().get(pk=bid.pk)
    audit_record(actor=by, action="delete", obj=bid,
                 changes={"tender_number": bid.tender_number, "opportunity": str(bid.opportunity_id)})
    bid.delete()
