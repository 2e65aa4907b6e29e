"""Pages of the root domain: the landing page with the plans, self-serve
signup and the "which workspace?" sign-in. Thin: the rules live in
tenants.services (signup) and tenants.ratelimit (signups per client)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from billing.models import TRIAL_PLAN_CODE, Plan
from core.errors import DomainError
from core.modules import registry

from .forms import SignupForm, WorkspaceLoginForm
from .models import Domain, TenantKind
from .ratelimit import SignupRateLimited
from .services import tenant_signup, tenant_url

# Names and descriptions of the plans seeded by billing/migrations/0002, marked
# so that makemessages collects them; templates translate plan text at run time
# ({% translate plan.name %}), and a plan ops adds later shows as typed.
SEEDED_PLAN_TEXT = (
    gettext_noop("Trial"),
    gettext_noop("Starter"),
    gettext_noop("Business"),
    gettext_noop("Enterprise"),
    gettext_noop("Every module for 14 days, up to 10 users."),
    gettext_noop("CRM and office automation for small sales teams."),
    gettext_noop("Adds distribution, inventory and finance."),
    gettext_noop("Every module, unlimited users."),
)


# What each module does for the buyer, shown on the landing page.
MODULE_HIGHLIGHTS = {
    "crm": (gettext_lazy("Customer and contact records with a full follow-up history"),
            gettext_lazy("Opportunities through stages, quotes and a sales funnel"),
            gettext_lazy("Leads from your public order form, assigned automatically")),
    "distribution": (gettext_lazy("Agents and dealers in a channel hierarchy, each with its own portal"),
                     gettext_lazy("Price lists, dealer orders, credit limits and rebates"),
                     gettext_lazy("Sales targets by region, branch and dealer")),
    "inventory": (gettext_lazy("Several warehouses, stock moves and transfers"),
                  gettext_lazy("Stocktakes and safety-stock alerts"),
                  gettext_lazy("Stock that can never go negative, even under load")),
    "contracts": (gettext_lazy("Contracts linked to customers and opportunities"),
                  gettext_lazy("Settlement plans and milestones with reminders"),
                  gettext_lazy("Contract changes that go through approval")),
    "service": (gettext_lazy("Service requests from customers and dealers"),
                gettext_lazy("Dispatch to engineers and track the response time"),
                gettext_lazy("Completion reports and customer feedback")),
    "finance": (gettext_lazy("Invoices, receipts and payments per customer"),
                gettext_lazy("Receivables ageing and overdue reminders"),
                gettext_lazy("Expense claims that go through approval")),
    "oa": (gettext_lazy("A personal workbench, calendar and work logs"),
           gettext_lazy("Announcements and policies with read receipts"),
           gettext_lazy("Meetings, internal messages and shared documents")),
}


def _modules() -> list[dict]:
    return [{"spec": spec, "highlights": MODULE_HIGHLIGHTS.get(spec.key, ())} for spec in registry.all()]


def _public_plans() -> list[dict]:
    names = {spec.key: spec.name for spec in registry.all()}
    plans = []
    for plan in Plan.objects.filter(is_public=True):
        plans.append({
            "plan": plan,
            "modules": [{"key": key, "name": names[key], "included": key in plan.modules} for key in registry.keys()],
            "is_free": not plan.monthly_price_per_seat and not plan.yearly_price_per_seat,
            "is_trial": plan.code == TRIAL_PLAN_CODE,
            "yearly_saving": _yearly_saving_percent(plan),
        })
    return plans


def _yearly_saving_percent(plan: Plan) -> int:
    """How much cheaper a year is than twelve months, in whole percent."""
    twelve_months = plan.monthly_price_per_seat * 12
    if not twelve_months or not plan.yearly_price_per_seat or plan.yearly_price_per_seat >= twelve_months:
        return 0
    return round((1 - plan.yearly_price_per_seat / twelve_months) * 100)


def client_ip(request) -> str | None:
    """The client address as the WSGI server saw it. Behind a reverse proxy,
    the proxy must set REMOTE_ADDR (e.g. nginx's real_ip module); a
    client-supplied X-Forwarded-For is never trusted here."""
    return request.META.get("REMOTE_ADDR")


@require_http_methods(["GET", "HEAD"])
def landing(request):
    plans = _public_plans()
    trial = next((p["plan"] for p in plans if p["is_trial"]), None)
    return render(request, "tenants/landing.html", {"plans": plans, "modules": _modules(), "trial": trial})


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if request.method != "POST":
        initial = {}
        wanted = request.GET.get("plan", "")
        if wanted and Plan.objects.filter(code=wanted, is_public=True).exists():
            initial["plan"] = wanted
        return _signup_page(request, SignupForm(initial=initial))

    form = SignupForm(request.POST)
    if not form.is_valid():
        return _signup_page(request, form, status=400)
    data = form.cleaned_data
    try:
        result = tenant_signup(
            company_name=data["company_name"], subdomain=data["subdomain"], admin_name=data["admin_name"],
            admin_email=data["admin_email"], admin_password=data["admin_password"],
            plan_code=data.get("plan") or None, language=translation.get_language() or settings.LANGUAGE_CODE,
            client_ip=client_ip(request),
        )
    except SignupRateLimited as exc:
        response = render(request, "tenants/rate_limited.html", {"message": exc.message}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except DomainError as exc:
        form.add_domain_errors(exc.fields, exc.message)
        return _signup_page(request, form, status=400)
    return redirect(result.handoff_url)


def _signup_page(request, form, status=200):
    return render(request, "tenants/signup.html", {"form": form, "plans": _public_plans()}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def workspace_login(request):
    """Ask which workspace, then send the visitor to its own sign-in page
    (session cookies are per subdomain, so the root site cannot sign anyone in)."""
    if request.method != "POST":
        return _workspace_login_page(request, WorkspaceLoginForm())
    form = WorkspaceLoginForm(request.POST)
    if form.is_valid():
        subdomain = form.cleaned_data["workspace"]
        if not subdomain:
            form.add_error("workspace", _("Enter the address of your workspace."))
        else:
            host = f"{subdomain}.{settings.ROOT_DOMAIN}"
            if Domain.objects.filter(domain=host, tenant__kind=TenantKind.CUSTOMER).exists():
                return redirect(f"{tenant_url(subdomain)}/accounts/login/")
            form.add_error("workspace", _(
                "No workspace at %(host)s. Check the spelling, or ask your administrator for the address."
            ) % {"host": host})
    return _workspace_login_page(request, form, status=400)


def _workspace_login_page(request, form, status=200):
    return render(request, "tenants/workspace_login.html", {"form": form}, status=status)
