"""/api/v1/users/ (list, retrieve, update, invite, deactivate) and
/api/v1/auth/tokens/: happy path, validation, permission denied, other
tenant's ids, unauthenticated, query counts."""

import uuid

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from core.audit.models import AuditEntry
from core.org.models import DataScope
from core.users.models import ApiToken, User
from tests.factories import DepartmentFactory, RoleFactory, UserFactory

USERS = "/api/v1/users/"
TOKENS = "/api/v1/auth/tokens/"


def error_of(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def users_of(tenant):
    with in_schema(tenant):
        return sorted(
            (u.pk, u.email, u.full_name, u.is_active, u.is_tenant_admin, u.department_id, u.manager_id,
             tuple(sorted(str(r.pk) for r in u.roles.all())))
            for u in User.objects.prefetch_related("roles")
        )


@pytest.fixture
def admin_api(api_for, tenant_a, admin_a):
    return api_for(tenant_a, admin_a)


@pytest.fixture
def user_with(make_user, tenant_a):
    def _make(*codes, scope=DataScope.OWN, **fields):
        with in_schema(tenant_a):
            role = RoleFactory(permissions=list(codes), data_scope=scope)
        return make_user(tenant_a, roles=[role], **fields)

    return _make


def test_users_list_search_filter_and_retrieve(admin_api, tenant_a, admin_a):
    with in_schema(tenant_a):
        sales = DepartmentFactory(name="Sales")
        role = RoleFactory(name="Rep")
        ann = UserFactory(full_name="Ann Archer", email="ann@alpha.test", department=sales, manager=admin_a)
        ann.roles.set([role])
        UserFactory(full_name="Bob Baker", email="bob@alpha.test")
    body = admin_api.get(USERS).json()
    emails = {row["email"] for row in body["results"]}
    assert {"admin@alpha.test", "ann@alpha.test", "bob@alpha.test"} <= emails

    found = admin_api.get(USERS, {"search": "archer"}).json()
    assert [row["email"] for row in found["results"]] == ["ann@alpha.test"]
    row = found["results"][0]
    assert (row["department"], row["manager"], row["roles"]) == (str(sales.pk), str(admin_a.pk), [str(role.pk)])
    assert "password" not in row

    by_department = admin_api.get(USERS, {"department": str(sales.pk)}).json()
    assert [row["email"] for row in by_department["results"]] == ["ann@alpha.test"]

    detail = admin_api.get(f"{USERS}{ann.pk}/")
    assert detail.status_code == 200
    assert detail.json()["full_name"] == "Ann Archer"


def test_user_update_is_audited(admin_api, tenant_a):
    with in_schema(tenant_a):
        department = DepartmentFactory(name="Ops")
        role = RoleFactory(name="Operator")
        member = UserFactory(full_name="Mia")
    response = admin_api.patch(
        f"{USERS}{member.pk}/", {"department": str(department.pk), "roles": [str(role.pk)]}, format="json"
    )
    assert response.status_code == 200, response.content
    with in_schema(tenant_a):
        member.refresh_from_db()
        assert member.department_id == department.pk
        assert list(member.roles.all()) == [role]
        entry = AuditEntry.objects.get(object_type="users.user", object_id=str(member.pk), action="update")
    assert entry.changes["department"] == [None, str(department.pk)]
    assert entry.changes["roles"] == [[], [str(role.pk)]]


def test_user_update_validation(admin_api, tenant_a):
    with in_schema(tenant_a):
        boss = UserFactory(full_name="Boss")
        worker = UserFactory(full_name="Worker", manager=boss)
    before = users_of(tenant_a)
    loop = error_of(admin_api.patch(f"{USERS}{boss.pk}/", {"manager": str(worker.pk)}, format="json"), 400)
    assert loop["code"] == "validation_error"
    assert loop["fields"] == {"manager": ["This would create a reporting loop."]}
    for payload, field in (
        ({"department": str(uuid.uuid4())}, "department"),
        ({"roles": ["nope"]}, "roles"),
        ({"email": "not-an-email"}, "email"),
        ({"full_name": ""}, "full_name"),
    ):
        error = error_of(admin_api.patch(f"{USERS}{worker.pk}/", payload, format="json"), 400)
        assert error["code"] == "validation_error"
        assert list(error["fields"]) == [field]
    assert users_of(tenant_a) == before


def test_invite(admin_api, tenant_a):
    with in_schema(tenant_a):
        department = DepartmentFactory()
    response = admin_api.post(
        f"{USERS}invite/", {"email": "Joiner@Alpha.test", "full_name": "Jo Iner", "department": str(department.pk)},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["email"], response.json()["is_active"]) == ("joiner@alpha.test", False)
    assert [m.to for m in mail.outbox] == [["joiner@alpha.test"]]
    with in_schema(tenant_a):
        assert User.objects.get(email="joiner@alpha.test").department_id == department.pk


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"email": "admin@alpha.test", "full_name": "Dup"}, "email"),
        ({"email": "bad", "full_name": "Bad"}, "email"),
        ({"email": "ok@alpha.test"}, "full_name"),
        ({"email": "ok@alpha.test", "full_name": "Ok", "department": str(uuid.uuid4())}, "department"),
    ],
)
def test_invite_validation(admin_api, tenant_a, payload, field):
    before = users_of(tenant_a)
    error = error_of(admin_api.post(f"{USERS}invite/", payload, format="json"), 400)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]
    assert users_of(tenant_a) == before
    assert mail.outbox == []


