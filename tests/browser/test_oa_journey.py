"""OA journey in real Chromium: a rep submits a leave request; their manager
finds it on the workbench (the landing page) and approves it; the rep sees
it approved."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tenants.models import Tenant

from .chromium import csp_violations
from .live import unique_subdomain
from .pages import committed_in, sign_in, signup_via_api

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

STAFF_PASSWORD = "Oa-journey-2026"


def add_staff_committed(schema_name: str) -> None:
    """A manager and their rep, committed (the live server must see them)."""

    def work(hash_password):
        from core.org.models import Role
        from core.users.models import User

        roles = {role.name: role for role in Role.objects.filter(name__in=["Sales rep", "Sales manager"])}
        manager = User.objects.create(email="mona@oa.test", full_name="Mona Manager",
                                      password=hash_password(STAFF_PASSWORD))
        manager.roles.add(roles["Sales manager"])
        rep = User.objects.create(email="rob@oa.test", full_name="Rob Rep", manager=manager,
                                  password=hash_password(STAFF_PASSWORD))
        rep.roles.add(roles["Sales rep"])

    committed_in(schema_name, work)


def leave_journey(visitors, server, subdomain):
    base = server.tenant_url(subdomain)

    rep = visitors.new_page()
    sign_in(rep, server, subdomain, "rob@oa.test", STAFF_PASSWORD)
    expect(rep.get_by_test_id("workbench")).to_be_visible()
    rep.get_by_role("link", name="Request leave").first.click()
    rep.wait_for_url(f"{base}/oa/leave/new/")
    rep.select_option("#id_kind", "annual")
    rep.fill("#id_starts_on", "2026-06-01")
    rep.fill("#id_ends_on", "2026-06-03")
    rep.fill("#id_reason", "Summer holiday")
    rep.get_by_role("button", name="Save").click()
    expect(rep.get_by_role("status")).to_have_text("Leave request saved as a draft. Submit it when ready.")
    leave_url = rep.url
    rep.get_by_role("button", name="Submit for approval").click()
    expect(rep.get_by_role("status")).to_have_text("Leave request submitted for approval.")
    expect(rep.get_by_test_id("document-state")).to_have_text("Waiting for approval")

    manager = visitors.new_page()
    sign_in(manager, server, subdomain, "mona@oa.test", STAFF_PASSWORD)
    pending = manager.get_by_test_id("pending-approvals").get_by_role("link")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("Rob Rep")
    pending.click()
    manager.get_by_role("button", name="Approve").click()
    expect(manager.get_by_role("status")).to_contain_text("You approved")
    manager.goto(f"{base}/")
    expect(manager.get_by_text("Nothing is waiting for you.")).to_be_visible()

    rep.goto(leave_url)
    expect(rep.get_by_test_id("document-state")).to_have_text("Approved")
    return {"violations": [csp_violations(page) for page in (rep, manager)], "page_errors": visitors.page_errors}


def test_rep_requests_leave_and_manager_approves_from_the_workbench(weft_server, browse):
    subdomain = unique_subdomain("oa")
    signup_via_api(weft_server, subdomain, plan="starter")
    tenant = Tenant.objects.get(subdomain=subdomain)
    add_staff_committed(tenant.schema_name)

    seen = browse(leave_journey, weft_server, tenant.subdomain)

    assert seen == {"violations": [[], []], "page_errors": []}
    from modules.oa.models import LeaveRequest

    with schema_context(tenant.schema_name):
        assert list(LeaveRequest.objects.values_list("requester__email", "state", "days")) == [
            ("rob@oa.test", "approved", 3)]
