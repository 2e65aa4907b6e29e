"""Workspace settings pages for tenant admins: modules and general settings."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from tenants.services import tenant_update_settings

from .services import module_set_enabled, module_states


def _require_admin(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied


@login_required
def modules_page(request):
    _require_admin(request)
    return render(request, "modules/modules.html", {"states": module_states(tenant=request.tenant)})


@login_required
@require_POST
def module_toggle(request, key):
    _require_admin(request)
    enabled = request.POST.get("enabled") == "1"
    try:
        module_set_enabled(tenant=request.tenant, key=key, enabled=enabled, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Module enabled.") if enabled else _("Module disabled. Its data is kept."))
    return redirect("settings-modules")


class WorkspaceSettingsForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Company name"), max_length=200)
    language = forms.ChoiceField(label=gettext_lazy("Default language"), choices=settings.LANGUAGES)
    timezone = forms.CharField(label=gettext_lazy("Time zone"), max_length=64,
                               help_text=gettext_lazy("For example Asia/Shanghai or Europe/Berlin."))


@login_required
@require_http_methods(["GET", "POST"])
def workspace_settings_page(request):
    _require_admin(request)
    tenant = request.tenant
    form = WorkspaceSettingsForm(
        request.POST or None, initial={"name": tenant.name, "language": tenant.language, "timezone": tenant.timezone}
    )
    if request.method == "POST" and form.is_valid():
        try:
            tenant_update_settings(tenant=tenant, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("settings-workspace")
    return render(request, "modules/workspace_settings.html", {"form": form}, status=400 if form.errors else 200)
