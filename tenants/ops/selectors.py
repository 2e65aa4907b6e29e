"""Reads for the ops console: tenants with what the list shows, MRR, the
dashboard's figures. All from the public schema; no tenant data."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from billing.models import Plan

from ..models import OpsAuditEntry, Tenant, TenantKind, TenantModule, TenantState

PAYING_STATES = (TenantState.ACTIVE, TenantState.PAST_DUE)


def plans_by_code() -> dict[str, Plan]:
    return {plan.code: plan for plan in Plan.objects.all()}


def _subscription(tenant: Tenant):
    try:
        return tenant.subscription
    except ObjectDoesNotExist:
        return None


def tenant_mrr(tenant: Tenant, plans: dict[str, Plan]) -> Decimal:
    """Monthly recurring revenue, for paying states only (a trial brings
    nothing yet): the subscription's billed seats at its plan and interval
    (yearly / 12); without a subscription record, seats in use × the plan's
    monthly seat price."""
    if tenant.state not in PAYING_STATES:
        return Decimal("0.00")
    sub = _subscription(tenant)
    if sub is not None and sub.stripe_subscription_id:
        plan = plans.get(sub.plan.code if sub.plan_id else tenant.plan_code)
        if plan is None:
            return Decimal("0.00")
        price = plan.yearly_price_per_seat / 12 if sub.interval == "year" else plan.monthly_price_per_seat
        return (price * sub.seats).quantize(Decimal("0.01"))
    plan = plans.get(tenant.plan_code)
    if plan is None:
        return Decimal("0.00")
    return (plan.monthly_price_per_seat * tenant.seats_used).quantize(Decimal("0.01"))


def customer_tenants() -> QuerySet[Tenant]:
    return Tenant.objects.filter(kind=TenantKind.CUSTOMER).select_related("subscription__plan")


def tenant_list(*, q: str = "", state: str = "", plan: str = "") -> QuerySet[Tenant]:
    tenants = customer_tenants().prefetch_related(
        Prefetch("modules", queryset=TenantModule.objects.filter(enabled=True).order_by("key"), to_attr="enabled_modules")
    )
    if q:
        tenants = tenants.filter(Q(name__icontains=q) | Q(subdomain__icontains=q))
    if state:
        tenants = tenants.filter(state=state)
    if plan:
        tenants = tenants.filter(plan_code=plan)
    return tenants.order_by("-created_at")


def tenant_history(tenant: Tenant) -> QuerySet[OpsAuditEntry]:
    return OpsAuditEntry.objects.filter(tenant=tenant).select_related("actor")


def dashboard_figures() -> dict:
    plans = plans_by_code()
    tenants = list(customer_tenants())
    now = timezone.now()
    by_state = {state: 0 for state in TenantState.values}
    by_plan: dict[str, int] = {code: 0 for code in plans}
    mrr = Decimal("0.00")
    for tenant in tenants:
        by_state[tenant.state] = by_state.get(tenant.state, 0) + 1
        by_plan[tenant.plan_code] = by_plan.get(tenant.plan_code, 0) + 1
        mrr += tenant_mrr(tenant, plans)
    ending = [t for t in tenants if t.state == TenantState.TRIALING and t.trial_ends_at
              and now <= t.trial_ends_at <= now + timedelta(days=7)]
    past_due = [t for t in tenants if t.state == TenantState.PAST_DUE]
    return {
        "total": len(tenants), "mrr": mrr, "by_state": by_state, "by_plan": by_plan,
        "trials_ending": sorted(ending, key=lambda t: t.trial_ends_at), "past_due": past_due,
        "signups_by_day": _signups_by_day(now),
    }


def _signups_by_day(now, days: int = 30) -> list[dict]:
    start = (now - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        customer_tenants().filter(created_at__gte=start)
        .annotate(day=TruncDate("created_at")).values("day").annotate(n=Count("id"))
    )
    counts = {str(r["day"]): r["n"] for r in rows}
    return [{"day": str((start + timedelta(days=i)).date()), "n": counts.get(str((start + timedelta(days=i)).date()), 0)}
            for i in range(days)]


def stripe_events(tenant: Tenant):
    from billing.models import StripeEvent

    return StripeEvent.objects.filter(tenant=tenant).order_by("-stripe_created_at")
