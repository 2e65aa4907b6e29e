"""Approval workflows (审批流程): flow definitions with immutable versions,
the requests submitted against them, their step instances, who must act
(assignments), every decision taken, and standing delegations.

Change these rows only through ``core.approvals.services``: they hold the
engine's invariants (one open request per document, one active step per
request, a version never changes once created)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Deferrable, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TenantModel


class StepKind(models.TextChoices):
    SINGLE = "single", _("Single approver")
    COUNTERSIGN = "countersign", _("Countersign (everyone approves)")
    ANY_OF = "any_of", _("Any of (first approval decides)")


class AssigneeType(models.TextChoices):
    ROLE = "role", _("Holders of a role")
    MANAGER = "manager", _("Submitter's manager chain")
    USER = "user", _("A named person")


class FlowDefinition(TenantModel):
    """The approval flow of one document type. Its steps live in versions:
    a change creates a new version, requests keep the version they started with."""

    document_type = models.CharField(_("document type"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    current_version = models.ForeignKey(
        "FlowVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("approval flow")
        verbose_name_plural = _("approval flows")

    def __str__(self):
        return self.name


class FlowVersion(TenantModel):
    """An immutable list of steps. Never edited after creation."""

    flow = models.ForeignKey(FlowDefinition, on_delete=models.CASCADE, related_name="versions",
                             verbose_name=_("flow"))
    number = models.PositiveIntegerField(_("version"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["flow", "-number"]
        verbose_name = _("flow version")
        verbose_name_plural = _("flow versions")
        constraints = [models.UniqueConstraint(fields=["flow", "number"], name="flow_version_unique_number")]

    def __str__(self):
        return f"{self.flow} v{self.number}"


class FlowStep(models.Model):
    """One step of a flow version: who approves, how, and when it applies.
    ``min_amount`` makes the step apply only to documents of at least that
    amount (in ``currency``). A deleted role or person leaves the step without
    an assignee; submitting then fails with a clear error until the flow is fixed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(FlowVersion, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices, default=StepKind.SINGLE)
    assignee_type = models.CharField(_("approver"), max_length=16, choices=AssigneeType.choices)
    role = models.ForeignKey("org.Role", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("role"))
    manager_level = models.PositiveSmallIntegerField(_("manager level"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("person"))
    min_amount = models.DecimalField(_("only from amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("flow step")
        verbose_name_plural = _("flow steps")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="flow_step_unique_position"),
            models.CheckConstraint(condition=Q(min_amount__isnull=True) | Q(min_amount__gte=0),
                                   name="flow_step_min_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(assignee_type="manager") | Q(manager_level__gte=1),
                name="flow_step_manager_level_set",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"


class RequestState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for edit")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = (RequestState.PENDING, RequestState.RETURNED)


class ApprovalRequest(TenantModel):
    """A document submitted for approval. ``title``, ``amount`` and
    ``currency`` are taken from the document when it is (re)submitted."""

    document_type = models.CharField(_("document type"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.UUIDField()
    document = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200)
    flow_version = models.ForeignKey(FlowVersion, on_delete=models.PROTECT, related_name="requests",
                                     verbose_name=_("flow version"))
    submitter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="approval_requests", verbose_name=_("submitter"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=RequestState.choices, default=RequestState.PENDING)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    current_step = models.ForeignKey("StepInstance", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("current step"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    last_urged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["state"])]
        constraints = [
            # One open (pending or returned) request per document.
            models.UniqueConstraint(fields=["content_type", "object_id"], condition=Q(state__in=OPEN_STATES),
                                    name="approval_request_one_open_per_document"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="approval_request_amount_not_negative"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.state not in OPEN_STATES


class StepState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("In progress")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")


class StepInstance(models.Model):
    """A step of one round of a request, planned at submission (a signer added
    later gets a step of its own). Exactly one step is active while the
    request is pending."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveSmallIntegerField()
    flow_step = models.ForeignKey(FlowStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    state = models.CharField(_("state"), max_length=16, choices=StepState.choices, default=StepState.WAITING)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    activated_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "round", "position"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [
            # Deferred: inserting a signer shifts the positions after it in one UPDATE.
            models.UniqueConstraint(fields=["request", "round", "position"], name="approval_step_unique_position",
                                    deferrable=Deferrable.DEFERRED),
        ]

    def __str__(self):
        return f"{self.request_id} r{self.round} #{self.position} {self.name}"


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    TRANSFERRED = "transferred", _("Transferred")
    NOT_NEEDED = "not_needed", _("Not needed")
    CANCELLED = "cancelled", _("Cancelled")


class Assignment(models.Model):
    """Who must act on a step. ``acted_by`` differs from ``user`` when a
    delegate acted on the user's behalf."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    step = models.ForeignKey(StepInstance, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_assignments",
                             verbose_name=_("approver"))
    state = models.CharField(_("state"), max_length=16, choices=AssignmentState.choices,
                             default=AssignmentState.PENDING)
    transferred_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    acted_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["step", "created_at"]
        verbose_name = _("approval assignment")
        verbose_name_plural = _("approval assignments")
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self):
        return f"{self.user_id} on {self.step_id}: {self.state}"


class DecisionAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    RESUBMIT = "resubmit", _("Resubmitted")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    RETURN = "return", _("Returned for edit")
    WITHDRAW = "withdraw", _("Withdrawn")
    URGE = "urge", _("Urged")
    TRANSFER = "transfer", _("Transferred")
    ADD_SIGNER_BEFORE = "add_signer_before", _("Added a signer before")
    ADD_SIGNER_AFTER = "add_signer_after", _("Added a signer after")
    SKIP = "skip", _("Step skipped")
    AUTO_APPROVE = "auto_approve", _("Approved automatically")


class Decision(models.Model):
    """The history of a request, in order (``seq``). ``on_behalf_of`` is set
    when a delegate acted for an approver; ``target`` is the person a step was
    transferred to or a signer who was added."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="decisions")
    seq = models.PositiveIntegerField()
    round = models.PositiveSmallIntegerField(default=1)
    step = models.ForeignKey(StepInstance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    step_name = models.CharField(max_length=120, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("by"))
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("on behalf of"))
    target = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    action = models.CharField(_("action"), max_length=24, choices=DecisionAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["request", "seq"]
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        constraints = [models.UniqueConstraint(fields=["request", "seq"], name="approval_decision_unique_seq")]

    def __str__(self):
        return f"{self.request_id} #{self.seq} {self.action}"


class Delegation(TenantModel):
    """While active (``starts_at`` <= now < ``ends_at``), ``to_user`` may act
    on approvals assigned to ``from_user``; decisions record "on behalf of"."""

    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="delegations_given", verbose_name=_("approver"))
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="delegations_received", verbose_name=_("delegate"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="delegation_ends_after_start"),
            models.CheckConstraint(condition=~Q(from_user=models.F("to_user")), name="delegation_not_to_self"),
        ]
        indexes = [models.Index(fields=["to_user", "starts_at", "ends_at"])]

    def __str__(self):
        return f"{self.from_user_id} → {self.to_user_id}"


class ApprovalSettings(models.Model):
    """Workspace-wide approval settings (one row)."""

    key = models.CharField(max_length=16, unique=True, default="default", editable=False)
    reminder_after_hours = models.PositiveSmallIntegerField(
        _("remind approvers after (hours)"), default=24,
        help_text=_("An approver who has not acted after this many hours gets a reminder."),
    )

    class Meta:
        verbose_name = _("approval settings")
        verbose_name_plural = _("approval settings")
        constraints = [models.CheckConstraint(condition=Q(reminder_after_hours__gte=1),
                                              name="approval_settings_reminder_hours_positive")]

    def __str__(self):
        return f"reminder after {self.reminder_after_hours} h"
