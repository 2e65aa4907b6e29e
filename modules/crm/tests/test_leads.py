"""Web leads (在线订单): the public order form (no sign-in, honeypot, per-address
rate limit per workspace, module switch), the assignee's notification, the
queue pages, qualify/reject rules (one transaction, 409 on a second decision)
and /api/v1/crm/leads/ + /api/v1/crm/settings/."""

import logging
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit.models import AuditEntry
from core.errors import DomainError
from core.notifications.models import Notification
from core.org.models import DataScope
from modules.crm import services
from modules.crm.models import Contact, CrmSettings, Customer, Opportunity, WebLead
from modules.crm.services import leads as lead_rules
from tests.factories import ContactFactory, CustomerFactory, OpportunityFactory, ProductFactory, RoleFactory

from .conftest import in_schema, set_module
from .test_opportunities import crm  # noqa: F401 - fixture
from .test_pipeline_api import error_of

FORM = "/crm/web-leads/new/"
THANKS = "/crm/web-leads/thanks/"
QUEUE = "/crm/leads/"
API = "/api/v1/crm/leads/"
SETTINGS_API = "/api/v1/crm/settings/"
SERVICE_PERMISSIONS = ["crm.lead.view", "crm.lead.change", "crm.lead.delete", "crm.lead.export",
                       "crm.customer.view", "crm.customer.add", "crm.contact.view", "crm.contact.add",
                       "crm.opportunity.view", "crm.opportunity.add"]


@pytest.fixture
def desk(crm, tenant_a, make_user):
    """Customer service (all scope) receives the leads; reps may also work the
    leads assigned to them (own scope)."""
    with in_schema(tenant_a):
        service_role = RoleFactory(name="Lead desk", permissions=SERVICE_PERMISSIONS,
                                   data_scope=DataScope.ALL)
        crm.rep_role.permissions = crm.rep_role.permissions + ["crm.lead.view", "crm.lead.change"]
        crm.rep_role.save()
        product = ProductFactory(name="Inline gauge")
    cs = make_user(tenant_a, roles=[service_role], department=crm.support, full_name="Cora Service",
                   email="cora@alpha.test")
    with in_schema(tenant_a):
        CrmSettings.objects.update_or_create(key="default", defaults={"lead_assignee": cs})
    for user in (crm.r1, crm.r2, crm.p):
        user.__dict__.pop("_weft_access", None)
    return SimpleNamespace(crm=crm, cs=cs, product=product, service_role=service_role)


def enquiry(**overrides):
    return {"company_name": "Jade River Mining", "contact_name": "Li Wei", "phone": "+86 10 5555 0101",
            "email": "li.wei@jade.test", "message": "We need 20 gauges for line 2."} | overrides


def submit(tenant, **overrides) -> WebLead:
    with in_schema(tenant):
        return services.lead_submit(**enquiry(**overrides))


def leads_of(tenant):
    """Everything a refused action must leave alone."""
    with in_schema(tenant):
        return (sorted(WebLead.objects.values_list("id", "status", "customer_id", "opportunity_id")),
                Customer.objects.count(), Contact.objects.count(), Opportunity.objects.count())


# ------------------------------------------------------------- the public form


def test_public_form_needs_no_sign_in_and_tells_the_assignee(web_for, tenant_a, desk,
                                                             django_capture_on_commit_callbacks):
    visitor = web_for(tenant_a)
    page = visitor.get(FORM)
    html = page.content.decode()
    assert page.status_code == 200 and "Inline gauge" in html
    assert "<script>" not in html and 'style="' not in html and "onclick" not in html
    assert 'class="visually-hidden" aria-hidden="true"' in html and 'name="website"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(FORM, enquiry(product=str(desk.product.pk)), REMOTE_ADDR="198.51.100.7")
    assert (response.status_code, response["Location"]) == (302, THANKS)
    assert "Thank you for your enquiry" in visitor.get(THANKS).content.decode()
    with in_schema(tenant_a):
        lead = WebLead.objects.get()
        assert (lead.status, lead.assignee_id, lead.department_id, lead.product_id, lead.phone) == (
            "new", desk.cs.pk, desk.crm.support.pk, desk.product.pk, "+86 10 5555 0101")
        note = Notification.objects.get(kind="crm.web_lead")
        assert (note.recipient_id, note.title, note.link) == (desk.cs.pk, "New web lead: Jade River Mining",
                                                              f"/crm/leads/{lead.pk}/")
        entry = AuditEntry.objects.get(object_id=str(lead.pk))
        assert (entry.action, entry.actor_id, entry.message) == ("create", None, "web form")
    assert [m.to for m in mail.outbox] == [["cora@alpha.test"]]


