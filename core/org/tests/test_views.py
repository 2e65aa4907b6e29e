"""Department and role pages: 200 for the admin, 403 for a plain user, bad
input re-renders with errors (400) and saves nothing; no inline scripts."""

import re
import uuid

import pytest
from django_tenants.utils import schema_context

from core.org.models import DataScope, Department, Role
from tests.factories import DepartmentFactory, RoleFactory, UserFactory

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.I)


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def departments_of(tenant):
    with in_schema(tenant):
        return sorted(Department.objects.values_list("id", "name", "parent_id"))


def roles_of(tenant):
    with in_schema(tenant):
        return sorted((r.id, r.name, tuple(r.permissions), r.data_scope) for r in Role.objects.all())


def assert_csp_safe(response):
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html).group(0)


@pytest.fixture
def admin_web(web_for, tenant_a, admin_a):
    return web_for(tenant_a, admin_a)


@pytest.fixture
def plain_web(web_for, tenant_a, make_user):
    return web_for(tenant_a, make_user(tenant_a))


@pytest.fixture
def sample(tenant_a):
    with in_schema(tenant_a):
        top = DepartmentFactory(name="Head office")
        child = DepartmentFactory(name="Sales", parent=top)
        grandchild = DepartmentFactory(name="Key accounts", parent=child)
        role = RoleFactory(name="Clerk", permissions=["core.user.view"], data_scope=DataScope.DEPARTMENT)
    return {"top": top, "child": child, "grandchild": grandchild, "role": role}


def page_urls(sample):
    top, role = sample["top"], sample["role"]
    return [
        "/settings/departments/",
        "/settings/departments/new/",
        f"/settings/departments/{top.pk}/edit/",
        f"/settings/departments/{top.pk}/delete/",
        "/settings/roles/",
        "/settings/roles/new/",
        f"/settings/roles/{role.pk}/edit/",
        f"/settings/roles/{role.pk}/delete/",
    ]


def test_pages_render_for_admin_without_inline_code(admin_web, sample):
    for url in page_urls(sample):
        response = admin_web.get(url)
        assert response.status_code == 200, url
        assert_csp_safe(response)


def test_pages_forbidden_for_plain_user(plain_web, sample, tenant_a):
    before = (departments_of(tenant_a), roles_of(tenant_a))
    for url in page_urls(sample):
        assert plain_web.get(url).status_code == 403, url
        assert plain_web.post(url, {"name": "Hack"}).status_code == 403, url
    assert (departments_of(tenant_a), roles_of(tenant_a)) == before


def test_pages_send_anonymous_visitors_to_sign_in(web_for, tenant_a, sample):
    response = web_for(tenant_a).get("/settings/departments/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_permission_holder_reaches_only_what_the_role_allows(web_for, tenant_a, make_user, sample):
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["core.department.view"])
    web = web_for(tenant_a, make_user(tenant_a, roles=[role]))
    listing = web.get("/settings/departments/")
    assert listing.status_code == 200
    assert "/settings/departments/new/" not in listing.content.decode()
    assert web.get("/settings/departments/new/").status_code == 403
    assert web.get("/settings/roles/").status_code == 403


def test_department_list_is_an_indented_tree(admin_web, sample):
    html = admin_web.get("/settings/departments/").content.decode()
    rows = re.findall(r'data-department="([0-9a-f-]+)" data-depth="(\d)"', html)
    assert rows == [
        (str(sample["top"].pk), "0"), (str(sample["child"].pk), "1"), (str(sample["grandchild"].pk), "2"),
    ]
    assert 'class="table-responsive"' in html


