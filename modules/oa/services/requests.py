"""Leave requests and expense claims: draft → submit (approval engine) →
pending → approved / rejected / returned (editable, resubmit) / withdrawn
(editable, submit again). The state changes only in the engine's hooks
below, called inside the engine's transaction with the document locked.

Rules: only the requester edits, deletes (drafts only), submits and
withdraws; a document is editable in draft, returned and withdrawn."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.approvals.registry import DocumentType, document_types
from core.approvals.services import approval_submit, approval_withdraw, open_request_for
from core.audit.services import audit_record, changes_between
from core.errors import DomainError, ErrorCode

from ..models import EDITABLE_STATES, ApprovalState, ExpenseClaim, LeaveKind, LeaveRequest
from ._common import money, raise_if, text

LEAVE = "oa.leave_request"
EXPENSE = "oa.expense_claim"
MAX_TEXT = 2000
MAX_DAYS = Decimal("366")


# ------------------------------------------------------------------ hooks


def _follow(state: str):
    def hook(document, request, by):
        type(document).objects.filter(pk=document.pk).update(state=state, updated_at=timezone.now())
        document.state = state
    hook.__name__ = f"mark_{state}"
    return hook


def register_document_types() -> None:
    """Called from OaConfig.ready(): leave and expense go through the engine."""
    from .. import selectors

    hooks = {
        "on_submitted": _follow(ApprovalState.PENDING), "on_approved": _follow(ApprovalState.APPROVED),
        "on_rejected": _follow(ApprovalState.REJECTED), "on_returned": _follow(ApprovalState.RETURNED),
        "on_withdrawn": _follow(ApprovalState.WITHDRAWN),
    }
    document_types.register(DocumentType(
        key=LEAVE, model="oa.LeaveRequest", title=gettext_lazy("Leave request"), module="oa",
        queryset=lambda user: selectors.leave_list(user=user).filter(requester=user),
        describe=lambda leave: _("Leave: %(who)s, %(start)s – %(end)s (%(days)s days)") % {
            "who": leave.requester, "start": leave.starts_on, "end": leave.ends_on, "days": leave.days},
        url=lambda leave: reverse("oa:leave-detail", args=[leave.pk]), **hooks,
    ))
    document_types.register(DocumentType(
        key=EXPENSE, model="oa.ExpenseClaim", title=gettext_lazy("Expense claim"), module="oa",
        queryset=lambda user: selectors.expense_list(user=user).filter(claimant=user),
        amount=lambda claim: (claim.amount, claim.currency),
        describe=lambda claim: _("Expense: %(title)s (%(who)s)") % {"title": claim.title, "who": claim.claimant},
        url=lambda claim: reverse("oa:expense-detail", args=[claim.pk]), **hooks,
    ))


# ---------------------------------------------------------------- shared


def _owner_only(document, owner_id, by, message: str) -> None:
    if owner_id != by.pk:
        raise DomainError(message, code=ErrorCode.PERMISSION_DENIED)


def _editable(document) -> None:
    if document.state not in EDITABLE_STATES:
        raise DomainError(_("This document is %(state)s and can no longer be changed.")
                          % {"state": document.get_state_display().lower()}, code=ErrorCode.CONFLICT)


def _locked(model, document):
    return model.objects.select_for_update(of=("self",)).get(pk=document.pk)


def _own_locked(model, document, by, owner_attr: str, message: str):
    """The document locked, after checking ``by`` is its owner."""
    document = _locked(model, document)
    _owner_only(document, getattr(document, owner_attr), by, message)
    return document


def _save_changes(document, by, data: dict):
    """Apply cleaned fields to an editable document and audit what changed."""
    _editable(document)
    changes = changes_between(document, data)
    for key, value in data.items():
        setattr(document, key, value)
    document.save()
    if changes:
        audit_record(actor=by, action="update", obj=document, changes=changes)
    return document


def _delete_draft(document, by) -> None:
    if document.state != ApprovalState.DRAFT:
        raise DomainError(_("Only drafts can be deleted; withdraw it instead."), code=ErrorCode.CONFLICT)
    audit_record(actor=by, action="delete", obj=document)
    document.delete()


def _submit(model, document, by, owner_attr: str, message: str, document_type: str, comment: str):
    with transaction.atomic():
        document = _own_locked(model, document, by, owner_attr, message)
        _editable(document)
        approval_submit(document=document, document_type=document_type, by=by, comment=comment)
    document.refresh_from_db()
    return document


def _withdraw(document, by, comment: str):
    request = open_request_for(document)
    if request is None:
        raise DomainError(_("This document is not waiting for approval."), code=ErrorCode.CONFLICT)
    approval_withdraw(request=request, by=by, comment=comment)
    document.refresh_from_db()
    return document


# ------------------------------------------------------------------ leave


def _clean_leave(data: dict, current: LeaveRequest | None = None) -> dict:
    errors: dict = {}
    text(data, errors, "reason", MAX_TEXT)
    if "kind" in data and data["kind"] not in LeaveKind.values:
        errors["kind"] = [_("Choose a valid kind.")]
    starts_on = data.get("starts_on", current.starts_on if current else None)
    ends_on = data.get("ends_on", current.ends_on if current else None)
    for field, value in (("starts_on", starts_on), ("ends_on", ends_on)):
        if not isinstance(value, date):
            errors[field] = [_("Enter a date.")]
    if not errors and ends_on < starts_on:
        errors["ends_on"] = [_("The last day cannot be before the first day.")]
    elif not errors and (ends_on - starts_on).days + 1 > MAX_DAYS:
        errors["ends_on"] = [_("A leave request covers at most %(n)s days.") % {"n": MAX_DAYS}]
    if "days" in data and data["days"] is not None:
        try:
            days = Decimal(str(data["days"]))
        except (InvalidOperation, TypeError, ValueError):
            days = None
        if days is None or not days.is_finite() or days <= 0 or days > MAX_DAYS or (days * 2) % 1 != 0:
            errors["days"] = [_("Enter a number of days in half days, e.g. 1.5.")]
        else:
            data["days"] = days.quantize(Decimal("0.1"))
    elif not errors and ("starts_on" in data or "ends_on" in data or current is None):
        # Calendar days by default; the requester may give fewer (weekends, half days).
        data["days"] = Decimal((ends_on - starts_on).days + 1).quantize(Decimal("0.1"))
    if not errors and data.get("days") is not None and data["days"] > Decimal((ends_on - starts_on).days + 1):
        errors["days"] = [_("More days than the period has.")]
    raise_if(errors)
    return data


@transaction.atomic
def leave_request_create(*, by, starts_on: date, ends_on: date, kind: str = LeaveKind.ANNUAL,
                         days: Decimal | None = None, reason: str = "") -> LeaveRequest:
    data = _clean_leave({"kind": kind, "starts_on": starts_on, "ends_on": ends_on, "days": days, "reason": reason})
    leave = LeaveRequest.objects.create(requester=by, department=by.department, **data)
    audit_record(actor=by, action="create", obj=leave)
    return leave


@transaction.atomic
def leave_request_update(*, leave: LeaveRequest, by, **fields) -> LeaveRequest:
    allowed = {"kind", "starts_on", "ends_on", "days", "reason"}
    data = {k: v for k, v in fields.items() if k in allowed}
    leave = _own_locked(LeaveRequest, leave, by, "requester_id", _("Only the requester can change this leave request."))
    _editable(leave)
    return _save_changes(leave, by, _clean_leave(data, leave))


@transaction.atomic
def leave_request_delete(*, leave: LeaveRequest, by) -> None:
    leave = _own_locked(LeaveRequest, leave, by, "requester_id", _("Only the requester can delete this leave request."))
    _delete_draft(leave, by)


def leave_request_submit(*, leave: LeaveRequest, by, comment: str = "") -> LeaveRequest:
    return _submit(LeaveRequest, leave, by, "requester_id", _("Only the requester can submit this leave request."),
                   LEAVE, comment)


@transaction.atomic
def leave_request_withdraw(*, leave: LeaveRequest, by, comment: str = "") -> LeaveRequest:
    _owner_only(leave, leave.requester_id, by, _("Only the requester can withdraw this leave request."))
    return _withdraw(leave, by, comment)


# ---------------------------------------------------------------- expense


def _clean_expense(data: dict) -> dict:
    errors: dict = {}
    text(data, errors, "title", 200, required=True)
    text(data, errors, "description", MAX_TEXT)
    if "amount" in data:
        data["amount"] = money(data["amount"], errors, "amount")
    if "currency" in data:
        data["currency"] = (data["currency"] or "").strip().upper()
        if len(data["currency"]) != 3 or not data["currency"].isalpha():
            errors["currency"] = [_("Enter a three-letter currency code, e.g. CNY.")]
    if "spent_on" in data and not isinstance(data["spent_on"], date):
        errors["spent_on"] = [_("Enter a date.")]
    elif "spent_on" in data and data["spent_on"] > timezone.localdate():
        errors["spent_on"] = [_("The date cannot be in the future.")]
    raise_if(errors)
    return data


@transaction.atomic
def expense_claim_create(*, by, title: str, amount, spent_on: date, currency: str = "CNY",
                         description: str = "") -> ExpenseClaim:
    data = _clean_expense({"title": title, "amount": amount, "spent_on": spent_on, "currency": currency,
                           "description": description})
    claim = ExpenseClaim.objects.create(claimant=by, department=by.department, **data)
    audit_record(actor=by, action="create", obj=claim)
    return claim


@transaction.atomic
def expense_claim_update(*, claim: ExpenseClaim, by, **fields) -> ExpenseClaim:
    allowed = {"title", "amount", "currency", "spent_on", "description"}
    data = _clean_expense({k: v for k, v in fields.items() if k in allowed})
    claim = _own_locked(ExpenseClaim, claim, by, "claimant_id", _("Only the claimant can change this expense claim."))
    return _save_changes(claim, by, data)


@transaction.atomic
def expense_claim_delete(*, claim: ExpenseClaim, by) -> None:
    claim = _own_locked(ExpenseClaim, claim, by, "claimant_id", _("Only the claimant can delete this expense claim."))
    _delete_draft(claim, by)


def expense_claim_submit(*, claim: ExpenseClaim, by, comment: str = "") -> ExpenseClaim:
    return _submit(ExpenseClaim, claim, by, "claimant_id", _("Only the claimant can submit this expense claim."),
                   EXPENSE, comment)


@transaction.atomic
def expense_claim_withdraw(*, claim: ExpenseClaim, by, comment: str = "") -> ExpenseClaim:
    _owner_only(claim, claim.claimant_id, by, _("Only the claimant can withdraw this expense claim."))
    return _withdraw(claim, by, comment)
