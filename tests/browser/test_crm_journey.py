"""CRM journey in real Chromium, from a stranger's enquiry to a won deal:
a visitor sends the public order form; customer service qualifies the lead
into a customer and an opportunity for a rep; the rep quotes it and submits
the quote; the rep's manager approves it; the rep prints it and marks it
won, which wins the opportunity."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tenants.models import Tenant

from .chromium import csp_violations
from .live import unique_subdomain
from .pages import committed_in, sign_in, signup_via_api

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

STAFF_PASSWORD = "Crm-journey-2026"
PRODUCT = "Centrifugal pump CP-80"


def add_staff_committed(schema_name: str) -> None:
    """Customer service (who receives web leads), a sales manager and their
    rep, and one product — committed (the live server must see them)."""

    def work(hash_password):
        from core.catalog.models import Product
        from core.org.models import Role
        from core.users.models import User
        from modules.crm.models import CrmSettings

        def person(email, name, role, manager=None):
            user = User.objects.create(email=email, full_name=name, manager=manager,
                                       password=hash_password(STAFF_PASSWORD))
            user.roles.add(Role.objects.get(name=role))
            return user

        service = person("cora@crm.test", "Cora Service", "Customer service")
        manager = person("mona@crm.test", "Mona Manager", "Sales manager")
        person("rob@crm.test", "Rob Rep", "Sales rep", manager=manager)
        CrmSettings.objects.update_or_create(key="default", defaults={"lead_assignee": service})
        Product.objects.create(sku="CP-80", name=PRODUCT, unit="pcs", list_price=Decimal("12500.00"))

    committed_in(schema_name, work)


def lead_to_won(visitors, server, subdomain):
    base = server.tenant_url(subdomain)

    visitor = visitors.new_page()
    visitor.goto(f"{base}/crm/web-leads/new/")
    visitor.fill("#id_company_name", "Ningbo Water Works")
    visitor.fill("#id_contact_name", "Chen Jie")
    visitor.fill("#id_phone", "13900001111")
    visitor.fill("#id_email", "chen.jie@ningbo-water.test")
    visitor.fill("#id_message", "We need two pumps for the east station.")
    visitor.get_by_role("button", name="Send enquiry").click()
    visitor.wait_for_url(f"{base}/crm/web-leads/thanks/")

    service = visitors.new_page()
    sign_in(service, server, subdomain, "cora@crm.test", STAFF_PASSWORD)
    service.goto(f"{base}/crm/leads/")
    service.get_by_role("link", name="Ningbo Water Works").click()
    service.get_by_test_id("qualify-link").click()
    service.select_option("#id_owner", label="Rob Rep")
    service.fill("#id_opportunity_project", "East station pumps")
    service.get_by_role("button", name="Qualify").click()
    expect(service.get_by_role("status")).to_contain_text("Lead qualified into Ningbo Water Works.")
    expect(service.get_by_test_id("owner")).to_have_text("Rob Rep")
    opportunity_url = service.url

    rep = visitors.new_page()
    sign_in(rep, server, subdomain, "rob@crm.test", STAFF_PASSWORD)
    rep.goto(f"{base}/crm/pipeline/")
    rep.get_by_role("link", name="East station pumps").click()
    rep.wait_for_url(opportunity_url)
    rep.get_by_role("link", name="New quote").click()
    rep.select_option("#id_lines-0-product", label=f"CP-80 {PRODUCT}")
    rep.fill("#id_lines-0-quantity", "2")
    rep.fill("#id_lines-0-tax_rate", "13")
    rep.get_by_role("button", name="Save").click()
    expect(rep.get_by_test_id("quote-state")).to_have_text("Draft")
    quote_url = rep.url
    rep.get_by_role("button", name="Submit for approval").click()
    expect(rep.get_by_test_id("quote-state")).to_have_text("Waiting for approval")

    manager = visitors.new_page()
    sign_in(manager, server, subdomain, "mona@crm.test", STAFF_PASSWORD)
    pending = manager.get_by_test_id("pending-approvals").get_by_role("link")
    expect(pending).to_contain_text("East station pumps")
    pending.first.click()
    manager.get_by_role("button", name="Approve").click()
    expect(manager.get_by_role("status")).to_contain_text("You approved")

    rep.goto(quote_url)
    expect(rep.get_by_test_id("quote-state")).to_have_text("Approved")
    rep.get_by_test_id("print-link").click()
    expect(rep.get_by_text("Ningbo Water Works").first).to_be_visible()
    expect(rep.get_by_text("28,250.00").first).to_be_visible()  # 2 × 12,500.00 + 13 % tax
    rep.goto(quote_url)
    rep.get_by_role("button", name="Mark won").click()
    expect(rep.get_by_test_id("quote-state")).to_have_text("Won")
    rep.goto(opportunity_url)
    expect(rep.get_by_test_id("stage")).to_have_text("Won")
    return {"violations": [csp_violations(page) for page in (visitor, service, rep, manager)],
            "page_errors": visitors.page_errors}


def test_web_lead_to_won_quote(weft_server, browse):
    subdomain = unique_subdomain("crm")
    signup_via_api(weft_server, subdomain)
    tenant = Tenant.objects.get(subdomain=subdomain)
    add_staff_committed(tenant.schema_name)

    seen = browse(lead_to_won, weft_server, tenant.subdomain)

    assert seen == {"violations": [[], [], [], []], "page_errors": []}
    from modules.crm.models import Opportunity, Quote, WebLead

    with schema_context(tenant.schema_name):
        assert list(WebLead.objects.values_list("status", "customer__name")) == [("qualified", "Ningbo Water Works")]
        assert list(Opportunity.objects.values_list("project", "stage", "owner__email", "source")) == [
            ("East station pumps", "won", "rob@crm.test", "web_form")]
        assert list(Quote.objects.values_list("state", "total")) == [("won", Decimal("28250.00"))]
