"""/api/v1/crm/customers/ (+ /export/, /reassign/): CRUD, validation,
permission denied, data scopes on list/detail/export, other tenant's ids,
unauthenticated, module switched off, and constant query counts."""

import csv
import io
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit.models import AuditEntry
from core.org.models import DataScope
from modules.crm.models import Customer
from tests.factories import CustomerFactory, RoleFactory

from .conftest import customers_of, in_schema, set_module

URL = "/api/v1/crm/customers/"
EXPORT = "/api/v1/crm/customers/export/"


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def listed_names(response):
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def exported_names(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["id", "name", "kind", "grade", "region", "industry", "phone", "tax_id", "source",
                       "credit_rating", "credit_limit", "owner", "owner_email", "department"]
    return sorted(row[1] for row in rows[1:])


# ------------------------------------------------------------------ happy path


def test_create_defaults_to_the_caller(api_for, tenant_a, org):
    response = api_for(tenant_a, org.r1).post(URL, {"name": "Fresh Co", "credit_limit": "500"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("name", "kind", "credit_limit", "owner", "owner_name", "department",
                                 "department_name")} == {
        "name": "Fresh Co", "kind": "customer", "credit_limit": "500.00", "owner": str(org.r1.pk),
        "owner_name": "Ray One", "department": str(org.east.pk), "department_name": "Sales East",
    }
    with in_schema(tenant_a):
        assert AuditEntry.objects.filter(object_id=body["id"], action="create", actor=org.r1).count() == 1


def test_retrieve_update_delete(api_for, tenant_a, org):
    client = api_for(tenant_a, org.r1)
    url = f"{URL}{org.c_r1.pk}/"
    detail = client.get(url)
    assert detail.status_code == 200
    assert detail.json()["name"] == "R1 Corp"
    updated = client.patch(url, {"grade": "A", "phone": "021-1234"}, format="json")
    assert updated.status_code == 200, updated.content
    assert (updated.json()["grade"], updated.json()["phone"]) == ("A", "021-1234")
    assert client.delete(url).status_code == 204
    with in_schema(tenant_a):
        assert not Customer.objects.filter(pk=org.c_r1.pk).exists()
        actions = list(AuditEntry.objects.filter(object_id=str(org.c_r1.pk)).order_by("at")
                       .values_list("action", flat=True))
    assert actions == ["update", "delete"]


def test_reassign_action(api_for, tenant_a, org):
    response = api_for(tenant_a, org.m).post(f"{URL}{org.c_r1.pk}/reassign/", {"owner": str(org.r2.pk)},
                                             format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["owner"], response.json()["owner_name"]) == (str(org.r2.pk), "Rita Two")
    with in_schema(tenant_a):
        assert Customer.objects.get(pk=org.c_r1.pk).owner_id == org.r2.pk


def test_patch_owner_moves_department_with_owner(api_for, tenant_a, org):
    response = api_for(tenant_a, org.admin).patch(f"{URL}{org.c_r1.pk}/", {"owner": str(org.p.pk)}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["owner"], response.json()["department"]) == (str(org.p.pk), str(org.support.pk))


def test_filters(api_for, tenant_a, org):
    client = api_for(tenant_a, org.admin)
    with in_schema(tenant_a):
        CustomerFactory(name="Rival", owner=org.p, kind=Customer.Kind.COMPETITOR, region="Shanghai")
    assert listed_names(client.get(URL, {"kind": "competitor"})) == ["Rival"]
    assert listed_names(client.get(URL, {"q": "shanghai"})) == ["Rival"]
    assert listed_names(client.get(URL, {"owner": str(org.p.pk)})) == ["East by P", "P Corp", "Rival"]
    assert listed_names(client.get(URL, {"department": str(org.sales.pk)})) == [
        "East by P", "M Corp", "R1 Corp", "R2 Corp",
    ]
    assert listed_names(api_for(tenant_a, org.m).get(URL, {"mine": "true"})) == ["M Corp"]
    error = error_of(client.get(URL, {"kind": "nonsense"}), 400)
    assert list(error["fields"]) == ["kind"]


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"name": ""}, "name"),
        ({"kind": "customer"}, "name"),
        ({"name": "X", "credit_limit": "-1"}, "credit_limit"),
        ({"name": "X", "credit_limit": "lots"}, "credit_limit"),
        ({"name": "X", "kind": "partner"}, "kind"),
        ({"name": "X", "owner": str(uuid.UUID(int=1))}, "owner"),
    ],
)
def test_create_validation_errors(api_for, tenant_a, org, payload, field):
    before = customers_of(tenant_a)
    error = error_of(api_for(tenant_a, org.admin).post(URL, payload, format="json"), 400)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]
    assert customers_of(tenant_a) == before


