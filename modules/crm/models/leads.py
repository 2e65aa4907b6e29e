"""Web leads (在线订单): enquiries sent by the public through the workspace's
order form. They wait in a "new applications" queue until customer service
qualifies them into a customer (and optionally an opportunity) or rejects them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import ScopeFields
from core.models import TenantModel

from .customers import Customer
from .opportunities import Opportunity


class WebLead(TenantModel):
    """One enquiry from the public form, assigned to the workspace's lead
    assignee (``CrmSettings.lead_assignee``) and scoped by that assignee."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        QUALIFIED = "qualified", pgettext_lazy("web lead status", "Qualified")
        REJECTED = "rejected", _("Rejected")

    company_name = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="crm_web_leads", verbose_name=_("product of interest"))
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="crm_web_leads", verbose_name=_("assignee"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="crm_web_leads", verbose_name=_("department"))
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="web_leads", verbose_name=_("customer"))
    opportunity = models.ForeignKey(Opportunity, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="web_leads", verbose_name=_("opportunity"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)

    data_scope = ScopeFields(owner="assignee", department="department")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("web lead")
        verbose_name_plural = _("web leads")
        constraints = [
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(reject_reason=""),
                                   name="crm_web_lead_rejected_has_reason"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="crm_web_lead_status_idx")]

    def __str__(self):
        return f"{self.company_name} ({self.contact_name})"

    @property
    def is_new(self) -> bool:
        return self.status == self.Status.NEW
