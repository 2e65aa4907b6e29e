"""Opportunities (商机), follow-ups (跟进记录), owner-change history and bulk
reassignment jobs, plus the workspace's CRM settings."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.access import ScopeFields
from core.models import TenantModel

from .customers import Customer, Source


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead")
    QUALIFIED = "qualified", _("Qualified")
    PROPOSAL = "proposal", _("Proposal")
    NEGOTIATION = "negotiation", _("Negotiation")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


# Win probability (percent) an opportunity gets when it enters a stage, unless
# its owner overrode it.
DEFAULT_PROBABILITY = {
    Stage.LEAD: 10, Stage.QUALIFIED: 25, Stage.PROPOSAL: 50, Stage.NEGOTIATION: 75, Stage.WON: 100, Stage.LOST: 0,
}
CLOSED_STAGES = (Stage.WON, Stage.LOST)
OPEN_STAGES = tuple(s for s in Stage if s not in CLOSED_STAGES)


class Opportunity(TenantModel):
    """A sales opportunity. While open it locks its customer + project: the
    partial unique constraint ``crm_opportunity_open_project_lock`` refuses a
    second open opportunity on the same customer and project (case-insensitive)."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("System / project")
        SPARE_PARTS = "spare_parts", _("Spare parts")

    Source = Source

    Stage = Stage

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="opportunities",
                                 verbose_name=_("customer"))
    project = models.CharField(_("project"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROJECT)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.SELF_DEVELOPED)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.LEAD)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    probability = models.PositiveSmallIntegerField(_("win probability (%)"), default=10)
    probability_overridden = models.BooleanField(
        _("probability set by hand"), default=False,
        help_text=_("Otherwise the probability follows the stage."),
    )
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opportunities",
                              verbose_name=_("owner"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="opportunities", verbose_name=_("department"))
    last_follow_up_at = models.DateTimeField(_("last follow-up"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    lost_reason = models.CharField(_("lost reason"), max_length=300, blank=True)
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True)

    data_scope = ScopeFields(owner="owner", department="department")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.UniqueConstraint(Lower("project"), "customer", condition=~Q(stage__in=["won", "lost"]),
                                    name="crm_opportunity_open_project_lock"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="crm_opportunity_amount_not_negative"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="crm_opportunity_probability_max_100"),
        ]
        indexes = [models.Index(fields=["stage", "last_follow_up_at"], name="crm_opp_stage_followup_idx")]

    def __str__(self):
        return self.project

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES


class FollowUp(TenantModel):
    """A call, visit, e-mail or note against a customer (and optionally one of
    its opportunities). A next-action date reminds the owner that morning."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("E-mail")
        NOTE = "note", _("Note")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="follow_ups",
                                 verbose_name=_("customer"))
    opportunity = models.ForeignKey(Opportunity, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="follow_ups", verbose_name=_("opportunity"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CALL)
    summary = models.TextField(_("summary"))
    happened_at = models.DateTimeField(_("when"))
    next_action = models.CharField(_("next action"), max_length=200, blank=True)
    next_action_on = models.DateField(_("next action date"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crm_follow_ups",
                               verbose_name=_("author"))

    data_scope = ScopeFields(owner="customer__owner", department="customer__department")

    class Meta:
        ordering = ["-happened_at", "-created_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.customer}"


class ReassignmentJob(TenantModel):
    """A bulk hand-over of customers (and their open opportunities), run by a
    Celery task; ``done``/``total`` is its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("started by"))
    to_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("new owner"))
    to_department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("new department"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    customer_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.JSONField(default=dict, blank=True, help_text=_("customer id -> error message"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)

    data_scope = ScopeFields(owner="by")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reassignment")
        verbose_name_plural = _("reassignments")

    def __str__(self):
        return f"{self.total} → {self.to_owner}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)


class OwnerChange(TenantModel):
    """One hand-over of a customer or an opportunity (history is never edited)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="owner_changes",
                                 verbose_name=_("customer"))
    opportunity = models.ForeignKey(Opportunity, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="owner_changes", verbose_name=_("opportunity"))
    from_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("from"))
    to_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("to"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("by"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    job = models.ForeignKey(ReassignmentJob, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="changes", verbose_name=_("reassignment"))

    data_scope = ScopeFields(owner="customer__owner", department="customer__department")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("owner change")
        verbose_name_plural = _("owner changes")

    def __str__(self):
        return f"{self.from_owner} → {self.to_owner}"


class CrmSettings(models.Model):
    """Workspace-wide CRM settings (one row, key "default")."""

    key = models.CharField(max_length=16, unique=True, default="default", editable=False)
    stale_after_days = models.PositiveSmallIntegerField(
        _("stale after (days)"), default=30,
        help_text=_("An open opportunity without a follow-up for this many days is flagged as stale."),
    )
    lead_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("web lead assignee"),
        help_text=_("Leads from the public order form are assigned to this person; without one, the workspace "
                    "administrators are told."),
    )

    class Meta:
        verbose_name = _("CRM settings")
        verbose_name_plural = _("CRM settings")
        constraints = [models.CheckConstraint(condition=Q(stale_after_days__gte=1),
                                              name="crm_settings_stale_days_positive")]

    def __str__(self):
        return f"stale after {self.stale_after_days} d"
