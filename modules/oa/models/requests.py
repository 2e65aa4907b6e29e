"""Leave requests and expense claims: the first documents that go through the
approval engine. Their ``state`` follows the engine's hooks (see
``modules.oa.services.requests``); never set it anywhere else."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.access import ScopeFields
from core.models import TenantModel


class ApprovalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for edit")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The requester may still change (and submit) the document in these states.
EDITABLE_STATES = (ApprovalState.DRAFT, ApprovalState.RETURNED, ApprovalState.WITHDRAWN)


class LeaveKind(models.TextChoices):
    ANNUAL = "annual", _("Annual leave")
    SICK = "sick", _("Sick leave")
    PERSONAL = "personal", _("Personal leave")
    OTHER = "other", _("Other")


class LeaveRequest(TenantModel):
    """A request for days off (请假), approved through the leave flow."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="oa_leave_requests", verbose_name=_("requester"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("department"))
    kind = models.CharField(_("kind"), max_length=16, choices=LeaveKind.choices, default=LeaveKind.ANNUAL)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reason"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ApprovalState.choices, default=ApprovalState.DRAFT)

    data_scope = ScopeFields(owner="requester", department="department")

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="oa_leave_ends_after_start"),
            models.CheckConstraint(condition=Q(days__gt=0), name="oa_leave_days_positive"),
        ]

    def __str__(self):
        return f"{self.requester} {self.get_kind_display()} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


class ExpenseClaim(TenantModel):
    """An expense claim (费用报销); its amount drives the flow's amount conditions."""

    claimant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="oa_expense_claims", verbose_name=_("claimant"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("department"))
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    spent_on = models.DateField(_("spent on"))
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ApprovalState.choices, default=ApprovalState.DRAFT)

    data_scope = ScopeFields(owner="claimant", department="department")

    class Meta:
        ordering = ["-spent_on", "-created_at"]
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="oa_expense_amount_positive"),
        ]

    def __str__(self):
        return self.title
