"""Competitor analysis (竞争对手). A competitor is a counterparty of kind
"competitor" in the customer master file; here are its products (priced,
optionally matched to one of our catalog products for the side-by-side
comparison) and the opportunities it competes for."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import ScopeFields
from core.models import TenantModel

from .customers import Customer
from .opportunities import Opportunity

CENT = Decimal("0.01")


def price_difference(our_price: Decimal | None, our_currency: str, their_price: Decimal | None,
                     their_currency: str) -> tuple[Decimal, Decimal | None] | None:
    """``(their − ours, that as a percentage of ours)``, exact Decimals: the
    amount to the cent, the percentage rounded to 0.01 ROUND_HALF_UP (None when
    our price is zero). None when a price is missing or the currencies differ
    (no exchange rates are guessed)."""
    if our_price is None or their_price is None or our_currency != their_currency:
        return None
    difference = (their_price - our_price).quantize(CENT, rounding=ROUND_HALF_UP)
    if not our_price:
        return difference, None
    return difference, (difference * 100 / our_price).quantize(CENT, rounding=ROUND_HALF_UP)


class CompetitorProduct(TenantModel):
    """A product a competitor sells; visible to whoever may see the competitor."""

    competitor = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="competitor_products",
                                   verbose_name=_("competitor"))
    name = models.CharField(_("name"), max_length=200)
    model = models.CharField(_("model / specification"), max_length=200, blank=True)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    our_product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="competitor_products", verbose_name=_("our comparable product"))
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    strategy = models.TextField(_("strategy notes"), blank=True)
    last_seen_on = models.DateField(_("last seen"), null=True, blank=True)


    class Meta:
        ordering = ["name"]
        verbose_name = _("competitor product")
        verbose_name_plural = _("competitor products")
        constraints = [models.CheckConstraint(condition=Q(price__gte=0) | Q(price__isnull=True),
                                              name="crm_competitor_product_price_not_negative")]

    def __str__(self):
        return f"{self.name} {self.model}".strip()


class ThreatLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class OpportunityCompetitor(TenantModel):
    """A competitor bidding for one of our opportunities (one row per pair);
    visible to whoever may see the opportunity."""

    ThreatLevel = ThreatLevel

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="competitors",
                                    verbose_name=_("opportunity"))
    competitor = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="competing_in",
                                   verbose_name=_("competitor"))
    quoted_price = models.DecimalField(_("their quoted price"), max_digits=14, decimal_places=2, null=True,
                                       blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    threat_level = models.CharField(_("threat level"), max_length=8, choices=ThreatLevel.choices,
                                    default=ThreatLevel.MEDIUM)
    notes = models.TextField(_("notes"), blank=True)

    data_scope = ScopeFields(owner="opportunity__owner", department="opportunity__department")

    class Meta:
        ordering = ["opportunity", "competitor__name"]
        verbose_name = _("opportunity competitor")
        verbose_name_plural = _("opportunity competitors")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "competitor"], name="crm_opportunity_competitor_unique"),
            models.CheckConstraint(condition=Q(quoted_price__gte=0) | Q(quoted_price__isnull=True),
                                   name="crm_opportunity_competitor_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.competitor} · {self.opportunity}"
