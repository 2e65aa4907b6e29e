"""Customer rules and the scoped selector; refused actions change nothing."""

from decimal import Decimal

import pytest

from core.audit.models import AuditEntry
from core.errors import DomainError
from modules.crm import selectors, services
from modules.crm.models import Customer
from tests.factories import UserFactory

from .conftest import customers_of, in_schema


@pytest.fixture
def in_a(tenant_a):
    with in_schema(tenant_a):
        yield


def refused(tenant, call, **expected):
    before = customers_of(tenant)
    with in_schema(tenant), pytest.raises(DomainError) as caught:
        call()
    for attr, value in expected.items():
        assert getattr(caught.value, attr) == value
    assert customers_of(tenant) == before
    return caught.value


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_create_defaults_owner_and_department_to_the_caller(org, tenant_a):
    with in_schema(tenant_a):
        customer = services.customer_create(by=org.r1, name="  New Co ", credit_limit=Decimal("5"))
        customer.refresh_from_db()
        entry = AuditEntry.objects.get(object_id=str(customer.pk))
    assert (customer.name, customer.owner_id, customer.department_id, customer.credit_limit) == (
        "New Co", org.r1.pk, org.east.pk, Decimal("5.00")
    )
    assert (entry.action, entry.actor_id, entry.object_type) == ("create", org.r1.pk, "crm.customer")
    assert entry.changes["owner"] == str(org.r1.pk)
    assert entry.changes["department"] == str(org.east.pk)


def test_create_with_explicit_owner_and_department(org, tenant_a):
    with in_schema(tenant_a):
        customer = services.customer_create(by=org.admin, name="Assigned", owner=org.r2, department=None)
    assert (customer.owner_id, customer.department_id) == (org.r2.pk, None)


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"name": " "}, "name", "This field is required."),
        ({"name": "X", "credit_limit": Decimal("-1")}, "credit_limit", "The amount cannot be negative."),
        ({"name": "X", "credit_limit": Decimal("0.001")}, "credit_limit", "Use at most two decimal places."),
        ({"name": "X", "kind": "partner"}, "kind", "Choose a valid option."),
        ({"name": "X", "phone": "1" * 41}, "phone", "Use at most 40 characters."),
    ],
)
def test_create_field_rules(org, tenant_a, data, field, message):
    error = refused(tenant_a, lambda: services.customer_create(by=org.admin, **data), code="validation_error")
    assert error.fields == {field: [message]}


def test_owner_must_be_active(org, tenant_a):
    with in_schema(tenant_a):
        gone = UserFactory(is_active=False)
    error = refused(tenant_a, lambda: services.customer_create(by=org.admin, name="X", owner=gone))
    assert error.fields == {"owner": ["The owner must be an active member."]}
    refused(tenant_a, lambda: services.customer_reassign(customer=org.c_r1, by=org.admin, owner=gone))


def test_nobody_saves_a_customer_outside_their_own_scope(org, tenant_a):
    # a rep ("own") cannot create for, or hand over to, someone else
    error = refused(tenant_a, lambda: services.customer_create(by=org.r1, name="For P", owner=org.p))
    assert list(error.fields) == ["owner"]
    refused(tenant_a, lambda: services.customer_reassign(customer=org.c_r1, by=org.r1, owner=org.r2))
    # a manager may move customers within the team but not out of it
    refused(tenant_a, lambda: services.customer_reassign(customer=org.c_r1, by=org.m, owner=org.p))
    with in_schema(tenant_a):
        services.customer_reassign(customer=org.c_r1, by=org.m, owner=org.r2)
        assert Customer.objects.get(pk=org.c_r1.pk).owner_id == org.r2.pk


def test_update_records_changes(org, tenant_a):
    with in_schema(tenant_a):
        services.customer_update(customer=org.c_r1, by=org.r1, grade="A", credit_limit=Decimal("2000"))
        customer = Customer.objects.get(pk=org.c_r1.pk)
        entry = AuditEntry.objects.get(object_id=str(customer.pk))
        # a no-op update records nothing
        services.customer_update(customer=customer, by=org.r1, grade="A", credit_limit=Decimal("2000.00"))
        assert AuditEntry.objects.filter(object_id=str(customer.pk)).count() == 1
    assert (customer.grade, customer.credit_limit) == ("A", Decimal("2000.00"))
    assert (entry.action, entry.message) == ("update", "")
    assert entry.changes == {"grade": ["", "A"], "credit_limit": ["1000.00", "2000.00"]}


def test_update_rejects_bad_values(org, tenant_a):
    error = refused(tenant_a, lambda: services.customer_update(customer=org.c_r1, by=org.r1, name="",
                                                               credit_limit=Decimal("-5")))
    assert set(error.fields) == {"name", "credit_limit"}


def test_reassign_follows_the_new_owners_department(org, tenant_a):
    with in_schema(tenant_a):
        services.customer_reassign(customer=org.c_r1, by=org.admin, owner=org.p)
        moved = Customer.objects.get(pk=org.c_r1.pk)
        entry = AuditEntry.objects.get(object_id=str(moved.pk))
        services.customer_reassign(customer=moved, by=org.admin, owner=org.r1, department=org.sales)
        back = Customer.objects.get(pk=org.c_r1.pk)
    assert (moved.owner_id, moved.department_id) == (org.p.pk, org.support.pk)
    assert entry.message == "reassigned"
    assert entry.changes == {"owner": [str(org.r1.pk), str(org.p.pk)],
                             "department": [str(org.east.pk), str(org.support.pk)]}
    assert (back.owner_id, back.department_id) == (org.r1.pk, org.sales.pk)


def test_delete_records_audit(org, tenant_a):
    pk = org.c_r2.pk
    with in_schema(tenant_a):
        services.customer_delete(customer=org.c_r2, by=org.m)
        assert not Customer.objects.filter(pk=pk).exists()
        entry = AuditEntry.objects.get(object_id=str(pk))
    assert (entry.action, entry.actor_id, entry.object_repr) == ("delete", org.m.pk, "R2 Corp")


def test_selector_applies_each_scope(org, tenant_a):
    with in_schema(tenant_a):
        assert names(selectors.customer_list(user=org.r1)) == ["R1 Corp"]
        assert names(selectors.customer_list(user=org.m)) == ["M Corp", "R1 Corp", "R2 Corp"]
        assert names(selectors.customer_list(user=org.head)) == ["East by P", "M Corp", "R1 Corp", "R2 Corp"]
        assert names(selectors.customer_list(user=org.admin)) == [
            "East by P", "M Corp", "P Corp", "R1 Corp", "R2 Corp",
        ]
        # no permission: nothing, whatever the scope
        assert names(selectors.customer_list(user=UserFactory())) == []


def test_selector_unions_the_scopes_of_several_roles(org, tenant_a):
    with in_schema(tenant_a):
        org.r2.roles.add(org.head_role)  # own + department tree of Sales East
        assert names(selectors.customer_list(user=org.r2)) == ["East by P", "R1 Corp", "R2 Corp"]
