"""Public-schema records of every tenant: the tenant, its domains, its state
and the modules it has switched on. Billing and ops read these rows."""

import uuid

from django.db import models
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class TenantState(models.TextChoices):
    TRIALING = "trialing", _("Trialing")
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Past due")
    SUSPENDED = "suspended", _("Suspended")
    SCHEDULED_FOR_DELETION = "scheduled_for_deletion", _("Scheduled for deletion")


# States in which the workspace may not be used at all.
BLOCKED_STATES = frozenset({TenantState.SUSPENDED, TenantState.SCHEDULED_FOR_DELETION})


class TenantKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    TEMPLATE = "template", _("Template")
    SPARE = "spare", _("Spare (pool)")
    PUBLIC = "public", _("Public")


class Tenant(TenantMixin):
    """A client company. Its schema name is opaque (``t_<hex>``) and never
    changes; the subdomain lives on :class:`Domain` and may be renamed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=TenantKind.choices, default=TenantKind.CUSTOMER)
    name = models.CharField(_("company name"), max_length=200, blank=True)
    subdomain = models.CharField(_("subdomain"), max_length=40, null=True, blank=True, unique=True)
    state = models.CharField(max_length=32, choices=TenantState.choices, default=TenantState.TRIALING)
    plan_code = models.CharField(max_length=32, blank=True)
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(_("default language"), max_length=16, default="en")
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    seats_used = models.PositiveIntegerField(default=0, help_text=_("Active users, kept current by signals."))
    deletion_scheduled_for = models.DateTimeField(null=True, blank=True)
    # Billing: while past due, full access until this moment, read-only after it.
    grace_ends_at = models.DateTimeField(null=True, blank=True)

    auto_create_schema = False  # provisioning clones the template itself
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        indexes = [models.Index(fields=["kind", "created_at"])]

    def __str__(self):
        return self.name or self.schema_name

    @property
    def is_blocked(self) -> bool:
        return self.state in BLOCKED_STATES

    @property
    def is_read_only(self) -> bool:
        """Past due beyond the grace period: reads work, writes are refused."""
        return (self.state == TenantState.PAST_DUE and self.grace_ends_at is not None
                and self.grace_ends_at <= django_timezone.now())

    def enabled_module_keys(self) -> frozenset[str]:
        """Keys of the modules switched on (cached on the instance)."""
        if not hasattr(self, "_enabled_modules"):
            self._enabled_modules = frozenset(self.modules.filter(enabled=True).values_list("key", flat=True))
        return self._enabled_modules


class Domain(DomainMixin):
    class Meta:
        ordering = ["domain"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self):
        return self.domain


class TenantModule(models.Model):
    """One row per tenant and module: on/off is data, never a migration."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="modules")
    key = models.CharField(max_length=32)
    enabled = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="tenant_module_unique")]

    def __str__(self):
        return f"{self.tenant_id}:{self.key}={'on' if self.enabled else 'off'}"


class SignupHandoff(models.Model):
    """Single-use token that logs the new admin into their subdomain (cookies
    are per host, so the root site cannot log them in directly). Only the
    SHA-256 of the token is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user_id = models.UUIDField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-expires_at"]

    def __str__(self):
        return f"handoff {self.tenant_id} until {self.expires_at:%H:%M:%S}"


class OpsAuditEntry(models.Model):
    """What vendor ops did, to which tenant, and why."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey("users.User", null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200)
    tenant = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="ops_entries")
    tenant_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("ops audit entry")
        verbose_name_plural = _("ops audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.tenant_label}"


class TenantExport(models.Model):
    """A downloadable archive of all of a tenant's data, built by a Celery job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, null=True, on_delete=models.SET_NULL, related_name="exports")
    tenant_label = models.CharField(max_length=200)
    requested_by = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file_path = models.CharField(max_length=500, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"export {self.tenant_label} {self.status} {self.progress}%"


class SupportAccess(models.Model):
    """An audited, time-boxed entry of a vendor ops user into a tenant, as a
    support user of that tenant (never with a tenant user's password)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="support_accesses")
    ops_user = models.ForeignKey("users.User", on_delete=models.PROTECT, related_name="+")
    # Copied from the ops user: inside a tenant's schema "users_user" is the
    # tenant's table, so the tenant side must never join or load ops_user.
    ops_user_email = models.EmailField()
    ops_user_name = models.CharField(max_length=150)
    reason = models.TextField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    token_expires_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"support access to {self.tenant_id} until {self.expires_at:%Y-%m-%d %H:%M}"
