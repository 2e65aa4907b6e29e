"""The engine through its services: every action and transition, route
planning (manager chain, roles, amount conditions), versioning, step kinds,
signers, transfer, delegation, urge, reminders and the refusals (409 / 403 /
400) — each refusal also leaves everything as it was."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.approvals import selectors, services
from core.approvals.models import (
    ApprovalRequest, ApprovalSettings, AssigneeType, Assignment, Decision, Delegation, FlowVersion, StepInstance,
    StepKind,
)
from core.approvals.registry import DocumentType, document_types
from core.errors import DomainError
from core.notifications.models import Notification, Reminder
from core.notifications.services import reminders_deliver_due
from tenants.models import TenantModule

from .conftest import DOC, hook_events, in_schema, product_queryset, standard_steps


def submit(tenant, product, by, **kwargs):
    with in_schema(tenant):
        return services.approval_submit(document=product, document_type=DOC, by=by, **kwargs)


def act(tenant, action, request, by, **kwargs):
    with in_schema(tenant):
        return getattr(services, f"approval_{action}")(request=request, by=by, **kwargs)


def refused(tenant, action, request, by, **kwargs) -> DomainError:
    before = snapshot(tenant, request)
    with pytest.raises(DomainError) as caught:
        act(tenant, action, request, by, **kwargs)
    assert snapshot(tenant, request) == before
    return caught.value


def route(tenant, request) -> list:
    """[(position, name, kind, state, [(approver, state, acted_by)])] of the current round."""
    with in_schema(tenant):
        request = ApprovalRequest.objects.get(pk=request.pk)
        return [
            (step.position, services.step_label(step), step.kind, step.state,
             [(a.user.full_name, a.state, a.acted_by.full_name if a.acted_by else None)
              for a in step.assignments.order_by("created_at")])
            for step in StepInstance.objects.filter(request=request, round=request.round).order_by("position")
        ]


def history(tenant, request) -> list:
    with in_schema(tenant):
        return [
            (d.action, d.actor.full_name if d.actor else None,
             d.on_behalf_of.full_name if d.on_behalf_of else None, d.target.full_name if d.target else None)
            for d in Decision.objects.filter(request=request).order_by("seq")
        ]


def snapshot(tenant, request) -> tuple:
    """Everything an action may change."""
    with in_schema(tenant):
        row = ApprovalRequest.objects.filter(pk=request.pk).values(
            "state", "round", "current_step_id", "last_urged_at", "flow_version_id", "amount").first()
        return (
            row, route(tenant, request) if row else None,
            list(Decision.objects.filter(request_id=request.pk).values_list("seq", "action")),
            Notification.objects.count(), Reminder.objects.count(),
        )


def state_of(tenant, request) -> str:
    with in_schema(tenant):
        return ApprovalRequest.objects.get(pk=request.pk).state


def notified(tenant, user, kind) -> list[str]:
    with in_schema(tenant):
        return list(Notification.objects.filter(recipient=user, kind=kind).order_by("created_at")
                    .values_list("title", flat=True))


def inbox(tenant, user) -> list[str]:
    with in_schema(tenant):
        return [r.title for r in selectors.pending_for(user=user)]


# ------------------------------------------------------------ submission


def test_submit_plans_the_route_from_the_manager_chain_and_roles(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    assert route(tenant_a, request) == [
        (1, "Manager", "single", "active", [("Mark Manager", "pending", None)]),
        (2, "Finance", "any_of", "waiting", [("Ada Accountant", "pending", None), ("Ben Bookkeeper", "pending", None)]),
    ]
    with in_schema(tenant_a):
        request = ApprovalRequest.objects.get(pk=request.pk)
        assert (request.state, request.round, request.amount, request.currency, request.title) == (
            "pending", 1, Decimal("5000.00"), "CNY", str(people.cheap))
        assert request.flow_version == flow.current_version
        assert request.current_step.name == "Manager"
        reminder = Reminder.objects.get()
    assert history(tenant_a, request) == [("submit", "Rita Rep", None, None)]
    assert hook_events(tenant_a, people.cheap) == ["approval:submitted"]
    assert inbox(tenant_a, people.manager) == [str(people.cheap)]
    assert inbox(tenant_a, people.ada) == [] and inbox(tenant_a, people.rep) == []
    assert notified(tenant_a, people.manager, "approval.pending") == [f"Approval needed: {people.cheap}"]
    assert notified(tenant_a, people.ada, "approval.pending") == []
    # A reminder for the waiting approver after the workspace's 24 hours.
    assert reminder.user_id == people.manager.pk and reminder.kind == "approval.reminder"
    assert reminder.object_id == str(request.pk)
    assert abs((reminder.due_at - timezone.now()) - timedelta(hours=24)) < timedelta(minutes=1)


def test_manager_chain_level_two_names_the_managers_manager(tenant_a, people):
    with in_schema(tenant_a):
        services.flow_create(by=people.admin, document_type=DOC, name="Two up", steps=[
            {"name": "Skip level", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.MANAGER, "manager_level": 2},
        ])
    request = submit(tenant_a, people.cheap, people.rep)
    assert route(tenant_a, request) == [(1, "Skip level", "single", "active", [("Dora Director", "pending", None)])]


@pytest.mark.parametrize("level,submitter,missing", [(1, "director", "Dora Director"), (2, "manager", "Dora Director")])
def test_a_missing_manager_is_a_clear_error_at_submit(tenant_a, people, level, submitter, missing):
    with in_schema(tenant_a):
        services.flow_create(by=people.admin, document_type=DOC, name="Chain", steps=[
            {"name": "Boss", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.MANAGER, "manager_level": level},
        ])
    with pytest.raises(DomainError) as caught:
        submit(tenant_a, people.cheap, getattr(people, submitter))
    assert caught.value.code == "validation_error"
    assert caught.value.message == (f"{missing} has no manager, needed for step “Boss” (manager level {level}). "
                                    "Ask an administrator to set the manager.")
    assert caught.value.fields == {"manager": ["Missing manager."]}
    with in_schema(tenant_a):
        assert ApprovalRequest.objects.count() == 0 and Notification.objects.count() == 0
    assert hook_events(tenant_a, people.cheap) == []


def test_amount_conditions_add_the_director_from_the_threshold(tenant_a, people, flow):
    dear = submit(tenant_a, people.dear, people.rep)
    assert [step[1] for step in route(tenant_a, dear)] == ["Manager", "Finance", "Sales director"]
    with in_schema(tenant_a):
        people.cheap.list_price = Decimal("100000.00")  # exactly the threshold: included
        people.cheap.save()
    at_threshold = submit(tenant_a, people.cheap, people.rep)
    assert [step[1] for step in route(tenant_a, at_threshold)] == ["Manager", "Finance", "Sales director"]
    with in_schema(tenant_a):
        below = type(people.cheap).objects.create(sku="BELOW-1", name="Below", list_price=Decimal("99999.99"))
    assert [step[1] for step in route(tenant_a, submit(tenant_a, below, people.rep))] == ["Manager", "Finance"]


def test_an_amount_in_another_currency_is_refused(tenant_a, people, flow):
    with in_schema(tenant_a):
        people.dear.currency = "USD"
        people.dear.save()
    with pytest.raises(DomainError) as caught:
        submit(tenant_a, people.dear, people.rep)
    assert caught.value.message == "Step “Sales director” compares amounts in CNY, but this document is in USD."
    with in_schema(tenant_a):
        assert ApprovalRequest.objects.count() == 0


def test_no_flow_or_an_inactive_flow_is_refused(tenant_a, people, flow):
    with in_schema(tenant_a):
        services.flow_update(flow=flow, by=people.admin, is_active=False)
    with pytest.raises(DomainError) as caught:
        submit(tenant_a, people.cheap, people.rep)
    assert caught.value.message == ("There is no active approval flow for Product price. "
                                    "Ask an administrator to set one up.")
    with in_schema(tenant_a), pytest.raises(DomainError) as caught:
        services.approval_submit(document=people.cheap, document_type="nope", by=people.rep)
    assert caught.value.fields == {"document_type": ["Choose a document type that goes through approval."]}
    with in_schema(tenant_a):
        assert ApprovalRequest.objects.count() == 0


def test_a_single_step_cannot_resolve_to_several_people(tenant_a, people):
    with in_schema(tenant_a):
        services.flow_create(by=people.admin, document_type=DOC, name="Finance only", steps=[
            {"name": "Finance", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.ROLE,
             "role": people.finance_role},
        ])
    with pytest.raises(DomainError) as caught:
        submit(tenant_a, people.cheap, people.rep)
    assert caught.value.message == ("Step “Finance” has a single approver, but 2 people hold the role “Finance”. "
                                    "Ask an administrator to make it a countersign or any-of step.")


def test_a_step_whose_only_approver_is_the_submitter_is_skipped(tenant_a, people):
    with in_schema(tenant_a):
        services.flow_create(by=people.admin, document_type=DOC, name="Self", steps=[
            {"name": "Myself", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.USER, "user": people.rep},
        ])
    request = submit(tenant_a, people.cheap, people.rep)
    assert state_of(tenant_a, request) == "approved"
    assert history(tenant_a, request) == [("submit", "Rita Rep", None, None), ("skip", None, None, None),
                                          ("auto_approve", None, None, None)]
    with in_schema(tenant_a):
        assert list(Decision.objects.filter(action="skip").values_list("step_name", flat=True)) == ["Myself"]
    assert hook_events(tenant_a, people.cheap) == ["approval:submitted", "approval:approved"]


def test_a_document_of_a_disabled_module_cannot_be_submitted(tenant_a, people):
    document_types.register(DocumentType(key="test.crm_product", model="catalog.Product", title="CRM product",
                                         queryset=product_queryset, module="crm"))
    try:
        with in_schema(tenant_a):
            services.flow_create(by=people.admin, document_type="test.crm_product", name="CRM", steps=[
                {"name": "Boss", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.MANAGER, "manager_level": 1},
            ])
        TenantModule.objects.update_or_create(tenant=tenant_a, key="crm", defaults={"enabled": False})
        tenant_a.refresh_from_db()
        with in_schema(tenant_a), pytest.raises(DomainError) as caught:
            services.approval_submit(document=people.cheap, document_type="test.crm_product", by=people.rep)
        assert caught.value.code == "module_disabled"
        assert caught.value.message == "The CRM module is not enabled for this workspace."
    finally:
        document_types.unregister("test.crm_product")


# ------------------------------------------------------------ decisions


def test_approvals_walk_the_route_and_any_of_is_decided_by_the_first(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    act(tenant_a, "approve", request, people.manager, comment="Fine by me")
    assert route(tenant_a, request)[1] == (
        2, "Finance", "any_of", "active", [("Ada Accountant", "pending", None), ("Ben Bookkeeper", "pending", None)])
    assert inbox(tenant_a, people.manager) == []
    assert inbox(tenant_a, people.ada) == inbox(tenant_a, people.ben) == [str(people.cheap)]
    act(tenant_a, "approve", request, people.ben)
    assert route(tenant_a, request) == [
        (1, "Manager", "single", "approved", [("Mark Manager", "approved", "Mark Manager")]),
        (2, "Finance", "any_of", "approved",
         [("Ada Accountant", "not_needed", None), ("Ben Bookkeeper", "approved", "Ben Bookkeeper")]),
    ]
    assert state_of(tenant_a, request) == "approved"
    assert history(tenant_a, request) == [("submit", "Rita Rep", None, None), ("approve", "Mark Manager", None, None),
                                          ("approve", "Ben Bookkeeper", None, None)]
    assert hook_events(tenant_a, people.cheap) == ["approval:submitted", "approval:approved"]
    assert notified(tenant_a, people.rep, "approval.result") == [f"Approved: {people.cheap}"]
    assert inbox(tenant_a, people.ada) == []
    with in_schema(tenant_a):
        assert Reminder.objects.filter(sent_at__isnull=True).count() == 0  # nobody is waiting any more
        request = ApprovalRequest.objects.get(pk=request.pk)
        assert request.finished_at is not None and request.current_step is None


def test_countersign_needs_every_approver(tenant_a, people):
    with in_schema(tenant_a):
        services.flow_create(by=people.admin, document_type=DOC, name="Both", steps=[
            {"name": "Finance", "kind": StepKind.COUNTERSIGN, "assignee_type": AssigneeType.ROLE,
             "role": people.finance_role},
        ])
    request = submit(tenant_a, people.cheap, people.rep)
    act(tenant_a, "approve", request, people.ada)
    assert route(tenant_a, request) == [(1, "Finance", "countersign", "active",
                                         [("Ada Accountant", "approved", "Ada Accountant"),
                                          ("Ben Bookkeeper", "pending", None)])]
    assert state_of(tenant_a, request) == "pending"
    act(tenant_a, "approve", request, people.ben)
    assert state_of(tenant_a, request) == "approved"


def test_reject_needs_a_comment_and_ends_the_request(tenant_a, people, flow):
    request = submit(tenant_a, people.dear, people.rep)
    error = refused(tenant_a, "reject", request, people.manager, comment="  ")
    assert (error.code, error.fields) == ("validation_error", {"comment": ["This field is required."]})
    act(tenant_a, "reject", request, people.manager, comment="Too expensive")
    assert state_of(tenant_a, request) == "rejected"
    assert [(s[1], s[3]) for s in route(tenant_a, request)] == [
        ("Manager", "rejected"), ("Finance", "cancelled"), ("Sales director", "cancelled")]
    assert route(tenant_a, request)[1][4] == [("Ada Accountant", "cancelled", None),
                                              ("Ben Bookkeeper", "cancelled", None)]
    assert hook_events(tenant_a, people.dear) == ["approval:submitted", "approval:rejected"]
    with in_schema(tenant_a):
        result = Notification.objects.get(recipient=people.rep, kind="approval.result")
    assert (result.title, result.body) == (f"Rejected: {people.dear}", "Mark Manager: Too expensive")


def test_return_for_edit_then_resubmit_starts_a_new_round(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    error = refused(tenant_a, "return", request, people.manager, comment="")
    assert error.fields == {"comment": ["This field is required."]}
    act(tenant_a, "return", request, people.manager, comment="Use the new price list")
    assert state_of(tenant_a, request) == "returned"
    assert hook_events(tenant_a, people.cheap) == ["approval:submitted", "approval:returned"]
    assert notified(tenant_a, people.rep, "approval.result") == [f"Returned for edit: {people.cheap}"]
    # Someone else cannot resubmit it; the submitter can, after editing (now above the threshold).
    with pytest.raises(DomainError) as caught:
        submit(tenant_a, people.cheap, people.manager)
    assert caught.value.code == "permission_denied"
    with in_schema(tenant_a):
        people.cheap.list_price = Decimal("120000.00")
        people.cheap.save()
    again = submit(tenant_a, people.cheap, people.rep, comment="Updated")
    assert again.pk == request.pk
    with in_schema(tenant_a):
        again = ApprovalRequest.objects.get(pk=request.pk)
        assert (again.state, again.round, again.amount) == ("pending", 2, Decimal("120000.00"))
        assert StepInstance.objects.filter(request=again, round=1).count() == 2
    assert [s[1] for s in route(tenant_a, again)] == ["Manager", "Finance", "Sales director"]
    assert history(tenant_a, again) == [("submit", "Rita Rep", None, None), ("return", "Mark Manager", None, None),
                                        ("resubmit", "Rita Rep", None, None)]
    assert hook_events(tenant_a, people.cheap) == ["approval:submitted", "approval:returned", "approval:submitted"]


def test_a_pending_document_cannot_be_submitted_twice(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    before = snapshot(tenant_a, request)
    with pytest.raises(DomainError) as caught:
        submit(tenant_a, people.cheap, people.rep)
    assert (caught.value.code, caught.value.message) == ("conflict", "This document is already waiting for approval.")
    assert snapshot(tenant_a, request) == before


def test_withdraw_by_the_submitter_only(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    error = refused(tenant_a, "withdraw", request, people.manager)
    assert (error.code, error.message) == ("permission_denied", "Only the submitter can withdraw a request.")
    act(tenant_a, "withdraw", request, people.rep, comment="Wrong product")
    assert state_of(tenant_a, request) == "withdrawn"
    assert hook_events(tenant_a, people.cheap) == ["approval:submitted", "approval:withdrawn"]
    assert inbox(tenant_a, people.manager) == []
    error = refused(tenant_a, "withdraw", request, people.rep)
    assert (error.code, error.message) == ("conflict", "This request is already withdrawn and cannot be withdrawn.")
    # A withdrawn document can be submitted afresh (a new request).
    fresh = submit(tenant_a, people.cheap, people.rep)
    assert fresh.pk != request.pk and state_of(tenant_a, fresh) == "pending"


def test_acting_twice_out_of_turn_or_when_finished_is_a_conflict(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    error = refused(tenant_a, "approve", request, people.ada)
    assert (error.code, error.message) == ("conflict", "It is not your turn yet: this request is at step “Manager”.")
    error = refused(tenant_a, "approve", request, people.outsider)
    assert (error.code, error.message) == ("permission_denied",
                                           "Only the current approvers of this request can decide on it.")
    error = refused(tenant_a, "approve", request, people.rep)
    assert error.code == "permission_denied"
    act(tenant_a, "approve", request, people.manager)
    error = refused(tenant_a, "approve", request, people.manager)
    assert (error.code, error.message) == ("conflict",
                                           "You have already acted on this request; it is now at step “Finance”.")
    act(tenant_a, "approve", request, people.ada)
    for person in (people.ben, people.manager, people.outsider):
        error = refused(tenant_a, "approve", request, person)
        assert (error.code, error.message) == ("conflict",
                                               "This request is already approved; no more decisions can be taken.")
    error = refused(tenant_a, "reject", request, people.ben, comment="late")
    assert error.code == "conflict"


def test_add_a_signer_before_comes_back_to_the_approver(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    error = refused(tenant_a, "add_signer", request, people.manager, user=people.rep, position="before")
    assert error.fields == {"user": ["The submitter cannot approve their own request."]}
    error = refused(tenant_a, "add_signer", request, people.manager, user=people.outsider, position="sideways")
    assert error.fields == {"position": ["Choose before or after."]}
    act(tenant_a, "add_signer", request, people.manager, user=people.outsider, position="before", comment="Check")
    assert [(s[0], s[1], s[3], s[4]) for s in route(tenant_a, request)] == [
        (1, "Added signer", "active", [("Olga Outsider", "pending", None)]),
        (2, "Manager", "waiting", [("Mark Manager", "pending", None)]),
        (3, "Finance", "waiting", [("Ada Accountant", "pending", None), ("Ben Bookkeeper", "pending", None)]),
    ]
    assert inbox(tenant_a, people.outsider) == [str(people.cheap)] and inbox(tenant_a, people.manager) == []
    error = refused(tenant_a, "approve", request, people.manager)
    assert error.message == "It is not your turn yet: this request is at step “Added signer”."
    act(tenant_a, "approve", request, people.outsider)
    assert [(s[1], s[3]) for s in route(tenant_a, request)][:2] == [("Added signer", "approved"), ("Manager", "active")]
    assert notified(tenant_a, people.manager, "approval.pending") == [f"Approval needed: {people.cheap}"] * 2
    act(tenant_a, "approve", request, people.manager)
    assert route(tenant_a, request)[2][3] == "active"
    assert history(tenant_a, request)[1:] == [("add_signer_before", "Mark Manager", None, "Olga Outsider"),
                                              ("approve", "Olga Outsider", None, None),
                                              ("approve", "Mark Manager", None, None)]


def test_add_a_signer_after_follows_the_current_step(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    act(tenant_a, "add_signer", request, people.manager, user=people.outsider, position="after")
    assert [(s[0], s[1], s[3]) for s in route(tenant_a, request)] == [
        (1, "Manager", "active"), (2, "Added signer", "waiting"), (3, "Finance", "waiting")]
    act(tenant_a, "approve", request, people.manager)
    assert inbox(tenant_a, people.outsider) == [str(people.cheap)]
    act(tenant_a, "approve", request, people.outsider)
    assert [(s[1], s[3]) for s in route(tenant_a, request)] == [
        ("Manager", "approved"), ("Added signer", "approved"), ("Finance", "active")]


def test_transfer_hands_the_step_to_someone_else(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    error = refused(tenant_a, "transfer", request, people.manager, to_user=people.rep)
    assert error.fields == {"user": ["The submitter cannot approve their own request."]}
    error = refused(tenant_a, "transfer", request, people.manager, to_user=people.manager)
    assert error.fields == {"user": ["Choose someone else."]}
    act(tenant_a, "transfer", request, people.manager, to_user=people.director, comment="You know this customer")
    assert route(tenant_a, request)[0][4] == [("Mark Manager", "transferred", "Mark Manager"),
                                              ("Dora Director", "pending", None)]
    assert inbox(tenant_a, people.director) == [str(people.cheap)] and inbox(tenant_a, people.manager) == []
    with in_schema(tenant_a):
        assert list(Reminder.objects.values_list("user__full_name", flat=True)) == ["Dora Director"]
    error = refused(tenant_a, "approve", request, people.manager)
    assert error.code == "conflict"
    act(tenant_a, "approve", request, people.director)
    assert route(tenant_a, request)[1][3] == "active"
    assert history(tenant_a, request)[1:] == [("transfer", "Mark Manager", None, "Dora Director"),
                                              ("approve", "Dora Director", None, None)]


def test_a_delegate_acts_on_behalf_while_the_delegation_is_active(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    now = timezone.now()
    with in_schema(tenant_a):
        delegation = services.delegation_create(by=people.manager, to_user=people.outsider,
                                                starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=3))
    assert inbox(tenant_a, people.outsider) == [str(people.cheap)]
    with in_schema(tenant_a):
        assert services.actions_for(ApprovalRequest.objects.get(pk=request.pk), people.outsider) == [
            "approve", "reject", "return", "transfer", "add_signer"]
    act(tenant_a, "approve", request, people.outsider, comment="For Mark")
    assert route(tenant_a, request)[0][4] == [("Mark Manager", "approved", "Olga Outsider")]
    assert history(tenant_a, request)[1] == ("approve", "Olga Outsider", "Mark Manager", None)
    # Ada delegates to Olga, then ends it: Olga can no longer act for her.
    with in_schema(tenant_a):
        ada_delegation = services.delegation_create(by=people.ada, to_user=people.outsider,
                                                    starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1))
        services.delegation_end(delegation=ada_delegation, by=people.ada)
    assert inbox(tenant_a, people.outsider) == []
    error = refused(tenant_a, "approve", request, people.outsider)
    assert (error.code, error.message) == ("conflict",
                                           "You have already acted on this request; it is now at step “Finance”.")
    with in_schema(tenant_a):
        assert Delegation.objects.get(pk=delegation.pk).ends_at > timezone.now()


def test_a_delegate_of_a_finance_approver_is_notified(tenant_a, people, flow):
    now = timezone.now()
    with in_schema(tenant_a):
        services.delegation_create(by=people.ada, to_user=people.outsider, starts_at=now - timedelta(hours=1),
                                   ends_at=now + timedelta(days=1))
    request = submit(tenant_a, people.cheap, people.rep)
    act(tenant_a, "approve", request, people.manager)
    assert notified(tenant_a, people.outsider, "approval.pending") == [f"Approval needed: {people.cheap}"]


def test_the_submitter_never_approves_on_someones_behalf(tenant_a, people, flow):
    now = timezone.now()
    with in_schema(tenant_a):
        services.delegation_create(by=people.manager, to_user=people.rep, starts_at=now - timedelta(hours=1),
                                   ends_at=now + timedelta(days=1))
    request = submit(tenant_a, people.cheap, people.rep)
    assert inbox(tenant_a, people.rep) == []
    assert notified(tenant_a, people.rep, "approval.pending") == []
    error = refused(tenant_a, "approve", request, people.rep)
    assert (error.code, error.message) == ("permission_denied",
                                           "Only the current approvers of this request can decide on it.")


def test_an_administrator_delegates_the_approvals_of_a_leaver(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    now = timezone.now()
    with in_schema(tenant_a):
        people.manager.is_active = False
        people.manager.save()
        services.delegation_create(by=people.admin, from_user=people.manager, to_user=people.director,
                                   starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=30))
    assert inbox(tenant_a, people.director) == [str(people.cheap)]
    act(tenant_a, "approve", request, people.director)
    assert history(tenant_a, request)[-1] == ("approve", "Dora Director", "Mark Manager", None)


def test_urge_notifies_the_current_approvers_once_an_hour(tenant_a, people, flow):
    request = submit(tenant_a, people.cheap, people.rep)
    error = refused(tenant_a, "urge", request, people.manager)
    assert (error.code, error.message) == ("permission_denied", "Only the submitter can urge the approvers.")
    act(tenant_a, "urge", request, people.rep, comment="Customer is waiting")
    title = f"Reminder from Rita Rep: please approve {people.cheap}"
    assert notified(tenant_a, people.manager, "approval.urge") == [title]
    error = refused(tenant_a, "urge", request, people.rep)
    assert error.code == "throttled"
    assert error.message.startswith("You urged the approvers less than an hour ago; you can urge again after ")
    assert notified(tenant_a, people.manager, "approval.urge") == [title]
    with in_schema(tenant_a):
        ApprovalRequest.objects.filter(pk=request.pk).update(last_urged_at=timezone.now() - timedelta(minutes=61))
    act(tenant_a, "urge", request, people.rep)
    assert notified(tenant_a, people.manager, "approval.urge") == [title, title]
    assert [h[0] for h in history(tenant_a, request)] == ["submit", "urge", "urge"]
    act(tenant_a, "withdraw", request, people.rep)
    error = refused(tenant_a, "urge", request, people.rep)
    assert error.code == "conflict"


# ------------------------------------------------------------- versions


def test_changing_a_flow_never_rewrites_a_request_in_flight(tenant_a, people, flow):
    in_flight = submit(tenant_a, people.dear, people.rep)
    with in_schema(tenant_a):
        same = services.flow_update(flow=flow, by=people.admin, steps=standard_steps(people))
        assert FlowVersion.objects.filter(flow=flow).count() == 1 and same.current_version.number == 1
        services.flow_update(flow=flow, by=people.admin, steps=[
            {"name": "Director only", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.USER,
             "user": people.director},
        ])
        flow.refresh_from_db()
        assert flow.current_version.number == 2
    assert [s[1] for s in route(tenant_a, in_flight)] == ["Manager", "Finance", "Sales director"]
    act(tenant_a, "approve", in_flight, people.manager)
    assert route(tenant_a, in_flight)[1][3] == "active"
    fresh = submit(tenant_a, people.cheap, people.rep)
    assert [s[1] for s in route(tenant_a, fresh)] == ["Director only"]
    with in_schema(tenant_a):
        assert ApprovalRequest.objects.get(pk=in_flight.pk).flow_version.number == 1
        assert ApprovalRequest.objects.get(pk=fresh.pk).flow_version.number == 2


# ------------------------------------------------------------ reminders


def test_waiting_approvers_are_reminded_once_after_the_configured_hours(tenant_a, people, flow):
    with in_schema(tenant_a):
        services.approval_settings_update(by=people.admin, reminder_after_hours=2)
        assert ApprovalSettings.objects.get().reminder_after_hours == 2
    request = submit(tenant_a, people.cheap, people.rep)
    with in_schema(tenant_a):
        reminder = Reminder.objects.get()
        assert abs((reminder.due_at - timezone.now()) - timedelta(hours=2)) < timedelta(minutes=1)
        assert reminders_deliver_due(now=timezone.now() + timedelta(hours=1)) == 0
        assert reminders_deliver_due(now=timezone.now() + timedelta(hours=3)) == 1
        assert reminders_deliver_due(now=timezone.now() + timedelta(hours=4)) == 0
        reminded = Notification.objects.get(kind="approval.reminder")
    assert reminded.recipient_id == people.manager.pk
    assert reminded.title == f"“{people.cheap}” has been waiting for your approval for more than 2 hours."
    assert reminded.link == f"/approvals/{request.pk}/"


def test_approval_settings_are_for_admins_and_validated(tenant_a, people):
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as caught:
            services.approval_settings_update(by=people.manager, reminder_after_hours=5)
        assert caught.value.code == "permission_denied"
        with pytest.raises(DomainError) as caught:
            services.approval_settings_update(by=people.admin, reminder_after_hours=0)
        assert caught.value.fields == {"reminder_after_hours": ["Enter a number of hours from 1 to 720."]}
        assert services.approval_settings().reminder_after_hours == 24


def test_history_of_a_document_spans_its_requests(tenant_a, people, flow):
    first = submit(tenant_a, people.cheap, people.rep)
    act(tenant_a, "withdraw", first, people.rep)
    second = submit(tenant_a, people.cheap, people.rep)
    act(tenant_a, "approve", second, people.manager)
    with in_schema(tenant_a):
        rows = [(d.request_id, d.action) for d in selectors.history_for(people.cheap)]
    assert rows == [(first.pk, "submit"), (first.pk, "withdraw"), (second.pk, "submit"), (second.pk, "approve")]
    with in_schema(tenant_a):
        assert Assignment.objects.filter(step__request=first, state="cancelled").count() == 3


def test_approval_emails_leave_only_after_commit(tenant_a, people, flow, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = submit(tenant_a, people.cheap, people.rep)
    assert mail.outbox == []
    assert notified(tenant_a, people.manager, "approval.pending") == [f"Approval needed: {people.cheap}"]
    for callback in callbacks:
        callback()
    assert [(m.to, m.subject) for m in mail.outbox] == [(["mark@alpha.test"], f"Approval needed: {people.cheap}")]
    assert f"http://alpha.localhost:8000/approvals/{request.pk}/" in mail.outbox[0].body
