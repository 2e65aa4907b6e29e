"""The main journeys in real Chromium against a real server: a visitor signs
up and lands in the new workspace, switches a module on, invites a colleague
who then signs in and sees only what their role allows; the language switch;
the main pages on a phone-sized screen."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tenants.models import Tenant, TenantModule

from .chromium import PHONE, csp_violations
from .live import unique_subdomain
from .pages import ADMIN_PAGES, GUEST_PAGES, PASSWORD, PUBLIC_PAGES, sidebar_links, sign_in, signup_via_api

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

REP_PASSWORD = "Rep-journey-2026"
ADMIN_ONLY = ["Users", "Departments", "Roles", "Audit log", "Modules", "Workspace settings"]


def signup_invite_and_member_journey(visitors, server, subdomain):
    base = server.tenant_url(subdomain)

    # A visitor signs up from the landing page, choosing the Starter plan.
    admin = visitors.new_page()
    admin.goto(f"{server.root_url}/")
    admin.get_by_role("link", name="Start free trial").first.click()
    admin.wait_for_url(f"{server.root_url}/signup/")
    admin.fill("#id_company_name", "Journey Trading")
    admin.fill("#id_subdomain", subdomain)
    admin.fill("#id_admin_name", "Jo Admin")
    admin.fill("#id_admin_email", f"jo@{subdomain}.test")
    admin.fill("#id_admin_password", PASSWORD)
    admin.select_option("#id_plan", "starter")
    admin.get_by_role("button", name="Create workspace").click()

    # ... and lands, signed in, in the new workspace on its own subdomain.
    admin.wait_for_url(f"{base}/")
    expect(admin.get_by_role("status")).to_have_text("Welcome to your new workspace.")
    expect(admin.locator("h1")).to_have_text("Welcome, Jo Admin")
    assert {"Customers", "Users", "Modules"} <= set(sidebar_links(admin))

    # Switching CRM off removes it from the menu and its pages; switching it on brings it back.
    admin.goto(f"{base}/settings/modules/")
    crm = admin.locator('[data-module-card="crm"]')
    expect(crm.locator(".badge")).to_have_text("On")
    crm.get_by_role("button", name="Switch off").click()
    expect(admin.get_by_role("status")).to_have_text("Module disabled. Its data is kept.")
    expect(admin.locator('[data-module-card="crm"] .badge')).to_have_text("Off")
    assert "Customers" not in sidebar_links(admin)
    assert admin.goto(f"{base}/crm/customers/").status == 404

    admin.goto(f"{base}/settings/modules/")
    admin.locator('[data-module-card="crm"]').get_by_role("button", name="Switch on").click()
    expect(admin.get_by_role("status")).to_have_text("Module enabled.")
    expect(admin.locator('[data-module-card="crm"] .badge')).to_have_text("On")
    assert "Customers" in sidebar_links(admin)

    # The admin records a customer of their own.
    admin.get_by_role("link", name="Customers", exact=True).click()
    admin.get_by_role("link", name="New customer").click()
    admin.fill("#id_name", "Admin Account Ltd")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.get_by_role("status")).to_have_text("Customer Admin Account Ltd created.")
    admin_customer_url = admin.url
    assert re.fullmatch(rf"{re.escape(base)}/crm/customers/[0-9a-f-]{{36}}/", admin_customer_url)

    # ... and invites a sales rep.
    admin.goto(f"{base}/settings/users/")
    admin.get_by_role("link", name="Invite someone").click()
    admin.fill("#id_email", f"rita@{subdomain}.test")
    admin.fill("#id_full_name", "Rita Rep")
    admin.get_by_label("Sales rep", exact=True).check()
    admin.get_by_role("button", name="Send invitation").click()
    admin.wait_for_url(f"{base}/settings/users/")
    expect(admin.get_by_role("status")).to_have_text(f"Invitation sent to rita@{subdomain}.test.")

    # The rep follows the emailed link, chooses a password, signs out and signs in.
    links = server.invitation_links(subdomain)
    assert len(links) == 1, links
    rep = visitors.new_page()
    rep.goto(links[0])
    rep.fill("#id_password", REP_PASSWORD)
    rep.fill("#id_confirm", REP_PASSWORD)
    rep.get_by_role("button", name="Save and sign in").click()
    rep.wait_for_url(f"{base}/")
    rep.get_by_role("button", name="Account").click()
    rep.get_by_role("button", name="Sign out").click()
    rep.wait_for_url(f"{base}/accounts/login/")
    sign_in(rep, server, subdomain, f"rita@{subdomain}.test", REP_PASSWORD)
    expect(rep.locator("h1")).to_have_text("Welcome, Rita Rep")

    # The rep sees customers and the product catalogue, nothing of the administration ...
    links = sidebar_links(rep)
    assert {"Workbench", "Customers", "Products"} <= set(links)
    assert [name for name in ADMIN_ONLY if name in links] == []
    for path in ("/settings/users/", "/settings/modules/", "/settings/roles/", "/audit/"):
        assert rep.goto(f"{base}{path}").status == 403, path

    # ... and only their own customers: not the admin's, not even by its address.
    rep.goto(f"{base}/crm/customers/")
    expect(rep.get_by_text("No customers match these filters.")).to_be_visible()
    assert rep.goto(admin_customer_url).status == 404
    rep.goto(f"{base}/crm/customers/new/")
    rep.fill("#id_name", "Rita Prospect")
    rep.get_by_role("button", name="Save", exact=True).click()
    expect(rep.get_by_role("status")).to_have_text("Customer Rita Prospect created.")
    rep.goto(f"{base}/crm/customers/")
    assert rep.locator("[data-testid=customer-table] tbody tr td:first-child").all_inner_texts() == ["Rita Prospect"]

    # The admin sees both.
    admin.goto(f"{base}/crm/customers/")
    names = admin.locator("[data-testid=customer-table] tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == ["Admin Account Ltd", "Rita Prospect"]

    violations = [csp_violations(page) for page in (admin, rep)]
    return {"violations": violations, "console": unexpected_console(visitors.console),
            "page_errors": visitors.page_errors}


def unexpected_console(messages: list[str]) -> list[str]:
    """Console errors and warnings, less the browser's notes about the 403 and
    404 answers the journey asks for on purpose."""
    expected = re.compile(r"error: Failed to load resource: the server responded with a status of (403|404) ")
    return [message for message in messages if not expected.match(message)]


def test_signup_module_switch_invitation_and_role_limited_member(weft_server, browse):
    from core.users.models import User
    from modules.crm.models import Customer

    subdomain = unique_subdomain("journey")
    assert not Tenant.objects.filter(subdomain=subdomain).exists()

    seen = browse(signup_invite_and_member_journey, weft_server, subdomain)

    assert seen == {"violations": [[], []], "console": [], "page_errors": []}
    tenant = Tenant.objects.get(subdomain=subdomain)
    assert (tenant.name, tenant.plan_code, tenant.state) == ("Journey Trading", "starter", "trialing")
    assert set(TenantModule.objects.filter(tenant=tenant, enabled=True).values_list("key", flat=True)) == {
        "crm", "oa"}
    with schema_context(tenant.schema_name):
        rita = User.objects.get(email=f"rita@{subdomain}.test")
        assert rita.is_active and not rita.is_tenant_admin
        assert list(rita.roles.values_list("name", flat=True)) == ["Sales rep"]
        # The real server hashes with the production hasher (Argon2), never in clear.
        assert rita.password.startswith("argon2$argon2id$")
        owners = dict(Customer.objects.values_list("name", "owner__email"))
    assert owners == {"Admin Account Ltd": f"jo@{subdomain}.test", "Rita Prospect": f"rita@{subdomain}.test"}


def language_journey(visitors, server, workspace):
    page = visitors.new_page()
    page.goto(f"{server.root_url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The select submits its form by itself (weft.js, no inline script).
    page.select_option("#language-top", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("link", name="免费试用").first).to_be_visible()
    assert page.url == f"{server.root_url}/"
    page.select_option("#language-top", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Start free trial").first).to_be_visible()

    # Inside a workspace, signed in: the menu follows the language too.
    page.goto(workspace["login_url"])
    page.wait_for_url(f"{workspace['url']}/")
    page.select_option("#language-top", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    zh_links = sidebar_links(page)
    page.select_option("#language-top", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    return {"zh": zh_links, "en": sidebar_links(page), "violations": csp_violations(page),
            "page_errors": visitors.page_errors}


def test_language_switches_to_simplified_chinese_and_back(weft_server, browse):
    workspace = signup_via_api(weft_server, unique_subdomain("lang"))

    seen = browse(language_journey, weft_server, workspace)

    assert {"工作台", "往来单位"} <= set(seen["zh"])
    assert {"Workbench", "Customers"} <= set(seen["en"])
    assert not set(seen["zh"]) & {"Workbench", "Customers"}
    assert (seen["violations"], seen["page_errors"]) == ([], [])


def phone_journey(visitors, server, workspace):
    """{url: (document width, viewport width)} for pages wider than the screen,
    and whether the menu button is there on a phone."""
    page = visitors.new_page(viewport=PHONE)
    too_wide = {}

    def measure(url):
        response = page.goto(url)
        assert response.status == 200, (url, response.status)
        width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > viewport:
            too_wide[url] = (width, viewport)

    for path in PUBLIC_PAGES:
        measure(f"{server.root_url}{path}")
    for path in GUEST_PAGES:
        measure(f"{workspace['url']}{path}")
    page.goto(workspace["login_url"])
    page.wait_for_url(f"{workspace['url']}/")
    for path in ADMIN_PAGES:
        measure(f"{workspace['url']}{path}")

    page.goto(f"{workspace['url']}/")
    menu = page.get_by_role("button", name="Menu")
    sidebar_hidden = not page.locator("#app-sidebar").is_visible()
    menu.click()
    expect(page.locator("#app-sidebar")).to_be_visible()
    return {"too_wide": too_wide, "sidebar_hidden_at_first": sidebar_hidden, "page_errors": visitors.page_errors}


def test_main_pages_fit_a_phone_screen_without_horizontal_scrolling(weft_server, browse):
    workspace = signup_via_api(weft_server, unique_subdomain("phone"))

    seen = browse(phone_journey, weft_server, workspace)

    assert seen == {"too_wide": {}, "sidebar_hidden_at_first": True, "page_errors": []}
