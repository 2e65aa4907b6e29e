"""What the billing page and ``GET /api/v1/billing/`` show: one summary built
from the tenant row, its subscription and the plans on offer."""

from __future__ import annotations

from dataclasses import dataclass

from core.modules import registry
from tenants.models import Tenant

from . import gateway
from .entitlements import enabled_modules, module_names, modules_dropped_by, plan_of, seats_used
from .models import BillingInterval, Plan, Subscription
from .plans import price_id_for, purchasable_plans


@dataclass(frozen=True)
class PlanOption:
    plan: Plan
    is_current: bool
    modules_to_disable: list[str]
    intervals: list[str]  # intervals with a Stripe price (empty in offline mode)

    @property
    def modules_to_disable_names(self) -> list[str]:
        return module_names(self.modules_to_disable)

    @property
    def module_names(self) -> list[str]:
        return module_names([key for key in registry.keys() if self.plan.includes(key)])

    def fits(self, seats: int) -> bool:
        return self.plan.seat_limit is None or seats <= self.plan.seat_limit


@dataclass(frozen=True)
class BillingSummary:
    configured: bool
    tenant: Tenant
    plan: Plan | None
    subscription: Subscription | None
    seats_used: int
    options: list[PlanOption]

    @property
    def seat_limit(self) -> int | None:
        return None if self.plan is None else self.plan.seat_limit

    @property
    def interval(self) -> str | None:
        return self.subscription.interval if self.subscription and self.subscription.stripe_subscription_id else None

    @property
    def status(self) -> str:
        return self.subscription.status if self.subscription else "none"

    @property
    def has_live_subscription(self) -> bool:
        return bool(self.subscription and self.subscription.is_live)

    @property
    def has_billing_account(self) -> bool:
        return bool(self.subscription and self.subscription.stripe_customer_id)

    @property
    def can_subscribe(self) -> bool:
        return self.configured and not self.has_live_subscription

    @property
    def can_manage(self) -> bool:
        return self.configured and self.has_billing_account

    @property
    def can_change_plan(self) -> bool:
        return self.configured and self.has_live_subscription


def billing_summary(*, tenant: Tenant) -> BillingSummary:
    row = Tenant.objects.get(pk=tenant.pk)  # the request's tenant is a cached snapshot
    configured = gateway.is_configured()
    subscription = Subscription.objects.select_related("plan").filter(tenant_id=row.pk).first()
    enabled = enabled_modules(row)
    options = [
        PlanOption(
            plan=plan, is_current=plan.code == row.plan_code,
            modules_to_disable=modules_dropped_by(row, plan, enabled=enabled),
            intervals=[i for i in BillingInterval.values if configured and price_id_for(plan.code, i)],
        )
        for plan in purchasable_plans()
    ]
    return BillingSummary(configured=configured, tenant=row, plan=plan_of(row), subscription=subscription,
                          seats_used=seats_used(row), options=options)
