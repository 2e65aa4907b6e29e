"""Billing use cases: subscribe through Checkout, open the customer portal,
change plan (asking first when modules would be switched off), apply a plan,
sync the billed seats, move the tenant's state with its subscription, and
suspend trials that ended without one. Web pages, the API, webhooks and
Celery jobs all call these functions."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.audit.services import audit_record
from core.errors import DomainError, ErrorCode
from core.modules.services import module_set_enabled
from tenants.cache import forget_tenant_everywhere
from tenants.models import Tenant, TenantKind, TenantState
from tenants.services import tenant_set_state, tenant_url

from . import gateway
from .entitlements import assert_plan_fits_seats, current_tenant, module_names, modules_dropped_by, seats_used
from .models import BillingInterval, Plan, Subscription, SubscriptionStatus
from .plans import price_id_for, purchasable_plans

logger = logging.getLogger(__name__)

# Tenant state for each Stripe subscription status (missing: leave the state alone).
TENANT_STATE_FOR = {
    SubscriptionStatus.TRIALING: TenantState.TRIALING,
    SubscriptionStatus.ACTIVE: TenantState.ACTIVE,
    SubscriptionStatus.PAST_DUE: TenantState.PAST_DUE,
    SubscriptionStatus.UNPAID: TenantState.SUSPENDED,
    SubscriptionStatus.CANCELED: TenantState.SUSPENDED,
    SubscriptionStatus.INCOMPLETE_EXPIRED: TenantState.SUSPENDED,
    SubscriptionStatus.PAUSED: TenantState.SUSPENDED,
}
# Stripe wants a trial end at least two days ahead; a shorter remaining trial is not carried over.
MIN_CARRIED_TRIAL = timedelta(hours=49)


class ConfirmationRequired(DomainError):
    """The target plan lacks modules the tenant has switched on: ask first."""

    def __init__(self, plan: Plan, modules: list[str]):
        self.plan = plan
        self.modules = modules
        message = _(
            "%(plan)s does not include %(modules)s. These modules will be switched off when the change takes "
            "effect; their data is kept. Confirm to continue."
        ) % {"plan": plan.name, "modules": ", ".join(module_names(modules))}
        super().__init__(message, code=ErrorCode.CONFLICT, fields={"confirm": [message]})


@dataclass(frozen=True)
class PlanChangeResult:
    status: str  # "checkout": pay in Stripe Checkout first; "requested": Stripe confirms by webhook
    plan: Plan
    interval: str
    url: str | None = None
    modules_to_disable: list[str] = field(default_factory=list)


def _require_configured() -> None:
    if not gateway.is_configured():
        raise DomainError(
            _("Billing is not configured on this installation: the workspace runs in trial mode."),
            code=ErrorCode.CONFLICT,
        )


def _fresh(tenant: Tenant) -> Tenant:
    """The tenant row itself (a request's tenant is a cached snapshot with fewer fields)."""
    return Tenant.objects.get(pk=tenant.pk)


def _audit(tenant: Tenant, obj, *, by=None, message: str, changes: dict | None = None, action: str = "update"):
    with schema_context(tenant.schema_name):
        audit_record(actor=by, action=action, obj=obj, changes=changes, message=message)


def subscription_for(tenant: Tenant, *, lock: bool = False) -> Subscription:
    """The tenant's subscription record, created (without Stripe) on first use."""
    rows = Subscription.objects.select_related("plan")
    if lock:
        rows = rows.select_for_update(of=("self",))
    sub = rows.filter(tenant_id=tenant.pk).first()
    if sub is None:
        plan = Plan.objects.filter(code=tenant.plan_code).first() or Plan.default_trial()
        Subscription.objects.get_or_create(tenant_id=tenant.pk, defaults={"plan": plan})
        sub = rows.get(tenant_id=tenant.pk)
    return sub


def _choose(plan_code: str, interval: str) -> tuple[Plan, str]:
    errors = {}
    plan = purchasable_plans().filter(code=plan_code).first()
    if plan is None:
        errors["plan"] = [_("Choose one of the plans on offer.")]
    if interval not in BillingInterval.values:
        errors["interval"] = [_("Choose monthly or yearly billing.")]
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    price = price_id_for(plan.code, interval)
    if price is None:
        message = _("%(plan)s cannot be bought online with this billing interval yet.") % {"plan": plan.name}
        raise DomainError(message, fields={"interval": [message]})
    return plan, price


def _confirm_modules(tenant: Tenant, plan: Plan, confirm: bool) -> list[str]:
    dropped = modules_dropped_by(tenant, plan)
    if dropped and not confirm:
        raise ConfirmationRequired(plan, dropped)
    return dropped


def billing_page_url(tenant: Tenant) -> str:
    return tenant_url(tenant.subdomain) + reverse("billing:subscription", urlconf="core.urls_tenant")


def checkout_start(*, tenant: Tenant, by, plan_code: str, interval: str, confirm: bool = False) -> str:
    """Create the Stripe customer if needed and a Checkout session for the plan;
    returns the Checkout URL. The plan takes effect when Stripe reports the
    subscription (webhook)."""
    _require_configured()
    tenant = _fresh(tenant)
    plan, price = _choose(plan_code, interval)
    assert_plan_fits_seats(tenant, plan)
    _confirm_modules(tenant, plan, confirm)
    with transaction.atomic():
        sub = subscription_for(tenant, lock=True)
        if sub.is_live:
            raise DomainError(
                _("This workspace already has a subscription: change its plan, or settle it in the customer portal."),
                code=ErrorCode.CONFLICT,
            )
        if not sub.stripe_customer_id:
            sub.stripe_customer_id = gateway.customer_create(
                name=tenant.name, email=by.email, tenant_id=str(tenant.public_id)
            )
            sub.save(update_fields=["stripe_customer_id", "updated_at"])
    now = timezone.now()
    trial_end = None
    if tenant.state == TenantState.TRIALING and tenant.trial_ends_at and tenant.trial_ends_at - now > MIN_CARRIED_TRIAL:
        trial_end = int(tenant.trial_ends_at.timestamp())
    page = billing_page_url(tenant)
    url = gateway.checkout_session_create(
        customer_id=sub.stripe_customer_id, price_id=price, quantity=max(1, seats_used(tenant)),
        success_url=f"{page}?checkout=done", cancel_url=f"{page}?checkout=canceled",
        metadata={"tenant_id": str(tenant.public_id), "plan_code": plan.code, "interval": interval},
        client_reference_id=str(tenant.public_id), trial_end=trial_end,
    )
    _audit(tenant, sub, by=by, action="other", message=f"checkout started for {plan.code}/{interval}")
    return url


def portal_start(*, tenant: Tenant, by) -> str:
    """A Stripe customer-portal session (card, invoices, cancellation); returns its URL."""
    _require_configured()
    sub = subscription_for(tenant)
    if not sub.stripe_customer_id:
        raise DomainError(_("Subscribe first: there are no cards or invoices yet."), code=ErrorCode.CONFLICT)
    return gateway.portal_session_create(customer_id=sub.stripe_customer_id, return_url=billing_page_url(tenant))


def plan_change(*, tenant: Tenant, by, plan_code: str, interval: str, confirm: bool = False) -> PlanChangeResult:
    """Move to another plan or interval. Without a live subscription this is a
    Checkout; with one, Stripe changes the price and its webhook applies the
    plan. Modules the plan lacks need ``confirm=True``."""
    _require_configured()
    tenant = _fresh(tenant)
    plan, price = _choose(plan_code, interval)
    sub = subscription_for(tenant)
    if not sub.is_live:
        url = checkout_start(tenant=tenant, by=by, plan_code=plan_code, interval=interval, confirm=confirm)
        return PlanChangeResult("checkout", plan, interval, url, modules_dropped_by(tenant, plan))
    if tenant.plan_code == plan.code and sub.interval == interval:
        message = _("This workspace is already on this plan.")
        raise DomainError(message, fields={"plan": [message]})
    assert_plan_fits_seats(tenant, plan)
    dropped = _confirm_modules(tenant, plan, confirm)
    with transaction.atomic():
        sub = subscription_for(tenant, lock=True)
        item_id = sub.stripe_item_id or gateway.subscription_item_id(sub.stripe_subscription_id)
        gateway.subscription_set_price(
            subscription_id=sub.stripe_subscription_id, item_id=item_id, price_id=price,
            quantity=max(1, seats_used(tenant)),
            metadata={"tenant_id": str(tenant.public_id), "plan_code": plan.code, "interval": interval},
        )
        if sub.stripe_item_id != item_id:
            sub.stripe_item_id = item_id
            sub.save(update_fields=["stripe_item_id", "updated_at"])
        _audit(tenant, sub, by=by, message=f"plan change to {plan.code}/{interval} requested",
               changes={"plan": [tenant.plan_code, plan.code], "modules_to_disable": [[], dropped]})
    return PlanChangeResult("requested", plan, interval, None, dropped)


def plan_apply(*, tenant: Tenant, plan: Plan, by=None, source: str = "") -> list[str]:
    """Put the tenant on ``plan``: switch off (data kept) the enabled modules it
    does not include, then record the plan. Returns the modules switched off."""
    tenant = _fresh(tenant)
    dropped = modules_dropped_by(tenant, plan)
    for key in dropped:
        module_set_enabled(tenant=tenant, key=key, enabled=False, by=by)
    if tenant.plan_code != plan.code:
        before = tenant.plan_code
        Tenant.objects.filter(pk=tenant.pk).update(plan_code=plan.code)
        forget_tenant_everywhere(tenant.pk)
        _audit(tenant, tenant, by=by, message=f"plan {before} -> {plan.code} {source}".strip(),
               changes={"plan_code": [before, plan.code], "modules_disabled": [[], dropped]})
    return dropped


def subscription_apply_status(*, sub: Subscription, tenant: Tenant, status: str, at, source: str) -> None:
    """Record a subscription status and move the tenant's state with it:
    trialing/active -> usable, past_due -> grace period then read-only,
    canceled/unpaid/paused/expired -> suspended. A tenant scheduled for
    deletion stays so, and so does one that Weft ops suspended (ops decided;
    only ops reactivate it). The caller holds the row lock and saves ``sub``."""
    sub.status = status
    if status == SubscriptionStatus.PAST_DUE:
        sub.past_due_since = sub.past_due_since or at
    elif status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING):
        sub.past_due_since = None
    target = TENANT_STATE_FOR.get(status)
    if target is None or tenant.state == TenantState.SCHEDULED_FOR_DELETION:
        return
    if tenant.state == TenantState.SUSPENDED and suspended_by_ops(tenant):
        return
    grace = sub.past_due_since + timedelta(days=settings.GRACE_PERIOD_DAYS) if target == TenantState.PAST_DUE else None
    if tenant.grace_ends_at != grace:
        Tenant.objects.filter(pk=tenant.pk).update(grace_ends_at=grace)
        tenant.grace_ends_at = grace
        forget_tenant_everywhere(tenant.pk)
    if tenant.state != target:
        before = tenant.state
        tenant_set_state(tenant=tenant, state=target)
        _audit(tenant, sub, message=f"workspace {before} -> {target} ({source})", changes={"state": [before, target]})


