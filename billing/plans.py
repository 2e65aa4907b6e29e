"""Plans on offer and their Stripe prices (STRIPE_PRICE_IDS: "<plan>:<interval>" -> price id)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from .models import TRIAL_PLAN_CODE, BillingInterval, Plan


def purchasable_plans() -> QuerySet[Plan]:
    """Public plans a workspace can subscribe to (every plan but the free trial)."""
    return Plan.objects.filter(is_public=True).exclude(code=TRIAL_PLAN_CODE)


def price_id_for(plan_code: str, interval: str) -> str | None:
    return settings.STRIPE_PRICE_IDS.get(f"{plan_code}:{interval}") or None


def plan_for_price(price_id: str | None) -> tuple[Plan, str] | None:
    """The plan and interval a Stripe price stands for, or None if it is not ours."""
    if not price_id:
        return None
    for key, value in settings.STRIPE_PRICE_IDS.items():
        code, _sep, interval = key.partition(":")
        if value == price_id and interval in BillingInterval.values:
            plan = Plan.objects.filter(code=code).first()
            if plan is not None:
                return plan, interval
    return None
