"""User lifecycle rules: reporting loops, own admin rights, invitations,
deactivation (sessions and tokens), and that a user exists in one tenant only."""

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django_tenants.utils import schema_context

from core.audit.models import AuditEntry
from core.errors import DomainError
from core.users import services
from core.users.models import ApiToken, User
from tests.factories import DepartmentFactory, RoleFactory, UserFactory

PASSWORD = "Weft-test-pass-42"


@pytest.fixture
def in_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        yield tenant_a


def test_manager_loop_refused(in_a, admin_a):
    boss = UserFactory(full_name="Boss")
    middle = UserFactory(full_name="Middle", manager=boss)
    worker = UserFactory(full_name="Worker", manager=middle)
    for loop in (boss, middle, worker):  # self, direct report, report of a report
        with pytest.raises(DomainError) as exc:
            services.user_update(user=boss, by=admin_a, manager=loop)
        assert exc.value.fields == {"manager": ["This would create a reporting loop."]}
    boss.refresh_from_db()
    assert boss.manager_id is None
    assert not AuditEntry.objects.filter(object_type="users.user", object_id=str(boss.pk)).exists()


def test_manager_change_without_loop_is_audited(in_a, admin_a):
    boss, other = UserFactory(), UserFactory()
    worker = UserFactory(manager=boss)
    services.user_update(user=worker, by=admin_a, manager=other)
    worker.refresh_from_db()
    assert worker.manager_id == other.pk
    entry = AuditEntry.objects.get(object_type="users.user", object_id=str(worker.pk), action="update")
    assert entry.changes == {"manager": [str(boss.pk), str(other.pk)]}


def test_admin_cannot_drop_own_admin_rights(in_a, admin_a):
    with pytest.raises(DomainError) as exc:
        services.user_update(user=admin_a, by=admin_a, is_tenant_admin=False)
    assert exc.value.code == "conflict"
    admin_a.refresh_from_db()
    assert admin_a.is_tenant_admin is True


def test_invite_creates_inactive_member_and_emails_link(in_a, admin_a):
    department = DepartmentFactory()
    role = RoleFactory()
    user = services.user_invite(
        by=admin_a, email=" New.Person@Example.TEST ", full_name="New Person", department=department, roles=[role]
    )
    user.refresh_from_db()
    assert (user.email, user.is_active, user.department_id) == ("new.person@example.test", False, department.pk)
    assert list(user.roles.all()) == [role]
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.test"]
    assert "/accounts/invitation/" in mail.outbox[0].body


def test_invite_existing_email_refused(in_a, admin_a):
    UserFactory(email="taken@example.test")
    count = User.objects.count()
    with pytest.raises(DomainError) as exc:
        services.user_invite(by=admin_a, email="TAKEN@example.test", full_name="Dup")
    assert list(exc.value.fields) == ["email"]
    assert User.objects.count() == count
    assert mail.outbox == []


def test_deactivation_ends_sessions_and_revokes_tokens(tenant_a, admin_a, make_user, web_for, api_for):
    member = make_user(tenant_a)
    bystander = make_user(tenant_a)
    member_web = web_for(tenant_a, member)
    bystander_web = web_for(tenant_a, bystander)
    member_api = api_for(tenant_a, member)
    assert member_web.get("/settings/tokens/").status_code == 200
    assert member_api.get("/api/v1/me/").status_code == 200

    with schema_context(tenant_a.schema_name):
        services.user_deactivate(user=member, by=admin_a)
        member.refresh_from_db()
        assert member.is_active is False
        assert ApiToken.objects.filter(user=member, revoked_at__isnull=True).count() == 0
        live = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
        assert str(member.pk) not in live
        assert str(bystander.pk) in live

    response = member_api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    page = member_web.get("/settings/tokens/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
    assert bystander_web.get("/settings/tokens/").status_code == 200


def test_deactivating_yourself_is_refused(in_a, admin_a):
    with pytest.raises(DomainError) as exc:
        services.user_deactivate(user=admin_a, by=admin_a)
    assert exc.value.code == "conflict"
    admin_a.refresh_from_db()
    assert admin_a.is_active is True


def test_user_of_tenant_a_cannot_sign_in_on_tenant_b(web_for, api_for, tenant_a, tenant_b, admin_a):
    web_b = web_for(tenant_b)
    response = web_b.post("/accounts/login/", {"email": "admin@alpha.test", "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in web_b.session

    token = api_for(tenant_b).post(
        "/api/v1/auth/token/", {"email": "admin@alpha.test", "password": PASSWORD}, format="json"
    )
    assert token.status_code == 401
    assert token.json()["error"]["code"] == "not_authenticated"

    # The same credentials work on their own host.
    assert web_for(tenant_a).post(
        "/accounts/login/", {"email": "admin@alpha.test", "password": PASSWORD}
    ).status_code == 302


def test_session_of_tenant_a_is_unknown_on_tenant_b(web_for, tenant_a, tenant_b, admin_a):
    web = web_for(tenant_a, admin_a)
    assert web.get("/settings/users/").status_code == 200
    web.defaults["HTTP_HOST"] = "beta.localhost"
    response = web.get("/settings/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
