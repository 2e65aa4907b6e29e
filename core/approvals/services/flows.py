"""Approval flows: create, change (a change of steps is a new version; requests
in flight keep theirs), delete while unused, and the workspace's settings.

Rules: one flow per document type; a flow has 1 to 20 steps; each step names
how it is approved (single / countersign / any-of) and by whom (holders of a
role, the submitter's manager at level N, or a named active person); an
amount condition needs a document type with an amount and a currency."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.access import access_for
from core.audit.services import audit_record
from core.errors import DomainError, ErrorCode

from ..models import ApprovalRequest, ApprovalSettings, AssigneeType, FlowDefinition, FlowStep, FlowVersion, StepKind
from ..registry import document_types

UNSET = object()
MAX_STEPS = 20
MAX_MANAGER_LEVEL = 10
MAX_MONEY = Decimal("999999999999.99")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _require(by, action: str) -> None:
    if not access_for(by).can(f"core.approval_flow.{action}"):
        raise DomainError(_("You may not manage approval flows."), code=ErrorCode.PERMISSION_DENIED)


def _clean_amount(value, errors: dict, key: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors[key] = [_("Enter an amount.")]
        return None
    if not amount.is_finite():
        errors[key] = [_("Enter an amount.")]
    elif amount < 0:
        errors[key] = [_("The amount cannot be negative.")]
    elif amount.as_tuple().exponent < -2:
        errors[key] = [_("Use at most two decimal places.")]
    elif amount > MAX_MONEY:
        errors[key] = [_("The amount is too large.")]
    else:
        return amount.quantize(Decimal("0.01"))
    return None


def clean_steps(steps, document_type: str) -> list[dict]:
    """Normalised steps; raises a validation error naming every bad field as
    ``steps.<index>.<field>``."""
    doc_type = document_types.get(document_type)
    errors: dict[str, list[str]] = {}
    steps = list(steps or [])
    if not steps:
        raise DomainError(_("A flow needs at least one step."), fields={"steps": [_("Add at least one step.")]})
    if len(steps) > MAX_STEPS:
        raise DomainError(_("A flow has at most %(n)d steps.") % {"n": MAX_STEPS},
                          fields={"steps": [_("Use at most %(n)d steps.") % {"n": MAX_STEPS}]})
    clean = []
    for index, raw in enumerate(steps):
        key = f"steps.{index}."
        name = (raw.get("name") or "").strip()
        kind = raw.get("kind") or StepKind.SINGLE
        assignee_type = raw.get("assignee_type") or ""
        step = {"name": name, "kind": kind, "assignee_type": assignee_type, "role": None, "manager_level": None,
                "user": None, "min_amount": None, "currency": ""}
        if not name:
            errors[key + "name"] = [_("This field is required.")]
        elif len(name) > 120:
            errors[key + "name"] = [_("Use at most %(n)d characters.") % {"n": 120}]
        if kind not in StepKind.values:
            errors[key + "kind"] = [_("Choose a valid kind.")]
        if assignee_type == AssigneeType.ROLE:
            if raw.get("role") is None:
                errors[key + "role"] = [_("Choose the role whose holders approve.")]
            step["role"] = raw.get("role")
        elif assignee_type == AssigneeType.MANAGER:
            level = raw.get("manager_level")
            if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= MAX_MANAGER_LEVEL:
                errors[key + "manager_level"] = [
                    _("Enter a level from 1 (direct manager) to %(n)d.") % {"n": MAX_MANAGER_LEVEL}
                ]
            step["manager_level"] = level
        elif assignee_type == AssigneeType.USER:
            user = raw.get("user")
            if user is None:
                errors[key + "user"] = [_("Choose the person who approves.")]
            elif not user.is_active:
                errors[key + "user"] = [_("This person is not an active member.")]
            step["user"] = user
        else:
            errors[key + "assignee_type"] = [_("Choose who approves.")]
        amount = _clean_amount(raw.get("min_amount"), errors, key + "min_amount")
        if amount is not None or raw.get("min_amount") not in (None, ""):
            if doc_type is not None and not doc_type.has_amount:
                errors[key + "min_amount"] = [_("This document type has no amount to compare.")]
            currency = (raw.get("currency") or "").strip().upper()
            if not CURRENCY_RE.match(currency):
                errors[key + "currency"] = [_("Enter a three-letter currency code, e.g. CNY.")]
            step["min_amount"], step["currency"] = amount, currency
        clean.append(step)
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    return clean


def _signature(steps: list[dict]) -> list[tuple]:
    return [
        (s["name"], s["kind"], s["assignee_type"], getattr(s["role"], "pk", None), s["manager_level"],
         getattr(s["user"], "pk", None), s["min_amount"], s["currency"])
        for s in steps
    ]


def current_steps(flow: FlowDefinition) -> list[dict]:
    """The current version's steps as dicts (the shape ``clean_steps`` returns)."""
    if flow.current_version_id is None:
        return []
    return [
        {"name": s.name, "kind": s.kind, "assignee_type": s.assignee_type, "role": s.role,
         "manager_level": s.manager_level, "user": s.user, "min_amount": s.min_amount, "currency": s.currency}
        for s in flow.current_version.steps.select_related("role", "user").order_by("position")
    ]


