"""The audit log: selector access, /api/v1/audit-log/ (read-only, filters) and
the page: admins and "core.audit.view" holders see it, everyone else gets 403."""

import uuid
from datetime import datetime, timezone

import pytest
from django_tenants.utils import schema_context

from core.audit import selectors
from core.audit.models import AuditEntry
from core.audit.services import audit_record
from core.org.models import DataScope
from tests.factories import ProductFactory, RoleFactory, UserFactory

URL = "/api/v1/audit-log/"
PAGE = "/audit/"


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def error_of(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def log(tenant_a, admin_a):
    """Three entries by two actors on two records, on 1, 5 and 9 March."""
    with in_schema(tenant_a):
        other = UserFactory(full_name="Olga Other")
        product = ProductFactory(sku="AUD-1")
        created = audit_record(actor=admin_a, action="create", obj=product, changes={"sku": "AUD-1"})
        changed = audit_record(actor=other, action="update", obj=product, changes={"name": ["Old", "New"]})
        user_entry = audit_record(actor=admin_a, action="update", obj=other, changes={"full_name": ["O", "Olga"]})
        for entry, day in ((created, 1), (changed, 5), (user_entry, 9)):
            AuditEntry.objects.filter(pk=entry.pk).update(at=at(day))
    return {"product": product, "other": other, "created": created, "changed": changed, "user": user_entry}


@pytest.fixture
def auditor(make_user, tenant_a):
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["core.audit.view"], data_scope=DataScope.OWN)
    return make_user(tenant_a, roles=[role])


@pytest.fixture
def plain_user(make_user, tenant_a):
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["core.product.view", "crm.customer.view"], data_scope=DataScope.ALL)
    return make_user(tenant_a, roles=[role])


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_selector_admin_or_audit_view_only(tenant_a, admin_a, auditor, plain_user, log):
    with in_schema(tenant_a):
        everything = AuditEntry.objects.count()
        assert selectors.audit_list(user=admin_a).count() == everything >= 3
        assert selectors.audit_list(user=auditor).count() == everything
        assert selectors.audit_list(user=plain_user).count() == 0


def test_api_lists_newest_first_with_exact_fields(api_for, tenant_a, admin_a, log):
    response = api_for(tenant_a, admin_a).get(URL, {"object_id": str(log["product"].pk)})
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [str(log["changed"].pk), str(log["created"].pk)]
    assert rows[0] == {
        "id": str(log["changed"].pk), "at": "2026-03-05T12:00:00Z", "actor": str(log["other"].pk),
        "actor_label": "Olga Other", "action": "update", "object_type": "catalog.product",
        "object_id": str(log["product"].pk), "object_repr": str(log["product"]),
        "changes": {"name": ["Old", "New"]}, "message": "",
    }
    detail = api_for(tenant_a, admin_a).get(f"{URL}{log['created'].pk}/")
    assert detail.json()["changes"] == {"sku": "AUD-1"}


