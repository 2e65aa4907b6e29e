"""People administration pages (list, invite, edit, deactivate) and every
user's own API tokens. Thin: forms parse, services decide, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from . import selectors, services
from .filters import UserFilter
from .forms_admin import InviteForm, TokenForm, UserEditForm
from .models import ApiToken

PAGE_SIZE = 25


@permission_required("core.user.view")
def user_list(request):
    filterset = UserFilter(request.GET or None, queryset=selectors.user_list(user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "users/admin_user_list.html", {"filter": filterset, "page": page, "users": page.object_list}
    )


@permission_required("core.user.add")
@require_http_methods(["GET", "POST"])
def user_invite(request):
    form = InviteForm(request.POST or None, actor_is_admin=access_for(request.user).is_admin)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
            return redirect("users:user-list")
    return render(
        request, "users/admin_user_form.html", {"form": form, "member": None}, status=400 if form.errors else 200
    )


@permission_required("core.user.change")
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    member = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    form = UserEditForm(
        request.POST or None, actor_is_admin=access_for(request.user).is_admin, user=member,
        initial={
            "full_name": member.full_name, "department": str(member.department_id or ""),
            "manager": member.manager_id, "roles": list(member.roles.all()), "is_tenant_admin": member.is_tenant_admin,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=member, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": member})
            return redirect("users:user-list")
    return render(
        request, "users/admin_user_form.html", {"form": form, "member": member}, status=400 if form.errors else 200
    )


@permission_required("core.user.change")
@require_POST
def user_deactivate(request, pk):
    member = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    try:
        services.user_deactivate(user=member, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s was deactivated: signed out everywhere and API tokens revoked.") % {"name": member}
        )
    return redirect("users:user-list")


# ------------------------------------------------------------- own API tokens


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The signed-in user's tokens; a new token's secret is shown once, in the
    response to the POST that created it (never stored, never redirected)."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, clear = services.token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data.get("days")
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            created = {"token": token, "clear": clear}
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request, "users/admin_tokens.html", {"form": form, "tokens": tokens, "created": created},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    services.token_revoke(token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("users:token-list")
