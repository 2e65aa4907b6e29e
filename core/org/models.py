"""Organisation: departments in a tree and tenant-defined roles.

The tables exist in the public schema too (empty there) because the shared
user table references departments and roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TenantModel


class Department(TenantModel):
    """A unit of the organisation; departments form a tree (no cycles, names
    unique among siblings). Change them through ``core.org.services``."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="department_unique_name_per_parent"),
            # NULL parents never collide in the constraint above: top-level names need their own.
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True), name="department_unique_root_name"
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="department_not_own_parent"),
        ]

    def __str__(self):
        return self.name


class DataScope(models.TextChoices):
    """How far a role sees, narrowest first (the order matters: a user with
    several roles gets the widest)."""

    OWN = "own", _("Own records")
    SUBORDINATES = "subordinates", _("Own and subordinates' records")
    DEPARTMENT = "department", _("Own department")
    DEPARTMENT_TREE = "department_tree", _("Department and sub-departments")
    ALL = "all", _("All records")


class Role(TenantModel):
    """A named set of permission codes plus how far its holders see (data scope)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    permissions = models.JSONField(
        _("permissions"), default=list, blank=True, help_text=_('Codes such as "crm.customer.view".')
    )
    data_scope = models.CharField(_("data scope"), max_length=32, choices=DataScope.choices, default=DataScope.OWN)

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.name
