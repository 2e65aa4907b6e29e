"""Approval pages: the inbox with quick decisions, a request with its route,
history and action forms, delegations, and flow administration. Refusals
show the reason with the API's status and change nothing."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.approvals import services
from core.approvals.models import ApprovalRequest, ApprovalSettings, Decision, Delegation, FlowDefinition
from tests.factories import drop_flows

from .conftest import DOC, in_schema

INBOX = "/approvals/"


@pytest.fixture
def submitted(tenant_a, people, flow):
    with in_schema(tenant_a):
        return services.approval_submit(document=people.cheap, document_type=DOC, by=people.rep)


@pytest.fixture
def web(web_for, tenant_a, people):
    return lambda who: web_for(tenant_a, getattr(people, who))


def snapshot(tenant):
    with in_schema(tenant):
        return (sorted(ApprovalRequest.objects.values_list("id", "state", "current_step_id", "last_urged_at")),
                Decision.objects.count())


def rows(response) -> list[str]:
    assert response.status_code == 200
    return [a.title for a in response.context["page_obj"].object_list]


def test_page_names():
    assert reverse("approvals:flow-list") == "/approvals/flows/"
    assert reverse("approvals:inbox") == INBOX
    assert reverse("notifications:inbox") == "/notifications/"
    assert reverse("approval-flow-list") == "/api/v1/approvals/flows/"


def test_inbox_boxes(web, tenant_a, people, submitted):
    assert rows(web("manager").get(INBOX)) == [str(people.cheap)]
    assert rows(web("manager").get(INBOX, {"box": "submitted"})) == []
    assert rows(web("rep").get(INBOX)) == []
    assert rows(web("rep").get(INBOX, {"box": "submitted"})) == [str(people.cheap)]
    assert rows(web("ada").get(INBOX, {"box": "involved"})) == [str(people.cheap)]
    assert rows(web("outsider").get(INBOX, {"box": "involved"})) == []
    html = web("manager").get(INBOX).content.decode()
    assert f'action="/approvals/{submitted.pk}/approve/"' in html
    assert f'formaction="/approvals/{submitted.pk}/reject/"' in html
    response = web("outsider").get(INBOX)
    assert "Nothing is waiting for you." in response.content.decode()


def test_anonymous_visitors_sign_in_first(web_for, tenant_a, submitted):
    anonymous = web_for(tenant_a)
    for url in (INBOX, f"/approvals/{submitted.pk}/", "/approvals/flows/", "/approvals/delegations/"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    before = snapshot(tenant_a)
    assert anonymous.post(f"/approvals/{submitted.pk}/approve/").status_code == 302
    assert snapshot(tenant_a) == before


def test_quick_approve_from_the_inbox_returns_there(web, tenant_a, people, submitted):
    response = web("manager").post(f"/approvals/{submitted.pk}/approve/", {"comment": "Fine", "next": INBOX})
    assert (response.status_code, response["Location"]) == (302, INBOX)
    with in_schema(tenant_a):
        assert ApprovalRequest.objects.get(pk=submitted.pk).current_step.name == "Finance"
    # An outside "next" is not followed.
    response = web("ada").post(f"/approvals/{submitted.pk}/approve/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/approvals/{submitted.pk}/"


def test_quick_reject_without_comment_explains_and_changes_nothing(web, tenant_a, submitted):
    before = snapshot(tenant_a)
    response = web("manager").post(f"/approvals/{submitted.pk}/reject/", {"comment": "", "next": INBOX})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert snapshot(tenant_a) == before


def test_detail_shows_route_history_and_the_right_forms(web, tenant_a, people, submitted):
    manager = web("manager").get(f"/approvals/{submitted.pk}/")
    assert manager.status_code == 200
    html = manager.content.decode()
    assert manager.context["actions"] == ["approve", "reject", "return", "transfer", "add_signer"]
    assert re.findall(r'data-step-state="(\w+)"', html) == ["active", "waiting"]
    assert 'data-action="submit"' in html and "Rita Rep" in html
    assert f'action="/approvals/{submitted.pk}/transfer/"' in html
    assert f'action="/approvals/{submitted.pk}/withdraw/"' not in html
    rep = web("rep").get(f"/approvals/{submitted.pk}/")
    assert rep.context["actions"] == ["urge", "withdraw"]
    assert f'action="/approvals/{submitted.pk}/withdraw/"' in rep.content.decode()
    assert f'action="/approvals/{submitted.pk}/approve/"' not in rep.content.decode()
    assert web("outsider").get(f"/approvals/{submitted.pk}/").status_code == 404
    assert web("admin").get(f"/approvals/{submitted.pk}/").context["actions"] == []


def test_refused_actions_show_the_reason_with_the_api_status(web, tenant_a, people, submitted):
    before = snapshot(tenant_a)
    response = web("ada").post(f"/approvals/{submitted.pk}/approve/", {})
    assert response.status_code == 409
    assert "It is not your turn yet: this request is at step “Manager”." in response.content.decode()
    response = web("admin").post(f"/approvals/{submitted.pk}/approve/", {})
    assert response.status_code == 403
    assert web("outsider").post(f"/approvals/{submitted.pk}/approve/", {}).status_code == 404
    assert web("manager").post(f"/approvals/{submitted.pk}/withdraw/", {}).status_code == 403
    assert web("manager").post(f"/approvals/{submitted.pk}/explode/", {}).status_code == 404
    assert web("manager").get(f"/approvals/{submitted.pk}/approve/").status_code == 405
    assert snapshot(tenant_a) == before
    assert web("manager").post(f"/approvals/{submitted.pk}/approve/", {}).status_code == 302
    response = web("manager").post(f"/approvals/{submitted.pk}/approve/", {})
    assert response.status_code == 409
    assert "You have already acted on this request" in response.content.decode()


def test_transfer_and_add_signer_forms(web, tenant_a, people, submitted):
    response = web("manager").post(f"/approvals/{submitted.pk}/transfer/", {"transfer-user": str(people.rep.pk)})
    assert response.status_code == 400
    assert "The submitter cannot approve their own request." in response.content.decode()
    response = web("manager").post(f"/approvals/{submitted.pk}/add-signer/", {
        "signer-user": str(people.outsider.pk), "signer-position": "after", "signer-comment": "Legal check"})
    assert response.status_code == 302
    response = web("manager").post(f"/approvals/{submitted.pk}/transfer/", {
        "transfer-user": str(people.director.pk), "transfer-comment": "Yours"})
    assert response.status_code == 302
    with in_schema(tenant_a):
        assert list(Decision.objects.filter(request=submitted).order_by("seq").values_list(
            "action", "target__full_name", "comment")) == [
            ("submit", None, ""), ("add_signer_after", "Olga Outsider", "Legal check"),
            ("transfer", "Dora Director", "Yours")]


def test_submitter_urges_once_an_hour_and_withdraws(web, tenant_a, people, submitted):
    assert web("rep").post(f"/approvals/{submitted.pk}/urge/", {"own-comment": "Please"}).status_code == 302
    before = snapshot(tenant_a)
    response = web("rep").post(f"/approvals/{submitted.pk}/urge/", {})
    assert response.status_code == 429
    assert snapshot(tenant_a) == before
    response = web("rep").post(f"/approvals/{submitted.pk}/withdraw/", {"own-comment": "Not needed"})
    assert response.status_code == 302
    with in_schema(tenant_a):
        assert ApprovalRequest.objects.get(pk=submitted.pk).state == "withdrawn"


def test_delegation_page(web, tenant_a, people):
    now = timezone.localtime()
    page = web("manager").get("/approvals/delegations/")
    assert page.status_code == 200
    response = web("manager").post("/approvals/delegations/", {
        "to_user": str(people.outsider.pk), "starts_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"), "note": "Away"})
    assert response.status_code == 302
    with in_schema(tenant_a):
        delegation = Delegation.objects.get()
    assert (delegation.from_user_id, delegation.to_user_id, delegation.note) == (
        people.manager.pk, people.outsider.pk, "Away")
    response = web("manager").post("/approvals/delegations/", {
        "to_user": str(people.ada.pk), "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 400
    assert "Overlaps another delegation." in response.content.decode()
    assert [d.pk for d in web("outsider").get("/approvals/delegations/").context["delegations"]] == [delegation.pk]
    assert list(web("ada").get("/approvals/delegations/").context["delegations"]) == []
    assert web("ada").post(f"/approvals/delegations/{delegation.pk}/end/").status_code == 404
    assert web("manager").post(f"/approvals/delegations/{delegation.pk}/end/").status_code == 302
    with in_schema(tenant_a):
        assert Delegation.objects.get().ends_at <= timezone.now()


def step_post(rows, **flow):
    data = {"steps-TOTAL_FORMS": str(len(rows)), "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "20", **flow}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"steps-{index}-{key}"] = value
    return data


def test_flow_pages_create_edit_and_delete(web, tenant_a, people):
    with in_schema(tenant_a):  # start from no flows: drop the seeded ones and their requests (rolled back)
        ApprovalRequest.objects.all().delete()
        drop_flows()
    admin = web("admin")
    listing = admin.get("/approvals/flows/")
    assert listing.status_code == 200 and 'data-testid="no-flows"' in listing.content.decode()
    assert 'href="/approvals/flows/new/?document_type=test.product_price"' in listing.content.decode()
    form = admin.get("/approvals/flows/new/?document_type=test.product_price")
    assert form.status_code == 200 and form.context["form"].initial["document_type"] == DOC
    assert "approvals/flow_form.js" in form.content.decode()
    rows_ = [
        {"name": "Finance", "kind": "any_of", "assignee_type": "role", "role": str(people.finance_role.pk),
         "ORDER": "2"},
        {"name": "Manager", "kind": "single", "assignee_type": "manager", "manager_level": "1", "ORDER": "1"},
        {"name": "", "kind": "single", "assignee_type": "", "currency": "CNY"},  # left empty: ignored
    ]
    bad = admin.post("/approvals/flows/new/", step_post(
        [{**rows_[1], "manager_level": ""}], document_type=DOC, name="Web flow", is_active="on"))
    assert bad.status_code == 400
    assert "Enter a level from 1 (direct manager) to 10." in bad.content.decode()
    with in_schema(tenant_a):
        assert FlowDefinition.objects.count() == 0
    created = admin.post("/approvals/flows/new/", step_post(rows_, document_type=DOC, name="Web flow",
                                                            is_active="on"))
    assert created.status_code == 302, created.content.decode()[:2000]
    with in_schema(tenant_a):
        flow = FlowDefinition.objects.get()
        assert [s.name for s in flow.current_version.steps.order_by("position")] == ["Manager", "Finance"]
    edit = admin.get(f"/approvals/flows/{flow.pk}/edit/")
    assert edit.status_code == 200 and len(edit.context["formset"].initial_forms) == 2
    data = step_post([{"name": "Manager", "kind": "single", "assignee_type": "manager", "manager_level": "2",
                       "ORDER": "1"}], name="Web flow", is_active="on")
    assert admin.post(f"/approvals/flows/{flow.pk}/edit/", data).status_code == 302
    with in_schema(tenant_a):
        flow.refresh_from_db()
        assert flow.current_version.number == 2
        assert list(flow.current_version.steps.values_list("manager_level", flat=True)) == [2]
    assert admin.get(f"/approvals/flows/{flow.pk}/delete/").status_code == 200
    assert admin.post(f"/approvals/flows/{flow.pk}/delete/").status_code == 302
    with in_schema(tenant_a):
        assert FlowDefinition.objects.count() == 0


def test_flow_pages_are_for_admins_and_flow_managers(web, tenant_a, flow):
    for url in ("/approvals/flows/", "/approvals/flows/new/", f"/approvals/flows/{flow.pk}/edit/",
                f"/approvals/flows/{flow.pk}/delete/"):
        assert web("rep").get(url).status_code == 403
    assert web("rep").post(f"/approvals/flows/{flow.pk}/delete/").status_code == 403
    with in_schema(tenant_a):
        assert FlowDefinition.objects.filter(pk=flow.pk).exists()


def test_reminder_setting_on_the_flow_page(web, tenant_a):
    assert web("admin").post("/approvals/flows/", {"reminder_after_hours": "8"}).status_code == 302
    response = web("admin").post("/approvals/flows/", {"reminder_after_hours": "0"})
    assert response.status_code == 400
    with in_schema(tenant_a):
        assert ApprovalSettings.objects.get().reminder_after_hours == 8


def test_menu_links(web, tenant_a, people):
    html = web("rep").get("/").content.decode()
    sidebar = re.search(r'<nav class="offcanvas-lg.*?</nav>', html, re.S).group(0)
    assert 'href="/approvals/"' in sidebar and 'href="/notifications/"' in sidebar
    assert 'href="/approvals/flows/"' not in sidebar
    admin_sidebar = re.search(r'<nav class="offcanvas-lg.*?</nav>', web("admin").get("/approvals/flows/")
                              .content.decode(), re.S).group(0)
    assert re.findall(r'class="nav-link active"[^>]*href="([^"]+)"', admin_sidebar) == ["/approvals/flows/"]
    inbox_sidebar = re.search(r'<nav class="offcanvas-lg.*?</nav>', web("rep").get(INBOX).content.decode(),
                              re.S).group(0)
    assert re.findall(r'class="nav-link active"[^>]*href="([^"]+)"', inbox_sidebar) == ["/approvals/"]
