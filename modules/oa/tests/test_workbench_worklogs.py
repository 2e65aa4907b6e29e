"""The workbench as the landing page, and work logs visible up the manager
chain only (a peer never sees them)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.approvals.models import ApprovalRequest
from core.errors import DomainError
from modules.oa import services
from modules.oa.models import WorkLog

from .conftest import error_of, in_schema, set_module

LOGS = "/api/v1/oa/work-logs/"


def logs_of(tenant):
    with in_schema(tenant):
        return sorted(WorkLog.objects.values_list("id", "author_id", "day", "summary", "next_plan"))


# -------------------------------------------------------------- workbench


def test_home_is_the_workbench_with_pending_approvals(web_for, tenant_a, org):
    with in_schema(tenant_a):
        leave = services.leave_request_create(by=org.r1, starts_on=timezone.localdate(),
                                              ends_on=timezone.localdate())
        services.leave_request_submit(leave=leave, by=org.r1)
        request = ApprovalRequest.objects.get(object_id=leave.pk)
    page = web_for(tenant_a, org.m).get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="workbench"' in html
    assert f'href="/approvals/{request.pk}/"' in html
    rep_page = web_for(tenant_a, org.p).get("/").content.decode()
    assert 'data-testid="workbench"' in rep_page and f"/approvals/{request.pk}/" not in rep_page


def test_home_without_oa_keeps_the_module_overview(web_for, tenant_a, org):
    set_module(tenant_a, "oa", False)
    html = web_for(tenant_a, org.m).get("/").content.decode()
    assert 'data-testid="workbench"' not in html and "Your modules" in html
    assert web_for(tenant_a, org.m).get("/oa/").status_code == 404


# -------------------------------------------------------------- work logs


def test_work_log_is_visible_to_the_manager_chain_not_to_a_peer(api_for, web_for, tenant_a, org):
    with in_schema(tenant_a):
        log = services.worklog_create(by=org.r1, summary="Visited Acme", next_plan="Send the quote")
        services.worklog_create(by=org.p, summary="Support tickets")
    manager_view = api_for(tenant_a, org.m).get(LOGS).json()["results"]
    assert [(row["author_name"], row["summary"]) for row in manager_view] == [("Ray One", "Visited Acme")]
    assert [row["summary"] for row in api_for(tenant_a, org.r2).get(LOGS).json()["results"]] == []
    assert api_for(tenant_a, org.r2).get(f"{LOGS}{log.pk}/").status_code == 404
    assert api_for(tenant_a, org.p).get(f"{LOGS}{log.pk}/").status_code == 404
    assert web_for(tenant_a, org.p).get(f"/oa/work-logs/{log.pk}/").status_code == 404
    assert web_for(tenant_a, org.m).get(f"/oa/work-logs/{log.pk}/").status_code == 200


def test_one_log_per_day_and_no_future_day(tenant_a, org):
    today = timezone.localdate()
    with in_schema(tenant_a):
        services.worklog_create(by=org.r1, summary="First")
        before = logs_of(tenant_a)
        with pytest.raises(DomainError) as twice:
            services.worklog_create(by=org.r1, summary="Second")
        with pytest.raises(DomainError) as future:
            services.worklog_create(by=org.r1, summary="Tomorrow", day=today + timedelta(days=1))
    assert twice.value.code == "conflict"
    assert future.value.fields == {"day": ["A work log cannot be written for a future day."]}
    assert logs_of(tenant_a) == before


def test_api_work_log_write_rules(api_for, tenant_a, tenant_b, admin_b, org):
    rep = api_for(tenant_a, org.r1)
    created = rep.post(LOGS, {"summary": "Calls", "next_plan": "Visits"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["day"] == timezone.localdate().isoformat()
    url = f"{LOGS}{created.json()['id']}/"
    assert rep.patch(url, {"summary": "Calls and a visit"}, format="json").json()["summary"] == "Calls and a visit"
    before = logs_of(tenant_a)
    assert error_of(rep.post(LOGS, {"summary": ""}, format="json"), 400)["code"] == "validation_error"
    # The manager reads the log but may not rewrite it.
    assert error_of(api_for(tenant_a, org.m).patch(url, {"summary": "x"}, format="json"), 403)["code"] == (
        "permission_denied")
    assert error_of(api_for(tenant_a, org.outsider).get(LOGS), 403)["code"] == "permission_denied"
    assert logs_of(tenant_a) == before
    set_module(tenant_b, "oa", True)
    assert api_for(tenant_b, admin_b).get(url).status_code == 404
    assert api_for(tenant_a).get(LOGS).status_code == 401
    set_module(tenant_a, "oa", False)
    assert error_of(rep.get(LOGS), 404)["code"] == "module_disabled"


def test_web_work_log_form(web_for, tenant_a, org):
    client = web_for(tenant_a, org.r1)
    today = timezone.localdate().isoformat()
    assert client.post("/oa/work-logs/new/", {"day": today, "summary": "Quotes"}).status_code == 302
    again = client.post("/oa/work-logs/new/", {"day": today, "summary": "Again"})
    assert again.status_code == 400 and "You already wrote a work log for this day." in again.content.decode()
    assert [row[3] for row in logs_of(tenant_a)] == ["Quotes"]
