from rest_framework import serializers

from billing.models import BillingInterval, SubscriptionStatus
from tenants.models import TenantState


class PlanSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    modules = serializers.ListField(child=serializers.CharField())
    seat_limit = serializers.IntegerField(allow_null=True, help_text="Empty: unlimited.")
    monthly_price_per_seat = serializers.DecimalField(max_digits=10, decimal_places=2)
    yearly_price_per_seat = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()


class PlanOptionSerializer(serializers.Serializer):
    plan = PlanSerializer()
    is_current = serializers.BooleanField()
    modules_to_disable = serializers.ListField(
        child=serializers.CharField(), help_text="Enabled modules this plan lacks: switched off (data kept) if chosen."
    )
    intervals = serializers.ListField(
        child=serializers.CharField(),
        help_text="Billing intervals on sale for this plan, `month` and/or `year` (empty when billing is not "
                  "configured).",
    )


class BillingSummarySerializer(serializers.Serializer):
    configured = serializers.BooleanField(help_text="False: no Stripe keys, the workspace runs in trial mode.")
    state = serializers.ChoiceField(choices=TenantState.choices, source="tenant.state")
    read_only = serializers.BooleanField(source="tenant.is_read_only")
    trial_ends_at = serializers.DateTimeField(source="tenant.trial_ends_at", allow_null=True)
    grace_ends_at = serializers.DateTimeField(source="tenant.grace_ends_at", allow_null=True)
    plan = PlanSerializer(allow_null=True)
    interval = serializers.ChoiceField(choices=BillingInterval.choices, allow_null=True)
    subscription_status = serializers.ChoiceField(choices=SubscriptionStatus.choices, source="status")
    current_period_end = serializers.DateTimeField(source="subscription.current_period_end", allow_null=True,
                                                   default=None)
    cancel_at_period_end = serializers.BooleanField(source="subscription.cancel_at_period_end", default=False)
    seats_used = serializers.IntegerField()
    seat_limit = serializers.IntegerField(allow_null=True)
    has_billing_account = serializers.BooleanField()
    plans = PlanOptionSerializer(many=True, source="options")


class PlanChoiceSerializer(serializers.Serializer):
    plan = serializers.SlugField(max_length=32)
    interval = serializers.ChoiceField(choices=BillingInterval.choices, default=BillingInterval.MONTH)
    confirm = serializers.BooleanField(
        default=False,
        help_text="Required when the plan lacks modules that are switched on (they will be switched off).",
    )


class RedirectSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Send the browser here (Stripe Checkout or the customer portal).")


class PlanChangeResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("checkout", "checkout"), ("requested", "requested")],
        help_text="checkout: pay at `url` first; requested: Stripe applies it, the plan changes when it confirms.",
    )
    plan = serializers.CharField(source="plan.code")
    interval = serializers.ChoiceField(choices=BillingInterval.choices)
    url = serializers.URLField(allow_null=True)
    modules_to_disable = serializers.ListField(child=serializers.CharField())