def test_department_create_and_edit(admin_web, tenant_a, sample):
    response = admin_web.post("/settings/departments/new/", {"name": "Marketing", "parent": str(sample["top"].pk)})
    assert response.status_code == 302
    with in_schema(tenant_a):
        marketing = Department.objects.get(name="Marketing")
        assert marketing.parent_id == sample["top"].pk
    response = admin_web.post(f"/settings/departments/{marketing.pk}/edit/", {"name": "Brand", "parent": ""})
    assert response.status_code == 302
    with in_schema(tenant_a):
        marketing.refresh_from_db()
    assert (marketing.name, marketing.parent_id) == ("Brand", None)


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "", "parent": ""}, "name"),
        ({"name": "Orphan", "parent": str(uuid.uuid4())}, "parent"),
        ({"name": "head office", "parent": ""}, "name"),
    ],
)
def test_department_create_bad_input(admin_web, tenant_a, sample, data, field):
    before = departments_of(tenant_a)
    response = admin_web.post("/settings/departments/new/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert departments_of(tenant_a) == before


def test_department_edit_cycle_rerenders(admin_web, tenant_a, sample):
    before = departments_of(tenant_a)
    response = admin_web.post(
        f"/settings/departments/{sample['top'].pk}/edit/",
        {"name": "Head office", "parent": str(sample["grandchild"].pk)},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["parent"] == ["This would create a loop in the department tree."]
    assert departments_of(tenant_a) == before


def test_department_delete_refused_then_allowed(admin_web, tenant_a, sample):
    with in_schema(tenant_a):
        UserFactory(department=sample["grandchild"])
    before = departments_of(tenant_a)
    response = admin_web.post(f"/settings/departments/{sample['top'].pk}/delete/")
    assert response.status_code == 409
    assert 'data-testid="delete-error"' in response.content.decode()
    response = admin_web.post(f"/settings/departments/{sample['grandchild'].pk}/delete/")
    assert response.status_code == 409
    assert departments_of(tenant_a) == before
    with in_schema(tenant_a):
        empty = DepartmentFactory(name="Empty")
    assert admin_web.post(f"/settings/departments/{empty.pk}/delete/").status_code == 302
    assert departments_of(tenant_a) == before


def test_other_tenant_department_and_role_are_not_found(admin_web, tenant_b):
    with in_schema(tenant_b):
        foreign_department = DepartmentFactory(name="Beta")
        foreign_role = RoleFactory(name="Beta role")
    before = (departments_of(tenant_b), roles_of(tenant_b))
    assert admin_web.get(f"/settings/departments/{foreign_department.pk}/edit/").status_code == 404
    assert admin_web.post(f"/settings/departments/{foreign_department.pk}/delete/").status_code == 404
    edit = admin_web.post(f"/settings/roles/{foreign_role.pk}/edit/", {"name": "X", "data_scope": "all"})
    assert edit.status_code == 404
    assert admin_web.post(f"/settings/roles/{foreign_role.pk}/delete/").status_code == 404
    assert (departments_of(tenant_b), roles_of(tenant_b)) == before


def test_role_form_shows_permission_matrix(admin_web, sample):
    html = admin_web.get(f"/settings/roles/{sample['role'].pk}/edit/").content.decode()
    assert 'data-permission-module="core"' in html
    assert 'data-permission-module="crm"' in html
    assert re.search(r'value="core\.user\.view"[^>]*checked', html)
    assert not re.search(r'value="core\.user\.add"[^>]*checked', html)
    assert 'value="core.audit.view"' in html
    assert 'value="core.audit.change"' not in html  # no such action: an empty cell
    assert '<select name="data_scope"' in html


def test_role_create_and_edit(admin_web, tenant_a):
    response = admin_web.post(
        "/settings/roles/new/",
        {"name": "Buyer", "description": "Buys", "data_scope": "department_tree",
         "permissions": ["core.product.view", "core.product.export"]},
    )
    assert response.status_code == 302
    with in_schema(tenant_a):
        role = Role.objects.get(name="Buyer")
    assert (role.permissions, role.data_scope) == (["core.product.view", "core.product.export"], "department_tree")
    response = admin_web.post(
        f"/settings/roles/{role.pk}/edit/", {"name": "Buyer", "data_scope": "own", "permissions": ["core.product.view"]}
    )
    assert response.status_code == 302
    with in_schema(tenant_a):
        role.refresh_from_db()
    assert (role.permissions, role.data_scope) == (["core.product.view"], "own")


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "Odd", "data_scope": "own", "permissions": ["core.user.view", "core.user.fly"]}, "permissions"),
        ({"name": "Odd", "data_scope": "everything"}, "data_scope"),
        ({"name": "", "data_scope": "own"}, "name"),
        ({"name": "clerk", "data_scope": "own"}, "name"),
    ],
)
def test_role_create_bad_input(admin_web, tenant_a, sample, data, field):
    before = roles_of(tenant_a)
    response = admin_web.post("/settings/roles/new/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert roles_of(tenant_a) == before


def test_role_delete_in_use(admin_web, tenant_a, sample):
    with in_schema(tenant_a):
        holder = UserFactory()
        holder.roles.add(sample["role"])
    page = admin_web.get(f"/settings/roles/{sample['role'].pk}/delete/")
    assert "1 user(s) hold it" in page.content.decode()
    assert admin_web.post(f"/settings/roles/{sample['role'].pk}/delete/").status_code == 302
    with in_schema(tenant_a):
        assert not Role.objects.filter(pk=sample["role"].pk).exists()
        assert holder.roles.count() == 0


def test_list_pages_query_count_does_not_grow(admin_web, tenant_a, django_assert_max_num_queries):
    admin_web.get("/settings/departments/")
    admin_web.get("/settings/roles/")
    counts = []
    for extra in (0, 25):
        with in_schema(tenant_a):
            for _n in range(extra):
                department = DepartmentFactory()
                UserFactory(department=department).roles.add(RoleFactory())
        with django_assert_max_num_queries(12) as departments:
            assert admin_web.get("/settings/departments/").status_code == 200
        with django_assert_max_num_queries(12) as roles:
            assert admin_web.get("/settings/roles/").status_code == 200
        counts.append((len(departments.captured_queries), len(roles.captured_queries)))
    assert counts[0] == counts[1]


def test_role_edit_bad_input_changes_nothing(admin_web, tenant_a, sample):
    with in_schema(tenant_a):
        RoleFactory(name="Taken name")
    before = roles_of(tenant_a)
    url = f"/settings/roles/{sample['role'].pk}/edit/"
    for data, field in (
        ({"name": "Clerk", "data_scope": "own", "permissions": ["core.nothing.view"]}, "permissions"),
        ({"name": "taken NAME", "data_scope": "own"}, "name"),
    ):
        response = admin_web.post(url, data)
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert 'data-permission-module="core"' in response.content.decode()
    assert roles_of(tenant_a) == before
