"""/api/v1/departments/, /api/v1/roles/ and /api/v1/permissions/: happy path,
validation, permission denied, other tenant's ids, unauthenticated, and query
counts that do not grow with the page."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from core.audit.models import AuditEntry
from core.modules import registry
from core.org.models import DataScope, Department, Role
from tests.factories import DepartmentFactory, RoleFactory, UserFactory

DEPARTMENTS = "/api/v1/departments/"
ROLES = "/api/v1/roles/"
PERMISSIONS = "/api/v1/permissions/"


def error_of(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def departments_of(tenant):
    with in_schema(tenant):
        return sorted(Department.objects.values_list("id", "name", "parent_id"))


def roles_of(tenant):
    with in_schema(tenant):
        return sorted((r.id, r.name, tuple(r.permissions), r.data_scope) for r in Role.objects.all())


@pytest.fixture
def admin_api(api_for, tenant_a, admin_a):
    return api_for(tenant_a, admin_a)


@pytest.fixture
def user_with(make_user, tenant_a):
    """user_with(*codes, scope="own") -> a tenant-A user holding one role with those codes."""

    def _make(*codes, scope=DataScope.OWN):
        with in_schema(tenant_a):
            role = RoleFactory(permissions=list(codes), data_scope=scope)
        return make_user(tenant_a, roles=[role])

    return _make


# ---------------------------------------------------------------- departments


def test_departments_list_and_retrieve(admin_api, tenant_a):
    with in_schema(tenant_a):
        sales = DepartmentFactory(name="Sales")
        east = DepartmentFactory(name="East", parent=sales)
        UserFactory(department=sales)
        UserFactory(department=sales)
    response = admin_api.get(DEPARTMENTS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    by_name = {row["name"]: row for row in body["results"]}
    assert by_name["Sales"]["parent"] is None
    assert (by_name["Sales"]["member_count"], by_name["Sales"]["children_count"]) == (2, 1)
    assert by_name["East"]["parent"] == str(sales.pk)
    assert (by_name["East"]["member_count"], by_name["East"]["children_count"]) == (0, 0)

    detail = admin_api.get(f"{DEPARTMENTS}{east.pk}/")
    assert detail.status_code == 200
    assert detail.json()["name"] == "East"

    filtered = admin_api.get(DEPARTMENTS, {"parent": str(sales.pk)})
    assert [row["name"] for row in filtered.json()["results"]] == ["East"]


def test_department_create_update_delete(admin_api, tenant_a):
    created = admin_api.post(DEPARTMENTS, {"name": "Support"}, format="json")
    assert created.status_code == 201, created.content
    support_id = created.json()["id"]
    assert created.json()["parent"] is None

    child = admin_api.post(DEPARTMENTS, {"name": "Tier 1", "parent": support_id}, format="json")
    assert child.status_code == 201, child.content
    child_id = child.json()["id"]

    renamed = admin_api.patch(f"{DEPARTMENTS}{child_id}/", {"name": "First line"}, format="json")
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["name"] == "First line"
    assert renamed.json()["parent"] == support_id

    moved = admin_api.put(f"{DEPARTMENTS}{child_id}/", {"name": "First line", "parent": None}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["parent"] is None

    assert admin_api.delete(f"{DEPARTMENTS}{child_id}/").status_code == 204
    with in_schema(tenant_a):
        assert list(Department.objects.values_list("name", flat=True)) == ["Support"]
        assert AuditEntry.objects.filter(object_type="org.department").count() == 5


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"name": ""}, "name"),
        ({}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "Orphan", "parent": str(uuid.uuid4())}, "parent"),
        ({"name": "Orphan", "parent": "not-a-uuid"}, "parent"),
    ],
)
def test_department_create_validation(admin_api, tenant_a, payload, field):
    before = departments_of(tenant_a)
    error = error_of(admin_api.post(DEPARTMENTS, payload, format="json"), 400)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]
    assert departments_of(tenant_a) == before


def test_department_duplicate_sibling_name_is_field_error(admin_api, tenant_a):
    with in_schema(tenant_a):
        DepartmentFactory(name="Legal")
    before = departments_of(tenant_a)
    error = error_of(admin_api.post(DEPARTMENTS, {"name": "legal"}, format="json"), 400)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == ["name"]
    assert departments_of(tenant_a) == before


def test_department_cycle_refused(admin_api, tenant_a):
    with in_schema(tenant_a):
        top = DepartmentFactory(name="Top")
        below = DepartmentFactory(name="Below", parent=top)
    before = departments_of(tenant_a)
    error = error_of(admin_api.patch(f"{DEPARTMENTS}{top.pk}/", {"parent": str(below.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["parent"]
    error = error_of(admin_api.patch(f"{DEPARTMENTS}{top.pk}/", {"parent": str(top.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["parent"]
    assert departments_of(tenant_a) == before


def test_department_delete_with_members_is_conflict(admin_api, tenant_a):
    with in_schema(tenant_a):
        department = DepartmentFactory(name="Busy")
        UserFactory(department=department)
    before = departments_of(tenant_a)
    error = error_of(admin_api.delete(f"{DEPARTMENTS}{department.pk}/"), 409)
    assert error["code"] == "conflict"
    assert departments_of(tenant_a) == before


def test_department_permissions(api_for, tenant_a, make_user, user_with):
    with in_schema(tenant_a):
        department = DepartmentFactory(name="Guarded")
    before = departments_of(tenant_a)
    plain = api_for(tenant_a, make_user(tenant_a))
    assert error_of(plain.get(DEPARTMENTS), 403)["code"] == "permission_denied"
    assert error_of(plain.get(f"{DEPARTMENTS}{department.pk}/"), 403)["code"] == "permission_denied"
    assert error_of(plain.post(DEPARTMENTS, {"name": "Sneaky"}, format="json"), 403)["code"] == "permission_denied"

    viewer = api_for(tenant_a, user_with("core.department.view"))
    assert viewer.get(DEPARTMENTS).json()["count"] == 1
    assert error_of(viewer.post(DEPARTMENTS, {"name": "Sneaky"}, format="json"), 403)["code"] == "permission_denied"
    assert error_of(viewer.patch(f"{DEPARTMENTS}{department.pk}/", {"name": "Mine"}, format="json"), 403)
    assert error_of(viewer.delete(f"{DEPARTMENTS}{department.pk}/"), 403)
    assert departments_of(tenant_a) == before

    editor = api_for(tenant_a, user_with("core.department.view", "core.department.change"))
    assert editor.patch(f"{DEPARTMENTS}{department.pk}/", {"name": "Renamed"}, format="json").status_code == 200


def test_department_of_other_tenant_is_not_found(admin_api, tenant_a, tenant_b):
    with in_schema(tenant_b):
        foreign = DepartmentFactory(name="Beta only")
    before_b = departments_of(tenant_b)
    before_a = departments_of(tenant_a)
    url = f"{DEPARTMENTS}{foreign.pk}/"
    assert error_of(admin_api.get(url), 404)["code"] == "not_found"
    assert error_of(admin_api.patch(url, {"name": "Hijacked"}, format="json"), 404)["code"] == "not_found"
    assert error_of(admin_api.delete(url), 404)["code"] == "not_found"
    error = error_of(admin_api.post(DEPARTMENTS, {"name": "Child", "parent": str(foreign.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["parent"]
    assert departments_of(tenant_b) == before_b
    assert departments_of(tenant_a) == before_a


def test_departments_unauthenticated(api_for, tenant_a):
    with in_schema(tenant_a):
        department = DepartmentFactory(name="Closed")
    before = departments_of(tenant_a)
    anonymous = api_for(tenant_a)
    assert error_of(anonymous.get(DEPARTMENTS), 401)["code"] == "not_authenticated"
    assert error_of(anonymous.get(f"{DEPARTMENTS}{department.pk}/"), 401)["code"] == "not_authenticated"
    assert error_of(anonymous.post(DEPARTMENTS, {"name": "Anon"}, format="json"), 401)["code"] == "not_authenticated"
    bad = api_for(tenant_a)
    bad.credentials(HTTP_AUTHORIZATION="Bearer wft_nothing_here")
    assert error_of(bad.get(DEPARTMENTS), 401)["code"] == "not_authenticated"
    assert departments_of(tenant_a) == before


def test_tenant_a_token_is_refused_on_tenant_b(api_for, tenant_a, tenant_b, admin_a):
    client = api_for(tenant_a, admin_a)
    client.defaults["HTTP_HOST"] = "beta.localhost"
    assert error_of(client.get(DEPARTMENTS), 401)["code"] == "not_authenticated"


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), response.json()["count"]


def test_department_list_query_count_does_not_grow(admin_api, tenant_a, django_assert_max_num_queries):
    with in_schema(tenant_a):
        root = DepartmentFactory(name="Root")
    admin_api.get(DEPARTMENTS)  # warm: tenant lookup cached, token last-used stamped
    with django_assert_max_num_queries(4) as one:
        assert admin_api.get(DEPARTMENTS).json()["count"] == 1
    with in_schema(tenant_a):
        for n in range(29):
            department = DepartmentFactory(name=f"Unit {n:02d}", parent=root if n % 2 else None)
            UserFactory(department=department)
    with django_assert_max_num_queries(4) as thirty:
        assert admin_api.get(DEPARTMENTS, {"page_size": 50}).json()["count"] == 30
    assert len(thirty.captured_queries) == len(one.captured_queries), [q["sql"] for q in thirty.captured_queries]


# ---------------------------------------------------------------------- roles


def test_roles_list_retrieve_create_update_delete(admin_api, tenant_a):
    listed = admin_api.get(ROLES)
    assert listed.status_code == 200
    seeded = {row["name"] for row in listed.json()["results"]}
    assert {"Sales rep", "Sales manager", "Department head", "Read only"} <= seeded

    created = admin_api.post(
        ROLES,
        {"name": "Warehouse", "permissions": ["core.product.view", "core.category.view"], "data_scope": "department"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["permissions"] == ["core.product.view", "core.category.view"]
    assert (body["data_scope"], body["user_count"]) == ("department", 0)
    role_id = body["id"]

    assert admin_api.get(f"{ROLES}{role_id}/").json()["name"] == "Warehouse"
    patched = admin_api.patch(f"{ROLES}{role_id}/", {"permissions": ["core.product.view"]}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["permissions"] == ["core.product.view"]

    with in_schema(tenant_a):
        holder = UserFactory()
        holder.roles.add(Role.objects.get(pk=role_id))
    assert admin_api.get(f"{ROLES}{role_id}/").json()["user_count"] == 1
    assert admin_api.delete(f"{ROLES}{role_id}/").status_code == 204
    with in_schema(tenant_a):
        assert not Role.objects.filter(pk=role_id).exists()
        assert holder.roles.count() == 0
        assert AuditEntry.objects.filter(object_type="org.role", object_id=role_id, action="delete").exists()


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"name": "Bad", "permissions": ["crm.customer.view", "crm.customer.teleport"]}, "permissions"),
        ({"name": "Bad", "permissions": ["core.unknown.view"]}, "permissions"),
        ({"name": "Bad", "permissions": "core.user.view"}, "permissions"),
        ({"name": "Bad", "data_scope": "universe"}, "data_scope"),
        ({"name": ""}, "name"),
        ({"name": "Read only"}, "name"),
    ],
)
def test_role_create_validation(admin_api, tenant_a, payload, field):
    before = roles_of(tenant_a)
    error = error_of(admin_api.post(ROLES, payload, format="json"), 400)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]
    assert roles_of(tenant_a) == before


def test_role_update_unknown_code_changes_nothing(admin_api, tenant_a):
    with in_schema(tenant_a):
        role = RoleFactory(name="Steady", permissions=["core.user.view"])
    before = roles_of(tenant_a)
    error = error_of(admin_api.patch(f"{ROLES}{role.pk}/", {"permissions": ["x.y.z"]}, format="json"), 400)
    assert error["fields"] == {"permissions": ["Unknown permission code: x.y.z"]}
    assert roles_of(tenant_a) == before


def test_role_permissions(api_for, tenant_a, make_user, user_with):
    with in_schema(tenant_a):
        role = RoleFactory(name="Target")
    plain = api_for(tenant_a, make_user(tenant_a))
    viewer = api_for(tenant_a, user_with("core.role.view"))
    before = roles_of(tenant_a)
    assert error_of(plain.get(ROLES), 403)["code"] == "permission_denied"
    assert error_of(plain.post(ROLES, {"name": "Mine"}, format="json"), 403)["code"] == "permission_denied"
    assert viewer.get(f"{ROLES}{role.pk}/").status_code == 200
    assert error_of(viewer.patch(f"{ROLES}{role.pk}/", {"permissions": ["core.user.view"]}, format="json"), 403)
    assert error_of(viewer.delete(f"{ROLES}{role.pk}/"), 403)["code"] == "permission_denied"
    assert roles_of(tenant_a) == before


def test_role_of_other_tenant_is_not_found(admin_api, tenant_a, tenant_b):
    with in_schema(tenant_b):
        foreign = RoleFactory(name="Beta role")
    before_b = roles_of(tenant_b)
    url = f"{ROLES}{foreign.pk}/"
    assert error_of(admin_api.get(url), 404)["code"] == "not_found"
    assert error_of(admin_api.put(url, {"name": "Taken over"}, format="json"), 404)["code"] == "not_found"
    assert error_of(admin_api.delete(url), 404)["code"] == "not_found"
    assert roles_of(tenant_b) == before_b


def test_roles_unauthenticated(api_for, tenant_a):
    before = roles_of(tenant_a)
    anonymous = api_for(tenant_a)
    assert error_of(anonymous.get(ROLES), 401)["code"] == "not_authenticated"
    assert error_of(anonymous.post(ROLES, {"name": "Anon"}, format="json"), 401)["code"] == "not_authenticated"
    assert roles_of(tenant_a) == before


# ----------------------------------------------------------------- permissions


def test_permission_catalog_endpoint(admin_api):
    response = admin_api.get(PERMISSIONS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["actions"][:6] == ["view", "add", "change", "delete", "approve", "export"]
    modules = {module["key"]: module for module in body["modules"]}
    assert body["modules"][0]["key"] == "core"
    core = {obj["key"]: obj for obj in modules["core"]["objects"]}
    assert core["audit"] == {"key": "audit", "label": "Audit log", "actions": ["view"], "codes": ["core.audit.view"]}
    assert core["department"]["codes"] == [
        "core.department.view", "core.department.add", "core.department.change", "core.department.delete",
    ]
    assert "customer" in {obj["key"] for obj in modules["crm"]["objects"]}
    every = sorted(code for module in body["modules"] for obj in module["objects"] for code in obj["codes"])
    assert every == sorted(set(registry.all_permission_codes()))


def test_permission_catalog_access(api_for, tenant_a, make_user, user_with):
    assert error_of(api_for(tenant_a).get(PERMISSIONS), 401)["code"] == "not_authenticated"
    assert error_of(api_for(tenant_a, make_user(tenant_a)).get(PERMISSIONS), 403)["code"] == "permission_denied"
    assert api_for(tenant_a, user_with("core.role.view")).get(PERMISSIONS).status_code == 200


def test_permission_catalog_is_read_only(admin_api):
    assert admin_api.post(PERMISSIONS, {}, format="json").status_code == 405
