"""Scoped reads of departments, roles and the permission catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.access import access_for, restrict
from core.modules import ACTIONS, registry

from .models import Department, Role

ACTION_LABELS = {
    "view": _("View"),
    "add": _("Add"),
    "change": _("Change"),
    "delete": _("Delete"),
    "approve": _("Approve"),
    "export": _("Export"),
}
CORE_OBJECT_LABELS = {
    "user": _("Users"),
    "department": _("Departments"),
    "role": _("Roles"),
    "product": _("Products"),
    "category": _("Product categories"),
    "audit": _("Audit log"),
}


def department_list(*, user) -> QuerySet[Department]:
    """Departments the caller may view, with parent and counts for lists."""
    queryset = (
        Department.objects.select_related("parent")
        .annotate(member_count=Count("members", distinct=True), children_count=Count("children", distinct=True))
        .order_by("name", "id")  # aggregation drops Meta.ordering
    )
    return restrict(queryset, user, "core.department.view")


def department_tree(*, user) -> list[tuple[Department, int]]:
    """``(department, depth)`` pairs in tree order (one query)."""
    departments = list(department_list(user=user).order_by("name"))
    by_parent: dict = {}
    known = {d.pk for d in departments}
    for department in departments:
        parent_id = department.parent_id if department.parent_id in known else None
        by_parent.setdefault(parent_id, []).append(department)
    ordered: list[tuple[Department, int]] = []
    seen: set = set()

    def walk(parent_id, depth):
        for department in by_parent.get(parent_id, []):
            if department.pk in seen:  # defensive: a cycle must not hang the page
                continue
            seen.add(department.pk)
            ordered.append((department, depth))
            walk(department.pk, depth + 1)

    walk(None, 0)
    return ordered


def department_choices() -> list[tuple[str, str]]:
    """Select options in tree order, indented by depth (for forms)."""
    departments = list(Department.objects.order_by("name").only("id", "name", "parent_id"))
    by_parent: dict = {}
    for department in departments:
        by_parent.setdefault(department.parent_id, []).append(department)
    choices: list[tuple[str, str]] = []

    def walk(parent_id, depth, seen):
        for department in by_parent.get(parent_id, []):
            if department.pk in seen:
                continue
            seen.add(department.pk)
            choices.append((str(department.pk), "\u2003" * depth + department.name))
            walk(department.pk, depth + 1, seen)

    walk(None, 0, set())
    return choices


def role_list(*, user) -> QuerySet[Role]:
    """Roles the caller may view, with how many users hold each."""
    queryset = Role.objects.annotate(user_count=Count("users", distinct=True)).order_by("name", "id")
    # Not restrict(): roles are not scoped data, and Role's own ``data_scope``
    # field would be mistaken for a ScopeFields declaration.
    return queryset if access_for(user).can("core.role.view") else queryset.none()


# --------------------------------------------------------- permission catalogue


@dataclass
class ObjectPermissions:
    key: str
    label: str
    actions: list[str] = field(default_factory=list)

    def code(self, module_key: str, action: str) -> str:
        return f"{module_key}.{self.key}.{action}"


@dataclass
class ModulePermissions:
    key: str
    name: str
    objects: list[ObjectPermissions] = field(default_factory=list)


def _object_label(module_key: str, obj_key: str) -> str:
    if module_key == "core" and obj_key in CORE_OBJECT_LABELS:
        return str(CORE_OBJECT_LABELS[obj_key])
    try:
        model = apps.get_model(module_key, obj_key)
    except LookupError:
        return obj_key.replace("_", " ").capitalize()
    return capfirst(str(model._meta.verbose_name_plural))


def permission_catalog() -> list[ModulePermissions]:
    """Every permission code, grouped by module then object type, in the
    registry's order ("core" first)."""
    modules: dict[str, ModulePermissions] = {}
    for code in registry.all_permission_codes():
        module_key, obj_key, action = code.split(".", 2)
        module = modules.get(module_key)
        if module is None:
            name = _("Core") if module_key == "core" else (
                registry[module_key].name if module_key in registry else module_key
            )
            module = modules[module_key] = ModulePermissions(key=module_key, name=str(name))
        obj = next((o for o in module.objects if o.key == obj_key), None)
        if obj is None:
            obj = ObjectPermissions(key=obj_key, label=_object_label(module_key, obj_key))
            module.objects.append(obj)
        if action not in obj.actions:
            obj.actions.append(action)
    return list(modules.values())


def permission_columns() -> list[str]:
    """The matrix columns: the standard actions, then any extra ones modules use."""
    columns = list(ACTIONS)
    for code in registry.all_permission_codes():
        action = code.split(".", 2)[2]
        if action not in columns:
            columns.append(action)
    return columns
