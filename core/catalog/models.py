"""Master data every module shares: product categories and products."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TenantModel


class Category(TenantModel):
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name_per_parent")]

    def __str__(self):
        return self.name


class Product(TenantModel):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    list_price = models.DecimalField(
        _("list price"), max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    cost = models.DecimalField(
        _("cost"), max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sku"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=models.Q(list_price__gte=0), name="product_list_price_not_negative"),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="product_cost_not_negative"),
        ]

    def __str__(self):
        return f"{self.sku} {self.name}"