def test_without_an_assignee_the_administrators_are_told(tenant_a, desk):
    with in_schema(tenant_a):
        CrmSettings.objects.filter(key="default").update(lead_assignee=None)
    lead = submit(tenant_a)
    with in_schema(tenant_a):
        assert (lead.assignee_id, lead.department_id) == (None, None)
        assert list(Notification.objects.filter(kind="crm.web_lead").values_list("recipient_id", flat=True)) == [
            desk.crm.admin.pk]


def test_form_errors_store_nothing(web_for, tenant_a, desk):
    visitor = web_for(tenant_a)
    before = leads_of(tenant_a)
    response = visitor.post(FORM, enquiry(phone="", email=""))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "phone": ["Give a phone number or an e-mail address so that we can answer you."]}
    with in_schema(tenant_a):
        desk.product.is_active = False
        desk.product.save()
    assert visitor.post(FORM, enquiry(product=str(desk.product.pk))).status_code == 400
    assert visitor.post(FORM, enquiry(company_name="  ", email="not-an-address")).context["form"].errors.keys() == {
        "company_name", "email"}
    assert leads_of(tenant_a) == before


def test_a_filled_honeypot_looks_accepted_but_stores_nothing(web_for, tenant_a, desk, caplog):
    before = leads_of(tenant_a)
    with caplog.at_level(logging.INFO, logger="modules.crm.views.leads"):
        response = web_for(tenant_a).post(FORM, enquiry(website="http://spam.test"), REMOTE_ADDR="203.0.113.5")
    assert (response.status_code, response["Location"]) == (302, THANKS)
    assert leads_of(tenant_a) == before
    with in_schema(tenant_a):
        assert not Notification.objects.filter(kind="crm.web_lead").exists()
    assert "honeypot" in caplog.text and "203.0.113.5" in caplog.text


def test_rate_limit_per_address_and_workspace(web_for, tenant_a, tenant_b, desk, monkeypatch):
    monkeypatch.setattr(lead_rules, "WEB_LEAD_RATE", 2)
    set_module(tenant_b, "crm", True)
    visitor = web_for(tenant_a)
    assert visitor.post(FORM, enquiry(email="", phone=""), REMOTE_ADDR="192.0.2.10").status_code == 400  # no slot
    for _ in range(2):
        assert visitor.post(FORM, enquiry(), REMOTE_ADDR="192.0.2.10").status_code == 302
    before = leads_of(tenant_a)
    refused = visitor.post(FORM, enquiry(), REMOTE_ADDR="192.0.2.10")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= lead_rules.WEB_LEAD_WINDOW_SECONDS
    assert "Too many enquiries were sent from your network" in refused.content.decode()
    assert leads_of(tenant_a) == before
    assert visitor.post(FORM, enquiry(), REMOTE_ADDR="192.0.2.11").status_code == 302  # another address
    assert web_for(tenant_b).post(FORM, enquiry(), REMOTE_ADDR="192.0.2.10").status_code == 302  # another workspace


def test_public_form_is_gone_while_crm_is_off(web_for, tenant_a, desk):
    set_module(tenant_a, "crm", False)
    visitor = web_for(tenant_a)
    before = leads_of(tenant_a)
    assert visitor.get(FORM).status_code == 404
    assert visitor.post(FORM, enquiry()).status_code == 404
    assert visitor.get(THANKS).status_code == 404
    assert leads_of(tenant_a) == before


