"""Bids (招投标记录): the tenders an opportunity was bid in, with the amount
offered, the deposit paid and the outcome. Seen by whoever may see the opportunity."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import ScopeFields
from core.models import TenantModel

from .opportunities import Opportunity


class Bid(TenantModel):
    class Result(models.TextChoices):
        PENDING = "pending", _("Pending")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        CANCELLED = "cancelled", _("Cancelled")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="bids",
                                    verbose_name=_("opportunity"))
    tender_number = models.CharField(_("tender number"), max_length=64)
    tendering_party = models.CharField(_("tendering party"), max_length=200)
    bid_date = models.DateField(_("bid date"))
    amount = models.DecimalField(_("bid amount"), max_digits=14, decimal_places=2)
    deposit = models.DecimalField(_("deposit"), max_digits=14, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.PENDING)
    notes = models.TextField(_("notes"), blank=True)

    data_scope = ScopeFields(owner="opportunity__owner", department="opportunity__department")

    class Meta:
        ordering = ["-bid_date", "-created_at"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(deposit__gte=0),
                                   name="crm_bid_amounts_not_negative"),
        ]

    def __str__(self):
        return f"{self.tender_number} · {self.tendering_party}"