def suspended_by_ops(tenant: Tenant) -> bool:
    """Whether the latest ops decision on this workspace was a suspension."""
    from tenants.models import OpsAuditEntry

    last = (OpsAuditEntry.objects.filter(tenant_id=tenant.pk, action__in=["suspend", "reactivate"])
            .order_by("-at").values_list("action", flat=True).first())
    return last == "suspend"


def seats_sync_later(tenant: Tenant | None = None) -> None:
    """After commit, bring the Stripe subscription quantity in line with the
    seats in use (members invited, deactivated or reactivated)."""
    if not gateway.is_configured():
        return
    tenant = tenant or current_tenant()
    if tenant is None:
        return
    transaction.on_commit(partial(_queue_seat_sync, tenant.pk, tenant.schema_name))


def _queue_seat_sync(tenant_id: int, schema_name: str) -> None:
    from .tasks import sync_seats

    try:
        with schema_context(schema_name):
            sync_seats.apply_async(args=[tenant_id])
    except Exception:  # noqa: BLE001 - the hourly sync_all_seats job catches up
        logger.warning("Could not queue a seat sync for tenant %s; the hourly job will.", tenant_id, exc_info=True)


def subscription_sync_seats(*, tenant: Tenant) -> int | None:
    """Set the Stripe quantity to the seats in use; returns it (None: nothing billed)."""
    if not gateway.is_configured():
        return None
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(tenant_id=tenant.pk).first()
        if sub is None or not sub.is_live:
            return None
        quantity = max(1, seats_used(tenant))
        if sub.seats == quantity:
            return quantity
        item_id = sub.stripe_item_id or gateway.subscription_item_id(sub.stripe_subscription_id)
        gateway.subscription_set_quantity(subscription_id=sub.stripe_subscription_id, item_id=item_id,
                                          quantity=quantity)
        before = sub.seats
        sub.seats = quantity
        sub.stripe_item_id = item_id
        sub.save(update_fields=["seats", "stripe_item_id", "updated_at"])
        _audit(tenant, sub, message="billed seats updated", changes={"seats": [before, quantity]})
        return quantity


def trials_expire(*, now=None) -> list[str]:
    """Suspend (never delete) workspaces whose trial ended without a live
    subscription. Offline installs (no Stripe keys) keep their trial: there
    is no way to pay. Returns the subdomains suspended."""
    if not gateway.is_configured():
        return []
    now = now or timezone.now()
    due = Tenant.objects.filter(kind=TenantKind.CUSTOMER, state=TenantState.TRIALING, trial_ends_at__lte=now)
    suspended = []
    for pk in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            tenant = Tenant.objects.select_for_update().get(pk=pk)
            if tenant.state != TenantState.TRIALING or tenant.trial_ends_at is None or tenant.trial_ends_at > now:
                continue
            sub = Subscription.objects.filter(tenant_id=pk).first()
            if sub is not None and sub.is_live:
                continue
            tenant_set_state(tenant=tenant, state=TenantState.SUSPENDED)
            _audit(tenant, tenant, message="trial ended without a subscription: workspace suspended",
                   changes={"state": [TenantState.TRIALING, TenantState.SUSPENDED]})
            suspended.append(tenant.subdomain)
    return suspended
