"""Reads of approvals. A request is visible to its submitter, to everyone who
is or was an approver of it (and to their active delegates), and to tenant
administrators; anything else answers 404. Flows need
"core.approval_flow.view"."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet

from core.access import access_for, restrict

from .models import (
    ApprovalRequest, Assignment, AssignmentState, Decision, Delegation, FlowDefinition, FlowStep, RequestState,
    StepInstance, StepState,
)
from .services.delegations import active_delegators


def _people(user) -> list:
    """The user and everyone who delegates to them right now."""
    return [user.pk, *active_delegators(user)]


def request_list(*, user) -> QuerySet[ApprovalRequest]:
    """Requests the caller may see, with submitter and current step joined."""
    if user is None or not user.is_authenticated:
        return ApprovalRequest.objects.none()
    requests = ApprovalRequest.objects.select_related("submitter", "current_step", "flow_version__flow")
    if access_for(user).is_admin:
        return requests
    people = _people(user)
    involved = Assignment.objects.filter(Q(user_id__in=people) | Q(acted_by=user)).values("step__request_id")
    return requests.filter(Q(submitter=user) | Q(pk__in=involved))


def pending_for(*, user) -> QuerySet[ApprovalRequest]:
    """"My pending approvals": pending requests whose current step waits for
    the caller (or for someone who delegates to them now), oldest first."""
    if user is None or not user.is_authenticated:
        return ApprovalRequest.objects.none()
    waiting = Assignment.objects.filter(
        user_id__in=_people(user), state=AssignmentState.PENDING, step__state=StepState.ACTIVE,
        step__request__state=RequestState.PENDING,
    ).values("step__request_id")
    # The submitter is never an approver of their own request, not even as a delegate.
    return (ApprovalRequest.objects.select_related("submitter", "current_step")
            .filter(pk__in=waiting, state=RequestState.PENDING).exclude(submitter=user)
            .order_by("submitted_at", "id"))


def request_detail(*, user, pk) -> ApprovalRequest:
    """One visible request with its steps (and their approvers) and history
    prefetched; raises ApprovalRequest.DoesNotExist."""
    steps = StepInstance.objects.select_related("added_by").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("user", "acted_by").order_by("created_at"))
    ).order_by("round", "position")
    decisions = Decision.objects.select_related("actor", "on_behalf_of", "target").order_by("seq")
    return (request_list(user=user)
            .prefetch_related(Prefetch("steps", queryset=steps), Prefetch("decisions", queryset=decisions))
            .get(pk=pk))


def history_for(document) -> QuerySet[Decision]:
    """Every decision on every request of ``document`` (for the document's own
    page; the module checks the caller may see the document)."""
    content_type = ContentType.objects.get_for_model(document)
    return (Decision.objects.filter(request__content_type=content_type, request__object_id=document.pk)
            .select_related("actor", "on_behalf_of", "target", "request").order_by("request__submitted_at", "seq"))


def flow_list(*, user, permission: str = "core.approval_flow.view") -> QuerySet[FlowDefinition]:
    steps = FlowStep.objects.select_related("role", "user").order_by("position")
    return restrict(
        FlowDefinition.objects.select_related("current_version").prefetch_related(
            Prefetch("current_version__steps", queryset=steps)
        ),
        user, permission,
    )


def delegation_list(*, user) -> QuerySet[Delegation]:
    """The caller's delegations, given and received (administrators: all)."""
    if user is None or not user.is_authenticated:
        return Delegation.objects.none()
    delegations = Delegation.objects.select_related("from_user", "to_user")
    if access_for(user).is_admin:
        return delegations
    return delegations.filter(Q(from_user=user) | Q(to_user=user))
