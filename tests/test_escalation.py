"""No privilege escalation: a user who may manage users or roles can never
hand out more than they hold, nor make, change or remove administrators."""

import pytest
from django_tenants.utils import schema_context

from core.org.models import DataScope, Role
from core.users.models import User

USER_ADMIN = ["core.user.view", "core.user.add", "core.user.change", "core.role.view", "core.role.add",
              "core.role.change", "core.role.delete"]


@pytest.fixture
def delegate(tenant_a, make_user):
    """A non-admin who may manage users and roles, with scope "own"."""
    with schema_context(tenant_a.schema_name):
        role = Role.objects.create(name="User manager", permissions=USER_ADMIN, data_scope=DataScope.OWN)
    return make_user(tenant_a, roles=[role])


@pytest.fixture
def wide_role(tenant_a):
    with schema_context(tenant_a.schema_name):
        return Role.objects.create(name="Everything", permissions=["crm.customer.delete"], data_scope=DataScope.ALL)


def test_cannot_create_role_with_permissions_they_lack(tenant_a, delegate, api_for):
    api = api_for(tenant_a, delegate)
    response = api.post("/api/v1/roles/", {"name": "Wider", "permissions": ["crm.customer.delete"],
                                           "data_scope": "own"}, format="json")
    assert response.status_code == 403
    with schema_context(tenant_a.schema_name):
        assert not Role.objects.filter(name="Wider").exists()


def test_cannot_create_role_with_wider_scope(tenant_a, delegate, api_for):
    response = api_for(tenant_a, delegate).post(
        "/api/v1/roles/", {"name": "All seeing", "permissions": ["core.user.view"], "data_scope": "all"}, format="json"
    )
    assert response.status_code == 403
    with schema_context(tenant_a.schema_name):
        assert not Role.objects.filter(name="All seeing").exists()


def test_may_create_role_within_own_access(tenant_a, delegate, api_for):
    response = api_for(tenant_a, delegate).post(
        "/api/v1/roles/", {"name": "Viewer", "permissions": ["core.user.view"], "data_scope": "own"}, format="json"
    )
    assert response.status_code == 201, response.content


def test_cannot_widen_own_role(tenant_a, delegate, api_for):
    with schema_context(tenant_a.schema_name):
        own = delegate.roles.get()
    response = api_for(tenant_a, delegate).patch(f"/api/v1/roles/{own.pk}/", {"data_scope": "all"}, format="json")
    assert response.status_code == 403
    with schema_context(tenant_a.schema_name):
        assert Role.objects.get(pk=own.pk).data_scope == DataScope.OWN


def test_cannot_assign_a_wider_role_or_admin_flag(tenant_a, delegate, wide_role, make_user, api_for):
    target = make_user(tenant_a)
    api = api_for(tenant_a, delegate)
    assert api.patch(f"/api/v1/users/{target.pk}/", {"roles": [str(wide_role.pk)]}, format="json").status_code == 403
    assert api.patch(f"/api/v1/users/{target.pk}/", {"is_tenant_admin": True}, format="json").status_code == 403
    invite = api.post("/api/v1/users/invite/", {"email": "new@alpha.test", "full_name": "New", "is_tenant_admin": True},
                      format="json")
    assert invite.status_code == 403
    with schema_context(tenant_a.schema_name):
        target.refresh_from_db()
        assert not target.is_tenant_admin and not target.roles.exists()
        assert not User.objects.filter(email="new@alpha.test").exists()


def test_cannot_deactivate_or_edit_an_admin(tenant_a, delegate, admin_a, api_for):
    api = api_for(tenant_a, delegate)
    assert api.post(f"/api/v1/users/{admin_a.pk}/deactivate/").status_code == 403
    assert api.patch(f"/api/v1/users/{admin_a.pk}/", {"full_name": "Renamed"}, format="json").status_code == 403
    with schema_context(tenant_a.schema_name):
        admin_a.refresh_from_db()
        assert admin_a.is_active and admin_a.full_name != "Renamed"


def test_admin_may_do_all_of_it(tenant_a, admin_a, wide_role, make_user, api_for):
    target = make_user(tenant_a)
    api = api_for(tenant_a, admin_a)
    assert api.patch(f"/api/v1/users/{target.pk}/", {"roles": [str(wide_role.pk)], "is_tenant_admin": True},
                     format="json").status_code == 200


def test_deactivating_an_invitee_frees_the_seat(tenant_a, admin_a, api_for):
    from tenants.models import Tenant

    api = api_for(tenant_a, admin_a)
    before = Tenant.objects.get(pk=tenant_a.pk).seats_used
    invited = api.post("/api/v1/users/invite/", {"email": "seat@alpha.test", "full_name": "Seat Taker"},
                       format="json").json()
    assert Tenant.objects.get(pk=tenant_a.pk).seats_used == before + 1
    assert api.post(f"/api/v1/users/{invited['id']}/deactivate/").status_code == 200
    assert Tenant.objects.get(pk=tenant_a.pk).seats_used == before
