"""Plans (public schema): which modules and how many seats a tenant may use."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

TRIAL_PLAN_CODE = "trial"


class Plan(models.Model):
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
