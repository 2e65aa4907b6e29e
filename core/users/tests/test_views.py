"""People administration pages and "My API tokens": access, happy paths, bad
input re-rendered with 400 and nothing saved, and flat query counts."""

import re
import uuid

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from core.org.models import DataScope
from core.users.models import ApiToken, User
from tests.factories import DepartmentFactory, RoleFactory, UserFactory

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.I)


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def users_of(tenant):
    with in_schema(tenant):
        return sorted(
            (u.pk, u.email, u.full_name, u.is_active, u.is_tenant_admin, u.department_id, u.manager_id,
             tuple(sorted(str(r.pk) for r in u.roles.all())))
            for u in User.objects.prefetch_related("roles")
        )


def tokens_of(tenant):
    with in_schema(tenant):
        return sorted(ApiToken.objects.values_list("id", "name", "revoked_at"))


def listed_user_ids(response):
    return re.findall(r'data-user="([0-9a-f-]+)"', response.content.decode())


@pytest.fixture
def admin_web(web_for, tenant_a, admin_a):
    return web_for(tenant_a, admin_a)


@pytest.fixture
def member(tenant_a, make_user):
    return make_user(tenant_a, full_name="Maria Member", email="maria@alpha.test")


@pytest.fixture
def plain_web(web_for, tenant_a, make_user):
    return web_for(tenant_a, make_user(tenant_a))


@pytest.fixture
def web_with(web_for, tenant_a, make_user):
    """web_with(*codes) -> a signed-in client for a user holding a role with those codes."""

    def _make(*codes, scope=DataScope.OWN):
        with in_schema(tenant_a):
            role = RoleFactory(permissions=list(codes), data_scope=scope)
        return web_for(tenant_a, make_user(tenant_a, roles=[role]))

    return _make


def admin_urls(member):
    return [
        "/settings/users/",
        "/settings/users/invite/",
        f"/settings/users/{member.pk}/edit/",
    ]


def test_admin_pages_render_without_inline_code(admin_web, member):
    for url in admin_urls(member) + ["/settings/tokens/"]:
        response = admin_web.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html)
        assert not INLINE_HANDLER.search(html)
        assert not INLINE_STYLE.search(html)
        assert re.search(r"<title>[^<]+</title>", html)


def test_admin_pages_forbidden_for_plain_user(plain_web, tenant_a, member):
    before = users_of(tenant_a)
    for url in admin_urls(member):
        assert plain_web.get(url).status_code == 403, url
    assert plain_web.post("/settings/users/invite/", {"email": "x@alpha.test", "full_name": "X"}).status_code == 403
    assert plain_web.post(f"/settings/users/{member.pk}/edit/", {"full_name": "Hacked"}).status_code == 403
    assert plain_web.post(f"/settings/users/{member.pk}/deactivate/").status_code == 403
    assert users_of(tenant_a) == before
    assert mail.outbox == []


def test_user_list_search_department_filter_and_pagination(admin_web, tenant_a, member):
    with in_schema(tenant_a):
        sales = DepartmentFactory(name="Sales")
        sam = UserFactory(full_name="Sam Seller", email="sam@alpha.test", department=sales)
        for n in range(30):
            UserFactory(full_name=f"Zed {n:02d}", email=f"zed{n:02d}@alpha.test")
    first = admin_web.get("/settings/users/")
    assert first.status_code == 200
    assert len(listed_user_ids(first)) == 25
    assert "page=2" in first.content.decode()
    second = admin_web.get("/settings/users/", {"page": 2})
    assert len(listed_user_ids(second)) == 33 - 25  # admin, member, Sam and 30 Zeds

    assert listed_user_ids(admin_web.get("/settings/users/", {"q": "seller"})) == [str(sam.pk)]
    assert listed_user_ids(admin_web.get("/settings/users/", {"q": "MARIA@"})) == [str(member.pk)]
    assert listed_user_ids(admin_web.get("/settings/users/", {"department": str(sales.pk)})) == [str(sam.pk)]
    unknown = admin_web.get("/settings/users/", {"department": str(uuid.uuid4())})
    assert unknown.status_code == 200
    assert "department" in unknown.context["filter"].form.errors


