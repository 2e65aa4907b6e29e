"""Billing pages for tenant admins (thin: the rules live in billing.services),
and the Stripe webhook endpoint on the root domain."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.access import access_for
from core.errors import DomainError, ErrorCode, json_error
from core.security import build_policy

from . import gateway, services, webhooks
from .entitlements import module_names
from .forms import PlanChoiceForm
from .selectors import billing_summary

logger = logging.getLogger(__name__)


def _require_admin(request) -> None:
    if not access_for(request.user).is_admin:
        raise PermissionDenied


def _stripe_form_action(response):
    """This page's forms end in a redirect to Stripe: allow that in form-action."""
    directives = {name: list(values) for name, values in settings.CSP_DIRECTIVES.items()}
    directives["form-action"] = [*directives["form-action"], *settings.STRIPE_REDIRECT_ORIGINS]
    response["Content-Security-Policy"] = build_policy(directives)
    return response


@login_required
def subscription_page(request):
    _require_admin(request)
    summary = billing_summary(tenant=request.tenant)
    current = next((o.plan.code for o in summary.options if o.is_current), None)
    form = PlanChoiceForm(initial={"plan": current, "interval": summary.interval or "month"})
    context = {"summary": summary, "form": form, "checkout_result": request.GET.get("checkout")}
    return _stripe_form_action(render(request, "billing/subscription.html", context))


def _choice(form: PlanChoiceForm) -> dict:
    data = form.cleaned_data
    return {"plan_code": data["plan"], "interval": data["interval"], "confirm": data["confirm"]}


def _confirm_page(request, exc: services.ConfirmationRequired, form: PlanChoiceForm, action: str):
    context = {"plan": exc.plan, "modules": exc.modules, "module_names": module_names(exc.modules),
               "interval": form.cleaned_data["interval"], "action": action}
    return _stripe_form_action(render(request, "billing/confirm_plan.html", context, status=409))


def _plan_post(request, action: str, run):
    _require_admin(request)
    form = PlanChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a plan and a billing interval."))
        return redirect("billing:subscription")
    try:
        return run(form)
    except services.ConfirmationRequired as exc:
        return _confirm_page(request, exc, form, action)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("billing:subscription")


@login_required
@require_POST
def checkout(request):
    def run(form):
        url = services.checkout_start(tenant=request.tenant, by=request.user, **_choice(form))
        return redirect(url)

    return _plan_post(request, "billing:checkout", run)


@login_required
@require_POST
def change_plan(request):
    def run(form):
        result = services.plan_change(tenant=request.tenant, by=request.user, **_choice(form))
        if result.url:
            return redirect(result.url)
        messages.success(request, _("Change to %(plan)s requested. It takes effect as soon as Stripe confirms it.")
                         % {"plan": _(result.plan.name)})
        return redirect("billing:subscription")

    return _plan_post(request, "billing:change-plan", run)


@login_required
@require_POST
def portal(request):
    _require_admin(request)
    try:
        url = services.portal_start(tenant=request.tenant, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("billing:subscription")
    return redirect(url)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Root domain: Stripe's events. 400 unless correctly signed and recent."""
    try:
        row, created = webhooks.event_receive(payload=request.body, signature=request.headers.get("Stripe-Signature"))
    except gateway.InvalidWebhook as exc:
        logger.warning("Refused a Stripe webhook delivery: %s", exc)
        return json_error(ErrorCode.VALIDATION, _("Refused: %(reason)s") % {"reason": exc}, status=400)
    return JsonResponse({"received": True, "event": row.event_id, "duplicate": not created})
