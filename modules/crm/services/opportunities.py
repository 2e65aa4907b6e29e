"""Opportunities: create, update (stage, probability, close, reassign), delete.

Rules:
- the customer must be one the caller may see; the owner (default: the
  caller) must be active; the saved opportunity must stay in the caller's scope;
- an open opportunity locks its customer + project (case-insensitive): a second
  open one is a ``conflict`` naming the holder; the partial unique constraint
  ``crm_opportunity_open_project_lock`` is the guarantee under concurrency;
- the win probability follows the stage (``DEFAULT_PROBABILITY``) unless set by
  hand; setting it to ``None`` returns it to the stage default;
- moving to won/lost closes it (``closed_at``); lost needs a reason; reopening
  takes the lock again;
- a change of owner is recorded as an :class:`OwnerChange` and audited as
  ``reassigned``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.services import audit_record, changes_between
from core.errors import DomainError, ErrorCode

from ..models import Customer, Opportunity, OwnerChange
from ..models.opportunities import CLOSED_STAGES, DEFAULT_PROBABILITY, OPEN_STAGES, Stage
from ._common import check_reference, check_still_visible, money, raise_if, text

UNSET = object()
EDITABLE_FIELDS = ("project", "kind", "source", "stage", "amount", "currency", "probability", "expected_close",
                   "owner", "department", "lost_reason")


def _clean(data: dict) -> dict:
    errors: dict = {}
    data = dict(data)
    text(data, errors, "project", 200, required=True)
    text(data, errors, "lost_reason", 300)
    if "kind" in data and data["kind"] not in Opportunity.Kind.values:
        errors["kind"] = [_("Choose a valid kind.")]
    if "source" in data and data["source"] not in Opportunity.Source.values:
        errors["source"] = [_("Choose a valid source.")]
    if "stage" in data and data["stage"] not in Stage.values:
        errors["stage"] = [_("Choose a valid stage.")]
    if "amount" in data:
        data["amount"] = money(data["amount"], errors, "amount")
    if "currency" in data:
        data["currency"] = (data["currency"] or "").strip().upper()
        if len(data["currency"]) != 3 or not data["currency"].isalpha():
            errors["currency"] = [_("Use a three-letter currency code.")]
    if data.get("probability") is not None:
        try:
            probability = int(data["probability"])
        except (TypeError, ValueError):
            probability = -1
        if not 0 <= probability <= 100 or str(probability) != str(data["probability"]).strip():
            errors["probability"] = [_("Enter a whole percentage between 0 and 100.")]
        data["probability"] = probability
    if "expected_close" in data and data["expected_close"] is not None and not isinstance(
        data["expected_close"], datetime.date
    ):
        errors["expected_close"] = [_("Enter a date.")]
    if "owner" in data:
        if data["owner"] is None:
            errors["owner"] = [_("This field is required.")]
        elif not data["owner"].is_active:
            errors["owner"] = [_("The owner must be an active member.")]
    raise_if(errors)
    return data


def _holder(customer_id, project: str, exclude_pk=None) -> Opportunity | None:
    qs = Opportunity.objects.select_related("owner").annotate(project_lower=Lower("project")).filter(
        customer_id=customer_id, project_lower=project.lower(), stage__in=OPEN_STAGES)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _locked(holder: Opportunity | None) -> DomainError:
    if holder is None:
        message = _("This customer and project are already claimed by an open opportunity.")
    else:
        message = _("This customer and project are already claimed by %(owner)s's open opportunity.") % {
            "owner": holder.owner}
    return DomainError(message, code=ErrorCode.CONFLICT, fields={"project": [message]})


def _save_locking(opportunity: Opportunity, *, create: bool) -> None:
    """Insert/update under the open-project lock (the constraint decides)."""
    try:
        with transaction.atomic():
            if create:
                opportunity.save(force_insert=True)
            else:
                opportunity.save()
    except IntegrityError as exc:
        if "crm_opportunity_open_project_lock" not in str(exc):
            raise
        raise _locked(_holder(opportunity.customer_id, opportunity.project, opportunity.pk)) from exc


@transaction.atomic
def opportunity_create(
    *, by, customer: Customer, project: str, kind: str = Opportunity.Kind.PROJECT,
    source: str = Opportunity.Source.SELF_DEVELOPED, stage: str = Stage.LEAD, amount: Decimal = Decimal("0"),
    currency: str = "CNY", probability: int | None = None, expected_close: datetime.date | None = None,
    owner=None, department=UNSET,
) -> Opportunity:
    check_reference(customer, by, "crm.customer.view", "customer")
    data = _clean({"project": project, "kind": kind, "source": source, "stage": stage, "amount": amount,
                   "currency": currency, "probability": probability, "expected_close": expected_close,
                   "owner": owner if owner is not None else by})
    if data["stage"] in CLOSED_STAGES:
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"stage": [_("A new opportunity must be open.")]})
    holder = _holder(customer.pk, data["project"])
    if holder is not None:
        raise _locked(holder)
    overridden = data["probability"] is not None
    opportunity = Opportunity(
        customer=customer, **{k: v for k, v in data.items() if k != "probability"},
        probability=data["probability"] if overridden else DEFAULT_PROBABILITY[data["stage"]],
        probability_overridden=overridden,
        department=data["owner"].department if department is UNSET else department,
    )
    _save_locking(opportunity, create=True)
    check_still_visible(opportunity, by)
    audit_record(actor=by, action="create", obj=opportunity,
                 changes={k: v for k, v in data.items()} | {"customer": customer})
    return opportunity


@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, by, reason: str = "", **data) -> Opportunity:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"opportunity_update() got unexpected fields {sorted(unknown)}")
    opportunity = Opportunity.objects.select_for_update(of=("self",)).select_related("owner").get(pk=opportunity.pk)
    data = _clean(data)
    stage = data.get("stage", opportunity.stage)
    if "probability" in data:
        if data["probability"] is None:
            data["probability"] = DEFAULT_PROBABILITY[stage]
            data["probability_overridden"] = False
        else:
            data["probability_overridden"] = True
    elif stage != opportunity.stage and not opportunity.probability_overridden:
        data["probability"] = DEFAULT_PROBABILITY[stage]
    if stage != opportunity.stage:
        if stage in CLOSED_STAGES and opportunity.stage not in CLOSED_STAGES:
            data["closed_at"] = timezone.now()
        elif stage not in CLOSED_STAGES:
            data["closed_at"] = None
            data["lost_reason"] = ""
        if stage in CLOSED_STAGES:  # a closed opportunity's chance is certain
            data["probability"] = DEFAULT_PROBABILITY[stage]
    if stage == Stage.LOST and not data.get("lost_reason", opportunity.lost_reason):
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"lost_reason": [_("Say why the opportunity was lost.")]})
    if "owner" in data and data["owner"].pk != opportunity.owner_id and "department" not in data:
        data["department"] = data["owner"].department
    changes = changes_between(opportunity, data)
    if not changes:
        return opportunity
    old_owner = opportunity.owner
    for field, value in data.items():
        setattr(opportunity, field, value)
    _save_locking(opportunity, create=False)
    check_still_visible(opportunity, by)
    reassigned = "owner" in changes
    if reassigned:
        OwnerChange.objects.create(customer_id=opportunity.customer_id, opportunity=opportunity,
                                   from_owner=old_owner, to_owner=opportunity.owner, by=by,
                                   reason=(reason or "").strip()[:300])
    audit_record(actor=by, action="update", obj=opportunity, changes=changes,
                 message="reassigned" if reassigned else "")
    return opportunity


def opportunity_set_stage(*, opportunity: Opportunity, by, stage: str, lost_reason: str = "") -> Opportunity:
    """Move along the pipeline (the kanban's drag and drop)."""
    data = {"stage": stage}
    if lost_reason:
        data["lost_reason"] = lost_reason
    return opportunity_update(opportunity=opportunity, by=by, **data)


def opportunity_reassign(*, opportunity: Opportunity, by, owner, reason: str = "") -> Opportunity:
    return opportunity_update(opportunity=opportunity, by=by, owner=owner, reason=reason)


@transaction.atomic
def opportunity_delete(*, opportunity: Opportunity, by) -> None:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    audit_record(actor=by, action="delete", obj=opportunity,
                 changes={"project": opportunity.project, "customer": str(opportunity.customer_id)})
    try:
        with transaction.atomic():
            opportunity.delete()
    except ProtectedError as exc:
        raise DomainError(_("“%(name)s” is used by other records and cannot be deleted.")
                          % {"name": opportunity.project}, code=ErrorCode.CONFLICT) from exc