def test_user_list_for_permission_holder(web_with, member):
    viewer = web_with("core.user.view", scope=DataScope.DEPARTMENT_TREE)
    response = viewer.get("/settings/users/")
    assert response.status_code == 200
    html = response.content.decode()
    assert str(member.pk) in listed_user_ids(response)
    assert "/settings/users/invite/" not in html  # no core.user.add
    assert f"/settings/users/{member.pk}/edit/" not in html  # no core.user.change
    assert viewer.get("/settings/users/invite/").status_code == 403


def test_invite(admin_web, tenant_a):
    with in_schema(tenant_a):
        department = DepartmentFactory(name="Ops")
        role = RoleFactory(name="Operator")
    response = admin_web.post(
        "/settings/users/invite/",
        {"email": "newbie@alpha.test", "full_name": "New Bie", "department": str(department.pk),
         "roles": [str(role.pk)], "is_tenant_admin": "on"},
    )
    assert response.status_code == 302
    with in_schema(tenant_a):
        newbie = User.objects.get(email="newbie@alpha.test")
        assert (newbie.is_active, newbie.is_tenant_admin, newbie.department_id) == (False, True, department.pk)
        assert list(newbie.roles.all()) == [role]
    assert [m.to for m in mail.outbox] == [["newbie@alpha.test"]]