# ------------------------------------------------------------- qualify / reject rules


def test_qualify_creates_customer_contact_and_opportunity_in_one_go(tenant_a, desk):
    lead = submit(tenant_a, product=desk.product)
    org = desk.crm
    with in_schema(tenant_a):
        lead = services.lead_qualify(lead=lead, by=desk.cs, owner=org.r1, opportunity_project="Line 2 gauges")
        customer, opportunity = lead.customer, lead.opportunity
        assert (lead.status, lead.decided_by_id) == ("qualified", desk.cs.pk) and lead.decided_at is not None
        assert (customer.name, customer.phone, customer.source, customer.owner_id, customer.department_id) == (
            "Jade River Mining", "+86 10 5555 0101", "web_form", org.r1.pk, org.east.pk)
        contact = Contact.objects.get(customer=customer)
        assert (contact.name, contact.email, contact.is_primary) == ("Li Wei", "li.wei@jade.test", True)
        assert (opportunity.project, opportunity.source, opportunity.owner_id, opportunity.customer_id) == (
            "Line 2 gauges", "web_form", org.r1.pk, customer.pk)
        note = Notification.objects.get(recipient=org.r1, kind="crm.web_lead")
        assert (note.title, note.link) == ("Web lead qualified for you: Jade River Mining",
                                           f"/crm/opportunities/{opportunity.pk}/")
        assert AuditEntry.objects.filter(object_id=str(lead.pk), action="update", message="qualified").exists()
        assert AuditEntry.objects.filter(object_id=str(customer.pk), action="create").exists()


def test_qualify_links_an_existing_customer_and_keeps_its_primary_contact(tenant_a, desk):
    lead = submit(tenant_a)
    with in_schema(tenant_a):
        ContactFactory(customer=desk.crm.c_r1, name="Old primary", is_primary=True)
        customers = Customer.objects.count()
        lead = services.lead_qualify(lead=lead, by=desk.cs, customer=desk.crm.c_r1)
        assert (lead.customer_id, lead.opportunity_id, Customer.objects.count()) == (desk.crm.c_r1.pk, None,
                                                                                     customers)
        assert sorted(Contact.objects.filter(customer=desk.crm.c_r1).values_list("name", "is_primary")) == [
            ("Li Wei", False), ("Old primary", True)]
        assert not Notification.objects.filter(kind="crm.web_lead", recipient=desk.crm.r1).exists()


def test_a_duplicate_name_is_a_conflict_unless_confirmed(tenant_a, desk):
    with in_schema(tenant_a):
        CustomerFactory(name="jade river mining ", owner=desk.crm.p)
    lead = submit(tenant_a, phone="")
    before = leads_of(tenant_a)
    with in_schema(tenant_a), pytest.raises(DomainError) as caught:
        services.lead_qualify(lead=lead, by=desk.cs)
    assert caught.value.code == "conflict" and list(caught.value.fields) == ["name"]
    assert leads_of(tenant_a) == before
    with in_schema(tenant_a):
        lead = services.lead_qualify(lead=lead, by=desk.cs, allow_duplicate=True)
        assert Customer.objects.filter(name="Jade River Mining").get() == lead.customer


def test_everything_rolls_back_when_one_part_is_refused(tenant_a, desk):
    with in_schema(tenant_a):
        OpportunityFactory(customer=desk.crm.c_r1, project="Line 2")
    lead = submit(tenant_a)
    before = leads_of(tenant_a)
    with in_schema(tenant_a), pytest.raises(DomainError) as caught:
        services.lead_qualify(lead=lead, by=desk.cs, customer=desk.crm.c_r1, opportunity_project="line 2")
    assert caught.value.code == "conflict"
    assert leads_of(tenant_a) == before  # no contact, lead still new


