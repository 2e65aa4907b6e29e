"""Route planning: who approves each step of a flow version for a given
submitter and amount, and the decision log. Used by the engine (engine.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import DomainError

from ..models import (
    ApprovalRequest, Assignment, AssigneeType, Decision, DecisionAction, FlowStep, StepInstance, StepKind,
)

User = get_user_model()


def record_decision(request, action, by, *, comment="", step=None, on_behalf_of=None, target=None) -> Decision:
    seq = (Decision.objects.filter(request=request).aggregate(n=Max("seq"))["n"] or 0) + 1
    return Decision.objects.create(
        request=request, seq=seq, round=request.round, step=step, step_name=step_label(step) if step else "",
        actor=by, on_behalf_of=on_behalf_of, target=target, action=action, comment=comment,
    )


def step_label(step: StepInstance) -> str:
    return step.name or _("Added signer")


def _resolve(step: FlowStep, submitter) -> list:
    """The people a flow step names for this submitter (errors say what to fix)."""
    names = {"step": step.name}
    if step.assignee_type == AssigneeType.ROLE:
        if step.role_id is None:
            raise DomainError(_("Step “%(step)s” has no role any more; ask an administrator to update "
                                "the approval flow.") % names, fields={"flow": [_("Step without approver.")]})
        users = list(User.objects.filter(roles=step.role_id, is_active=True).order_by("full_name", "email"))
        if not users:
            raise DomainError(_("Nobody holds the role “%(role)s” needed for step “%(step)s”.")
                              % {**names, "role": step.role.name}, fields={"flow": [_("Step without approver.")]})
        return users
    if step.assignee_type == AssigneeType.MANAGER:
        person = submitter
        for level in range(1, step.manager_level + 1):
            manager = User.objects.filter(pk=person.manager_id).first() if person.manager_id else None
            if manager is None:
                raise DomainError(
                    _("%(person)s has no manager, needed for step “%(step)s” (manager level %(level)d). "
                      "Ask an administrator to set the manager.")
                    % {**names, "person": person, "level": level},
                    fields={"manager": [_("Missing manager.")]},
                )
            person = manager
        if not person.is_active:
            raise DomainError(
                _("%(person)s, the approver of step “%(step)s”, is no longer an active member.")
                % {**names, "person": person}, fields={"manager": [_("Inactive manager.")]},
            )
        return [person]
    if step.user_id is None:
        raise DomainError(_("Step “%(step)s” has no approver any more; ask an administrator to update "
                            "the approval flow.") % names, fields={"flow": [_("Step without approver.")]})
    if not step.user.is_active:
        raise DomainError(_("%(person)s, the approver of step “%(step)s”, is no longer an active member.")
                          % {**names, "person": step.user}, fields={"flow": [_("Inactive approver.")]})
    return [step.user]


def plan_round(request: ApprovalRequest, by) -> list[StepInstance]:
    """Create this round's steps and assignments from the request's flow version."""
    planned = []
    skipped = []
    position = 0
    for flow_step in request.flow_version.steps.select_related("role", "user").order_by("position"):
        if flow_step.min_amount is not None:
            if request.amount is None:
                continue
            if request.currency != flow_step.currency:
                raise DomainError(
                    _("Step “%(step)s” compares amounts in %(flow)s, but this document is in %(doc)s.")
                    % {"step": flow_step.name, "flow": flow_step.currency, "doc": request.currency},
                    fields={"currency": [_("Currency differs from the flow's.")]},
                )
            if request.amount < flow_step.min_amount:
                continue
        people = _resolve(flow_step, request.submitter)
        approvers = [p for p in people if p.pk != request.submitter_id]
        if not approvers:
            skipped.append(flow_step.name)
            continue
        if flow_step.kind == StepKind.SINGLE and len(approvers) > 1:
            raise DomainError(
                _("Step “%(step)s” has a single approver, but %(n)d people hold the role “%(role)s”. "
                  "Ask an administrator to make it a countersign or any-of step.")
                % {"step": flow_step.name, "n": len(approvers), "role": flow_step.role.name},
                fields={"flow": [_("Several approvers for a single step.")]},
            )
        position += 1
        step = StepInstance.objects.create(request=request, round=request.round, position=position,
                                           flow_step=flow_step, name=flow_step.name, kind=flow_step.kind)
        Assignment.objects.bulk_create([Assignment(step=step, user=person) for person in approvers])
        planned.append(step)
    for name in skipped:
        decision = record_decision(request, DecisionAction.SKIP, None)
        decision.step_name = name
        decision.save(update_fields=["step_name"])
    return planned
