"""Flow administration through the services: validation of steps, one flow
per document type, versions, permissions, deletion, delegations' rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.approvals import services
from core.approvals.models import AssigneeType, Delegation, FlowDefinition, FlowStep, FlowVersion, StepKind
from core.audit.models import AuditEntry
from core.errors import DomainError
from core.org.models import DataScope
from tests.factories import RoleFactory

from .conftest import DOC, in_schema, standard_steps


def flows_of(tenant):
    with in_schema(tenant):
        return (sorted(FlowDefinition.objects.values_list("document_type", "name", "is_active", "current_version_id")),
                FlowVersion.objects.count(), FlowStep.objects.count(),
                AuditEntry.objects.filter(object_type="approvals.flowdefinition").count())


def create_error(tenant, by, **data) -> DomainError:
    before = flows_of(tenant)
    data.setdefault("document_type", DOC)
    data.setdefault("name", "Flow")
    with in_schema(tenant), pytest.raises(DomainError) as caught:
        services.flow_create(by=by, **data)
    assert flows_of(tenant) == before
    return caught.value


def test_create_stores_version_one_with_ordered_steps_and_audits(tenant_a, people, flow):
    with in_schema(tenant_a):
        steps = list(flow.current_version.steps.order_by("position").values_list(
            "position", "name", "kind", "assignee_type", "role__name", "manager_level", "user_id", "min_amount",
            "currency"))
        entry = AuditEntry.objects.get(object_type="approvals.flowdefinition", object_id=str(flow.pk))
    assert flow.current_version.number == 1 and flow.is_active
    assert steps == [
        (1, "Manager", "single", "manager", None, 1, None, None, ""),
        (2, "Finance", "any_of", "role", "Finance", None, None, None, ""),
        (3, "Sales director", "single", "role", "Sales director", None, None, Decimal("100000.00"), "CNY"),
    ]
    assert (entry.action, entry.actor_id, entry.changes["version"]) == ("create", people.admin.pk, 1)


def test_step_validation_names_every_bad_field(tenant_a, people):
    error = create_error(tenant_a, people.admin, steps=[
        {"name": "", "kind": "single", "assignee_type": "role"},
        {"name": "Boss", "kind": "whatever", "assignee_type": "manager", "manager_level": 0},
        {"name": "Named", "kind": "single", "assignee_type": "user"},
        {"name": "Big", "kind": "single", "assignee_type": "nobody", "min_amount": Decimal("-1"), "currency": "rm"},
    ])
    assert error.code == "validation_error"
    assert error.fields == {
        "steps.0.name": ["This field is required."],
        "steps.0.role": ["Choose the role whose holders approve."],
        "steps.1.kind": ["Choose a valid kind."],
        "steps.1.manager_level": ["Enter a level from 1 (direct manager) to 10."],
        "steps.2.user": ["Choose the person who approves."],
        "steps.3.assignee_type": ["Choose who approves."],
        "steps.3.min_amount": ["The amount cannot be negative."],
        "steps.3.currency": ["Enter a three-letter currency code, e.g. CNY."],
    }
    assert create_error(tenant_a, people.admin, steps=[]).fields == {"steps": ["Add at least one step."]}
    with in_schema(tenant_a):
        people.outsider.is_active = False
        people.outsider.save()
    error = create_error(tenant_a, people.admin, steps=[
        {"name": "Gone", "kind": "single", "assignee_type": "user", "user": people.outsider}])
    assert error.fields == {"steps.0.user": ["This person is not an active member."]}


def test_document_type_must_be_registered_and_have_one_flow(tenant_a, people, flow):
    error = create_error(tenant_a, people.admin, document_type="no.such", steps=standard_steps(people))
    assert error.fields == {"document_type": ["Choose a document type that goes through approval."]}
    error = create_error(tenant_a, people.admin, steps=standard_steps(people))
    assert error.fields == {"document_type": ["This document type already has a flow; change that one."]}
    with in_schema(tenant_a), pytest.raises(DomainError) as caught:
        services.flow_update(flow=flow, by=people.admin, document_type="other")
    assert caught.value.fields == {"document_type": ["The document type of a flow cannot change; create another flow."]}


def test_only_admins_and_holders_of_the_codes_manage_flows(tenant_a, people, make_user):
    error = create_error(tenant_a, people.rep, steps=standard_steps(people))
    assert (error.code, error.message) == ("permission_denied", "You may not manage approval flows.")
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["core.approval_flow.add", "core.approval_flow.view"],
                           data_scope=DataScope.OWN)
    flow_admin = make_user(tenant_a, roles=[role])
    with in_schema(tenant_a):
        flow = services.flow_create(by=flow_admin, document_type=DOC, name="By a flow admin",
                                    steps=standard_steps(people))
        with pytest.raises(DomainError) as caught:
            services.flow_update(flow=flow, by=flow_admin, name="Renamed")
        assert caught.value.code == "permission_denied"
        with pytest.raises(DomainError) as caught:
            services.flow_delete(flow=flow, by=flow_admin)
        assert caught.value.code == "permission_denied"
        assert FlowDefinition.objects.get(pk=flow.pk).name == "By a flow admin"


def test_renaming_or_deactivating_keeps_the_version(tenant_a, people, flow):
    with in_schema(tenant_a):
        services.flow_update(flow=flow, by=people.admin, name="Prices", is_active=False, description="For prices")
        flow.refresh_from_db()
        assert (flow.name, flow.is_active, flow.description, flow.current_version.number) == (
            "Prices", False, "For prices", 1)
        entry = AuditEntry.objects.filter(object_id=str(flow.pk), action="update").get()
    assert entry.changes == {"name": ["Price approval", "Prices"], "is_active": [True, False],
                             "description": ["", "For prices"]}


def test_delete_only_while_unused(tenant_a, people, flow):
    with in_schema(tenant_a):
        services.approval_submit(document=people.cheap, document_type=DOC, by=people.rep)
        with pytest.raises(DomainError) as caught:
            services.flow_delete(flow=flow, by=people.admin)
        assert caught.value.code == "conflict"
        assert caught.value.message == ("“Price approval” has been used by requests and cannot be deleted; "
                                        "deactivate it instead.")
        assert FlowDefinition.objects.filter(pk=flow.pk).exists()
        assert AuditEntry.objects.filter(object_id=str(flow.pk), action="delete").count() == 0


def test_delete_an_unused_flow_removes_its_versions(tenant_a, people, flow):
    with in_schema(tenant_a):
        services.flow_update(flow=flow, by=people.admin, steps=standard_steps(people)[:1])
        services.flow_delete(flow=flow, by=people.admin)
        assert (FlowDefinition.objects.filter(pk=flow.pk).count(), FlowVersion.objects.filter(flow_id=flow.pk).count(),
                FlowStep.objects.filter(version__flow_id=flow.pk).count()) == (0, 0, 0)
        assert AuditEntry.objects.filter(object_id=str(flow.pk), action="delete").count() == 1


def test_amount_conditions_need_a_document_type_with_an_amount(tenant_a, people):
    from core.approvals.registry import DocumentType, document_types

    from .conftest import product_queryset

    document_types.register(DocumentType(key="test.no_amount", model="catalog.Product", title="No amount",
                                         queryset=product_queryset))
    try:
        error = create_error(tenant_a, people.admin, document_type="test.no_amount", steps=[
            {"name": "Big", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.USER, "user": people.director,
             "min_amount": Decimal("10"), "currency": "CNY"}])
        assert error.fields == {"steps.0.min_amount": ["This document type has no amount to compare."]}
    finally:
        document_types.unregister("test.no_amount")


def test_delegation_rules(tenant_a, people):
    now = timezone.now()
    with in_schema(tenant_a):
        def refused(**data):
            before = list(Delegation.objects.values_list("pk", flat=True))
            with pytest.raises(DomainError) as caught:
                services.delegation_create(**data)
            assert list(Delegation.objects.values_list("pk", flat=True)) == before
            return caught.value

        week = {"starts_at": now, "ends_at": now + timedelta(days=7)}
        assert refused(by=people.manager, to_user=people.manager, **week).fields == {
            "to_user": ["Choose someone else."]}
        assert refused(by=people.manager, to_user=people.ada, starts_at=now, ends_at=now).fields == {
            "ends_at": ["The end must be after the start."]}
        assert refused(by=people.manager, to_user=people.ada, starts_at=now - timedelta(days=3),
                       ends_at=now - timedelta(days=1)).fields == {"ends_at": ["The end must be in the future."]}
        assert refused(by=people.manager, to_user=people.ada, from_user=people.ben, **week).code == "permission_denied"
        services.delegation_create(by=people.manager, to_user=people.ada, **week)
        assert refused(by=people.manager, to_user=people.ben, starts_at=now + timedelta(days=6),
                       ends_at=now + timedelta(days=9)).fields == {"starts_at": ["Overlaps another delegation."]}
        # An administrator may set one up for someone else.
        created = services.delegation_create(by=people.admin, from_user=people.ben, to_user=people.ada, **week)
        assert (created.from_user_id, created.created_by_id) == (people.ben.pk, people.admin.pk)
        # Ending: only the delegator (or an admin); a future one is removed, an ended one refuses.
        with pytest.raises(DomainError) as caught:
            services.delegation_end(delegation=created, by=people.ada)
        assert caught.value.code == "permission_denied"
        future = services.delegation_create(by=people.ada, to_user=people.ben, starts_at=now + timedelta(days=30),
                                            ends_at=now + timedelta(days=31))
        assert services.delegation_end(delegation=future, by=people.ada) is None
        assert not Delegation.objects.filter(pk=future.pk).exists()
        ended = services.delegation_end(delegation=created, by=people.ben)
        assert ended.ends_at <= timezone.now()
        with pytest.raises(DomainError) as caught:
            services.delegation_end(delegation=created, by=people.ben)
        assert caught.value.code == "conflict"
