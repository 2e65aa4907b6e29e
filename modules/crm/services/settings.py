"""The workspace's CRM settings (one row): who receives web leads and after
how many days without a follow-up an open opportunity is flagged stale.
Only workspace administrators change them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.access import access_for, assert_admin
from core.audit.services import audit_record, changes_between
from core.errors import DomainError

from ..models import CrmSettings

UNSET = object()
MAX_STALE_DAYS = 365


def crm_settings() -> CrmSettings:
    """The workspace's CRM settings row (created on first use)."""
    return CrmSettings.objects.get_or_create(key="default")[0]


@transaction.atomic
def crm_settings_update(*, by, lead_assignee=UNSET, stale_after_days=UNSET) -> CrmSettings:
    """Change the given settings. ``lead_assignee`` None: the administrators are told of new leads."""
    assert_admin(by, _("Only workspace administrators can change the CRM settings."))
    data, errors = {}, {}
    if lead_assignee is not UNSET:
        if lead_assignee is not None and not (lead_assignee.is_active
                                              and access_for(lead_assignee).can("crm.lead.view")):
            errors["lead_assignee"] = [_("Choose an active member whose role may see web leads.")]
        data["lead_assignee"] = lead_assignee
    if stale_after_days is not UNSET:
        if not isinstance(stale_after_days, int) or not 1 <= stale_after_days <= MAX_STALE_DAYS:
            errors["stale_after_days"] = [_("Enter a number of days from 1 to %(n)d.") % {"n": MAX_STALE_DAYS}]
        data["stale_after_days"] = stale_after_days
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    row = CrmSettings.objects.select_for_update().get(pk=crm_settings().pk)
    changes = changes_between(row, data)
    if changes:
        for field, value in data.items():
            setattr(row, field, value)
        row.save(update_fields=list(data))
        audit_record(actor=by, action="update", obj=row, changes=changes)
    return row
