"""Departments and roles: every change goes through these functions (web and
API alike), each one audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from core.access import DEPARTMENT_TREE_IDS_SQL, access_for, assert_can_grant
from core.audit.services import audit_record, update_audited
from core.errors import DomainError, ErrorCode
from core.modules import registry

from .models import DataScope, Department, Role

# ---------------------------------------------------------------- departments


def _lock_tree() -> None:
    """Serialise tree changes within this tenant so two concurrent moves cannot
    build a cycle between them (each alone would pass the check)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:org.department.tree"])


def _clean_name(name: str | None, field: str = "name", max_length: int = 120) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Please correct the highlighted fields."), fields={field: [_("This field is required.")]})
    if len(name) > max_length:
        raise DomainError(
            _("Please correct the highlighted fields."),
            fields={field: [_("At most %(count)d characters.") % {"count": max_length}]},
        )
    return name


def _check_department_name(*, name: str, parent: Department | None, exclude: Department | None = None) -> None:
    siblings = Department.objects.filter(parent=parent, name__iexact=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        raise DomainError(
            _("A department with this name already exists there."),
            fields={"name": [_("Another department under the same parent has this name.")]},
        )


def _check_parent(department: Department, parent: Department | None) -> None:
    """``parent`` may not be the department itself or one of its descendants."""
    if parent is None:
        return
    if parent.pk == department.pk:
        raise DomainError(
            _("A department cannot be its own parent."),
            fields={"parent": [_("A department cannot be its own parent.")]},
        )
    descendants = RawSQL(DEPARTMENT_TREE_IDS_SQL, [department.pk])
    if Department.objects.filter(pk=parent.pk).filter(pk__in=descendants).exists():
        raise DomainError(
            _("A department cannot be moved below one of its own sub-departments."),
            fields={"parent": [_("This would create a loop in the department tree.")]},
        )


def _save_department(department: Department) -> None:
    try:
        with transaction.atomic():
            department.save()
    except IntegrityError as exc:  # a concurrent create won the name race
        raise DomainError(
            _("A department with this name already exists there."),
            fields={"name": [_("Another department under the same parent has this name.")]},
        ) from exc


@transaction.atomic
def department_create(*, by, name: str, parent: Department | None = None) -> Department:
    """Add a department, at the top level or below ``parent``."""
    name = _clean_name(name)
    _lock_tree()
    _check_department_name(name=name, parent=parent)
    department = Department(name=name, parent=parent)
    _save_department(department)
    audit_record(actor=by, action="create", obj=department, changes={"name": name, "parent": parent})
    return department


_DEPARTMENT_FIELDS = {"name", "parent"}


@transaction.atomic
def department_update(*, department: Department, by, **data) -> Department:
    """Rename and/or move a department (``name=``, ``parent=``)."""
    unknown = set(data) - _DEPARTMENT_FIELDS
    if unknown:
        raise TypeError(f"department_update() got unexpected fields: {sorted(unknown)}")
    if "name" in data:
        data["name"] = _clean_name(data["name"])
    _lock_tree()
    department = Department.objects.select_for_update().get(pk=department.pk)
    parent = data.get("parent", department.parent)
    if "parent" in data:
        _check_parent(department, parent)
    _check_department_name(name=data.get("name", department.name), parent=parent, exclude=department)
    return update_audited(department, data, by=by, save=_save_department)


@transaction.atomic
def department_delete(*, department: Department, by) -> None:
    """Delete an empty department: no members and no sub-departments."""
    # The row lock waits for (and then blocks) concurrent assignments to this
    # department: adding a member or child takes a key-share lock on it.
    department = Department.objects.select_for_update().get(pk=department.pk)
    members = department.members.count()
    children = department.children.count()
    if members or children:
        raise DomainError(
            _("Move its %(members)d member(s) and %(children)d sub-department(s) elsewhere before deleting it.")
            % {"members": members, "children": children},
            code=ErrorCode.CONFLICT,
        )
    pk, label = department.pk, str(department)
    try:
        department.delete()
    except ProtectedError as exc:
        raise DomainError(_("This department is still in use."), code=ErrorCode.CONFLICT) from exc
    department.pk = pk
    audit_record(actor=by, action="delete", obj=department, message=label)


# ---------------------------------------------------------------------- roles


def _clean_permissions(permissions: Iterable[str] | None) -> list[str]:
    """Known codes only, de-duplicated, in the registry's order."""
    if permissions is None:
        return []
    if isinstance(permissions, str) or not all(isinstance(code, str) for code in permissions):
        raise DomainError(
            _("Please correct the highlighted fields."),
            fields={"permissions": [_("Give a list of permission codes.")]},
        )
    known = registry.all_permission_codes()
    wanted = set(permissions)
    unknown = sorted(wanted - set(known))
    if unknown:
        raise DomainError(
            _("Unknown permission codes: %(codes)s") % {"codes": ", ".join(unknown)},
            fields={"permissions": [_("Unknown permission code: %(code)s") % {"code": code} for code in unknown]},
        )
    return [code for code in known if code in wanted]


def _clean_scope(data_scope: str) -> str:
    if data_scope not in DataScope.values:
        raise DomainError(
            _("Please correct the highlighted fields."),
            fields={"data_scope": [_("Choose one of: %(values)s") % {"values": ", ".join(DataScope.values)}]},
        )
    return data_scope


def _check_role_name(name: str, exclude: Role | None = None) -> None:
    others = Role.objects.filter(name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise DomainError(
            _("A role with this name already exists."), fields={"name": [_("A role with this name already exists.")]}
        )


def _save_role(role: Role) -> None:
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError as exc:
        raise DomainError(
            _("A role with this name already exists."), fields={"name": [_("A role with this name already exists.")]}
        ) from exc


@transaction.atomic
def role_create(
    *, by, name: str, description: str = "", permissions: Iterable[str] = (), data_scope: str = DataScope.OWN
) -> Role:
    name = _clean_name(name, max_length=80)
    role = Role(
        name=name,
        description=(description or "").strip()[:300],
        permissions=_clean_permissions(permissions),
        data_scope=_clean_scope(data_scope),
    )
    assert_can_grant(by, permissions=role.permissions, scope=role.data_scope)
    _check_role_name(name)
    _save_role(role)
    audit_record(
        actor=by, action="create", obj=role,
        changes={"permissions": role.permissions, "data_scope": role.data_scope},
    )
    return role


def _check_may_edit_role(by, role: Role) -> None:
    """Non-admins may not change a role they hold (they could widen themselves)."""
    if not access_for(by).is_admin and by.roles.filter(pk=role.pk).exists():
        raise DomainError(_("You cannot change a role you hold yourself."), code=ErrorCode.PERMISSION_DENIED)


_ROLE_FIELDS = {"name", "description", "permissions", "data_scope"}


@transaction.atomic
def role_update(*, role: Role, by, **data) -> Role:
    unknown = set(data) - _ROLE_FIELDS
    if unknown:
        raise TypeError(f"role_update() got unexpected fields: {sorted(unknown)}")
    if "name" in data:
        data["name"] = _clean_name(data["name"], max_length=80)
        _check_role_name(data["name"], exclude=role)
    if "description" in data:
        data["description"] = (data["description"] or "").strip()[:300]
    if "permissions" in data:
        data["permissions"] = _clean_permissions(data["permissions"])
    if "data_scope" in data:
        data["data_scope"] = _clean_scope(data["data_scope"])
    role = Role.objects.select_for_update().get(pk=role.pk)
    _check_may_edit_role(by, role)
    assert_can_grant(by, permissions=data.get("permissions", ()), scope=data.get("data_scope"))
    return update_audited(role, data, by=by, save=_save_role)


@transaction.atomic
def role_delete(*, role: Role, by) -> int:
    """Delete a role; its holders simply lose it. Returns how many users held it."""
    role = Role.objects.select_for_update().get(pk=role.pk)
    _check_may_edit_role(by, role)
    holders = sorted(str(pk) for pk in role.users.values_list("pk", flat=True))
    pk = role.pk
    role.delete()
    role.pk = pk
    audit_record(
        actor=by, action="delete", obj=role,
        changes={"users": holders, "permissions": role.permissions, "data_scope": role.data_scope},
        message=f"removed from {len(holders)} user(s)",
    )
    return len(holders)
