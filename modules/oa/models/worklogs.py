"""Work logs (工作日志): one per person and day, visible up the manager chain."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import ScopeFields
from core.models import TenantModel


class WorkLog(TenantModel):
    """What the author did on ``day`` and what they plan next. Readers are
    decided by the role's data scope: "subordinates" is the manager chain."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oa_work_logs",
                               verbose_name=_("author"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("department"))
    day = models.DateField(_("day"))
    summary = models.TextField(_("summary"))
    next_plan = models.TextField(_("next plan"), blank=True)

    data_scope = ScopeFields(owner="author", department="department")

    class Meta:
        ordering = ["-day", "author"]
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")
        constraints = [models.UniqueConstraint(fields=["author", "day"], name="oa_worklog_one_per_day")]

    def __str__(self):
        return f"{self.author} {self.day:%Y-%m-%d}"
