"""Stale opportunities: flagged once by the periodic job after N days without
a follow-up (tenant setting), owner and manager told once each, cleared by a
follow-up; the beat entry point only reaches workspaces with CRM on."""

import datetime

from django.utils import timezone

from core.notifications.models import Notification
from modules.crm import services
from modules.crm.models import CrmSettings, Opportunity
from modules.crm.services.stale import opportunities_flag_stale
from modules.crm.tasks import flag_stale_opportunities, flag_stale_opportunities_everywhere
from tests.factories import OpportunityFactory

from .conftest import in_schema, set_module
from .test_opportunities import crm  # noqa: F401 - fixture


def _age(opportunity, days, now):
    Opportunity.objects.filter(pk=opportunity.pk).update(created_at=now - datetime.timedelta(days=days))


def test_flags_once_notifies_owner_and_manager_and_a_follow_up_clears(tenant_a, crm):
    now = timezone.now()
    with in_schema(tenant_a):
        CrmSettings.objects.update_or_create(key="default", defaults={"stale_after_days": 14})
        old = OpportunityFactory(customer=crm.c_r1, project="Forgotten")
        older = OpportunityFactory(customer=crm.c_r1, project="Also forgotten")
        fresh = OpportunityFactory(customer=crm.c_r1, project="Fresh")
        touched = OpportunityFactory(customer=crm.c_r2, project="Followed up",
                                     last_follow_up_at=now - datetime.timedelta(days=3))
        closed = OpportunityFactory(customer=crm.c_r2, project="Closed", stage="won", closed_at=now)
        for opportunity, days in ((old, 15), (older, 40), (fresh, 13), (touched, 60), (closed, 90)):
            _age(opportunity, days, now)
        before = Notification.objects.filter(kind="crm.stale_opportunity").count()

        assert opportunities_flag_stale(now) == 2
        flagged = set(Opportunity.objects.filter(stale_since__isnull=False).values_list("project", flat=True))
        assert flagged == {"Forgotten", "Also forgotten"}
        sent = Notification.objects.filter(kind="crm.stale_opportunity").order_by("recipient__full_name")
        assert sent.count() - before == 2  # one digest to the owner, one to the manager
        assert [n.recipient_id for n in sent] == [crm.m.pk, crm.r1.pk]
        assert "2 of your opportunities need a follow-up" in sent.get(recipient=crm.r1).title
        assert "?stale=true" in sent.get(recipient=crm.m).link

        assert opportunities_flag_stale(now + datetime.timedelta(hours=1)) == 0  # idempotent
        assert Notification.objects.filter(kind="crm.stale_opportunity").count() - before == 2

        services.follow_up_create(by=crm.r1, customer=crm.c_r1, opportunity=old, summary="Called again",
                                  happened_at=now)
        old.refresh_from_db()
        assert old.stale_since is None


def test_the_stale_filter_lists_flagged_opportunities(web_for, tenant_a, crm):
    now = timezone.now()
    with in_schema(tenant_a):
        OpportunityFactory(customer=crm.c_r1, project="Flagged", stale_since=now)
        OpportunityFactory(customer=crm.c_r1, project="Fine")
    page = web_for(tenant_a, crm.r1).get("/crm/opportunities/?stale=true")
    assert [o.project for o in page.context["page_obj"].object_list] == ["Flagged"]


def test_task_runs_in_the_tenant_and_fan_out_skips_crm_off(tenant_a, tenant_b, crm):
    now = timezone.now()
    with in_schema(tenant_a):
        opportunity = OpportunityFactory(customer=crm.c_r1, project="Old")
        _age(opportunity, 100, now)
        assert flag_stale_opportunities.apply().get() == 1
    set_module(tenant_b, "crm", False)
    schemas = flag_stale_opportunities_everywhere.apply().get()
    assert tenant_a.schema_name in schemas and tenant_b.schema_name not in schemas