def test_qualifying_needs_the_add_permissions(tenant_a, desk):
    with in_schema(tenant_a):
        desk.service_role.permissions = [p for p in SERVICE_PERMISSIONS if p != "crm.opportunity.add"]
        desk.service_role.save()
    desk.cs.__dict__.pop("_weft_access", None)
    lead = submit(tenant_a)
    before = leads_of(tenant_a)
    with in_schema(tenant_a), pytest.raises(DomainError) as caught:
        services.lead_qualify(lead=lead, by=desk.cs, opportunity_project="Line 2")
    assert caught.value.code == "permission_denied"
    assert leads_of(tenant_a) == before


def test_a_lead_is_decided_once(tenant_a, desk):
    first, second = submit(tenant_a), submit(tenant_a, company_name="Other Co")
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as caught:
            services.lead_reject(lead=second, by=desk.cs, reason="  ")
        assert list(caught.value.fields) == ["reject_reason"]
        services.lead_qualify(lead=first, by=desk.cs)
        services.lead_reject(lead=second, by=desk.cs, reason="Spam")
        for decide in (lambda lead: services.lead_qualify(lead=lead, by=desk.cs, allow_duplicate=True),
                       lambda lead: services.lead_reject(lead=lead, by=desk.cs, reason="Again")):
            for lead in (first, second):
                with pytest.raises(DomainError) as caught:
                    decide(lead)
                assert caught.value.code == "conflict"
        second.refresh_from_db()
        assert (second.status, second.reject_reason, second.decided_by_id) == ("rejected", "Spam", desk.cs.pk)


def test_assignee_must_be_able_to_see_leads(tenant_a, desk):
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as caught:
            services.crm_settings_update(by=desk.crm.admin, lead_assignee=desk.crm.head)  # no lead permission
        assert list(caught.value.fields) == ["lead_assignee"]
        assert services.crm_settings_update(by=desk.crm.admin, lead_assignee=desk.crm.r1).lead_assignee == desk.crm.r1
    assert submit(tenant_a).assignee_id == desk.crm.r1.pk


# ------------------------------------------------------------- queue pages


def test_queue_follows_the_assignee_scope(web_for, tenant_a, desk):
    to_cs = submit(tenant_a, company_name="For service")
    with in_schema(tenant_a):
        services.crm_settings_update(by=desk.crm.admin, lead_assignee=desk.crm.r1)
    to_r1 = submit(tenant_a, company_name="For Ray")
    service = web_for(tenant_a, desk.cs)
    page = service.get(QUEUE)
    assert [lead.company_name for lead in page.context["page_obj"]] == ["For Ray", "For service"]
    rep = web_for(tenant_a, desk.crm.r1)
    assert [lead.company_name for lead in rep.get(QUEUE).context["page_obj"]] == ["For Ray"]
    assert rep.get(f"{QUEUE}{to_cs.pk}/").status_code == 404
    assert rep.get(f"{QUEUE}{to_cs.pk}/qualify/").status_code == 404
    assert rep.post(f"{QUEUE}{to_cs.pk}/reject/", {"reason": "x"}).status_code == 404
    assert rep.get(f"{QUEUE}{to_r1.pk}/").status_code == 200
    assert web_for(tenant_a, desk.crm.head).get(QUEUE).status_code == 403  # no lead permission
    assert web_for(tenant_a).get(QUEUE).status_code == 302  # sign in first


