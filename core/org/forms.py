"""Forms of the organisation pages. They only parse input; the rules live in
``core.org.services``. Bootstrap classes come from the ``control`` filter of
``web/_form.html``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.modules import registry

from . import selectors
from .models import DataScope, Department


def department_field(*, label, required=False, exclude=None) -> forms.ChoiceField:
    choices = [("", _("— none —"))] + [
        (value, text) for value, text in selectors.department_choices() if value != str(exclude or "")
    ]
    return forms.ChoiceField(label=label, choices=choices, required=required)


def department_from_choice(value: str) -> Department | None:
    if not value:
        return None
    department = Department.objects.filter(pk=value).first()
    if department is None:
        raise forms.ValidationError(_("Select a valid choice."))
    return department


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args, department: Department | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = department_field(label=_("Parent department"), exclude=department and department.pk)
        self.fields["parent"].help_text = _("Leave empty for a top-level department.")

    def clean_parent(self):
        return department_from_choice(self.cleaned_data.get("parent"))


class PermissionMatrixWidget(forms.CheckboxSelectMultiple):
    """Checkboxes laid out as a matrix: one row per object type (grouped by
    module), one column per action."""

    template_name = "org/widgets/permission_matrix.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = set(value or [])
        columns = selectors.permission_columns()
        base_id = (attrs or {}).get("id") or f"id_{name}"
        modules = []
        for module in selectors.permission_catalog():
            rows = []
            for obj in module.objects:
                cells = []
                for action in columns:
                    if action in obj.actions:
                        code = obj.code(module.key, action)
                        cell_id = f"{base_id}_{code}".replace(".", "_")
                        cells.append({"code": code, "checked": code in selected, "id": cell_id})
                    else:
                        cells.append(None)
                rows.append({"key": obj.key, "label": obj.label, "cells": cells})
            modules.append({"key": module.key, "name": module.name, "rows": rows})
        context["matrix"] = {
            "columns": [{"key": c, "label": selectors.ACTION_LABELS.get(c, c)} for c in columns],
            "modules": modules,
        }
        return context


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    data_scope = forms.ChoiceField(
        label=_("Data scope"), choices=DataScope.choices, initial=DataScope.OWN,
        help_text=_("Which records holders of this role see: a user with several roles gets the widest scope."),
    )
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"), required=False, widget=PermissionMatrixWidget
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = [(code, code) for code in registry.all_permission_codes()]