def test_deactivate(admin_api, api_for, tenant_a, make_user, admin_a):
    member = make_user(tenant_a)
    member_api = api_for(tenant_a, member)
    assert member_api.get("/api/v1/me/").status_code == 200
    response = admin_api.post(f"{USERS}{member.pk}/deactivate/")
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert error_of(member_api.get("/api/v1/me/"), 401)["code"] == "not_authenticated"

    before = users_of(tenant_a)
    assert error_of(admin_api.post(f"{USERS}{admin_a.pk}/deactivate/"), 409)["code"] == "conflict"
    assert users_of(tenant_a) == before


def test_users_permissions(api_for, tenant_a, make_user, user_with):
    target = make_user(tenant_a, full_name="Target")
    plain = api_for(tenant_a, make_user(tenant_a))
    viewer = api_for(tenant_a, user_with("core.user.view"))
    before = users_of(tenant_a)
    for client in (plain,):
        assert error_of(client.get(USERS), 403)["code"] == "permission_denied"
        assert error_of(client.get(f"{USERS}{target.pk}/"), 403)["code"] == "permission_denied"
    for client in (plain, viewer):
        assert error_of(client.patch(f"{USERS}{target.pk}/", {"full_name": "Hacked"}, format="json"), 403)
        assert error_of(client.post(f"{USERS}invite/", {"email": "x@alpha.test", "full_name": "X"}, format="json"), 403)
        assert error_of(client.post(f"{USERS}{target.pk}/deactivate/"), 403)["code"] == "permission_denied"
    assert viewer.get(f"{USERS}{target.pk}/").status_code == 200
    assert users_of(tenant_a) == before
    assert mail.outbox == []


def test_department_head_with_user_view_lists_users(api_for, tenant_a, user_with):
    with in_schema(tenant_a):
        department = DepartmentFactory()
        colleague = UserFactory(department=department)
    head = user_with("core.user.view", scope=DataScope.DEPARTMENT_TREE, department=department)
    body = api_for(tenant_a, head).get(USERS, {"page_size": 200}).json()
    emails = {row["email"] for row in body["results"]}
    assert {head.email, colleague.email} <= emails


def test_user_of_other_tenant_is_not_found(admin_api, tenant_b, admin_b):
    with in_schema(tenant_b):
        foreign = UserFactory(full_name="Beta person")
    before = users_of(tenant_b)
    for method, url, payload in (
        ("get", f"{USERS}{foreign.pk}/", None),
        ("patch", f"{USERS}{foreign.pk}/", {"full_name": "Taken"}),
        ("post", f"{USERS}{foreign.pk}/deactivate/", None),
        ("patch", f"{USERS}{admin_b.pk}/", {"is_tenant_admin": False}),
    ):
        response = getattr(admin_api, method)(url, payload, format="json")
        assert error_of(response, 404)["code"] == "not_found"
    assert users_of(tenant_b) == before


def test_users_unauthenticated(api_for, tenant_a, admin_a):
    before = users_of(tenant_a)
    anonymous = api_for(tenant_a)
    assert error_of(anonymous.get(USERS), 401)["code"] == "not_authenticated"
    assert error_of(anonymous.get(f"{USERS}{admin_a.pk}/"), 401)["code"] == "not_authenticated"
    assert error_of(anonymous.patch(f"{USERS}{admin_a.pk}/", {"full_name": "X"}, format="json"), 401)
    assert error_of(anonymous.post(f"{USERS}invite/", {"email": "a@b.test", "full_name": "A"}, format="json"), 401)
    assert users_of(tenant_a) == before


def test_users_list_query_count_does_not_grow(admin_api, tenant_a, admin_a, django_assert_max_num_queries):
    admin_api.get(USERS)  # warm: tenant lookup cached, token last-used stamped
    with in_schema(tenant_a):
        existing = User.objects.count()
    with django_assert_max_num_queries(5) as few:
        assert admin_api.get(USERS, {"page_size": 50}).json()["count"] == existing
    with in_schema(tenant_a):
        department = DepartmentFactory()
        roles = [RoleFactory(), RoleFactory()]
        for n in range(30 - existing):
            UserFactory(department=department if n % 2 else None, manager=admin_a).roles.set(roles)
    with django_assert_max_num_queries(5) as thirty:
        body = admin_api.get(USERS, {"page_size": 50}).json()
    assert body["count"] == 30
    assert len(thirty.captured_queries) == len(few.captured_queries)


# ---------------------------------------------------------------- own tokens


def test_tokens_list_and_revoke_own_only(api_for, tenant_a, make_user):
    alice, bob = make_user(tenant_a), make_user(tenant_a)
    alice_api, bob_api = api_for(tenant_a, alice), api_for(tenant_a, bob)
    listed = alice_api.get(TOKENS).json()
    assert [row["name"] for row in listed["results"]] == ["tests"]
    assert "digest" not in listed["results"][0]
    alice_token_id = listed["results"][0]["id"]

    assert error_of(bob_api.delete(f"{TOKENS}{alice_token_id}/"), 404)["code"] == "not_found"
    with in_schema(tenant_a):
        assert ApiToken.objects.get(pk=alice_token_id).revoked_at is None

    assert alice_api.delete(f"{TOKENS}{alice_token_id}/").status_code == 204
    with in_schema(tenant_a):
        assert ApiToken.objects.get(pk=alice_token_id).revoked_at is not None
    assert error_of(alice_api.get(TOKENS), 401)["code"] == "not_authenticated"


def test_tokens_unauthenticated(api_for, tenant_a):
    assert error_of(api_for(tenant_a).get(TOKENS), 401)["code"] == "not_authenticated"