def test_queue_filters_and_exports(web_for, tenant_a, desk):
    submit(tenant_a, company_name="Fresh")
    with in_schema(tenant_a):
        services.lead_reject(lead=submit(tenant_a, company_name="Junk"), by=desk.cs, reason="Spam")
    service = web_for(tenant_a, desk.cs)
    assert [lead.company_name for lead in service.get(QUEUE, {"status": "new"}).context["page_obj"]] == ["Fresh"]
    assert service.get(QUEUE, {"received_from": "2000-01-01", "received_to": "2000-01-02"}
                       ).context["page_obj"].paginator.count == 0
    assert service.get(QUEUE, {"status": "nonsense"}).status_code == 400
    export = service.get(f"{QUEUE}export/", {"status": "rejected"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    body = export.content.decode("utf-8-sig")
    assert "Junk" in body and "Fresh" not in body


def test_queue_list_query_count_does_not_grow(web_for, tenant_a, desk):
    service = web_for(tenant_a, desk.cs)

    def fill(n):
        for i in range(n):
            lead = submit(tenant_a, company_name=f"Company {i}", product=desk.product)
            with in_schema(tenant_a):
                services.lead_qualify(lead=lead, by=desk.cs, allow_duplicate=True, opportunity_project=f"P{i}")

    fill(1)
    service.get(QUEUE)
    with CaptureQueriesContext(connection) as one:
        assert service.get(QUEUE).context["page_obj"].paginator.count == 1
    fill(24)
    with CaptureQueriesContext(connection) as many:
        assert len(service.get(QUEUE).context["page_obj"].object_list) == 25
    assert len(many.captured_queries) == len(one.captured_queries)


def test_qualify_page_warns_of_duplicates_and_creates_everything(web_for, tenant_a, desk):
    with in_schema(tenant_a):
        CustomerFactory(name="Jade River Mining", owner=desk.crm.p)
    lead = submit(tenant_a, product=desk.product)
    service = web_for(tenant_a, desk.cs)
    page = service.get(f"{QUEUE}{lead.pk}/qualify/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="duplicate-warning"' in html and "Pat Peer" in html
    assert page.context["form"]["opportunity_project"].value() == "Inline gauge"
    form = {"customer_name": "Jade River Mining", "owner": str(desk.crm.r1.pk), "create_contact": "on",
            "opportunity_project": "Gauges for line 2"}
    refused = service.post(f"{QUEUE}{lead.pk}/qualify/", form)
    assert refused.status_code == 400 and "Same as “Jade River Mining” (owner: Pat Peer)." in refused.content.decode()
    done = service.post(f"{QUEUE}{lead.pk}/qualify/", form | {"allow_duplicate": "on"})
    with in_schema(tenant_a):
        lead.refresh_from_db()
        assert (lead.status, lead.opportunity.project, lead.customer.owner_id) == (
            "qualified", "Gauges for line 2", desk.crm.r1.pk)
    assert (done.status_code, done["Location"]) == (302, f"/crm/opportunities/{lead.opportunity_id}/")
    detail = service.get(f"{QUEUE}{lead.pk}/").content.decode()
    assert 'data-testid="lead-opportunity"' in detail and 'data-testid="qualify-link"' not in detail
    assert service.get(f"{QUEUE}{lead.pk}/qualify/").status_code == 302  # already decided


def test_reject_and_delete_pages(web_for, tenant_a, desk):
    lead = submit(tenant_a)
    service = web_for(tenant_a, desk.cs)
    assert service.post(f"{QUEUE}{lead.pk}/reject/", {"reason": ""}).status_code == 400
    assert service.post(f"{QUEUE}{lead.pk}/reject/", {"reason": "Not our market"}).status_code == 302
    again = service.post(f"{QUEUE}{lead.pk}/reject/", {"reason": "Twice"}, follow=True)
    assert "This lead was already rejected." in again.content.decode()
    with in_schema(tenant_a):
        lead.refresh_from_db()
        assert (lead.status, lead.reject_reason) == ("rejected", "Not our market")
    assert web_for(tenant_a, desk.crm.r1).post(f"{QUEUE}{lead.pk}/delete/").status_code == 403
    assert service.post(f"{QUEUE}{lead.pk}/delete/").status_code == 302
    with in_schema(tenant_a):
        assert not WebLead.objects.filter(pk=lead.pk).exists()


def test_settings_page_is_for_administrators(web_for, tenant_a, desk):
    assert web_for(tenant_a, desk.cs).get("/crm/settings/").status_code == 403
    admin = web_for(tenant_a, desk.crm.admin)
    assert admin.get("/crm/settings/").status_code == 200
    form = {"lead_assignee": str(desk.crm.r2.pk), "stale_after_days": "21"}
    assert admin.post("/crm/settings/", form | {"lead_assignee": str(desk.crm.head.pk)}).status_code == 400
    assert admin.post("/crm/settings/", form | {"stale_after_days": "0"}).status_code == 400
    assert admin.post("/crm/settings/", form).status_code == 302
    with in_schema(tenant_a):
        row = CrmSettings.objects.get(key="default")
        assert (row.lead_assignee_id, row.stale_after_days) == (desk.crm.r2.pk, 21)
    with in_schema(tenant_a), pytest.raises(DomainError) as refused:
        services.crm_settings_update(by=desk.cs, stale_after_days=5)
    assert refused.value.status == 403


# ------------------------------------------------------------- API


def test_api_list_detail_qualify_reject(api_for, tenant_a, desk):
    first, second = submit(tenant_a), submit(tenant_a, company_name="Second Co", email="", phone="123")
    client = api_for(tenant_a, desk.cs)
    listed = client.get(API, {"status": "new"}).json()
    assert listed["count"] == 2 and {r["company_name"] for r in listed["results"]} == {"Jade River Mining",
                                                                                       "Second Co"}
    detail = client.get(f"{API}{first.pk}/").json()
    assert (detail["status"], detail["assignee_name"], detail["customer"]) == ("new", "Cora Service", None)
    qualified = client.post(f"{API}{first.pk}/qualify/", {"owner": str(desk.crm.r1.pk),
                                                          "opportunity_project": "Gauges"}, format="json")
    assert qualified.status_code == 200, qualified.content
    body = qualified.json()
    assert (body["status"], body["customer_name"], body["opportunity_project"]) == (
        "qualified", "Jade River Mining", "Gauges")
    assert error_of(client.post(f"{API}{first.pk}/qualify/", {}, format="json"), 409)["code"] == "conflict"
    assert error_of(client.post(f"{API}{first.pk}/reject/", {"reason": "x"}, format="json"), 409)["code"] == "conflict"
    rejected = client.post(f"{API}{second.pk}/reject/", {"reason": "No budget"}, format="json")
    assert (rejected.status_code, rejected.json()["reject_reason"]) == (200, "No budget")
    export = client.get(f"{API}export/", HTTP_ACCEPT="text/csv")
    assert export.status_code == 200 and "Second Co" in export.content.decode("utf-8-sig")
    assert client.delete(f"{API}{second.pk}/").status_code == 204


def test_api_validation_errors(api_for, tenant_a, desk):
    lead = submit(tenant_a)
    client = api_for(tenant_a, desk.crm.r1)  # own scope: R2's customer is out of reach
    with in_schema(tenant_a):
        services.crm_settings_update(by=desk.crm.admin, lead_assignee=desk.crm.r1)
    mine = submit(tenant_a, company_name="Mine Co")
    with in_schema(tenant_a):
        CustomerFactory(name="Jade River Mining", owner=desk.crm.p)
    before = leads_of(tenant_a)
    assert list(error_of(client.post(f"{API}{mine.pk}/reject/", {}, format="json"), 400)["fields"]) == ["reason"]
    error = error_of(client.post(f"{API}{mine.pk}/qualify/", {"customer": str(desk.crm.c_r2.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["customer"]
    service = api_for(tenant_a, desk.cs)
    error = error_of(service.post(f"{API}{lead.pk}/qualify/", {}, format="json"), 409)
    assert error["message"].startswith("This looks like a customer that already exists")
    assert leads_of(tenant_a) == before


def test_api_permission_denied(api_for, tenant_a, desk, make_user):
    lead = submit(tenant_a)
    with in_schema(tenant_a):
        viewer_role = RoleFactory(permissions=["crm.lead.view"], data_scope=DataScope.ALL)
    viewer = api_for(tenant_a, make_user(tenant_a, roles=[viewer_role]))
    outsider = api_for(tenant_a, desk.crm.head)
    url = f"{API}{lead.pk}/"
    before = leads_of(tenant_a)
    assert viewer.get(url).status_code == 200
    for response in (viewer.post(url + "qualify/", {}, format="json"),
                     viewer.post(url + "reject/", {"reason": "x"}, format="json"), viewer.delete(url),
                     viewer.get(f"{API}export/", HTTP_ACCEPT="application/json"), outsider.get(API), outsider.get(url),
                     api_for(tenant_a, desk.cs).get(SETTINGS_API),
                     api_for(tenant_a, desk.cs).patch(SETTINGS_API, {"lead_assignee": None}, format="json")):
        assert error_of(response, 403)["code"] == "permission_denied"
    assert leads_of(tenant_a) == before


def test_api_out_of_scope_is_not_found(api_for, tenant_a, desk):
    lead = submit(tenant_a)  # assigned to customer service
    client = api_for(tenant_a, desk.crm.r1)
    url = f"{API}{lead.pk}/"
    before = leads_of(tenant_a)
    assert client.get(API).json()["count"] == 0
    for response in (client.get(url), client.post(url + "qualify/", {}, format="json"),
                     client.post(url + "reject/", {"reason": "x"}, format="json")):
        assert error_of(response, 404)["code"] == "not_found"
    assert leads_of(tenant_a) == before


def test_api_other_tenant_and_module_disabled(api_for, tenant_a, tenant_b, admin_b, desk):
    lead = submit(tenant_a)
    set_module(tenant_b, "crm", True)
    other = api_for(tenant_b, admin_b)
    url = f"{API}{lead.pk}/"
    before = leads_of(tenant_a)
    assert other.get(API).json()["count"] == 0
    for response in (other.get(url), other.post(url + "qualify/", {}, format="json"), other.delete(url)):
        assert error_of(response, 404)["code"] == "not_found"
    assert error_of(other.patch(SETTINGS_API, {"lead_assignee": str(desk.cs.pk)}, format="json"),
                    400)["fields"].keys() == {"lead_assignee"}
    assert error_of(api_for(tenant_a).get(API), 401)["code"] == "not_authenticated"
    admin = api_for(tenant_a, desk.crm.admin)
    set_module(tenant_a, "crm", False)
    for response in (admin.get(API), admin.get(url), admin.post(url + "reject/", {"reason": "x"}, format="json"),
                     admin.get(SETTINGS_API)):
        assert error_of(response, 404)["code"] == "module_disabled"
    assert leads_of(tenant_a) == before


def test_api_settings(api_for, tenant_a, desk):
    admin = api_for(tenant_a, desk.crm.admin)
    assert admin.get(SETTINGS_API).json() == {"lead_assignee": str(desk.cs.pk), "lead_assignee_name": "Cora Service",
                                              "stale_after_days": 30}
    error = error_of(admin.patch(SETTINGS_API, {"lead_assignee": str(desk.crm.head.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["lead_assignee"]
    error = error_of(admin.patch(SETTINGS_API, {"stale_after_days": 0}, format="json"), 400)
    assert list(error["fields"]) == ["stale_after_days"]
    cleared = admin.patch(SETTINGS_API, {"lead_assignee": None}, format="json")
    assert cleared.json() == {"lead_assignee": None, "lead_assignee_name": None, "stale_after_days": 30}
    assert admin.patch(SETTINGS_API, {"stale_after_days": 10}, format="json").json()["stale_after_days"] == 10


def test_api_list_query_count_does_not_grow(api_for, tenant_a, desk, django_assert_max_num_queries):
    client = api_for(tenant_a, desk.cs)

    def fill(n):
        for i in range(n):
            lead = submit(tenant_a, company_name=f"Company {i}", product=desk.product)
            with in_schema(tenant_a):
                services.lead_qualify(lead=lead, by=desk.cs, allow_duplicate=True, opportunity_project=f"P{i}")

    fill(1)
    client.get(API)
    with django_assert_max_num_queries(8) as one:
        assert client.get(API).json()["count"] == 1
    fill(49)
    with django_assert_max_num_queries(8) as fifty:
        page = client.get(API, {"page_size": 50}).json()
    assert page["count"] == len(page["results"]) == 50
    assert len(fifty.captured_queries) == len(one.captured_queries)
