"""Department and role services: tree rules, delete refusals, permission-code
validation, audit. Refused actions also assert that nothing changed."""

import pytest
from django_tenants.utils import schema_context

from core.audit.models import AuditEntry
from core.errors import DomainError
from core.modules import registry
from core.org import selectors, services
from core.org.models import DataScope, Department, Role
from tests.factories import DepartmentFactory, RoleFactory, UserFactory


@pytest.fixture
def in_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        yield tenant_a


def snapshot_departments():
    return sorted(Department.objects.values_list("id", "name", "parent_id"))


def snapshot_roles():
    return sorted((r.id, r.name, r.description, tuple(r.permissions), r.data_scope) for r in Role.objects.all())


# ---------------------------------------------------------------- departments


def test_core_permission_objects_are_registered():
    codes = registry.all_permission_codes()
    for code in ("core.user.view", "core.user.approve", "core.department.delete", "core.role.change",
                 "core.product.export", "core.category.add", "core.audit.view"):
        assert code in codes
    assert "core.audit.change" not in codes
    assert "core.department.export" not in codes


def test_department_create_top_level_and_child_are_audited(in_a, admin_a):
    sales = services.department_create(by=admin_a, name="  Sales ")
    east = services.department_create(by=admin_a, name="East", parent=sales)
    assert (sales.name, sales.parent_id) == ("Sales", None)
    assert east.parent_id == sales.pk
    entry = AuditEntry.objects.get(object_type="org.department", object_id=str(east.pk))
    assert entry.action == "create"
    assert entry.actor_id == admin_a.pk
    assert entry.changes == {"name": "East", "parent": str(sales.pk)}


@pytest.mark.parametrize("name", ["Sales", "sales", " SALES "])
def test_department_name_unique_among_siblings(in_a, admin_a, name):
    root = DepartmentFactory(name="Root")
    DepartmentFactory(name="Sales", parent=root)
    before = snapshot_departments()
    with pytest.raises(DomainError) as exc:
        services.department_create(by=admin_a, name=name, parent=root)
    assert exc.value.code == "validation_error"
    assert list(exc.value.fields) == ["name"]
    assert snapshot_departments() == before


def test_department_top_level_names_unique_too(in_a, admin_a):
    DepartmentFactory(name="Finance")
    before = snapshot_departments()
    with pytest.raises(DomainError) as exc:
        services.department_create(by=admin_a, name="Finance")
    assert list(exc.value.fields) == ["name"]
    assert snapshot_departments() == before


def test_same_name_allowed_under_different_parents(in_a, admin_a):
    north, south = DepartmentFactory(name="North"), DepartmentFactory(name="South")
    services.department_create(by=admin_a, name="Sales", parent=north)
    services.department_create(by=admin_a, name="Sales", parent=south)
    assert Department.objects.filter(name="Sales").count() == 2


def test_department_blank_name_refused(in_a, admin_a):
    before = snapshot_departments()
    with pytest.raises(DomainError) as exc:
        services.department_create(by=admin_a, name="   ")
    assert exc.value.fields == {"name": ["This field is required."]}
    assert snapshot_departments() == before


def test_department_rename_into_sibling_name_refused(in_a, admin_a):
    DepartmentFactory(name="Ops")
    hr = DepartmentFactory(name="HR")
    with pytest.raises(DomainError) as exc:
        services.department_update(department=hr, by=admin_a, name="ops")
    assert list(exc.value.fields) == ["name"]
    hr.refresh_from_db()
    assert hr.name == "HR"


def test_department_move_into_own_subtree_refused(in_a, admin_a):
    top = DepartmentFactory(name="Top")
    mid = DepartmentFactory(name="Mid", parent=top)
    leaf = DepartmentFactory(name="Leaf", parent=mid)
    before = snapshot_departments()
    for new_parent in (top, mid, leaf):
        with pytest.raises(DomainError) as exc:
            services.department_update(department=top, by=admin_a, parent=new_parent)
        assert exc.value.code == "validation_error"
        assert list(exc.value.fields) == ["parent"]
    assert snapshot_departments() == before
    assert not AuditEntry.objects.filter(object_type="org.department", action="update").exists()


def test_department_move_elsewhere_is_allowed_and_audited(in_a, admin_a):
    a, b = DepartmentFactory(name="A"), DepartmentFactory(name="B")
    child = DepartmentFactory(name="Child", parent=a)
    services.department_update(department=child, by=admin_a, parent=b)
    child.refresh_from_db()
    assert child.parent_id == b.pk
    entry = AuditEntry.objects.get(object_type="org.department", object_id=str(child.pk), action="update")
    assert entry.changes == {"parent": [str(a.pk), str(b.pk)]}
    # Moving b below the child's old sibling tree is fine; moving it to the top too.
    services.department_update(department=b, by=admin_a, parent=a)
    services.department_update(department=b, by=admin_a, parent=None)
    b.refresh_from_db()
    assert b.parent_id is None


def test_department_delete_refused_with_members(in_a, admin_a):
    department = DepartmentFactory(name="Staffed")
    member = UserFactory(department=department)
    with pytest.raises(DomainError) as exc:
        services.department_delete(department=department, by=admin_a)
    assert exc.value.code == "conflict"
    assert exc.value.status == 409
    assert Department.objects.filter(pk=department.pk).exists()
    member.refresh_from_db()
    assert member.department_id == department.pk
    assert not AuditEntry.objects.filter(object_type="org.department", action="delete").exists()


