"""Tenant-host side of support access: spend the single-use link."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError

from .support import SESSION_KEY, support_access_consume


def support_enter(request):
    try:
        access, user = support_access_consume(tenant=request.tenant, token=request.GET.get("token", ""))
    except DomainError as exc:
        return render(request, "users/handoff_failed.html", {"message": exc.message}, status=403)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = str(access.pk)
    request.session.set_expiry(access.expires_at)
    messages.warning(request, _("Support session: every action is recorded in the audit log."))
    return redirect("home")
