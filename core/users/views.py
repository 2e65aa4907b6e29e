"""Sign-in pages on a tenant host: login, logout, the signup handoff,
invitation acceptance and password reset."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.users import services
from core.users.forms import LoginForm, PasswordResetRequestForm, SetPasswordForm
from tenants.services import handoff_consume

User = get_user_model()
BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"],
                ip=request.META.get("REMOTE_ADDR"),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            login(request, user, backend=BACKEND)
            next_url = request.GET.get("next", "")
            return redirect(next_url if next_url.startswith("/") and not next_url.startswith("//") else "home")
    return render(request, "users/login.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


def handoff_view(request):
    """Sign in the admin who just signed up on the root domain."""
    try:
        user_id = handoff_consume(tenant=request.tenant, token=request.GET.get("token", ""))
    except DomainError as exc:
        return render(request, "users/handoff_failed.html", {"message": exc.message}, status=403)
    user = User.objects.get(pk=user_id)
    login(request, user, backend=BACKEND)
    messages.success(request, _("Welcome to your new workspace."))
    return redirect("home")


@require_http_methods(["GET", "POST"])
def invitation_view(request, token):
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password"])
        except DomainError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            login(request, user, backend=BACKEND)
            return redirect("home")
    return render(request, "users/set_password.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def password_reset_view(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        messages.info(request, _("If that address belongs to a member, we have emailed a reset link."))
        return redirect("login")
    return render(request, "users/password_reset.html", {"form": form})
