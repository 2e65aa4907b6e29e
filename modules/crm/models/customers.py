"""CRM data. The foundation ships the customer master file (往来单位) with an
owner and a department, the first record type under data scopes."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import ScopeFields
from core.models import TenantModel


class Source(models.TextChoices):
    """Where a customer or an opportunity came from (shared by both)."""

    TENDER = "tender", _("Tender")
    SELF_DEVELOPED = "self_developed", _("Self-developed")
    REFERRAL = "referral", _("Referral")
    WEB_FORM = "web_form", _("Web form")
    EXHIBITION = "exhibition", _("Exhibition")
    OTHER = "other", _("Other")


class Customer(TenantModel):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        SUPPLIER = "supplier", _("Supplier")
        COMPETITOR = "competitor", _("Competitor")

    Source = Source

    class CreditRating(models.TextChoices):
        AAA = "AAA", "AAA"
        AA = "AA", "AA"
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CUSTOMER)
    grade = models.CharField(_("grade"), max_length=16, blank=True)
    region = models.CharField(_("region"), max_length=80, blank=True)
    industry = models.CharField(_("industry"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    tax_id = models.CharField(_("tax id"), max_length=40, blank=True,
                              help_text=_("Unified social credit code or VAT number."))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    credit_rating = models.CharField(_("credit rating"), max_length=8, choices=CreditRating.choices, blank=True)
    credit_limit = models.DecimalField(_("credit limit"), max_digits=14, decimal_places=2, default=Decimal("0"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="customers", verbose_name=_("owner")
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="customers",
        verbose_name=_("department"),
    )

    data_scope = ScopeFields(owner="owner", department="department")

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [models.CheckConstraint(condition=models.Q(credit_limit__gte=0), name="customer_credit_limit_not_negative")]

    def __str__(self):
        return self.name


class Contact(TenantModel):
    """A person at a customer. Visible to whoever may see the customer."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts",
                                 verbose_name=_("customer"))
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("job title"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    data_scope = ScopeFields(owner="customer__owner", department="customer__department")

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [models.UniqueConstraint(fields=["customer"], condition=models.Q(is_primary=True),
                                               name="crm_contact_one_primary_per_customer")]

    def __str__(self):
        return self.name
