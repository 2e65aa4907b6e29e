"""Quotes (报价) and their lines. Totals are stored, recomputed by the quote
services from the lines in exact decimals (cents, ROUND_HALF_UP)."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import ScopeFields
from core.models import TenantModel

from .customers import Customer
from .opportunities import Opportunity

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amounts(quantity: Decimal, unit_price: Decimal, discount: Decimal, tax_rate: Decimal):
    """(net, tax, total) of one line, each rounded to cents with ROUND_HALF_UP:
    net = qty × unit price × (1 − discount); tax = net × tax rate; total = net + tax."""
    net = cents(quantity * unit_price * (Decimal(1) - discount))
    tax = cents(net * tax_rate)
    return net, tax, net + tax


class QuoteState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    RETURNED = "returned", _("Returned for edit")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


EDITABLE_QUOTE_STATES = (QuoteState.DRAFT, QuoteState.RETURNED, QuoteState.REJECTED)


class Quote(TenantModel):
    """A priced offer to a customer, usually for one of its opportunities."""

    State = QuoteState

    number = models.CharField(_("number"), max_length=32, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="quotes",
                                 verbose_name=_("customer"))
    opportunity = models.ForeignKey(Opportunity, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="quotes", verbose_name=_("opportunity"))
    title = models.CharField(_("title"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=QuoteState.choices, default=QuoteState.DRAFT)
    subtotal = models.DecimalField(_("subtotal"), max_digits=14, decimal_places=2, default=Decimal("0"))
    tax_total = models.DecimalField(_("tax"), max_digits=14, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=Decimal("0"))
    lost_reason = models.CharField(_("lost reason"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies",
                                    verbose_name=_("copied from"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crm_quotes",
                              verbose_name=_("owner"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="crm_quotes", verbose_name=_("department"))

    data_scope = ScopeFields(owner="owner", department="department")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(condition=Q(subtotal__gte=0) & Q(tax_total__gte=0) & Q(total__gte=0),
                                   name="crm_quote_totals_not_negative"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_QUOTE_STATES


class QuoteLine(TenantModel):
    """One product line. ``discount`` and ``tax_rate`` are fractions (0.1 = 10 %)."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote"))
    position = models.PositiveSmallIntegerField(_("position"))
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="crm_quote_lines",
                                verbose_name=_("product"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    discount = models.DecimalField(_("discount"), max_digits=5, decimal_places=4, default=Decimal("0"))
    tax_rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=4, default=Decimal("0"))
    net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)

    data_scope = ScopeFields(owner="quote__owner", department="quote__department")

    class Meta:
        ordering = ["quote", "position"]
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        constraints = [
            models.UniqueConstraint(fields=["quote", "position"], name="crm_quote_line_position_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="crm_quote_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="crm_quote_line_price_not_negative"),
            models.CheckConstraint(condition=Q(discount__gte=0) & Q(discount__lte=1),
                                   name="crm_quote_line_discount_fraction"),
            models.CheckConstraint(condition=Q(tax_rate__gte=0) & Q(tax_rate__lte=1),
                                   name="crm_quote_line_tax_fraction"),
        ]

    def __str__(self):
        return f"{self.quote.number} #{self.position}"

    @staticmethod
    def _percent(fraction: Decimal) -> str:
        text = f"{(fraction * 100).quantize(CENT):f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    @property
    def discount_percent(self) -> str:
        return self._percent(self.discount)

    @property
    def tax_percent(self) -> str:
        return self._percent(self.tax_rate)
