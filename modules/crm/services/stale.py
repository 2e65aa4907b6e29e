"""Stale opportunities: an open opportunity without a follow-up for
``CrmSettings.stale_after_days`` days (counted from its creation when it never
had one) is flagged (``stale_since``) by a periodic job, and its owner and
the owner's manager are told once — a digest per person, not one message per
opportunity. A new follow-up clears the flag (see followups.py); managers can
then reassign the opportunity."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.notifications.services import notify

from ..models import Opportunity
from ..models.opportunities import OPEN_STAGES
from .settings import crm_settings

STALE_KIND = "crm.stale_opportunity"


@transaction.atomic
def opportunities_flag_stale(now: datetime | None = None) -> int:
    """Flag the opportunities that went stale since the last run and notify
    their owners and managers. Idempotent: a flagged opportunity is not
    flagged (nor notified) again until a follow-up clears it."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=crm_settings().stale_after_days)
    due = list(
        Opportunity.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("owner__manager")
        .annotate(last_touch=Coalesce(F("last_follow_up_at"), F("created_at")))
        .filter(stage__in=OPEN_STAGES, stale_since__isnull=True, last_touch__lt=cutoff)
    )
    if not due:
        return 0
    Opportunity.objects.filter(pk__in=[o.pk for o in due]).update(stale_since=now)
    by_owner, by_manager = defaultdict(list), defaultdict(list)
    for opportunity in due:
        by_owner[opportunity.owner].append(opportunity)
        if opportunity.owner.manager_id:
            by_manager[opportunity.owner.manager].append(opportunity)
    days = crm_settings().stale_after_days
    stale_list = reverse("crm:opportunity-list") + "?stale=true&is_open=true"
    for owner, items in by_owner.items():
        notify([owner], kind=STALE_KIND, title=gettext_noop("%(n)s of your opportunities need a follow-up"),
               body=gettext_noop("No follow-up for %(days)s days: %(names)s"), link=stale_list + "&mine=true",
               params={"n": len(items), "days": days, "names": _names(items)})
    for manager, items in by_manager.items():
        notify([manager], kind=STALE_KIND, title=gettext_noop("%(n)s opportunities of your team went stale"),
               body=gettext_noop("No follow-up for %(days)s days: %(names)s"), link=stale_list,
               params={"n": len(items), "days": days, "names": _names(items)})
    return len(due)


def _names(items: list[Opportunity], shown: int = 10) -> str:
    names = ", ".join(f"{o.project} ({o.owner})" for o in items[:shown])
    return names + (f" … (+{len(items) - shown})" if len(items) > shown else "")
