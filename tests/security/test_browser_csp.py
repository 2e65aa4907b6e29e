"""The Content-Security-Policy in a real browser: Chromium loads the main
pages of the root site and of a workspace (and the interactive API docs, whose
one inline script is allowed by its hash) and reports no policy violation,
neither as a securitypolicyviolation event nor in the console, including
while the page's own scripts run (menus, language switch)."""

from __future__ import annotations

import pytest

from tests.browser.chromium import PHONE, csp_violations
from tests.browser.live import unique_subdomain
from tests.browser.pages import ADMIN_PAGES, GUEST_PAGES, PUBLIC_PAGES, sign_in, signup_via_api

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def csp_journey(visitors, server, workspace):
    """{url: [violations]} for every page that had one, plus the console's
    CSP messages and uncaught script errors."""
    found = {}
    page = visitors.new_page()

    def visit(url, then=None):
        response = page.goto(url)
        assert response.status == 200, (url, response.status)
        page.wait_for_load_state("networkidle")
        if then:
            then()
        violations = csp_violations(page)
        if violations:
            found[url] = violations

    def open_account_menu():
        page.get_by_role("button", name="Account").click()
        page.get_by_role("button", name="Sign out").wait_for(state="visible")

    for path in PUBLIC_PAGES + ["/api/docs/"]:
        visit(f"{server.root_url}{path}")
    for path in GUEST_PAGES:
        visit(f"{workspace['url']}{path}")
    page.goto(workspace["login_url"])
    page.wait_for_url(f"{workspace['url']}/")
    for path in ADMIN_PAGES:
        visit(f"{workspace['url']}{path}", then=open_account_menu)
    visit(f"{workspace['url']}/api/docs/", then=lambda: page.locator(".swagger-ui .info").wait_for())

    phone = visitors.new_page(viewport=PHONE)
    sign_in(phone, server, workspace["subdomain"], workspace["email"], workspace["password"])
    phone.get_by_role("button", name="Menu").click()
    phone.locator("#app-sidebar").get_by_role("link", name="Customers", exact=True).click()
    phone.wait_for_url(f"{workspace['url']}/crm/customers/")
    if csp_violations(phone):
        found["phone menu"] = csp_violations(phone)

    console = [line for line in visitors.console if "Content Security Policy" in line or "Refused to" in line]
    return {"violations": found, "console": console, "page_errors": visitors.page_errors}


def test_main_pages_raise_no_csp_violation_in_chromium(weft_server, browse):
    workspace = signup_via_api(weft_server, unique_subdomain("csp"))

    seen = browse(csp_journey, weft_server, workspace)

    assert seen == {"violations": {}, "console": [], "page_errors": []}