def _new_version(flow: FlowDefinition, steps: list[dict], by) -> FlowVersion:
    number = (flow.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = FlowVersion.objects.create(flow=flow, number=number, created_by=by)
    FlowStep.objects.bulk_create([
        FlowStep(version=version, position=index, **step) for index, step in enumerate(steps, start=1)
    ])
    flow.current_version = version
    return version


def _clean_text(data: dict, errors: dict) -> dict:
    clean = {}
    if "name" in data:
        clean["name"] = (data["name"] or "").strip()
        if not clean["name"]:
            errors["name"] = [_("This field is required.")]
        elif len(clean["name"]) > 120:
            errors["name"] = [_("Use at most %(n)d characters.") % {"n": 120}]
    if "description" in data:
        clean["description"] = (data["description"] or "").strip()
        if len(clean["description"]) > 300:
            errors["description"] = [_("Use at most %(n)d characters.") % {"n": 300}]
    if "is_active" in data:
        clean["is_active"] = bool(data["is_active"])
    return clean


@transaction.atomic
def flow_create(*, by, document_type: str, name: str, steps, description: str = "",
                is_active: bool = True) -> FlowDefinition:
    _require(by, "add")
    errors: dict[str, list[str]] = {}
    if document_type not in document_types:
        errors["document_type"] = [_("Choose a document type that goes through approval.")]
    elif FlowDefinition.objects.filter(document_type=document_type).exists():
        errors["document_type"] = [_("This document type already has a flow; change that one.")]
    data = _clean_text({"name": name, "description": description, "is_active": is_active}, errors)
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    clean = clean_steps(steps, document_type)
    try:
        with transaction.atomic():
            flow = FlowDefinition.objects.create(document_type=document_type, **data)
    except IntegrityError as exc:  # a concurrent creation for the same type
        raise DomainError(_("This document type already has a flow; change that one."),
                          fields={"document_type": [_("Already has a flow.")]}) from exc
    version = _new_version(flow, clean, by)
    flow.save(update_fields=["current_version"])
    audit_record(actor=by, action="create", obj=flow,
                 changes={"document_type": document_type, **data, "version": version.number})
    return flow


@transaction.atomic
def flow_update(*, flow: FlowDefinition, by, name=UNSET, description=UNSET, is_active=UNSET, steps=UNSET,
                document_type=UNSET) -> FlowDefinition:
    """Change a flow. New steps make a new version (when they differ from
    the current ones); requests already submitted keep the version they have."""
    _require(by, "change")
    flow = FlowDefinition.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=flow.pk)
    errors: dict[str, list[str]] = {}
    if document_type is not UNSET and document_type != flow.document_type:
        errors["document_type"] = [_("The document type of a flow cannot change; create another flow.")]
    given = {k: v for k, v in (("name", name), ("description", description), ("is_active", is_active))
             if v is not UNSET}
    data = _clean_text(given, errors)
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    changes = {k: [getattr(flow, k), v] for k, v in data.items() if getattr(flow, k) != v}
    for key, value in data.items():
        setattr(flow, key, value)
    if steps is not UNSET:
        clean = clean_steps(steps, flow.document_type)
        if _signature(clean) != _signature(current_steps(flow)):
            old = flow.current_version.number if flow.current_version_id else None
            version = _new_version(flow, clean, by)
            changes["version"] = [old, version.number]
    if changes:
        flow.save()
        audit_record(actor=by, action="update", obj=flow, changes=changes)
    return flow


@transaction.atomic
def flow_delete(*, flow: FlowDefinition, by) -> None:
    """Delete a flow that no request has used; a used flow can be deactivated."""
    _require(by, "delete")
    flow = FlowDefinition.objects.select_for_update().get(pk=flow.pk)
    if ApprovalRequest.objects.filter(flow_version__flow=flow).exists():
        raise DomainError(
            _("“%(name)s” has been used by requests and cannot be deleted; deactivate it instead.")
            % {"name": flow.name},
            code=ErrorCode.CONFLICT,
        )
    audit_record(actor=by, action="delete", obj=flow, changes={"document_type": flow.document_type, "name": flow.name})
    flow.current_version = None
    flow.save(update_fields=["current_version"])
    flow.delete()


# ----------------------------------------------------------------- settings


def approval_settings() -> ApprovalSettings:
    settings_row, _created = ApprovalSettings.objects.get_or_create(key="default")
    return settings_row


@transaction.atomic
def approval_settings_update(*, by, reminder_after_hours: int) -> ApprovalSettings:
    if not access_for(by).is_admin:
        raise DomainError(_("Only workspace administrators can change approval settings."),
                          code=ErrorCode.PERMISSION_DENIED)
    if not isinstance(reminder_after_hours, int) or isinstance(reminder_after_hours, bool) or not (
        1 <= reminder_after_hours <= 720
    ):
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"reminder_after_hours": [_("Enter a number of hours from 1 to 720.")]})
    row = approval_settings()
    row = ApprovalSettings.objects.select_for_update().get(pk=row.pk)
    if row.reminder_after_hours != reminder_after_hours:
        audit_record(actor=by, action="update", obj=row,
                     changes={"reminder_after_hours": [row.reminder_after_hours, reminder_after_hours]})
        row.reminder_after_hours = reminder_after_hours
        row.save(update_fields=["reminder_after_hours"])
    return row
