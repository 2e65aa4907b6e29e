"""Billing records (public schema): plans (which modules and how many seats a
tenant may use), each tenant's subscription as Stripe last reported it, and
the log of Stripe webhook events (stored once per event id)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

TRIAL_PLAN_CODE = "trial"


class Plan(models.Model):
    """What a tenant may use (modules, seats) and what a seat costs per month or year."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    modules = models.JSONField(_("included modules"), default=list)
    seat_limit = models.PositiveIntegerField(_("seat limit"), null=True, blank=True, help_text=_("Empty: unlimited."))
    monthly_price_per_seat = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    yearly_price_per_seat = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3, default="USD")
    trial_days = models.PositiveIntegerField(default=14)
    is_public = models.BooleanField(default=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return self.name

    @classmethod
    def default_trial(cls) -> "Plan":
        return cls.objects.get(code=TRIAL_PLAN_CODE)

    def includes(self, module_key: str) -> bool:
        return module_key in self.modules

    def price_per_seat(self, interval: str) -> Decimal:
        return self.yearly_price_per_seat if interval == BillingInterval.YEAR else self.monthly_price_per_seat


class BillingInterval(models.TextChoices):
    MONTH = "month", _("Monthly")
    YEAR = "year", _("Yearly")


class SubscriptionStatus(models.TextChoices):
    """Stripe's subscription statuses, plus NONE before the first checkout."""

    NONE = "none", _("No subscription")
    TRIALING = "trialing", _("Trialing")
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Past due")
    UNPAID = "unpaid", _("Unpaid")
    CANCELED = "canceled", _("Canceled")
    INCOMPLETE = "incomplete", _("Incomplete")
    INCOMPLETE_EXPIRED = "incomplete_expired", _("Incomplete (expired)")
    PAUSED = "paused", _("Paused")


# A Stripe subscription in one of these states is still the tenant's
# subscription: a new checkout is refused, the customer portal settles it.
LIVE_STATUSES = frozenset({
    SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE,
    SubscriptionStatus.UNPAID, SubscriptionStatus.INCOMPLETE, SubscriptionStatus.PAUSED,
})


class Subscription(models.Model):
    """A tenant's subscription as Stripe last reported it. ``stripe_updated_at``
    is the time of the newest Stripe event applied (the object's own clock),
    so an older event that arrives late changes nothing."""

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="subscription")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    interval = models.CharField(max_length=8, choices=BillingInterval.choices, default=BillingInterval.MONTH)
    stripe_customer_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    stripe_subscription_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    stripe_item_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=32, choices=SubscriptionStatus.choices, default=SubscriptionStatus.NONE)
    seats = models.PositiveIntegerField(_("billed seats"), default=0)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    stripe_updated_at = models.DateTimeField(null=True, blank=True)
    past_due_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tenant_id"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self):
        return f"{self.plan.code}/{self.interval} ({self.status})"

    @property
    def is_live(self) -> bool:
        return bool(self.stripe_subscription_id) and self.status in LIVE_STATUSES


class StripeEvent(models.Model):
    """Every Stripe webhook event, stored once: the unique ``event_id`` makes a
    replayed or duplicated delivery a no-op. It is also the outbox: an event
    is processed (by Celery) until ``processed_at`` is set."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="stripe_events")
    stripe_created_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        indexes = [models.Index(fields=["processed_at", "received_at"])]

    def __str__(self):
        return f"{self.event_id} {self.type}"