def test_rep_cannot_create_or_move_customers_out_of_their_scope(api_for, tenant_a, org):
    before = customers_of(tenant_a)
    client = api_for(tenant_a, org.r1)
    error = error_of(client.post(URL, {"name": "For P", "owner": str(org.p.pk)}, format="json"), 400)
    assert error["fields"] == {"owner": ["Outside your data scope."]}
    error = error_of(client.post(f"{URL}{org.c_r1.pk}/reassign/", {"owner": str(org.p.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["owner"]
    error = error_of(client.patch(f"{URL}{org.c_r1.pk}/", {"credit_limit": "-1"}, format="json"), 400)
    assert error["fields"] == {"credit_limit": ["The amount cannot be negative."]}
    assert customers_of(tenant_a) == before


# ----------------------------------------------------------- permission denied


@pytest.fixture
def viewer(make_user, tenant_a, crm_on):
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["crm.customer.view"], data_scope=DataScope.ALL)
    return make_user(tenant_a, roles=[role])


def test_permission_denied(api_for, tenant_a, org, viewer, make_user):
    before = customers_of(tenant_a)
    client = api_for(tenant_a, viewer)
    assert len(client.get(URL).json()["results"]) == 5
    assert error_of(client.post(URL, {"name": "New"}, format="json"), 403)["code"] == "permission_denied"
    assert error_of(client.patch(f"{URL}{org.c_p.pk}/", {"name": "X"}, format="json"), 403)["code"] == (
        "permission_denied"
    )
    assert error_of(client.delete(f"{URL}{org.c_p.pk}/"), 403)["code"] == "permission_denied"
    assert error_of(client.post(f"{URL}{org.c_p.pk}/reassign/", {"owner": str(viewer.pk)}, format="json"), 403)
    assert error_of(client.get(EXPORT), 403)["code"] == "permission_denied"
    nobody = api_for(tenant_a, make_user(tenant_a))
    assert error_of(nobody.get(URL), 403)["code"] == "permission_denied"
    assert error_of(nobody.get(f"{URL}{org.c_p.pk}/"), 403)["code"] == "permission_denied"
    assert customers_of(tenant_a) == before


# ----------------------------------------------------------------- data scopes


def test_rep_with_own_scope(api_for, tenant_a, org):
    client = api_for(tenant_a, org.r1)
    assert listed_names(client.get(URL)) == ["R1 Corp"]
    assert exported_names(client.get(EXPORT)) == ["R1 Corp"]
    assert client.get(f"{URL}{org.c_r1.pk}/").status_code == 200
    before = customers_of(tenant_a)
    for other in (org.c_r2, org.c_m, org.c_p):
        assert error_of(client.get(f"{URL}{other.pk}/"), 404)["code"] == "not_found"
        assert error_of(client.patch(f"{URL}{other.pk}/", {"name": "Mine now"}, format="json"), 404)
        assert error_of(client.delete(f"{URL}{other.pk}/"), 404)
        assert error_of(client.post(f"{URL}{other.pk}/reassign/", {"owner": str(org.r1.pk)}, format="json"), 404)
    assert customers_of(tenant_a) == before


def test_manager_with_subordinates_scope(api_for, tenant_a, org):
    client = api_for(tenant_a, org.m)
    assert listed_names(client.get(URL)) == ["M Corp", "R1 Corp", "R2 Corp"]
    assert exported_names(client.get(EXPORT)) == ["M Corp", "R1 Corp", "R2 Corp"]
    assert client.get(f"{URL}{org.c_r2.pk}/").status_code == 200
    assert error_of(client.get(f"{URL}{org.c_p.pk}/"), 404)["code"] == "not_found"
    assert error_of(client.get(f"{URL}{org.c_east_p.pk}/"), 404)["code"] == "not_found"


def test_head_with_department_tree_scope(api_for, tenant_a, org):
    client = api_for(tenant_a, org.head)
    assert listed_names(client.get(URL)) == ["East by P", "M Corp", "R1 Corp", "R2 Corp"]
    assert exported_names(client.get(EXPORT)) == ["East by P", "M Corp", "R1 Corp", "R2 Corp"]
    assert client.get(f"{URL}{org.c_east_p.pk}/").status_code == 200
    assert error_of(client.get(f"{URL}{org.c_p.pk}/"), 404)["code"] == "not_found"


def test_admin_sees_all(api_for, tenant_a, org):
    client = api_for(tenant_a, org.admin)
    everyone = ["East by P", "M Corp", "P Corp", "R1 Corp", "R2 Corp"]
    assert listed_names(client.get(URL)) == everyone
    assert exported_names(client.get(EXPORT)) == everyone
    assert exported_names(client.get(EXPORT, {"department": str(org.support.pk)})) == ["P Corp"]


# --------------------------------------------------- other tenant, anonymous


def test_other_tenants_customer_is_not_found(api_for, tenant_a, tenant_b, admin_b, org):
    with in_schema(tenant_b):
        foreign = CustomerFactory(name="Beta Customer", owner=admin_b)
    before_b = customers_of(tenant_b)
    client = api_for(tenant_a, org.admin)
    assert error_of(client.get(f"{URL}{foreign.pk}/"), 404)["code"] == "not_found"
    assert error_of(client.patch(f"{URL}{foreign.pk}/", {"name": "Hijack"}, format="json"), 404)
    assert error_of(client.delete(f"{URL}{foreign.pk}/"), 404)
    assert error_of(client.post(f"{URL}{foreign.pk}/reassign/", {"owner": str(org.r1.pk)}, format="json"), 404)
    assert "Beta Customer" not in exported_names(client.get(EXPORT))
    # and tenant B's users cannot be made owners in tenant A
    error = error_of(client.post(URL, {"name": "X", "owner": str(admin_b.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["owner"]
    assert customers_of(tenant_b) == before_b


def test_unauthenticated(api_for, tenant_a, org):
    before = customers_of(tenant_a)
    anonymous = api_for(tenant_a)
    for response in (
        anonymous.get(URL), anonymous.get(EXPORT), anonymous.get(f"{URL}{org.c_r1.pk}/"),
        anonymous.post(URL, {"name": "Anon"}, format="json"), anonymous.delete(f"{URL}{org.c_r1.pk}/"),
    ):
        assert error_of(response, 401)["code"] == "not_authenticated"
    assert customers_of(tenant_a) == before


# -------------------------------------------------------------- module switch


def test_module_disabled_answers_404_and_reenabling_restores(api_for, tenant_a, org):
    client = api_for(tenant_a, org.admin)
    assert len(client.get(URL).json()["results"]) == 5
    before = customers_of(tenant_a)
    set_module(tenant_a, "crm", False)
    for response in (
        client.get(URL), client.get(f"{URL}{org.c_r1.pk}/"), client.get(EXPORT),
        client.post(URL, {"name": "While off"}, format="json"), client.delete(f"{URL}{org.c_r1.pk}/"),
    ):
        error = error_of(response, 404)
        assert error["code"] == "module_disabled"
        assert "CRM" in error["message"]
    assert customers_of(tenant_a) == before
    set_module(tenant_a, "crm", True)
    assert listed_names(client.get(URL)) == ["East by P", "M Corp", "P Corp", "R1 Corp", "R2 Corp"]
    assert client.get(f"{URL}{org.c_r1.pk}/").json()["name"] == "R1 Corp"


# ---------------------------------------------------------------- query count


def test_list_query_count_does_not_grow(api_for, tenant_a, org, django_assert_max_num_queries):
    client = api_for(tenant_a, org.m)  # subordinates scope: the heaviest filter
    with in_schema(tenant_a):
        Customer.objects.exclude(owner=org.m).delete()
    client.get(URL)  # warm: tenant lookup cached, token last-used stamped
    with django_assert_max_num_queries(6) as one:
        assert client.get(URL).json()["count"] == 1
    with in_schema(tenant_a):
        for n in range(29):
            CustomerFactory(name=f"Bulk {n:02d}", owner=(org.r1, org.r2, org.m)[n % 3])
    with django_assert_max_num_queries(6) as thirty:
        body = client.get(URL, {"page_size": 50}).json()
    assert body["count"] == len(body["results"]) == 30
    assert len(thirty.captured_queries) == len(one.captured_queries), [q["sql"] for q in thirty.captured_queries]


def test_export_query_count_does_not_grow(api_for, tenant_a, org):
    client = api_for(tenant_a, org.admin)
    client.get(EXPORT)
    with CaptureQueriesContext(connection) as five:
        assert len(exported_names(client.get(EXPORT))) == 5
    with in_schema(tenant_a):
        for n in range(25):
            CustomerFactory(name=f"More {n}", owner=org.p, credit_limit=Decimal(n))
    with CaptureQueriesContext(connection) as thirty:
        assert len(exported_names(client.get(EXPORT))) == 30
    assert len(thirty) == len(five)
