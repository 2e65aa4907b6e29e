"""The approval engine: submit, approve, reject, return for edit, withdraw,
urge, transfer (转交) and add a signer (加签), for any registered document type.

Rules:
- One open (pending or returned) request per document. Submitting plans the
  whole route from the flow's current version: amount conditions are checked,
  approvers resolved (a missing manager, an empty role or a deleted step
  target is a clear error and nothing is saved). A step whose only approver is
  the submitter is skipped (recorded); the submitter is left out of role steps.
- A "single" step has exactly one approver; "countersign" needs every
  approver; in "any of" the first approval decides. Any rejection or return
  ends the request.
- Only the current step's pending approvers act (or their active delegates,
  recorded as "on behalf of"). Acting twice, out of turn or on a finished
  request is a conflict (409); anyone else is refused (403).
- Every action locks the request row first (SELECT … FOR UPDATE), so two
  concurrent decisions on one step are serialised and the second one sees the
  first's outcome.
- The submitter withdraws (while pending or returned) and urges (once an hour).
  A returned request is resubmitted with the flow's current version and the
  document's current amount (a new round; the history is kept).
- The document's state follows through its type's hooks, called in the same
  transaction with the document row locked.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, ErrorCode
from core.notifications.services import notify, remind, reminder_cancel

from ..models import (
    OPEN_STATES, ApprovalRequest, Assignment, AssignmentState, DecisionAction, FlowDefinition, RequestState,
    StepInstance, StepKind, StepState,
)
from ..registry import DocumentType, document_types
from .delegations import active_delegates, active_delegators
from .flows import approval_settings
from .routing import plan_round, record_decision, step_label

URGE_INTERVAL = timedelta(hours=1)
MAX_COMMENT = 2000
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")

# Notification texts: message ids rendered in each recipient's language.
PENDING_TITLE = gettext_lazy("Approval needed: %(title)s")
PENDING_BODY = gettext_lazy("%(submitter)s submitted %(type)s “%(title)s”. Step: %(step)s.")
URGE_TITLE = gettext_lazy("Reminder from %(submitter)s: please approve %(title)s")
REMINDER_TEXT = gettext_lazy("“%(title)s” has been waiting for your approval for more than %(hours)s hours.")
RESULT_TITLES = {
    RequestState.APPROVED: gettext_lazy("Approved: %(title)s"),
    RequestState.REJECTED: gettext_lazy("Rejected: %(title)s"),
    RequestState.RETURNED: gettext_lazy("Returned for edit: %(title)s"),
}
RESULT_BODY = gettext_lazy("%(actor)s: %(comment)s")


# ------------------------------------------------------------------ helpers


def _doc_type(key: str) -> DocumentType:
    doc_type = document_types.get(key)
    if doc_type is None:
        raise DomainError(_("This kind of document does not go through approval."),
                          fields={"document_type": [_("Choose a document type that goes through approval.")]})
    return doc_type


def _enabled_modules() -> frozenset:
    tenant = getattr(connection, "tenant", None)
    if hasattr(tenant, "enabled_module_keys"):
        return tenant.enabled_module_keys()
    from core.notifications.services import current_tenant

    tenant = current_tenant()
    return tenant.enabled_module_keys() if tenant is not None else frozenset()


def _check_module(doc_type: DocumentType | None) -> None:
    if doc_type is not None and doc_type.module and doc_type.module not in _enabled_modules():
        from core.modules import registry

        name = registry[doc_type.module].name if doc_type.module in registry else doc_type.module
        raise DomainError(_("The %(module)s module is not enabled for this workspace.") % {"module": name},
                          code=ErrorCode.MODULE_DISABLED)


def _clean_comment(comment, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise DomainError(_("Say why in a comment."), fields={"comment": [_("This field is required.")]})
    if len(comment) > MAX_COMMENT:
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"comment": [_("Use at most %(n)d characters.") % {"n": MAX_COMMENT}]})
    return comment


def _amount_of(doc_type: DocumentType, document) -> tuple[Decimal | None, str]:
    if doc_type.amount is None:
        return None, ""
    value = doc_type.amount(document)
    if value is None:
        return None, ""
    amount, currency = value
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise TypeError(f"{doc_type.key}: the amount getter must return a Decimal") from exc
    if not amount.is_finite() or amount < 0:
        raise DomainError(_("The document's amount cannot be negative."), fields={"amount": [_("Invalid amount.")]})
    currency = (currency or "").upper()
    if not CURRENCY_RE.match(currency):
        raise TypeError(f"{doc_type.key}: the amount getter must return a three-letter currency")
    return amount.quantize(Decimal("0.01")), currency


def _lock(request: ApprovalRequest) -> tuple[ApprovalRequest, object, DocumentType | None]:
    """Lock the document, then the request (always in this order, as submit
    does, so concurrent actions cannot deadlock). Returns the fresh request,
    the document (None if it is gone) and its type (None if unregistered)."""
    doc_type = document_types.get(request.document_type)
    document = None
    if doc_type is not None:
        document = doc_type.model_class.objects.select_for_update(of=("self",)).filter(pk=request.object_id).first()
    return ApprovalRequest.objects.select_for_update(of=("self",)).get(pk=request.pk), document, doc_type


def request_link(request: ApprovalRequest) -> str:
    return reverse("approvals:request-detail", args=[request.pk])


def _type_title(request) -> str:
    doc_type = document_types.get(request.document_type)
    return doc_type.title if doc_type else request.document_type


def _with_delegates(request: ApprovalRequest, users) -> list:
    """The approvers and whoever stands in for them now (never the submitter)."""
    users = list(users)
    delegates = active_delegates(users)
    everyone = list(users)
    for user in users:
        everyone.extend(d for d in delegates.get(user.pk, []) if d.pk != request.submitter_id)
    return everyone


def _notify_pending(request: ApprovalRequest, step: StepInstance, users) -> None:
    notify(_with_delegates(request, users), kind="approval.pending", title=PENDING_TITLE, body=PENDING_BODY,
           link=request_link(request), obj=request,
           params={"title": request.title, "submitter": request.submitter, "type": _type_title(request),
                   "step": step_label(step)})


def _schedule_reminders(request: ApprovalRequest, users) -> None:
    hours = approval_settings().reminder_after_hours
    due = timezone.now() + timedelta(hours=hours)
    for user in users:
        remind(user=user, obj=request, message=REMINDER_TEXT, at=due, link=request_link(request),
               kind="approval.reminder", params={"title": request.title, "hours": hours})


def _activate(request: ApprovalRequest, step: StepInstance) -> None:
    step.state = StepState.ACTIVE
    step.activated_at = timezone.now()
    step.save(update_fields=["state", "activated_at"])
    request.current_step = step
    request.save(update_fields=["current_step", "updated_at"])
    users = [a.user for a in step.assignments.filter(state=AssignmentState.PENDING).select_related("user")]
    _notify_pending(request, step, users)
    _schedule_reminders(request, users)


# ------------------------------------------------------------------ submit


@transaction.atomic
def approval_submit(*, document, document_type: str, by, comment: str = "") -> ApprovalRequest:
    """Submit ``document`` for approval (or resubmit it after it was returned)."""
    doc_type = _doc_type(document_type)
    _check_module(doc_type)
    model = doc_type.model_class
    if not isinstance(document, model):
        raise DomainError(_("This document is not a %(type)s.") % {"type": doc_type.title},
                          fields={"object_id": [_("Wrong kind of document.")]})
    comment = _clean_comment(comment, required=False)
    document = model.objects.select_for_update(of=("self",)).get(pk=document.pk)  # one submission at a time
    content_type = ContentType.objects.get_for_model(model)
    existing = (ApprovalRequest.objects.select_for_update(of=("self",))
                .filter(content_type=content_type, object_id=document.pk, state__in=OPEN_STATES).first())
    if existing is not None and existing.state == RequestState.PENDING:
        raise DomainError(_("This document is already waiting for approval."), code=ErrorCode.CONFLICT)
    if existing is not None and existing.submitter_id != by.pk:
        raise DomainError(_("Only %(person)s, who submitted it, can resubmit this document.")
                          % {"person": existing.submitter}, code=ErrorCode.PERMISSION_DENIED)
    flow = (FlowDefinition.objects.select_related("current_version")
            .filter(document_type=doc_type.key, is_active=True, current_version__isnull=False).first())
    if flow is None:
        raise DomainError(_("There is no active approval flow for %(type)s. Ask an administrator to set one up.")
                          % {"type": doc_type.title},
                          fields={"document_type": [_("No approval flow.")]})
    amount, currency = _amount_of(doc_type, document)
    values = {"title": (doc_type.describe(document) or str(document.pk))[:200], "flow_version": flow.current_version,
              "amount": amount, "currency": currency, "state": RequestState.PENDING, "submitted_at": timezone.now(),
              "finished_at": None, "current_step": None, "last_urged_at": None}
    if existing is not None:
        request = existing
        for key, value in values.items():
            setattr(request, key, value)
        request.round += 1
        request.save()
        action = DecisionAction.RESUBMIT
    else:
        try:
            with transaction.atomic():
                request = ApprovalRequest.objects.create(document_type=doc_type.key, content_type=content_type,
                                                         object_id=document.pk, submitter=by, **values)
        except IntegrityError as exc:
            raise DomainError(_("This document is already waiting for approval."), code=ErrorCode.CONFLICT) from exc
        action = DecisionAction.SUBMIT
    record_decision(request, action, by, comment=comment)
    steps = plan_round(request, by)
    doc_type.call("on_submitted", document, request, by)
    if steps:
        _activate(request, steps[0])
    else:
        record_decision(request, DecisionAction.AUTO_APPROVE, None)
        _finish(request, RequestState.APPROVED, by, document, doc_type)
    return request


def approval_submit_by_id(*, document_type: str, object_id, by, comment: str = "") -> ApprovalRequest:
    """Submit the document ``object_id`` of ``document_type``, if it is one the
    caller may submit (the type's selector decides: permission and data scope)."""
    doc_type = _doc_type(document_type)
    _check_module(doc_type)
    document = doc_type.queryset(by).filter(pk=object_id).first()
    if document is None:
        raise DomainError(_("There is no such document that you may submit."),
                          fields={"object_id": [_("Not found.")]})
    return approval_submit(document=document, document_type=document_type, by=by, comment=comment)


# ----------------------------------------------------------------- turns


def _find_actionable(request: ApprovalRequest, user) -> tuple[Assignment | None, object]:
    """The caller's pending assignment on the current step: their own first,
    else one of a person who delegates to them now. ``(assignment, on_behalf_of)``."""
    if request.state != RequestState.PENDING or request.current_step_id is None or user is None:
        return None, None
    pending = list(Assignment.objects.select_related("user", "step")
                   .filter(step_id=request.current_step_id, state=AssignmentState.PENDING))
    for assignment in pending:
        if assignment.user_id == user.pk:
            return assignment, None
    if user.pk == request.submitter_id:
        return None, None  # never on someone's behalf on one's own request
    delegators = set(active_delegators(user))
    for assignment in pending:
        if assignment.user_id in delegators:
            return assignment, assignment.user
    return None, None


def _actionable(request: ApprovalRequest, user) -> tuple[Assignment, object]:
    """Like :func:`_find_actionable`, but explains a refusal: 409 for a finished
    request, for acting twice and out of turn; 403 for anyone else."""
    if request.state != RequestState.PENDING:
        raise DomainError(_("This request is already %(state)s; no more decisions can be taken.")
                          % {"state": request.get_state_display().lower()}, code=ErrorCode.CONFLICT)
    assignment, on_behalf_of = _find_actionable(request, user)
    if assignment is not None:
        return assignment, on_behalf_of
    people = [user.pk] if user.pk == request.submitter_id else [user.pk, *active_delegators(user)]
    mine = Assignment.objects.filter(step__request=request, step__round=request.round, user_id__in=people)
    current = StepInstance.objects.get(pk=request.current_step_id)
    if mine.filter(state=AssignmentState.PENDING, step__state=StepState.WAITING).exists():
        raise DomainError(_("It is not your turn yet: this request is at step “%(step)s”.")
                          % {"step": step_label(current)}, code=ErrorCode.CONFLICT)
    if mine.exclude(state=AssignmentState.PENDING).exists():
        raise DomainError(_("You have already acted on this request; it is now at step “%(step)s”.")
                          % {"step": step_label(current)}, code=ErrorCode.CONFLICT)
    raise DomainError(_("Only the current approvers of this request can decide on it."),
                      code=ErrorCode.PERMISSION_DENIED)


def actions_for(request: ApprovalRequest, user) -> list[str]:
    """What ``user`` may do on ``request`` now (for pages and the API)."""
    actions = []
    assignment, _on_behalf = _find_actionable(request, user)
    if assignment is not None:
        actions += ["approve", "reject", "return", "transfer", "add_signer"]
    if user is not None and request.submitter_id == user.pk:
        if request.state == RequestState.PENDING:
            actions += ["urge", "withdraw"]
        elif request.state == RequestState.RETURNED:
            actions += ["withdraw"]
    return actions


def _close(request: ApprovalRequest, assignment: Assignment, state: str, by, comment: str) -> None:
    assignment.state = state
    assignment.acted_by = by
    assignment.acted_at = timezone.now()
    assignment.comment = comment
    assignment.save(update_fields=["state", "acted_by", "acted_at", "comment"])
    reminder_cancel(obj=request, user=assignment.user)


def _finish(request: ApprovalRequest, state: str, by, document, doc_type, comment: str = "") -> None:
    """End the request: cancel what is still pending, run the document's hook,
    tell the submitter (unless they ended it themselves)."""
    now = timezone.now()
    request.state = state
    request.finished_at = now if state != RequestState.RETURNED else None
    request.current_step = None
    request.save(update_fields=["state", "finished_at", "current_step", "updated_at"])
    still = Assignment.objects.filter(step__request=request, state=AssignmentState.PENDING)
    still.update(state=AssignmentState.CANCELLED)
    StepInstance.objects.filter(request=request, state__in=[StepState.WAITING, StepState.ACTIVE]).update(
        state=StepState.CANCELLED, finished_at=now
    )
    reminder_cancel(obj=request)
    if document is not None and doc_type is not None:
        hook = {RequestState.APPROVED: "on_approved", RequestState.REJECTED: "on_rejected",
                RequestState.RETURNED: "on_returned", RequestState.WITHDRAWN: "on_withdrawn"}[state]
        doc_type.call(hook, document, request, by)
    if state in RESULT_TITLES and (by is None or by.pk != request.submitter_id):
        notify([request.submitter], kind="approval.result", title=RESULT_TITLES[state],
               body=RESULT_BODY if comment else "", link=request_link(request), obj=request,
               params={"title": request.title, "actor": by or _("Weft"), "comment": comment})


def _advance(request: ApprovalRequest, by, document, doc_type) -> None:
    following = (StepInstance.objects.filter(request=request, round=request.round, state=StepState.WAITING)
                 .order_by("position").first())
    if following is not None:
        _activate(request, following)
    else:
        _finish(request, RequestState.APPROVED, by, document, doc_type)


# ---------------------------------------------------------------- actions


@transaction.atomic
def approval_approve(*, request: ApprovalRequest, by, comment: str = "") -> ApprovalRequest:
    comment = _clean_comment(comment, required=False)
    request, document, doc_type = _lock(request)
    _check_module(doc_type)
    assignment, on_behalf_of = _actionable(request, by)
    step = assignment.step
    _close(request, assignment, AssignmentState.APPROVED, by, comment)
    record_decision(request, DecisionAction.APPROVE, by, comment=comment, step=step, on_behalf_of=on_behalf_of)
    others = Assignment.objects.filter(step=step, state=AssignmentState.PENDING).select_related("user")
    if step.kind == StepKind.COUNTERSIGN and others.exists():
        return request
    for other in others:  # any-of: the first approval decides
        other.state = AssignmentState.NOT_NEEDED
        other.save(update_fields=["state"])
        reminder_cancel(obj=request, user=other.user)
    step.state = StepState.APPROVED
    step.finished_at = timezone.now()
    step.save(update_fields=["state", "finished_at"])
    _advance(request, by, document, doc_type)
    return request


def _end(request, by, comment, *, assignment_state, step_state, request_state, action) -> ApprovalRequest:
    comment = _clean_comment(comment, required=True)
    request, document, doc_type = _lock(request)
    _check_module(doc_type)
    assignment, on_behalf_of = _actionable(request, by)
    step = assignment.step
    _close(request, assignment, assignment_state, by, comment)
    step.state = step_state
    step.finished_at = timezone.now()
    step.save(update_fields=["state", "finished_at"])
    record_decision(request, action, by, comment=comment, step=step, on_behalf_of=on_behalf_of)
    _finish(request, request_state, by, document, doc_type, comment)
    return request


@transaction.atomic
def approval_reject(*, request: ApprovalRequest, by, comment: str) -> ApprovalRequest:
    """Reject (a comment is required): the request ends, the document's
    ``on_rejected`` hook runs."""
    return _end(request, by, comment, assignment_state=AssignmentState.REJECTED, step_state=StepState.REJECTED,
                request_state=RequestState.REJECTED, action=DecisionAction.REJECT)


@transaction.atomic
def approval_return(*, request: ApprovalRequest, by, comment: str) -> ApprovalRequest:
    """Return for edit (a comment is required): the submitter may change the
    document and submit it again."""
    return _end(request, by, comment, assignment_state=AssignmentState.RETURNED, step_state=StepState.RETURNED,
                request_state=RequestState.RETURNED, action=DecisionAction.RETURN)


def _submitter_only(request: ApprovalRequest, by, message: str) -> None:
    if request.submitter_id != by.pk:
        raise DomainError(message, code=ErrorCode.PERMISSION_DENIED)


@transaction.atomic
def approval_withdraw(*, request: ApprovalRequest, by, comment: str = "") -> ApprovalRequest:
    comment = _clean_comment(comment, required=False)
    request, document, doc_type = _lock(request)
    _check_module(doc_type)
    _submitter_only(request, by, _("Only the submitter can withdraw a request."))
    if request.state not in OPEN_STATES:
        raise DomainError(_("This request is already %(state)s and cannot be withdrawn.")
                          % {"state": request.get_state_display().lower()}, code=ErrorCode.CONFLICT)
    record_decision(request, DecisionAction.WITHDRAW, by, comment=comment)
    _finish(request, RequestState.WITHDRAWN, by, document, doc_type, comment)
    return request


@transaction.atomic
def approval_urge(*, request: ApprovalRequest, by, comment: str = "") -> ApprovalRequest:
    """催办: remind the current approvers now (the submitter, once an hour)."""
    comment = _clean_comment(comment, required=False)
    request, _document, doc_type = _lock(request)
    _check_module(doc_type)
    _submitter_only(request, by, _("Only the submitter can urge the approvers."))
    if request.state != RequestState.PENDING:
        raise DomainError(_("This request is already %(state)s; there is nobody to urge.")
                          % {"state": request.get_state_display().lower()}, code=ErrorCode.CONFLICT)
    now = timezone.now()
    if request.last_urged_at is not None and request.last_urged_at > now - URGE_INTERVAL:
        raise DomainError(
            _("You urged the approvers less than an hour ago; you can urge again after %(time)s.")
            % {"time": timezone.localtime(request.last_urged_at + URGE_INTERVAL).strftime("%H:%M")},
            code=ErrorCode.THROTTLED,
        )
    request.last_urged_at = now
    request.save(update_fields=["last_urged_at", "updated_at"])
    step = StepInstance.objects.get(pk=request.current_step_id)
    users = [a.user for a in step.assignments.filter(state=AssignmentState.PENDING).select_related("user")]
    record_decision(request, DecisionAction.URGE, by, comment=comment, step=step)
    notify(_with_delegates(request, users), kind="approval.urge", title=URGE_TITLE, body=comment,
           link=request_link(request), obj=request, params={"title": request.title, "submitter": by})
    return request


def _check_new_approver(request: ApprovalRequest, assignment: Assignment, person, by, field: str) -> None:
    problem = None
    if person is None:
        problem = _("This field is required.")
    elif not person.is_active:
        problem = _("This person is not an active member.")
    elif person.pk == request.submitter_id:
        problem = _("The submitter cannot approve their own request.")
    elif person.pk in (by.pk, assignment.user_id):
        problem = _("Choose someone else.")
    elif Assignment.objects.filter(step=assignment.step, user=person, state=AssignmentState.PENDING).exists():
        problem = _("This person is already an approver of this step.")
    if problem:
        raise DomainError(_("Please correct the highlighted fields."), fields={field: [problem]})


@transaction.atomic
def approval_transfer(*, request: ApprovalRequest, by, to_user, comment: str = "") -> ApprovalRequest:
    """转交: hand one's part of the current step to another person."""
    comment = _clean_comment(comment, required=False)
    request, _document, doc_type = _lock(request)
    _check_module(doc_type)
    assignment, on_behalf_of = _actionable(request, by)
    _check_new_approver(request, assignment, to_user, by, "user")
    _close(request, assignment, AssignmentState.TRANSFERRED, by, comment)
    Assignment.objects.create(step=assignment.step, user=to_user, transferred_from=assignment)
    record_decision(request, DecisionAction.TRANSFER, by, comment=comment, step=assignment.step,
            on_behalf_of=on_behalf_of, target=to_user)
    _notify_pending(request, assignment.step, [to_user])
    _schedule_reminders(request, [to_user])
    return request


@transaction.atomic
def approval_add_signer(*, request: ApprovalRequest, by, user, position: str, comment: str = "") -> ApprovalRequest:
    """加签: add a signer who approves before the current step (it comes back
    to the current approvers afterwards) or after it."""
    comment = _clean_comment(comment, required=False)
    if position not in ("before", "after"):
        raise DomainError(_("Please correct the highlighted fields."),
                          fields={"position": [_("Choose before or after.")]})
    request, _document, doc_type = _lock(request)
    _check_module(doc_type)
    assignment, on_behalf_of = _actionable(request, by)
    _check_new_approver(request, assignment, user, by, "user")
    step = assignment.step
    siblings = StepInstance.objects.filter(request=request, round=request.round)
    if position == "before":
        siblings.filter(position__gte=step.position).update(position=F("position") + 1)
        added = StepInstance.objects.create(request=request, round=request.round, position=step.position,
                                            name="", kind=StepKind.SINGLE, added_by=by)
        Assignment.objects.create(step=added, user=user)
        step.state = StepState.WAITING
        step.save(update_fields=["state"])
        for waiting in step.assignments.filter(state=AssignmentState.PENDING).select_related("user"):
            reminder_cancel(obj=request, user=waiting.user)
        action = DecisionAction.ADD_SIGNER_BEFORE
    else:
        siblings.filter(position__gt=step.position).update(position=F("position") + 1)
        added = StepInstance.objects.create(request=request, round=request.round, position=step.position + 1,
                                            name="", kind=StepKind.SINGLE, added_by=by)
        Assignment.objects.create(step=added, user=user)
        action = DecisionAction.ADD_SIGNER_AFTER
    record_decision(request, action, by, comment=comment, step=step, on_behalf_of=on_behalf_of, target=user)
    if position == "before":
        _activate(request, added)
    return request


def open_request_for(document) -> ApprovalRequest | None:
    """The pending or returned request of a document, if any."""
    content_type = ContentType.objects.get_for_model(document)
    return ApprovalRequest.objects.filter(content_type=content_type, object_id=document.pk,
                                          state__in=OPEN_STATES).first()