def test_department_delete_refused_with_children(in_a, admin_a):
    parent = DepartmentFactory(name="Parent")
    DepartmentFactory(name="Kid", parent=parent)
    before = snapshot_departments()
    with pytest.raises(DomainError) as exc:
        services.department_delete(department=parent, by=admin_a)
    assert exc.value.code == "conflict"
    assert snapshot_departments() == before


def test_department_delete_empty_is_audited(in_a, admin_a):
    department = DepartmentFactory(name="Empty")
    pk = department.pk
    services.department_delete(department=department, by=admin_a)
    assert not Department.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(object_type="org.department", object_id=str(pk))
    assert (entry.action, entry.message) == ("delete", "Empty")


def test_department_tree_orders_depth_first(in_a, admin_a):
    b = DepartmentFactory(name="B")
    a = DepartmentFactory(name="A")
    a2 = DepartmentFactory(name="A2", parent=a)
    a1 = DepartmentFactory(name="A1", parent=a)
    a1x = DepartmentFactory(name="A1x", parent=a1)
    tree = [(d.pk, depth) for d, depth in selectors.department_tree(user=admin_a)]
    assert tree == [(a.pk, 0), (a1.pk, 1), (a1x.pk, 2), (a2.pk, 1), (b.pk, 0)]


def test_department_list_needs_permission(in_a, admin_a):
    DepartmentFactory(name="Visible")
    plain = UserFactory()
    viewer = UserFactory()
    viewer.roles.set([RoleFactory(permissions=["core.department.view"])])
    assert selectors.department_list(user=plain).count() == 0
    assert selectors.department_list(user=viewer).count() == 1
    assert selectors.department_list(user=admin_a).count() == 1


# ---------------------------------------------------------------------- roles


def test_role_create_normalises_permissions_and_audits(in_a, admin_a):
    role = services.role_create(
        by=admin_a, name="Clerk", description=" Desk work ",
        permissions=["crm.customer.view", "core.user.view", "crm.customer.view"], data_scope=DataScope.DEPARTMENT,
    )
    role.refresh_from_db()
    assert role.permissions == ["core.user.view", "crm.customer.view"]
    assert (role.description, role.data_scope) == ("Desk work", "department")
    entry = AuditEntry.objects.get(object_type="org.role", object_id=str(role.pk))
    assert entry.action == "create"


def test_role_unknown_permission_code_refused(in_a, admin_a):
    before = snapshot_roles()
    with pytest.raises(DomainError) as exc:
        services.role_create(by=admin_a, name="Bad", permissions=["crm.customer.view", "crm.customer.fly"])
    assert exc.value.code == "validation_error"
    assert exc.value.fields == {"permissions": ["Unknown permission code: crm.customer.fly"]}
    assert snapshot_roles() == before


def test_role_update_unknown_code_and_bad_scope_refused(in_a, admin_a):
    role = RoleFactory(name="Stable", permissions=["core.user.view"])
    before = snapshot_roles()
    with pytest.raises(DomainError) as exc:
        services.role_update(role=role, by=admin_a, permissions=["core.user.view", "nope"])
    assert list(exc.value.fields) == ["permissions"]
    with pytest.raises(DomainError) as exc:
        services.role_update(role=role, by=admin_a, data_scope="galaxy")
    assert list(exc.value.fields) == ["data_scope"]
    with pytest.raises(DomainError) as exc:
        services.role_update(role=role, by=admin_a, permissions="core.user.view")
    assert list(exc.value.fields) == ["permissions"]
    assert snapshot_roles() == before


def test_role_name_unique_case_insensitive(in_a, admin_a):
    RoleFactory(name="Auditor")
    before = snapshot_roles()
    with pytest.raises(DomainError) as exc:
        services.role_create(by=admin_a, name="auditor")
    assert list(exc.value.fields) == ["name"]
    assert snapshot_roles() == before


def test_role_update_records_changes(in_a, admin_a):
    role = RoleFactory(name="Editor", permissions=["core.user.view"], data_scope=DataScope.OWN)
    services.role_update(role=role, by=admin_a, permissions=["core.user.view", "core.user.change"], data_scope="all")
    role.refresh_from_db()
    assert role.permissions == ["core.user.view", "core.user.change"]
    entry = AuditEntry.objects.get(object_type="org.role", object_id=str(role.pk), action="update")
    assert entry.changes == {
        "permissions": [["core.user.view"], ["core.user.view", "core.user.change"]],
        "data_scope": ["own", "all"],
    }


def test_role_delete_in_use_allowed_and_audited(in_a, admin_a):
    role = RoleFactory(name="Temp", permissions=["core.user.view"])
    other = RoleFactory(name="Keep")
    holder = UserFactory()
    holder.roles.set([role, other])
    pk = role.pk
    assert services.role_delete(role=role, by=admin_a) == 1
    assert not Role.objects.filter(pk=pk).exists()
    assert list(holder.roles.all()) == [other]
    entry = AuditEntry.objects.get(object_type="org.role", object_id=str(pk))
    assert entry.action == "delete"
    assert entry.changes["users"] == [str(holder.pk)]
    assert entry.message == "removed from 1 user(s)"


def test_permission_catalog_groups_every_code_once():
    catalog = selectors.permission_catalog()
    assert catalog[0].key == "core"
    listed = [obj.code(module.key, action) for module in catalog for obj in module.objects for action in obj.actions]
    assert sorted(listed) == sorted(set(registry.all_permission_codes()))
    core = {obj.key: obj.actions for obj in catalog[0].objects}
    assert core["audit"] == ["view"]
    assert core["product"] == ["view", "add", "change", "delete", "export"]
