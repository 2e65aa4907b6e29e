"""Public-schema records of every tenant: the tenant, its domains, its state
and the modules it has switched on. Billing and ops read these rows."""

import uuid

from django.db import models
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
