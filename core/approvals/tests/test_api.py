"""/api/v1/approvals/: flows, requests and their actions, pending, delegations,
document types and settings — happy path, validation (400), permission (403),
conflicts (409/429), other tenant and out of view (404), unauthenticated (401).
Refused calls leave everything as it was."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.approvals import services
from core.approvals.models import ApprovalRequest, Decision, Delegation, FlowDefinition, FlowVersion
from core.approvals.registry import DocumentType, document_types
from core.notifications.models import Notification
from core.org.models import DataScope
from tenants.models import TenantModule
from tests.factories import RoleFactory

from .conftest import DOC, in_schema, product_queryset

FLOWS = "/api/v1/approvals/flows/"
REQUESTS = "/api/v1/approvals/requests/"
PENDING = "/api/v1/approvals/pending/"
DELEGATIONS = "/api/v1/approvals/delegations/"


def error_of(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


def state_of(tenant, request_id=None):
    """Everything approval actions can change, for "nothing changed" checks."""
    with in_schema(tenant):
        return (
            sorted(ApprovalRequest.objects.values_list("id", "state", "round", "current_step_id", "last_urged_at")),
            Decision.objects.count(), Notification.objects.count(),
            sorted(FlowDefinition.objects.values_list("id", "name", "current_version_id")),
            FlowVersion.objects.count(), Delegation.objects.count(),
        )


@pytest.fixture
def api(api_for, tenant_a, people):
    """api(person) -> a client of tenant A for people.<person>."""
    return lambda who: api_for(tenant_a, getattr(people, who))


@pytest.fixture
def submitted(tenant_a, people, flow):
    with in_schema(tenant_a):
        return services.approval_submit(document=people.cheap, document_type=DOC, by=people.rep)


def flow_body(people, **extra):
    return {"document_type": DOC, "name": "Via API", "steps": [
        {"name": "Manager", "kind": "single", "assignee_type": "manager", "manager_level": 1},
        {"name": "Finance", "kind": "any_of", "assignee_type": "role", "role": str(people.finance_role.pk)},
        {"name": "Director", "kind": "single", "assignee_type": "user", "user": str(people.director.pk),
         "min_amount": "100000.00", "currency": "CNY"},
    ], **extra}


# ------------------------------------------------------------------ flows


def test_flow_crud_and_versions(api, tenant_a, people):
    admin = api("admin")
    created = admin.post(FLOWS, flow_body(people), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["document_type"], body["document_type_title"], body["name"], body["version"], body["is_active"]) == (
        DOC, "Product price", "Via API", 1, True)
    assert [(s["position"], s["name"], s["kind"], s["assignee_type"], s["role_name"], s["manager_level"],
             s["user_name"], s["min_amount"], s["currency"]) for s in body["steps"]] == [
        (1, "Manager", "single", "manager", None, 1, None, None, ""),
        (2, "Finance", "any_of", "role", "Finance", None, None, None, ""),
        (3, "Director", "single", "user", None, None, "Dora Director", "100000.00", "CNY"),
    ]
    url = f"{FLOWS}{body['id']}/"
    listed = admin.get(FLOWS, {"document_type": DOC}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]
    renamed = admin.patch(url, {"name": "Renamed"}, format="json")
    assert renamed.status_code == 200 and (renamed.json()["name"], renamed.json()["version"]) == ("Renamed", 1)
    changed = admin.patch(url, {"steps": flow_body(people)["steps"][:1]}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2 and [s["name"] for s in changed.json()["steps"]] == ["Manager"]
    assert admin.delete(url).status_code == 204
    with in_schema(tenant_a):
        assert FlowDefinition.objects.filter(document_type=DOC).count() == 0


def test_flow_validation_errors(api, tenant_a, people, flow):
    admin = api("admin")
    before = state_of(tenant_a)
    error = error_of(admin.post(FLOWS, flow_body(people), format="json"), 400, "validation_error")
    assert error["fields"] == {"document_type": ["This document type already has a flow; change that one."]}
    error = error_of(admin.post(FLOWS, {"document_type": "x", "name": "X"}, format="json"), 400)
    assert list(error["fields"]) == ["steps"]
    bad = flow_body(people, document_type="other")
    bad["steps"][1]["role"] = str(uuid.uuid4())
    error = error_of(admin.post(FLOWS, bad, format="json"), 400)
    assert list(error["fields"]) == ["steps.1.role"]
    error = error_of(admin.patch(f"{FLOWS}{flow.pk}/", {"steps": [{"name": "", "assignee_type": "manager"}]},
                                 format="json"), 400)
    assert error["fields"] == {"steps.0.name": ["This field may not be blank."]}
    error = error_of(admin.patch(f"{FLOWS}{flow.pk}/", {"steps": [{"name": "Boss", "assignee_type": "manager"}]},
                                 format="json"), 400)
    assert error["fields"] == {"steps.0.manager_level": ["Enter a level from 1 (direct manager) to 10."]}
    assert state_of(tenant_a) == before


def test_flow_permissions(api, api_for, tenant_a, people, flow, make_user):
    before = state_of(tenant_a)
    rep = api("rep")
    error_of(rep.get(FLOWS), 403, "permission_denied")
    error_of(rep.post(FLOWS, flow_body(people, document_type="x"), format="json"), 403)
    error_of(rep.patch(f"{FLOWS}{flow.pk}/", {"name": "Mine"}, format="json"), 403)
    with in_schema(tenant_a):
        viewer_role = RoleFactory(permissions=["core.approval_flow.view"], data_scope=DataScope.OWN)
    viewer = api_for(tenant_a, make_user(tenant_a, roles=[viewer_role]))
    assert viewer.get(FLOWS, {"document_type": DOC}).json()["count"] == 1
    error_of(viewer.delete(f"{FLOWS}{flow.pk}/"), 403)
    assert state_of(tenant_a) == before


def test_flow_used_by_requests_cannot_be_deleted(api, tenant_a, flow, submitted):
    before = state_of(tenant_a)
    error = error_of(api("admin").delete(f"{FLOWS}{flow.pk}/"), 409, "conflict")
    assert error["message"] == ("“Price approval” has been used by requests and cannot be deleted; "
                                "deactivate it instead.")
    assert state_of(tenant_a) == before


def test_flows_of_another_tenant_and_anonymous(api_for, tenant_a, tenant_b, admin_b, flow):
    before = state_of(tenant_a)
    other = api_for(tenant_b, admin_b)
    assert other.get(FLOWS, {"document_type": DOC}).json()["count"] == 0
    error_of(other.get(f"{FLOWS}{flow.pk}/"), 404, "not_found")
    error_of(other.patch(f"{FLOWS}{flow.pk}/", {"name": "Stolen"}, format="json"), 404)
    error_of(other.delete(f"{FLOWS}{flow.pk}/"), 404)
    error_of(api_for(tenant_a).get(FLOWS), 401, "not_authenticated")
    error_of(api_for(tenant_a).post(FLOWS, {}, format="json"), 401)
    assert state_of(tenant_a) == before


# --------------------------------------------------------------- requests


def test_submit_through_the_api(api, tenant_a, people, flow):
    response = api("rep").post(REQUESTS, {"document_type": DOC, "object_id": str(people.cheap.pk),
                                          "comment": "Please"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["title"], body["amount"], body["currency"], body["submitter_name"],
            body["current_step_name"], body["actions"], body["flow_version"]) == (
        "pending", str(people.cheap), "5000.00", "CNY", "Rita Rep", "Manager", ["urge", "withdraw"], 1)
    assert [(s["name"], s["state"], [a["user_name"] for a in s["assignments"]]) for s in body["steps"]] == [
        ("Manager", "active", ["Mark Manager"]), ("Finance", "waiting", ["Ada Accountant", "Ben Bookkeeper"])]
    assert [(d["action"], d["actor_name"], d["comment"]) for d in body["decisions"]] == [
        ("submit", "Rita Rep", "Please")]


def test_submit_refusals(api, api_for, tenant_a, tenant_b, admin_b, people, flow, submitted):
    before = state_of(tenant_a)
    error = error_of(api("rep").post(REQUESTS, {"object_id": str(people.dear.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["document_type"]
    # Olga may not change products: the document is not one she may submit.
    error = error_of(api("outsider").post(REQUESTS, {"document_type": DOC, "object_id": str(people.dear.pk)},
                                          format="json"), 400)
    assert error["fields"] == {"object_id": ["Not found."]}
    error = error_of(api("rep").post(REQUESTS, {"document_type": DOC, "object_id": str(people.cheap.pk)},
                                     format="json"), 409, "conflict")
    assert error["message"] == "This document is already waiting for approval."
    # Beta cannot submit alpha's document (it does not exist there).
    error = error_of(api_for(tenant_b, admin_b).post(
        REQUESTS, {"document_type": DOC, "object_id": str(people.dear.pk)}, format="json"), 400)
    assert error["fields"] == {"object_id": ["Not found."]}
    error_of(api_for(tenant_a).post(REQUESTS, {}, format="json"), 401)
    assert state_of(tenant_a) == before


def test_submit_of_a_disabled_modules_document_is_404(api, tenant_a, people):
    document_types.register(DocumentType(key="test.crm_product", model="catalog.Product", title="CRM product",
                                         queryset=product_queryset, module="crm"))
    try:
        TenantModule.objects.update_or_create(tenant=tenant_a, key="crm", defaults={"enabled": False})
        before = state_of(tenant_a)
        error = error_of(api("rep").post(REQUESTS, {"document_type": "test.crm_product",
                                                    "object_id": str(people.cheap.pk)}, format="json"),
                         404, "module_disabled")
        assert error["message"] == "The CRM module is not enabled for this workspace."
        assert state_of(tenant_a) == before
    finally:
        document_types.unregister("test.crm_product")


def test_who_sees_which_requests(api, api_for, tenant_a, tenant_b, admin_b, people, submitted):
    def ids(client, query=""):
        response = client.get(f"{REQUESTS}{query}")
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    mine = [str(submitted.pk)]
    assert ids(api("rep")) == mine and ids(api("rep"), "?mine=true") == mine
    assert ids(api("manager")) == mine and ids(api("manager"), "?mine=true") == []
    assert ids(api("ada")) == mine  # a later approver follows it too
    assert ids(api("admin")) == mine and ids(api("admin"), "?state=approved") == []
    assert ids(api("outsider")) == []
    assert ids(api_for(tenant_b, admin_b)) == []
    url = f"{REQUESTS}{submitted.pk}/"
    assert api("manager").get(url).json()["actions"] == ["approve", "reject", "return", "transfer", "add_signer"]
    error_of(api("outsider").get(url), 404)
    error_of(api_for(tenant_b, admin_b).get(url), 404)
    error_of(api_for(tenant_a).get(url), 401)


def test_pending_inbox(api, api_for, tenant_a, tenant_b, admin_b, people, submitted):
    def titles(client):
        response = client.get(PENDING)
        assert response.status_code == 200
        return [row["title"] for row in response.json()["results"]]

    assert titles(api("manager")) == [str(people.cheap)]
    assert titles(api("ada")) == [] and titles(api("rep")) == [] and titles(api("admin")) == []
    assert titles(api_for(tenant_b, admin_b)) == []
    error_of(api_for(tenant_a).get(PENDING), 401)
    api("manager").post(f"{REQUESTS}{submitted.pk}/approve/", {}, format="json")
    assert titles(api("manager")) == [] and titles(api("ada")) == titles(api("ben")) == [str(people.cheap)]


def test_approve_walks_the_route_and_refusals_are_409_or_403(api, api_for, tenant_a, tenant_b, admin_b, people,
                                                             submitted):
    url = f"{REQUESTS}{submitted.pk}/approve/"
    before = state_of(tenant_a)
    error = error_of(api("ada").post(url, {}, format="json"), 409, "conflict")
    assert error["message"] == "It is not your turn yet: this request is at step “Manager”."
    error = error_of(api("admin").post(url, {}, format="json"), 403, "permission_denied")
    assert error["message"] == "Only the current approvers of this request can decide on it."
    error_of(api("outsider").post(url, {}, format="json"), 404)  # cannot even see it
    error_of(api_for(tenant_b, admin_b).post(url, {}, format="json"), 404)
    error_of(api_for(tenant_a).post(url, {}, format="json"), 401)
    assert state_of(tenant_a) == before
    response = api("manager").post(url, {"comment": "OK"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["current_step_name"], response.json()["actions"]) == ("Finance", [])
    before = state_of(tenant_a)
    error = error_of(api("manager").post(url, {}, format="json"), 409, "conflict")
    assert error["message"] == "You have already acted on this request; it is now at step “Finance”."
    assert state_of(tenant_a) == before
    assert api("ben").post(url, {}, format="json").json()["state"] == "approved"
    before = state_of(tenant_a)
    error = error_of(api("ada").post(url, {}, format="json"), 409)
    assert error["message"] == "This request is already approved; no more decisions can be taken."
    assert state_of(tenant_a) == before


def test_reject_and_return_need_a_comment(api, tenant_a, people, submitted):
    before = state_of(tenant_a)
    for action in ("reject", "return"):
        error = error_of(api("manager").post(f"{REQUESTS}{submitted.pk}/{action}/", {}, format="json"), 400)
        assert error["fields"] == {"comment": ["This field is required."]}
    assert state_of(tenant_a) == before
    response = api("manager").post(f"{REQUESTS}{submitted.pk}/return/", {"comment": "Fix the price"}, format="json")
    assert (response.status_code, response.json()["state"]) == (200, "returned")
    assert [d["action"] for d in response.json()["decisions"]] == ["submit", "return"]
    again = api("rep").post(REQUESTS, {"document_type": DOC, "object_id": str(people.cheap.pk)}, format="json")
    assert (again.status_code, again.json()["id"], again.json()["round"]) == (201, str(submitted.pk), 2)
    response = api("manager").post(f"{REQUESTS}{submitted.pk}/reject/", {"comment": "No"}, format="json")
    assert (response.status_code, response.json()["state"]) == (200, "rejected")


def test_withdraw_and_urge_are_for_the_submitter(api, tenant_a, people, submitted):
    before = state_of(tenant_a)
    error = error_of(api("manager").post(f"{REQUESTS}{submitted.pk}/withdraw/", {}, format="json"), 403)
    assert error["message"] == "Only the submitter can withdraw a request."
    error_of(api("manager").post(f"{REQUESTS}{submitted.pk}/urge/", {}, format="json"), 403)
    assert state_of(tenant_a) == before
    urged = api("rep").post(f"{REQUESTS}{submitted.pk}/urge/", {"comment": "Soon please"}, format="json")
    assert urged.status_code == 200
    before = state_of(tenant_a)
    error = error_of(api("rep").post(f"{REQUESTS}{submitted.pk}/urge/", {}, format="json"), 429, "throttled")
    assert error["message"].startswith("You urged the approvers less than an hour ago")
    assert state_of(tenant_a) == before
    with in_schema(tenant_a):
        assert list(Notification.objects.filter(kind="approval.urge").values_list("recipient__full_name", "body")) \
            == [("Mark Manager", "Soon please")]
    response = api("rep").post(f"{REQUESTS}{submitted.pk}/withdraw/", {}, format="json")
    assert (response.status_code, response.json()["state"], response.json()["actions"]) == (200, "withdrawn", [])
    error_of(api("rep").post(f"{REQUESTS}{submitted.pk}/withdraw/", {}, format="json"), 409)


def test_transfer_and_add_signer(api, api_for, tenant_a, tenant_b, admin_b, people, submitted, make_user):
    before = state_of(tenant_a)
    error = error_of(api("manager").post(f"{REQUESTS}{submitted.pk}/transfer/", {}, format="json"), 400)
    assert list(error["fields"]) == ["user"]
    beta_user = make_user(tenant_b, full_name="Beta Person")
    error = error_of(api("manager").post(f"{REQUESTS}{submitted.pk}/transfer/", {"user": str(beta_user.pk)},
                                         format="json"), 400)
    assert list(error["fields"]) == ["user"]
    error = error_of(api("manager").post(f"{REQUESTS}{submitted.pk}/transfer/", {"user": str(people.rep.pk)},
                                         format="json"), 400)
    assert error["fields"] == {"user": ["The submitter cannot approve their own request."]}
    error = error_of(api("manager").post(f"{REQUESTS}{submitted.pk}/add-signer/", {"user": str(people.ada.pk)},
                                         format="json"), 400)
    assert list(error["fields"]) == ["position"]
    error_of(api("ada").post(f"{REQUESTS}{submitted.pk}/transfer/", {"user": str(people.ben.pk)}, format="json"),
             409)
    error_of(api_for(tenant_b, admin_b).post(f"{REQUESTS}{submitted.pk}/transfer/", {"user": str(admin_b.pk)},
                                             format="json"), 404)
    assert state_of(tenant_a) == before
    added = api("manager").post(f"{REQUESTS}{submitted.pk}/add-signer/",
                                {"user": str(people.outsider.pk), "position": "before", "comment": "Check"},
                                format="json")
    assert added.status_code == 200, added.content
    assert [(s["name"], s["state"]) for s in added.json()["steps"]] == [
        ("Added signer", "active"), ("Manager", "waiting"), ("Finance", "waiting")]
    # Olga can see and act on it now; she hands it over to Dora.
    moved = api("outsider").post(f"{REQUESTS}{submitted.pk}/transfer/", {"user": str(people.director.pk)},
                                 format="json")
    assert moved.status_code == 200, moved.content
    assert [(a["user_name"], a["state"]) for a in moved.json()["steps"][0]["assignments"]] == [
        ("Olga Outsider", "transferred"), ("Dora Director", "pending")]
    assert [(d["action"], d["target_name"]) for d in moved.json()["decisions"]] == [
        ("submit", None), ("add_signer_before", "Olga Outsider"), ("transfer", "Dora Director")]


def test_delegate_acts_on_behalf_through_the_api(api, tenant_a, people, submitted):
    now = timezone.now()
    created = api("manager").post(DELEGATIONS, {"to_user": str(people.outsider.pk), "starts_at": now.isoformat(),
                                                "ends_at": (now + timedelta(days=2)).isoformat(), "note": "Holiday"},
                                  format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["from_user_name"], created.json()["to_user_name"], created.json()["is_active"]) == (
        "Mark Manager", "Olga Outsider", True)
    assert [r["title"] for r in api("outsider").get(PENDING).json()["results"]] == [str(people.cheap)]
    response = api("outsider").post(f"{REQUESTS}{submitted.pk}/approve/", {}, format="json")
    assert response.status_code == 200
    decision = response.json()["decisions"][-1]
    assert (decision["action"], decision["actor_name"], decision["on_behalf_of_name"]) == (
        "approve", "Olga Outsider", "Mark Manager")


def test_delegations_api(api, api_for, tenant_a, tenant_b, admin_b, people, make_user):
    now = timezone.now()
    body = {"to_user": str(people.ada.pk), "starts_at": now.isoformat(), "ends_at": (now + timedelta(days=1)).isoformat()}
    mine = api("manager").post(DELEGATIONS, body, format="json").json()
    before = state_of(tenant_a)
    error = error_of(api("manager").post(DELEGATIONS, {**body, "to_user": str(people.manager.pk)}, format="json"), 400)
    assert error["fields"] == {"to_user": ["Choose someone else."]}
    error = error_of(api("rep").post(DELEGATIONS, {**body, "from_user": str(people.ben.pk)}, format="json"), 403)
    assert error["message"] == "You can only delegate your own approvals."
    beta_user = make_user(tenant_b)
    error_of(api("rep").post(DELEGATIONS, {**body, "to_user": str(beta_user.pk)}, format="json"), 400)
    error_of(api_for(tenant_b, admin_b).get(f"{DELEGATIONS}{mine['id']}/"), 404)
    error_of(api_for(tenant_b, admin_b).post(f"{DELEGATIONS}{mine['id']}/end/", {}, format="json"), 404)
    error_of(api("rep").get(f"{DELEGATIONS}{mine['id']}/"), 404)
    error_of(api("ada").post(f"{DELEGATIONS}{mine['id']}/end/", {}, format="json"), 403)
    error_of(api_for(tenant_a).get(DELEGATIONS), 401)
    assert state_of(tenant_a) == before
    assert [d["id"] for d in api("ada").get(DELEGATIONS).json()["results"]] == [mine["id"]]
    assert api_for(tenant_b, admin_b).get(DELEGATIONS).json()["count"] == 0
    ended = api("manager").post(f"{DELEGATIONS}{mine['id']}/end/", {}, format="json")
    assert (ended.status_code, ended.json()["is_active"]) == (200, False)
    error_of(api("manager").post(f"{DELEGATIONS}{mine['id']}/end/", {}, format="json"), 409)


def test_document_types_and_settings(api, api_for, tenant_a, tenant_b, admin_b, people, flow):
    listed = api("rep").get("/api/v1/approvals/document-types/").json()
    from core.approvals.registry import document_types

    assert listed["count"] == len(document_types.all())
    assert [row for row in listed["results"] if row["key"] == DOC] == [
        {"key": DOC, "title": "Product price", "has_amount": True, "module": None, "flow": str(flow.pk)}]
    other = api_for(tenant_b, admin_b).get("/api/v1/approvals/document-types/").json()["results"]
    assert [row["flow"] for row in other if row["key"] == DOC] == [None]
    assert api("rep").get("/api/v1/approvals/settings/").json() == {"reminder_after_hours": 24}
    error_of(api("rep").patch("/api/v1/approvals/settings/", {"reminder_after_hours": 4}, format="json"), 403)
    error_of(api("admin").patch("/api/v1/approvals/settings/", {"reminder_after_hours": 0}, format="json"), 400)
    error_of(api_for(tenant_a).get("/api/v1/approvals/settings/"), 401)
    assert api("admin").patch("/api/v1/approvals/settings/", {"reminder_after_hours": 4},
                              format="json").json() == {"reminder_after_hours": 4}
    assert api_for(tenant_b, admin_b).get("/api/v1/approvals/settings/").json() == {"reminder_after_hours": 24}


def test_list_query_count_does_not_grow_with_the_page(api, tenant_a, people, flow, django_assert_max_num_queries):
    from core.catalog.models import Product

    with in_schema(tenant_a):
        for n in range(6):
            product = Product.objects.create(sku=f"Q-{n}", name=f"Q {n}", list_price=Decimal("10.00"))
            services.approval_submit(document=product, document_type=DOC, by=people.rep)
    client = api("manager")
    client.get(PENDING)  # warm the token's last-used stamp
    with django_assert_max_num_queries(12):
        assert client.get(PENDING).json()["count"] == 6
    with django_assert_max_num_queries(12):
        assert client.get(REQUESTS).json()["count"] == 6
