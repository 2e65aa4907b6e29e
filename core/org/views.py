"""Organisation pages: the department tree and roles with their permission
matrix. Thin: forms parse, services decide, selectors read."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError

from . import selectors, services
from .forms import DepartmentForm, RoleForm
from .webutils import add_domain_error, permission_required

# ---------------------------------------------------------------- departments


@permission_required("core.department.view")
def department_list(request):
    # Indented with em spaces: no inline styles (the CSP forbids them).
    tree = [
        (department, depth, "\u2003\u2003" * depth)
        for department, depth in selectors.department_tree(user=request.user)
    ]
    return render(request, "org/department_list.html", {"tree": tree})


@permission_required("core.department.add")
@require_http_methods(["GET", "POST"])
def department_create(request):
    form = DepartmentForm(request.POST or None, initial={"parent": request.GET.get("parent", "")})
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Department “%(name)s” created.") % {"name": department.name})
            return redirect("org:department-list")
    return render(
        request, "org/department_form.html", {"form": form, "department": None}, status=400 if form.errors else 200
    )


@permission_required("core.department.change")
@require_http_methods(["GET", "POST"])
def department_edit(request, pk):
    department = get_object_or_404(selectors.department_list(user=request.user), pk=pk)
    form = DepartmentForm(
        request.POST or None, department=department,
        initial={"name": department.name, "parent": str(department.parent_id or "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update(department=department, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Department saved."))
            return redirect("org:department-list")
    return render(
        request, "org/department_form.html", {"form": form, "department": department},
        status=400 if form.errors else 200,
    )


@permission_required("core.department.delete")
@require_http_methods(["GET", "POST"])
def department_delete(request, pk):
    department = get_object_or_404(selectors.department_list(user=request.user), pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.department_delete(department=department, by=request.user)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Department “%(name)s” deleted.") % {"name": department.name})
            return redirect("org:department-list")
    return render(
        request, "org/confirm_delete.html",
        {
            "object": department, "error": error, "cancel_url": "org:department-list",
            "title": _("Delete department"),
            "question": _("Delete the department “%(name)s”?") % {"name": department.name},
        },
        status=error.status if error else 200,
    )


# ---------------------------------------------------------------------- roles


@permission_required("core.role.view")
def role_list(request):
    return render(request, "org/role_list.html", {"roles": selectors.role_list(user=request.user)})


def _role_form_page(request, form, role, *, status):
    return render(request, "org/role_form.html", {"form": form, "role": role}, status=status)


@permission_required("core.role.add")
@require_http_methods(["GET", "POST"])
def role_create(request):
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.role_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Role “%(name)s” created.") % {"name": role.name})
            return redirect("org:role-list")
    return _role_form_page(request, form, None, status=400 if form.errors else 200)


@permission_required("core.role.change")
@require_http_methods(["GET", "POST"])
def role_edit(request, pk):
    role = get_object_or_404(selectors.role_list(user=request.user), pk=pk)
    form = RoleForm(
        request.POST or None,
        initial={
            "name": role.name, "description": role.description, "data_scope": role.data_scope,
            "permissions": role.permissions,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(role=role, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Role saved."))
            return redirect("org:role-list")
    return _role_form_page(request, form, role, status=400 if form.errors else 200)


@permission_required("core.role.delete")
@require_http_methods(["GET", "POST"])
def role_delete(request, pk):
    role = get_object_or_404(selectors.role_list(user=request.user), pk=pk)
    if request.method == "POST":
        holders = services.role_delete(role=role, by=request.user)
        messages.success(
            request,
            _("Role “%(name)s” deleted; %(count)d user(s) no longer hold it.") % {"name": role.name, "count": holders},
        )
        return redirect("org:role-list")
    question = _("Delete the role “%(name)s”?") % {"name": role.name}
    if role.user_count:
        question += " " + _("%(count)d user(s) hold it and will lose its permissions.") % {"count": role.user_count}
    return render(
        request, "org/confirm_delete.html",
        {"object": role, "error": None, "cancel_url": "org:role-list", "title": _("Delete role"), "question": question},
    )
