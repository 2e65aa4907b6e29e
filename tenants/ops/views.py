"""The vendor ops console on the root domain (/ops/). Only public-schema staff
users get in; it shows tenant metadata, never tenant data — entering a tenant
goes through audited support access."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.org.webutils import add_domain_error

from .. import lifecycle
from ..export import export_request
from ..models import OpsAuditEntry, Tenant, TenantExport, TenantState
from ..services import tenant_url
from ..support import support_access_grant
from . import selectors
from .forms import ChangePlanForm, ExtendTrialForm, OpsLoginForm, ReasonForm, SupportAccessForm, TenantFilterForm


def is_ops(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def ops_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/ops/login/?next={request.path}")
        if not is_ops(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "POST"])
def ops_login(request):
    form = OpsLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["email"].lower(), password=form.cleaned_data["password"])
        if user is None or not is_ops(user):
            form.add_error(None, _("Email or password is incorrect, or this is not a Weft staff account."))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            next_url = request.GET.get("next", "")
            return redirect(next_url if next_url.startswith("/ops/") else "ops:dashboard")
    return render(request, "ops/login.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def ops_logout(request):
    logout(request)
    return redirect("ops:login")


@ops_required
def dashboard(request):
    figures = selectors.dashboard_figures()
    chart = {
        "by_state": [{"name": str(TenantState(k).label), "value": v} for k, v in figures["by_state"].items()],
        "by_plan": [{"name": k, "value": v} for k, v in figures["by_plan"].items()],
        "signups": figures["signups_by_day"],
    }
    return render(request, "ops/dashboard.html", {"figures": figures, "chart": chart})


@ops_required
def tenant_list(request):
    plans = selectors.plans_by_code()
    form = TenantFilterForm(request.GET or None, plans=plans.values())
    filters = form.cleaned_data if form.is_valid() else {}
    tenants = selectors.tenant_list(q=filters.get("q", ""), state=filters.get("state", ""), plan=filters.get("plan", ""))
    page = Paginator(tenants, 50).get_page(request.GET.get("page"))
    rows = [{"tenant": t, "plan": plans.get(t.plan_code), "mrr": selectors.tenant_mrr(t, plans)} for t in page]
    return render(request, "ops/tenant_list.html", {"form": form, "page": page, "rows": rows})


def _tenant(public_id) -> Tenant:
    return get_object_or_404(selectors.customer_tenants(), public_id=public_id)


@ops_required
def tenant_detail(request, public_id):
    tenant = _tenant(public_id)
    plans = selectors.plans_by_code()
    return render(request, "ops/tenant_detail.html", {
        "tenant": tenant, "plan": plans.get(tenant.plan_code), "mrr": selectors.tenant_mrr(tenant, plans),
        "url": tenant_url(tenant.subdomain), "modules": tenant.modules.order_by("key"),
        "history": selectors.tenant_history(tenant)[:100],
        "exports": tenant.exports.all()[:10], "accesses": tenant.support_accesses.all()[:10],
        "subscription": selectors._subscription(tenant), "events": selectors.stripe_events(tenant)[:20],
        "plan_form": ChangePlanForm(auto_id="plan_%s", plans=plans.values(), initial={"plan": tenant.plan_code}),
        "extend_form": ExtendTrialForm(auto_id="trial_%s"), "reason_form": ReasonForm(auto_id="state_%s"),
        "support_form": SupportAccessForm(auto_id="support_%s"),
    })


ACTIONS = {
    "suspend": (ReasonForm, lambda t, by, d: lifecycle.tenant_suspend(tenant=t, by=by, reason=d["reason"]),
                _("Workspace suspended.")),
    "reactivate": (ReasonForm, lambda t, by, d: lifecycle.tenant_reactivate(tenant=t, by=by, reason=d["reason"]),
                   _("Workspace reactivated.")),
    "schedule-deletion": (ReasonForm, lambda t, by, d: lifecycle.tenant_schedule_deletion(
        tenant=t, by=by, reason=d["reason"]), _("Deletion scheduled; the workspace is blocked now.")),
    "extend-trial": (ExtendTrialForm, lambda t, by, d: lifecycle.tenant_extend_trial(
        tenant=t, by=by, days=d["days"], reason=d["reason"]), _("Trial extended.")),
}


@ops_required
@require_POST
def tenant_action(request, public_id, action):
    tenant = _tenant(public_id)
    if action not in ACTIONS:
        raise Http404
    form_class, run, done = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect("ops:tenant-detail", public_id=public_id)
    try:
        run(tenant, request.user, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("ops:tenant-detail", public_id=public_id)


@ops_required
@require_POST
def tenant_change_plan(request, public_id):
    tenant = _tenant(public_id)
    form = ChangePlanForm(request.POST, plans=selectors.plans_by_code().values())
    if not form.is_valid():
        messages.error(request, _("Choose a plan and give a reason."))
        return redirect("ops:tenant-detail", public_id=public_id)
    try:
        dropped = lifecycle.tenant_change_plan(
            tenant=tenant, plan_code=form.cleaned_data["plan"], by=request.user, reason=form.cleaned_data["reason"],
            confirm=form.cleaned_data["confirm"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Plan changed.") + (" " + _("Switched off: %s") % ", ".join(dropped) if dropped else ""))
    return redirect("ops:tenant-detail", public_id=public_id)


@ops_required
@require_POST
def tenant_support_access(request, public_id):
    tenant = _tenant(public_id)
    form = SupportAccessForm(request.POST)
    if form.is_valid():
        try:
            _access, token = support_access_grant(
                tenant=tenant, ops_user=request.user, reason=form.cleaned_data["reason"],
                minutes=form.cleaned_data["minutes"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect(f"{tenant_url(tenant.subdomain)}/auth/support/?token={token}")
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("ops:tenant-detail", public_id=public_id)


@ops_required
@require_POST
def tenant_export(request, public_id):
    tenant = _tenant(public_id)
    export_request(tenant=tenant, requested_by=request.user.email)
    lifecycle.ops_record(actor=request.user, tenant=tenant, action="export")
    messages.success(request, _("Export started."))
    return redirect("ops:tenant-detail", public_id=public_id)


@ops_required
def export_progress(request, export_id):
    export = get_object_or_404(TenantExport, pk=export_id)
    return render(request, "ops/_export_row.html", {"export": export})


@ops_required
def export_download(request, export_id):
    export = get_object_or_404(TenantExport, pk=export_id, status=TenantExport.Status.DONE)
    return FileResponse(open(export.file_path, "rb"), as_attachment=True,
                        filename=f"weft-{export.tenant_label}-{export.created_at:%Y%m%d-%H%M}.zip")


@ops_required
def audit_log(request):
    entries = OpsAuditEntry.objects.select_related("actor", "tenant")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "ops/audit_log.html", {"page": page})
