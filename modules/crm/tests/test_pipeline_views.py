"""Opportunity, follow-up, contact and reassignment pages: scoped, thin over
the services, permissions, module switch, no inline script."""

import datetime

from django.utils import timezone

from core.notifications.models import Reminder
from modules.crm.models import Contact, Customer, FollowUp, Opportunity, OwnerChange, ReassignmentJob
from tests.factories import ContactFactory, FollowUpFactory, OpportunityFactory

from .conftest import in_schema, set_module
from .test_opportunities import crm  # noqa: F401 - fixture


def test_opportunity_list_and_detail_follow_the_scope(web_for, tenant_a, crm):
    with in_schema(tenant_a):
        mine = OpportunityFactory(customer=crm.c_r1, project="Mine")
        theirs = OpportunityFactory(customer=crm.c_r2, project="Theirs")
        FollowUpFactory(customer=crm.c_r1, opportunity=mine, summary="Met the buyer")
        ContactFactory(customer=crm.c_r1, name="Zhang San")
    rep = web_for(tenant_a, crm.r1)
    page = rep.get("/crm/opportunities/")
    assert [o.project for o in page.context["page_obj"].object_list] == ["Mine"]
    detail = rep.get(f"/crm/opportunities/{mine.pk}/")
    html = detail.content.decode()
    assert detail.status_code == 200 and "Met the buyer" in html
    assert "Zhang San" in rep.get(f"/crm/opportunities/{mine.pk}/?tab=contacts").content.decode()
    assert "<script>" not in html and "onclick" not in html and 'style="' not in html
    assert rep.get(f"/crm/opportunities/{theirs.pk}/").status_code == 404
    assert rep.get(f"/crm/opportunities/{theirs.pk}/edit/").status_code == 404
    manager = web_for(tenant_a, crm.m)
    assert sorted(o.project for o in manager.get("/crm/opportunities/").context["page_obj"].object_list) == [
        "Mine", "Theirs"]


def test_create_opportunity_and_lock_conflict_on_the_form(web_for, tenant_a, crm):
    rep = web_for(tenant_a, crm.r1)
    form = {"customer": str(crm.c_r1.pk), "project": "Boiler", "kind": "project", "source": "tender",
            "stage": "qualified", "amount": "5000", "currency": "CNY", "owner": str(crm.r1.pk)}
    response = rep.post("/crm/opportunities/new/", form)
    with in_schema(tenant_a):
        opp = Opportunity.objects.get(project="Boiler")
    assert response.status_code == 302 and response["Location"] == f"/crm/opportunities/{opp.pk}/"
    assert (opp.probability, opp.source, opp.owner_id) == (25, "tender", crm.r1.pk)
    again = rep.post("/crm/opportunities/new/", form | {"project": "BOILER"})
    assert again.status_code == 400
    assert again.context["form"].errors == {"project": [
        "This customer and project are already claimed by Ray One's open opportunity."]}
    # a customer outside the scope is not even a choice
    assert rep.post("/crm/opportunities/new/", form | {"customer": str(crm.c_r2.pk), "project": "Z"}
                    ).context["form"].errors["customer"]
    with in_schema(tenant_a):
        assert Opportunity.objects.count() == 1


def test_edit_moves_stage_and_reassigns(web_for, tenant_a, crm):
    with in_schema(tenant_a):
        opp = OpportunityFactory(customer=crm.c_r1, project="Edit me")
    manager = web_for(tenant_a, crm.m)
    form = {"project": "Edit me", "kind": "project", "source": "self_developed", "stage": "negotiation",
            "amount": "10000.00", "currency": "CNY", "owner": str(crm.r2.pk), "probability": ""}
    assert manager.post(f"/crm/opportunities/{opp.pk}/edit/", form).status_code == 302
    with in_schema(tenant_a):
        opp.refresh_from_db()
        assert (opp.stage, opp.probability, opp.owner_id) == ("negotiation", 75, crm.r2.pk)
        assert OwnerChange.objects.filter(opportunity=opp, from_owner=crm.r1, to_owner=crm.r2).count() == 1


def test_follow_up_and_contact_forms(web_for, tenant_a, crm):
    with in_schema(tenant_a):
        opp = OpportunityFactory(customer=crm.c_r1)
    rep = web_for(tenant_a, crm.r1)
    day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = rep.post(f"/crm/follow-ups/new/?opportunity={opp.pk}",
                        {"kind": "call", "summary": "Asked for drawings", "next_action": "Chase",
                         "next_action_on": day})
    assert response.status_code == 302 and response["Location"] == f"/crm/opportunities/{opp.pk}/"
    past = rep.post(f"/crm/follow-ups/new/?customer={crm.c_r1.pk}",
                    {"kind": "call", "summary": "x", "next_action_on": "2001-01-01"})
    assert past.status_code == 400
    assert past.context["form"].errors == {"next_action_on": ["The next action cannot be in the past."]}
    assert rep.get(f"/crm/follow-ups/new/?customer={crm.c_r2.pk}").status_code == 404
    assert rep.get("/crm/follow-ups/new/?customer=nonsense").status_code == 404
    assert rep.get("/crm/follow-ups/new/").status_code == 302
    assert rep.post(f"/crm/customers/{crm.c_r1.pk}/contacts/new/", {"name": "Li Si"}).status_code == 302
    assert rep.get(f"/crm/customers/{crm.c_r2.pk}/contacts/new/").status_code == 404
    detail = rep.get(f"/crm/customers/{crm.c_r1.pk}/").content.decode()
    assert "Asked for drawings" in detail and "Li Si" in detail
    listed = rep.get("/crm/follow-ups/")
    assert [f.summary for f in listed.context["page_obj"].object_list] == ["Asked for drawings"]
    with in_schema(tenant_a):
        assert (FollowUp.objects.count(), Contact.objects.count(), Reminder.objects.count()) == (1, 1, 1)


def test_reassignment_page_runs_a_job(web_for, tenant_a, crm, django_capture_on_commit_callbacks):
    manager = web_for(tenant_a, crm.m)
    assert manager.get("/crm/reassignments/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post("/crm/reassignments/", {"from_owner": str(crm.r1.pk), "to_owner": str(crm.m.pk),
                                                        "reason": "R1 left"})
    with in_schema(tenant_a):
        job = ReassignmentJob.objects.get()
        assert Customer.objects.get(pk=crm.c_r1.pk).owner_id == crm.m.pk
    assert response.status_code == 302 and response["Location"] == f"/crm/reassignments/{job.pk}/"
    page = manager.get(f"/crm/reassignments/{job.pk}/").content.decode()
    assert "1 / 1" in page and "R1 Corp" in page and 'http-equiv="refresh"' not in page
    refused = manager.post("/crm/reassignments/", {"from_owner": str(crm.p.pk), "to_owner": str(crm.m.pk)})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"from_owner": ["This person has no customers you may reassign."]}
    assert web_for(tenant_a, crm.r1).get(f"/crm/reassignments/{job.pk}/").status_code == 404


def test_permissions_and_module_switch(web_for, tenant_a, crm, make_user):
    nobody = web_for(tenant_a, make_user(tenant_a))
    for url in ("/crm/opportunities/", "/crm/opportunities/new/", "/crm/follow-ups/", "/crm/reassignments/"):
        assert nobody.get(url).status_code == 403, url
    admin = web_for(tenant_a, crm.admin)
    assert admin.get("/crm/opportunities/").status_code == 200
    set_module(tenant_a, "crm", False)
    assert admin.get("/crm/opportunities/").status_code == 404
    assert admin.get("/crm/follow-ups/").status_code == 404
