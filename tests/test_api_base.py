"""The API's shared machinery: the list filter backend (no filter set built
when a request names none of its filters, the same answers either way) and
the model serializer base (fields introspected once per class, never shared
between instances)."""

import pytest
from django_tenants.utils import schema_context

from core.users.api.serializers import UserSerializer
from tests.factories import DepartmentFactory, UserFactory

USERS = "/api/v1/users/"


@pytest.fixture
def people(tenant_a, admin_a):
    with schema_context(tenant_a.schema_name):
        sales = DepartmentFactory(name="Sales")
        UserFactory(full_name="Ann Archer", email="ann@alpha.test", department=sales)
        UserFactory(full_name="Old Timer", email="old@alpha.test", is_active=False)
    return sales


def emails(response):
    assert response.status_code == 200, response.content
    return sorted(row["email"] for row in response.json()["results"])


def test_filters_apply_only_when_named_and_bad_values_are_still_refused(api_for, tenant_a, admin_a, people):
    client = api_for(tenant_a, admin_a)
    everyone = ["admin@alpha.test", "ann@alpha.test", "old@alpha.test"]
    assert emails(client.get(USERS)) == everyone
    assert emails(client.get(USERS, {"page": 1, "page_size": 50, "unknown": "x"})) == everyone
    assert emails(client.get(USERS, {"is_active": "false"})) == ["old@alpha.test"]
    assert emails(client.get(USERS, {"department": str(people.pk), "page": 1})) == ["ann@alpha.test"]
    refused = client.get(USERS, {"department": "not-a-department"})
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["department"]


def test_model_serializer_fields_are_fresh_per_instance(tenant_a):
    with schema_context(tenant_a.schema_name):
        first, second = UserSerializer(), UserSerializer()
        assert list(first.fields) == list(second.fields)
        assert first.fields["email"] is not second.fields["email"]
        assert first.fields["email"].parent is first and second.fields["email"].parent is second
        first.fields.pop("email")
        assert "email" in UserSerializer().fields and "email" in second.fields