@pytest.mark.parametrize(
    "data,field",
    [
        ({"email": "not-an-email", "full_name": "X"}, "email"),
        ({"email": "admin@alpha.test", "full_name": "Dup"}, "email"),
        ({"email": "ok@alpha.test", "full_name": ""}, "full_name"),
        ({"email": "ok@alpha.test", "full_name": "Ok", "department": str(uuid.uuid4())}, "department"),
    ],
)
def test_invite_bad_input(admin_web, tenant_a, data, field):
    before = users_of(tenant_a)
    response = admin_web.post("/settings/users/invite/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert users_of(tenant_a) == before
    assert mail.outbox == []


def test_non_admin_cannot_grant_admin_rights_through_the_form(web_with, tenant_a):
    inviter = web_with("core.user.view", "core.user.add")
    form_page = inviter.get("/settings/users/invite/")
    assert 'name="is_tenant_admin"' not in form_page.content.decode()
    response = inviter.post(
        "/settings/users/invite/", {"email": "climber@alpha.test", "full_name": "Climber", "is_tenant_admin": "on"}
    )
    assert response.status_code == 302
    with in_schema(tenant_a):
        assert User.objects.get(email="climber@alpha.test").is_tenant_admin is False


def test_edit(admin_web, tenant_a, member, admin_a):
    with in_schema(tenant_a):
        department = DepartmentFactory(name="Support")
        role = RoleFactory(name="Agent")
    page = admin_web.get(f"/settings/users/{member.pk}/edit/")
    assert f'value="{member.pk}"' not in page.content.decode()  # not offered as their own manager
    response = admin_web.post(
        f"/settings/users/{member.pk}/edit/",
        {"full_name": "Maria M.", "department": str(department.pk), "manager": str(admin_a.pk),
         "roles": [str(role.pk)]},
    )
    assert response.status_code == 302
    with in_schema(tenant_a):
        member.refresh_from_db()
        assert (member.full_name, member.department_id, member.manager_id) == ("Maria M.", department.pk, admin_a.pk)
        assert list(member.roles.all()) == [role]
        assert member.is_tenant_admin is False


def test_edit_manager_loop_rerenders(admin_web, tenant_a, member):
    with in_schema(tenant_a):
        report = UserFactory(full_name="Report", manager=member)
    before = users_of(tenant_a)
    response = admin_web.post(
        f"/settings/users/{member.pk}/edit/", {"full_name": "Maria", "manager": str(report.pk)}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["manager"] == ["This would create a reporting loop."]
    assert users_of(tenant_a) == before


def test_admin_cannot_drop_own_admin_flag_in_the_form(admin_web, tenant_a, admin_a):
    before = users_of(tenant_a)
    response = admin_web.post(f"/settings/users/{admin_a.pk}/edit/", {"full_name": "Alpha Admin"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["You cannot remove your own administrator rights."]
    assert users_of(tenant_a) == before


def test_deactivate_button(admin_web, tenant_a, member, admin_a):
    assert admin_web.get(f"/settings/users/{member.pk}/deactivate/").status_code == 405
    listing = admin_web.get("/settings/users/").content.decode()
    assert f'action="/settings/users/{member.pk}/deactivate/"' in listing
    assert f'action="/settings/users/{admin_a.pk}/deactivate/"' not in listing
    response = admin_web.post(f"/settings/users/{member.pk}/deactivate/")
    assert response.status_code == 302
    with in_schema(tenant_a):
        member.refresh_from_db()
    assert member.is_active is False

    before = users_of(tenant_a)
    refused = admin_web.post(f"/settings/users/{admin_a.pk}/deactivate/", follow=True)
    assert "You cannot deactivate yourself." in refused.content.decode()
    assert users_of(tenant_a) == before


def test_other_tenant_user_is_not_found(admin_web, tenant_b):
    with in_schema(tenant_b):
        foreign = UserFactory()
    before = users_of(tenant_b)
    assert admin_web.get(f"/settings/users/{foreign.pk}/edit/").status_code == 404
    assert admin_web.post(f"/settings/users/{foreign.pk}/edit/", {"full_name": "X"}).status_code == 404
    assert admin_web.post(f"/settings/users/{foreign.pk}/deactivate/").status_code == 404
    assert users_of(tenant_b) == before


def test_user_list_page_query_count_does_not_grow(admin_web, tenant_a, admin_a, django_assert_max_num_queries):
    admin_web.get("/settings/users/")
    counts = []
    for extra in (0, 24):
        with in_schema(tenant_a):
            department = DepartmentFactory()
            role = RoleFactory()
            for _n in range(extra):
                UserFactory(department=department, manager=admin_a).roles.add(role)
        with django_assert_max_num_queries(15) as captured:
            response = admin_web.get("/settings/users/")
        assert response.status_code == 200
        counts.append((len(listed_user_ids(response)), len(captured.captured_queries)))
    assert counts[0][0] < counts[1][0] == 25
    assert counts[0][1] == counts[1][1]


# ------------------------------------------------------------- own API tokens


def test_tokens_page_create_shows_secret_once_and_it_works(web_for, tenant_a, make_user):
    owner = make_user(tenant_a)
    web = web_for(tenant_a, owner)
    assert web.get("/settings/tokens/").status_code == 200
    response = web.post("/settings/tokens/", {"name": "ERP sync", "days": 30})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    clear = re.search(r"(wft_[0-9a-f]{12}_[A-Za-z0-9_\-]+)", html).group(1)
    with in_schema(tenant_a):
        token = ApiToken.objects.get(user=owner, name="ERP sync")
        assert clear.startswith(f"wft_{token.prefix}_")
        assert clear not in token.digest
    api = APIClient(HTTP_HOST="alpha.localhost")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert api.get("/api/v1/me/").json()["email"] == owner.email
    again = web.get("/settings/tokens/").content.decode()
    assert clear not in again
    assert "ERP sync" in again


@pytest.mark.parametrize("data,field", [({"name": ""}, "name"), ({"name": "X", "days": 0}, "days"),
                                        ({"name": "X", "days": 9999}, "days")])
def test_tokens_page_bad_input(web_for, tenant_a, make_user, data, field):
    web = web_for(tenant_a, make_user(tenant_a))
    before = tokens_of(tenant_a)
    response = web.post("/settings/tokens/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert tokens_of(tenant_a) == before


def test_tokens_page_revoke_own_only(web_for, api_for, tenant_a, make_user):
    alice, bob = make_user(tenant_a), make_user(tenant_a)
    alice_api = api_for(tenant_a, alice)
    with in_schema(tenant_a):
        token = ApiToken.objects.get(user=alice)
    bob_web = web_for(tenant_a, bob)
    assert f'data-token="{token.pk}"' not in bob_web.get("/settings/tokens/").content.decode()
    assert bob_web.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert alice_api.get("/api/v1/me/").status_code == 200

    alice_web = web_for(tenant_a, alice)
    assert alice_web.get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405
    assert alice_web.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    assert alice_api.get("/api/v1/me/").status_code == 401
    assert "Revoked" in alice_web.get("/settings/tokens/").content.decode()


def test_tokens_page_needs_sign_in(web_for, tenant_a):
    response = web_for(tenant_a).get("/settings/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
