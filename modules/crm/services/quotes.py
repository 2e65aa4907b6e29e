"""Quotes (报价): create (from an opportunity or on its own), edit, copy a
historical quote, submit for approval, won/lost.

Rules:
- a quote's customer (and opportunity, whose customer it takes) must be in the
  caller's scope; the owner is the caller; its number is ``Q<yyyymmdd>-<nnnn>``
  (per workspace and day, taken under an advisory lock);
- lines reference catalog products; the unit price defaults to the product's
  list price (then the product's currency must be the quote's); quantity > 0
  with at most 3 places, discount and tax rate are fractions between 0 and 1;
- money is exact: per line net = round(qty × unit price × (1 − discount)),
  tax = round(net × tax rate), total = net + tax, each to cents ROUND_HALF_UP;
  the quote's subtotal/tax/total are the sums of the rounded lines (so a
  printed quote adds up);
- only draft, returned or rejected quotes can be edited (and only drafts
  deleted); an edit sets a rejected quote back to draft;
- approval goes through core.approvals ("crm.quote", amount = total); the
  hooks below keep ``state`` in step with the request: submitted → pending,
  approved → approved, rejected → rejected, returned → returned, withdrawn →
  draft. Submitting needs at least one line and an editable state, whichever
  way it is submitted (the check is in the ``on_submitted`` hook);
- only an approved quote is marked won or lost (lost needs a reason); won
  moves its open opportunity to won (amount = the quote's total when the
  currencies agree), lost moves it to lost with the same reason.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.services import audit_record, changes_between
from core.catalog.models import Product
from core.errors import DomainError, ErrorCode

from ..models import Customer, Opportunity, Quote, QuoteLine
from ..models.quotes import EDITABLE_QUOTE_STATES, QuoteState, line_amounts
from ._common import MAX_MONEY, check_reference, raise_if, text

QUOTE_FIELDS = ("title", "currency", "valid_until", "notes")
MAX_LINES = 200
ONE = Decimal(1)


# ------------------------------------------------------------------ cleaning


def _decimal(value, places: int, errors: dict, key: str, *, low: Decimal, high: Decimal | None,
             low_inclusive: bool = True) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        errors[key] = [_("Enter a number.")]
        return None
    if not number.is_finite():
        errors[key] = [_("Enter a number.")]
    elif number.as_tuple().exponent < -places:
        errors[key] = [_("Use at most %(n)d decimal places.") % {"n": places}]
    elif number < low or (number == low and not low_inclusive) or (high is not None and number > high):
        if not low_inclusive and number <= low:
            errors[key] = [_("Enter a number greater than %(low)s.") % {"low": low}]
        else:
            errors[key] = [_("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high}]
    else:
        return number
    return None


def _clean_fields(data: dict) -> dict:
    errors: dict = {}
    data = dict(data)
    text(data, errors, "title", 200, required=True)
    text(data, errors, "notes", 5000)
    if "currency" in data:
        data["currency"] = (data["currency"] or "").strip().upper()
        if len(data["currency"]) != 3 or not data["currency"].isalpha():
            errors["currency"] = [_("Use a three-letter currency code.")]
    if data.get("valid_until") is not None and not isinstance(data["valid_until"], datetime.date):
        errors["valid_until"] = [_("Enter a date.")]
    raise_if(errors)
    return data


def _clean_lines(lines, currency: str) -> list[dict]:
    """Validated lines with their amounts; errors keyed ``lines`` as
    ``["<n>: <field>: message", ...]`` (1-based line numbers)."""
    if not isinstance(lines, (list, tuple)):
        raise DomainError(_("Please correct the highlighted fields."), fields={"lines": [_("Give a list of lines.")]})
    if len(lines) > MAX_LINES:
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"lines": [_("Use at most %(n)d lines.") % {"n": MAX_LINES}]})
    problems: list[str] = []
    cleaned = []
    for number, line in enumerate(lines, start=1):
        errors: dict = {}
        product = line.get("product")
        if not isinstance(product, Product):
            errors["product"] = [_("Choose a product.")]
        elif not product.is_active:
            errors["product"] = [_("This product is no longer sold.")]
        quantity = _decimal(line.get("quantity"), 3, errors, "quantity", low=Decimal(0), high=Decimal("999999999"),
                            low_inclusive=False)
        unit_price = line.get("unit_price")
        if unit_price is None and isinstance(product, Product):
            if product.currency != currency:
                errors["unit_price"] = [_("The product is priced in %(cur)s; enter a price in %(quote)s.")
                                        % {"cur": product.currency, "quote": currency}]
            unit_price = product.list_price
        unit_price = _decimal(unit_price, 2, errors, "unit_price", low=Decimal(0), high=MAX_MONEY)
        discount = _decimal(line.get("discount") if line.get("discount") is not None else 0, 4, errors, "discount",
                            low=Decimal(0), high=ONE)
        tax_rate = _decimal(line.get("tax_rate") if line.get("tax_rate") is not None else 0, 4, errors, "tax_rate",
                            low=Decimal(0), high=ONE)
        description = (line.get("description") or "").strip()
        if len(description) > 300:
            errors["description"] = [_("Use at most %(n)d characters.") % {"n": 300}]
        if errors:
            problems += [f"{number}: {field}: {message}" for field, messages in errors.items() for message in messages]
            continue
        net, tax, total = line_amounts(quantity, unit_price, discount, tax_rate)
        if total > MAX_MONEY:
            problems.append(f"{number}: quantity: {_('The amount is too large.')}")
            continue
        cleaned.append({"position": number, "product": product, "description": description or product.name,
                        "quantity": quantity, "unit_price": unit_price, "discount": discount,
                        "tax_rate": tax_rate, "net": net, "tax": tax, "total": total})
    if problems:
        raise DomainError(_("Please correct the highlighted fields."), fields={"lines": problems})
    return cleaned


def _write_lines(quote: Quote, lines: list[dict]) -> None:
    QuoteLine.objects.filter(quote=quote).delete()
    QuoteLine.objects.bulk_create([QuoteLine(quote=quote, **line) for line in lines])
    quote.subtotal = sum((line["net"] for line in lines), Decimal("0.00"))
    quote.tax_total = sum((line["tax"] for line in lines), Decimal("0.00"))
    quote.total = quote.subtotal + quote.tax_total
    if quote.total > MAX_MONEY:
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"lines": [_("The amount is too large.")]})


def _next_number() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.crm_quote_number'))")
    prefix = f"Q{timezone.localdate():%Y%m%d}-"
    last = (Quote.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    return f"{prefix}{int(last[len(prefix):]) + 1 if last else 1:04d}"


def _line_dicts(quote: Quote) -> list[dict]:
    return [{"product": line.product, "description": line.description, "quantity": line.quantity,
             "unit_price": line.unit_price, "discount": line.discount, "tax_rate": line.tax_rate}
            for line in quote.lines.select_related("product").order_by("position")]


# ------------------------------------------------------------------ use cases


@transaction.atomic
def quote_create(*, by, customer: Customer | None = None, opportunity: Opportunity | None = None,
                 title: str = "", currency: str | None = None, valid_until: datetime.date | None = None,
                 notes: str = "", lines=(), copied_from: Quote | None = None) -> Quote:
    """A draft quote. From an opportunity: its customer, project (as the
    title) and currency are carried over unless given."""
    if opportunity is not None:
        check_reference(opportunity, by, "crm.opportunity.view", "opportunity")
        if customer is not None and customer.pk != opportunity.customer_id:
            raise DomainError(_("Please correct the highlighted fields."),
                              fields={"customer": [_("The opportunity belongs to another customer.")]})
        if not opportunity.is_open:
            raise DomainError(_("Please correct the highlighted fields."),
                              fields={"opportunity": [_("This opportunity is closed.")]})
        customer = opportunity.customer
        title = title or opportunity.project
        currency = currency or opportunity.currency
    if customer is None:
        raise DomainError(_("Please correct the highlighted fields."), fields={"customer": [_("This field is required.")]})
    check_reference(customer, by, "crm.customer.view", "customer")
    data = _clean_fields({"title": title, "currency": currency or "CNY", "valid_until": valid_until, "notes": notes})
    cleaned = _clean_lines(list(lines), data["currency"])
    quote = Quote(number=_next_number(), customer=customer, opportunity=opportunity, owner=by,
                  department=by.department, copied_from=copied_from, **data)
    _write_lines(quote, [])  # totals start at zero
    quote.save(force_insert=True)
    _write_lines(quote, cleaned)
    quote.save(update_fields=["subtotal", "tax_total", "total"])
    audit_record(actor=by, action="create", obj=quote,
                 changes=data | {"customer": customer, "opportunity": opportunity, "total": quote.total,
                                 "lines": len(cleaned)},
                 message=f"copied from {copied_from.number}" if copied_from else "")
    return quote


def _locked(quote: Quote) -> Quote:
    return Quote.objects.select_for_update(of=("self",)).get(pk=quote.pk)


@transaction.atomic
def quote_update(*, quote: Quote, by, lines=None, **data) -> Quote:
    unknown = set(data) - set(QUOTE_FIELDS)
    if unknown:
        raise TypeError(f"quote_update() got unexpected fields {sorted(unknown)}")
    quote = _locked(quote)
    if quote.state not in EDITABLE_QUOTE_STATES:
        raise DomainError(_("A quote that is %(state)s cannot be edited.") % {"state": quote.get_state_display().lower()},
                          code=ErrorCode.CONFLICT)
    data = _clean_fields(data)
    changes = changes_between(quote, data)
    for field, value in data.items():
        setattr(quote, field, value)
    if lines is not None:
        cleaned = _clean_lines(list(lines), quote.currency)
        old_total = quote.total
        _write_lines(quote, cleaned)
        changes["lines"] = len(cleaned)
        if quote.total != old_total:
            changes["total"] = [str(old_total), str(quote.total)]
    elif "currency" in changes and quote.lines.exists():
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"currency": [_("Send the lines again when you change the currency.")]})
    if not changes:
        return quote
    if quote.state == QuoteState.REJECTED:
        quote.state = QuoteState.DRAFT
    quote.save()
    audit_record(actor=by, action="update", obj=quote, changes=changes)
    return quote


@transaction.atomic
def quote_copy(*, source: Quote, by, opportunity: Opportunity | None = None, customer: Customer | None = None) -> Quote:
    """A new draft with the lines of ``source`` (a quote the caller may see),
    for ``opportunity`` or ``customer`` (default: the source's customer,
    without an opportunity)."""
    check_reference(source, by, "crm.quote.view", "source")
    if opportunity is None and customer is None:
        customer = source.customer
    currency = opportunity.currency if opportunity is not None else source.currency
    if currency != source.currency:
        raise DomainError(_("Please correct the highlighted fields."), fields={"opportunity": [
            _("The quote is in %(source)s, the opportunity in %(target)s.")
            % {"source": source.currency, "target": currency}]})
    return quote_create(by=by, customer=customer, opportunity=opportunity,
                        title=source.title if opportunity is None else "", currency=source.currency,
                        notes=source.notes, lines=_line_dicts(source), copied_from=source)


@transaction.atomic
def quote_delete(*, quote: Quote, by) -> None:
    quote = _locked(quote)
    if quote.state != QuoteState.DRAFT:
        raise DomainError(_("Only a draft quote can be deleted."), code=ErrorCode.CONFLICT)
    audit_record(actor=by, action="delete", obj=quote, changes={"number": quote.number, "total": quote.total})
    try:
        with transaction.atomic():
            quote.delete()
    except ProtectedError as exc:
        raise DomainError(_("“%(name)s” is used by other records and cannot be deleted.") % {"name": quote.number},
                          code=ErrorCode.CONFLICT) from exc


def quote_submit(*, quote: Quote, by, comment: str = ""):
    """Send the quote through the "crm.quote" approval flow."""
    from core.approvals.services import approval_submit

    return approval_submit(document=quote, document_type="crm.quote", by=by, comment=comment)


def quote_withdraw(*, quote: Quote, by, comment: str = ""):
    from core.approvals.services import approval_withdraw
    from core.approvals.services.engine import open_request_for

    request = open_request_for(quote)
    if request is None:
        raise DomainError(_("This quote is not waiting for approval."), code=ErrorCode.CONFLICT)
    return approval_withdraw(request=request, by=by, comment=comment)


@transaction.atomic
def quote_mark_won(*, quote: Quote, by) -> Quote:
    from .opportunities import opportunity_update

    quote = _locked(quote)
    if quote.state != QuoteState.APPROVED:
        raise DomainError(_("Only an approved quote can be marked won."), code=ErrorCode.CONFLICT)
    quote.state = QuoteState.WON
    quote.closed_at = timezone.now()
    quote.save(update_fields=["state", "closed_at", "updated_at"])
    audit_record(actor=by, action="update", obj=quote, changes={"state": ["approved", "won"]}, message="won")
    if quote.opportunity_id:
        opportunity = Opportunity.objects.get(pk=quote.opportunity_id)
        if opportunity.is_open:
            changes = {"stage": Opportunity.Stage.WON}
            if opportunity.currency == quote.currency:
                changes["amount"] = quote.total
            opportunity_update(opportunity=opportunity, by=by, **changes)
    return quote


@transaction.atomic
def quote_mark_lost(*, quote: Quote, by, reason: str) -> Quote:
    from .opportunities import opportunity_update

    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise DomainError(_("Please correct the highlighted fields."), fields={"lost_reason": [
            _("Say why the quote was lost.") if not reason else _("Use at most %(n)d characters.") % {"n": 300}]})
    quote = _locked(quote)
    if quote.state != QuoteState.APPROVED:
        raise DomainError(_("Only an approved quote can be marked lost."), code=ErrorCode.CONFLICT)
    quote.state = QuoteState.LOST
    quote.lost_reason = reason
    quote.closed_at = timezone.now()
    quote.save(update_fields=["state", "lost_reason", "closed_at", "updated_at"])
    audit_record(actor=by, action="update", obj=quote, changes={"state": ["approved", "lost"]},
                 message=f"lost: {reason}")
    if quote.opportunity_id:
        opportunity = Opportunity.objects.get(pk=quote.opportunity_id)
        if opportunity.is_open:
            opportunity_update(opportunity=opportunity, by=by, stage=Opportunity.Stage.LOST, lost_reason=reason)
    return quote


# ------------------------------------------------------- approval hooks


def _set_state(quote: Quote, state: str, by, event: str) -> None:
    old = quote.state
    quote.state = state
    quote.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action="update", obj=quote, changes={"state": [old, state]}, message=f"approval:{event}")


def quote_on_submitted(quote: Quote, request, by) -> None:
    if quote.state not in EDITABLE_QUOTE_STATES:
        raise DomainError(_("A quote that is %(state)s cannot be submitted.")
                          % {"state": quote.get_state_display().lower()}, code=ErrorCode.CONFLICT)
    if not quote.lines.exists():
        raise DomainError(_("Add at least one line before submitting the quote."),
                          fields={"lines": [_("Add at least one line.")]})
    _set_state(quote, QuoteState.PENDING, by, "submitted")


def quote_on_approved(quote: Quote, request, by) -> None:
    _set_state(quote, QuoteState.APPROVED, by, "approved")


def quote_on_rejected(quote: Quote, request, by) -> None:
    _set_state(quote, QuoteState.REJECTED, by, "rejected")


def quote_on_returned(quote: Quote, request, by) -> None:
    _set_state(quote, QuoteState.RETURNED, by, "returned")


def quote_on_withdrawn(quote: Quote, request, by) -> None:
    _set_state(quote, QuoteState.DRAFT, by, "withdrawn")