def test_api_filters(api_for, tenant_a, admin_a, log):
    client = api_for(tenant_a, admin_a)
    product, other = log["product"], log["other"]
    created, changed, user_entry = (str(log[k].pk) for k in ("created", "changed", "user"))
    assert ids(client.get(URL, {"object_type": "catalog.product"})) == [changed, created]
    assert ids(client.get(URL, {"object_type": "users.user", "object_id": str(other.pk)})) == [user_entry]
    assert ids(client.get(URL, {"actor": str(other.pk)})) == [changed]
    assert ids(client.get(URL, {"action": "create", "object_id": str(product.pk)})) == [created]
    assert ids(client.get(URL, {"date_from": "2026-03-02", "date_to": "2026-03-09"})) == [user_entry, changed]
    assert ids(client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-01"})) == [created]


def test_api_validation_errors(api_for, tenant_a, admin_a, log):
    client = api_for(tenant_a, admin_a)
    error = error_of(client.get(URL, {"date_from": "yesterday"}), 400)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == ["date_from"]
    error = error_of(client.get(URL, {"actor": "not-a-uuid"}), 400)
    assert list(error["fields"]) == ["actor"]


def test_api_is_read_only(api_for, tenant_a, admin_a, log):
    client = api_for(tenant_a, admin_a)
    with in_schema(tenant_a):
        before = sorted(AuditEntry.objects.values_list("id", "action", "changes"))
    assert client.post(URL, {"action": "delete"}, format="json").status_code == 405
    assert client.patch(f"{URL}{log['created'].pk}/", {"action": "delete"}, format="json").status_code == 405
    assert client.delete(f"{URL}{log['created'].pk}/").status_code == 405
    with in_schema(tenant_a):
        assert sorted(AuditEntry.objects.values_list("id", "action", "changes")) == before


def test_api_permission(api_for, tenant_a, auditor, plain_user, log):
    assert error_of(api_for(tenant_a, plain_user).get(URL), 403)["code"] == "permission_denied"
    assert error_of(api_for(tenant_a, plain_user).get(f"{URL}{log['created'].pk}/"), 403)["code"] == (
        "permission_denied"
    )
    assert str(log["created"].pk) in ids(api_for(tenant_a, auditor).get(URL))


def test_api_other_tenants_entry_is_not_found(api_for, tenant_a, tenant_b, admin_a, admin_b):
    with in_schema(tenant_b):
        foreign = audit_record(actor=admin_b, action="create", obj=ProductFactory(sku="B-AUD"))
    client = api_for(tenant_a, admin_a)
    assert error_of(client.get(f"{URL}{foreign.pk}/"), 404)["code"] == "not_found"
    assert error_of(client.get(f"{URL}{uuid.uuid4()}/"), 404)["code"] == "not_found"
    assert ids(client.get(URL, {"object_id": foreign.object_id})) == []


def test_api_needs_authentication(api_for, tenant_a, log):
    assert error_of(api_for(tenant_a).get(URL), 401)["code"] == "not_authenticated"


def test_page_for_admin_with_filters(web_for, tenant_a, admin_a, log):
    client = web_for(tenant_a, admin_a)
    response = client.get(PAGE, {"object_type": "catalog.product"})
    assert response.status_code == 200
    assert [entry.pk for entry, _changes in response.context["rows"]] == [log["changed"].pk, log["created"].pk]
    html = response.content.decode()
    assert "Olga Other" in html and "name</span>: " in html and "→ New" in html
    filtered = client.get(PAGE, {"actor": str(log["other"].pk), "date_to": "2026-03-04"})
    assert filtered.context["rows"] == []
    bad = client.get(PAGE, {"date_from": "soon"})
    assert bad.status_code == 400
    assert "date_from" in bad.context["filter"].form.errors


def test_page_permission(web_for, tenant_a, auditor, plain_user, log):
    assert web_for(tenant_a, plain_user).get(PAGE).status_code == 403
    assert web_for(tenant_a, auditor).get(PAGE).status_code == 200
    anonymous = web_for(tenant_a).get(PAGE)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


def test_api_list_query_count_does_not_grow(api_for, tenant_a, admin_a, django_assert_max_num_queries):
    client = api_for(tenant_a, admin_a)
    with in_schema(tenant_a):
        AuditEntry.objects.all().delete()
        product = ProductFactory()
        audit_record(actor=admin_a, action="create", obj=product)
    client.get(URL)  # warm: tenant lookup cached, token last-used stamped
    with django_assert_max_num_queries(5) as one:
        assert client.get(URL, {"object_id": str(product.pk)}).json()["count"] == 1
    with in_schema(tenant_a):
        for n in range(29):
            audit_record(actor=UserFactory(), action="update", obj=product, changes={"name": [str(n), str(n + 1)]})
    with django_assert_max_num_queries(5) as thirty:
        body = client.get(URL, {"object_id": str(product.pk), "page_size": 50}).json()
    assert body["count"] == len(body["results"]) == 30
    assert len(thirty.captured_queries) == len(one.captured_queries)
