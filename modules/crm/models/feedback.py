"""Complaints and feedback (投诉/反馈) from customers, worked through
open → in progress → resolved → closed (the transitions live in
``services/feedback.py``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import ScopeFields
from core.models import TenantModel

from .customers import Customer
from .opportunities import Opportunity


class ComplaintStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("still in progress", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Complaint(TenantModel):
    """A complaint, suggestion or praise against a customer (optionally one of
    its opportunities and a product). Visible to whoever may see the customer."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        PRAISE = "praise", _("Praise")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    Status = ComplaintStatus

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="complaints",
                                 verbose_name=_("customer"))
    opportunity = models.ForeignKey(Opportunity, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="complaints", verbose_name=_("opportunity"))
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="crm_complaints", verbose_name=_("product"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.OPEN)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="crm_complaints", verbose_name=_("assignee"))
    resolution = models.TextField(_("resolution"), blank=True)
    received_at = models.DateTimeField(_("received"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    data_scope = ScopeFields(owner="customer__owner", department="customer__department")

    class Meta:
        ordering = ["-received_at", "-created_at"]
        verbose_name = _("complaint or feedback")
        verbose_name_plural = _("complaints and feedback")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"]) | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="crm_complaint_resolved_has_resolution",
            ),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="crm_complaint_status_idx")]

    def __str__(self):
        return self.subject
