"""/api/v1/crm/{contacts,opportunities,follow-ups,owner-changes,reassignments}/:
for each endpoint the happy path, validation error, permission denied, out of
scope (404), other tenant (404), module disabled (404), unauthenticated (401),
and constant query counts on lists (1 vs 50 rows)."""

import datetime
from types import SimpleNamespace

import pytest
from django_tenants.utils import schema_context

from core.org.models import DataScope
from modules.crm.models import Contact, Customer, FollowUp, Opportunity, OwnerChange, ReassignmentJob
from tests.factories import (
    ContactFactory, CustomerFactory, FollowUpFactory, OpportunityFactory, RoleFactory,
)

from .conftest import in_schema, set_module
from .test_opportunities import crm  # noqa: F401 - fixture

BASE = "/api/v1/crm/"


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def state_of(tenant):
    """Everything a refused call must leave alone."""
    with in_schema(tenant):
        return (
            sorted(Contact.objects.values_list("id", "name", "customer_id")),
            sorted(Opportunity.objects.values_list("id", "project", "stage", "owner_id", "amount")),
            sorted(FollowUp.objects.values_list("id", "summary")),
            OwnerChange.objects.count(), ReassignmentJob.objects.count(),
            sorted(Customer.objects.values_list("id", "owner_id")),
        )


@pytest.fixture
def rows(crm, tenant_a):
    """One row per resource on R1's customer (R1's scope) and on R2's (not R1's)."""
    with in_schema(tenant_a):
        made = {}
        for who, customer in (("r1", crm.c_r1), ("r2", crm.c_r2)):
            opp = OpportunityFactory(customer=customer, project=f"{who} project")
            made[who] = SimpleNamespace(
                contact=ContactFactory(customer=customer, name=f"{who} contact"),
                opportunity=opp,
                follow_up=FollowUpFactory(customer=customer, opportunity=opp, summary=f"{who} call"),
                owner_change=OwnerChange.objects.create(customer=customer, from_owner=crm.m, to_owner=customer.owner,
                                                        by=crm.m),
                job=ReassignmentJob.objects.create(by=getattr(crm, who), to_owner=customer.owner, total=0),
            )
    return made


# resource -> (path, attribute on rows, valid create body, invalid create body -> field, patch body)
RESOURCES = {
    "contacts": ("contacts/", "contact", lambda o: {"customer": str(o.c_r1.pk), "name": "Wang Wu"},
                 lambda o: ({"customer": str(o.c_r1.pk), "name": ""}, "name"), {"title": "CTO"}),
    "opportunities": ("opportunities/", "opportunity",
                      lambda o: {"customer": str(o.c_r1.pk), "project": "New line", "stage": "qualified"},
                      lambda o: ({"customer": str(o.c_r1.pk), "project": "x", "amount": "-5"}, "amount"),
                      {"amount": "99.90"}),
    "follow-ups": ("follow-ups/", "follow_up", lambda o: {"customer": str(o.c_r1.pk), "summary": "Phoned"},
                   lambda o: ({"customer": str(o.c_r1.pk), "summary": "x", "kind": "fax"}, "kind"),
                   {"summary": "Phoned again"}),
}
READ_ONLY = {"owner-changes": ("owner-changes/", "owner_change"), "reassignments": ("reassignments/", "job")}
ALL = {name: spec[:2] for name, spec in RESOURCES.items()} | READ_ONLY


def ids_listed(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


# ---------------------------------------------------------------- happy path


@pytest.mark.parametrize("name", RESOURCES)
def test_crud_happy_path(name, api_for, tenant_a, crm, rows):
    path, attr, valid, _invalid, patch = RESOURCES[name]
    client = api_for(tenant_a, crm.r1)
    created = client.post(BASE + path, valid(crm), format="json")
    assert created.status_code == 201, created.content
    url = f"{BASE}{path}{created.json()['id']}/"
    assert client.get(url).json()["id"] == created.json()["id"]
    updated = client.patch(url, patch, format="json")
    assert updated.status_code == 200, updated.content
    for key, value in patch.items():
        assert updated.json()[key] == value
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_opportunity_create_answers_the_stage_default_and_lock_conflict(api_for, tenant_a, crm, rows):
    client = api_for(tenant_a, crm.r1)
    body = client.post(BASE + "opportunities/", {"customer": str(crm.c_r1.pk), "project": "Mill"},
                       format="json").json()
    assert {k: body[k] for k in ("owner", "department", "stage", "probability", "probability_overridden",
                                 "is_open", "customer_name")} == {
        "owner": str(crm.r1.pk), "department": str(crm.east.pk), "stage": "lead", "probability": 10,
        "probability_overridden": False, "is_open": True, "customer_name": "R1 Corp"}
    before = state_of(tenant_a)
    error = error_of(client.post(BASE + "opportunities/", {"customer": str(crm.c_r1.pk), "project": "MILL"},
                                 format="json"), 409)
    assert (error["code"], error["fields"]) == ("conflict", {"project": [
        "This customer and project are already claimed by Ray One's open opportunity."]})
    assert state_of(tenant_a) == before


def test_opportunity_stage_and_reassign_actions(api_for, tenant_a, crm, rows):
    url = f"{BASE}opportunities/{rows['r1'].opportunity.pk}/"
    manager = api_for(tenant_a, crm.m)
    moved = manager.post(url + "stage/", {"stage": "negotiation"}, format="json")
    assert (moved.status_code, moved.json()["stage"], moved.json()["probability"]) == (200, "negotiation", 75)
    error = error_of(manager.post(url + "stage/", {"stage": "lost"}, format="json"), 400)
    assert error["fields"] == {"lost_reason": ["Say why the opportunity was lost."]}
    handed = manager.post(url + "reassign/", {"owner": str(crm.r2.pk), "reason": "Cover"}, format="json")
    assert (handed.status_code, handed.json()["owner"]) == (200, str(crm.r2.pk))
    changes = manager.get(BASE + "owner-changes/", {"opportunity": str(rows["r1"].opportunity.pk)}).json()
    assert [(c["from_owner"], c["to_owner"], c["reason"]) for c in changes["results"]] == [
        (str(crm.r1.pk), str(crm.r2.pk), "Cover")]


def test_customer_cannot_be_changed_after_creation(api_for, tenant_a, crm, rows):
    before = state_of(tenant_a)
    error = error_of(api_for(tenant_a, crm.m).patch(f"{BASE}opportunities/{rows['r1'].opportunity.pk}/",
                                                    {"customer": str(crm.c_r2.pk)}, format="json"), 400)
    assert error["fields"] == {"customer": ["This cannot be changed after creation."]}
    assert state_of(tenant_a) == before


def test_reassignment_create_runs_the_job(api_for, tenant_a, crm, rows, django_capture_on_commit_callbacks):
    client = api_for(tenant_a, crm.m)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BASE + "reassignments/", {"customers": [str(crm.c_r1.pk)], "to_owner": str(crm.r2.pk),
                                                         "reason": "R1 left"}, format="json")
    assert response.status_code == 202, response.content
    assert {k: response.json()[k] for k in ("status", "total", "done")} == {"status": "queued", "total": 1,
                                                                            "done": 0}
    job = client.get(f"{BASE}reassignments/{response.json()['id']}/").json()
    assert {k: job[k] for k in ("status", "total", "done", "percent", "failed")} == {
        "status": "done", "total": 1, "done": 1, "percent": 100, "failed": {}}
    with in_schema(tenant_a):
        assert Customer.objects.get(pk=crm.c_r1.pk).owner_id == crm.r2.pk
        assert Opportunity.objects.get(pk=rows["r1"].opportunity.pk).owner_id == crm.r2.pk


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize("name", RESOURCES)
def test_validation_error(name, api_for, tenant_a, crm, rows):
    path, _attr, _valid, invalid, _patch = RESOURCES[name]
    body, field = invalid(crm)
    before = state_of(tenant_a)
    error = error_of(api_for(tenant_a, crm.r1).post(BASE + path, body, format="json"), 400)
    assert (error["code"], list(error["fields"])) == ("validation_error", [field])
    assert state_of(tenant_a) == before


def test_reassignment_validation(api_for, tenant_a, crm, rows):
    before = state_of(tenant_a)
    client = api_for(tenant_a, crm.m)
    error = error_of(client.post(BASE + "reassignments/", {"to_owner": str(crm.r2.pk)}, format="json"), 400)
    assert error["fields"] == {"customers": ["Choose the customers, or the owner whose customers move."]}
    error = error_of(client.post(BASE + "reassignments/", {"customers": [str(crm.c_p.pk)],
                                                           "to_owner": str(crm.r2.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["customers"]  # P's customer is outside M's scope
    assert state_of(tenant_a) == before


# --------------------------------------------------------- permission denied


@pytest.mark.parametrize("name", list(ALL))
def test_permission_denied(name, api_for, tenant_a, crm, rows, make_user):
    path, attr = ALL[name]
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["crm.customer.view"] if name != "owner-changes" else [],
                           data_scope=DataScope.ALL)
    client = api_for(tenant_a, make_user(tenant_a, roles=[role]))
    before = state_of(tenant_a)
    row = getattr(rows["r1"], attr)
    assert error_of(client.get(BASE + path), 403)["code"] == "permission_denied"
    assert error_of(client.get(f"{BASE}{path}{row.pk}/"), 403)["code"] == "permission_denied"
    if name in RESOURCES:
        assert error_of(client.post(BASE + path, RESOURCES[name][2](crm), format="json"), 403)
        assert error_of(client.patch(f"{BASE}{path}{row.pk}/", RESOURCES[name][4], format="json"), 403)
        assert error_of(client.delete(f"{BASE}{path}{row.pk}/"), 403)
    if name == "reassignments":
        assert error_of(client.post(BASE + path, {"customers": [str(crm.c_r1.pk)], "to_owner": str(crm.r2.pk)},
                                    format="json"), 403)
    assert state_of(tenant_a) == before


# -------------------------------------------------------------- out of scope


@pytest.mark.parametrize("name", list(ALL))
def test_out_of_scope_is_not_found(name, api_for, tenant_a, crm, rows):
    path, attr = ALL[name]
    client = api_for(tenant_a, crm.r1)
    mine, theirs = getattr(rows["r1"], attr), getattr(rows["r2"], attr)
    listed = ids_listed(client.get(BASE + path))
    assert str(mine.pk) in listed and str(theirs.pk) not in listed
    before = state_of(tenant_a)
    assert error_of(client.get(f"{BASE}{path}{theirs.pk}/"), 404)["code"] == "not_found"
    if name in RESOURCES:
        assert error_of(client.patch(f"{BASE}{path}{theirs.pk}/", RESOURCES[name][4], format="json"), 404)
        assert error_of(client.delete(f"{BASE}{path}{theirs.pk}/"), 404)
    if name == "opportunities":
        assert error_of(client.post(f"{BASE}{path}{theirs.pk}/stage/", {"stage": "won"}, format="json"), 404)
        assert error_of(client.post(f"{BASE}{path}{theirs.pk}/reassign/", {"owner": str(crm.r1.pk)},
                                    format="json"), 404)
    assert state_of(tenant_a) == before


@pytest.mark.parametrize("name", list(RESOURCES))
def test_references_out_of_scope_are_refused(name, api_for, tenant_a, crm, rows):
    path, _attr, valid, _invalid, _patch = RESOURCES[name]
    body = valid(crm) | {"customer": str(crm.c_r2.pk)}
    before = state_of(tenant_a)
    error = error_of(api_for(tenant_a, crm.r1).post(BASE + path, body, format="json"), 400)
    assert list(error["fields"]) == ["customer"]
    assert state_of(tenant_a) == before


def test_manager_sees_the_team(api_for, tenant_a, crm, rows):
    listed = ids_listed(api_for(tenant_a, crm.m).get(BASE + "opportunities/"))
    assert listed == sorted([str(rows["r1"].opportunity.pk), str(rows["r2"].opportunity.pk)])
    assert ids_listed(api_for(tenant_a, crm.p).get(BASE + "opportunities/")) == []


# -------------------------------------------------- other tenant, anonymous


@pytest.mark.parametrize("name", list(ALL))
def test_other_tenant_is_not_found(name, api_for, tenant_a, tenant_b, admin_b, crm, rows):
    path, attr = ALL[name]
    row = getattr(rows["r1"], attr)
    before = state_of(tenant_a)
    client = api_for(tenant_b, admin_b)
    set_module(tenant_b, "crm", True)
    assert str(row.pk) not in ids_listed(client.get(BASE + path))
    assert error_of(client.get(f"{BASE}{path}{row.pk}/"), 404)["code"] == "not_found"
    if name in RESOURCES:
        assert error_of(client.patch(f"{BASE}{path}{row.pk}/", RESOURCES[name][4], format="json"), 404)
        assert error_of(client.delete(f"{BASE}{path}{row.pk}/"), 404)
        # A's customer cannot be referenced from B
        assert error_of(client.post(BASE + path, RESOURCES[name][2](crm), format="json"), 400)
    assert state_of(tenant_a) == before


@pytest.mark.parametrize("name", list(ALL))
def test_unauthenticated(name, api_for, tenant_a, crm, rows):
    path, attr = ALL[name]
    anonymous = api_for(tenant_a)
    before = state_of(tenant_a)
    for response in (anonymous.get(BASE + path), anonymous.get(f"{BASE}{path}{getattr(rows['r1'], attr).pk}/"),
                     anonymous.post(BASE + path, {}, format="json")):
        assert error_of(response, 401)["code"] == "not_authenticated"
    assert state_of(tenant_a) == before


@pytest.mark.parametrize("name", list(ALL))
def test_module_disabled(name, api_for, tenant_a, crm, rows):
    path, attr = ALL[name]
    client = api_for(tenant_a, crm.admin)
    row = getattr(rows["r1"], attr)
    assert client.get(f"{BASE}{path}{row.pk}/").status_code == 200
    before = state_of(tenant_a)
    set_module(tenant_a, "crm", False)
    for response in (client.get(BASE + path), client.get(f"{BASE}{path}{row.pk}/"),
                     client.post(BASE + path, {}, format="json")):
        assert error_of(response, 404)["code"] == "module_disabled"
    assert state_of(tenant_a) == before
    set_module(tenant_a, "crm", True)
    assert client.get(f"{BASE}{path}{row.pk}/").status_code == 200


# --------------------------------------------------------------- query count


def _fill(name, crm, n):
    """``n`` rows of the resource, spread over the team's customers."""
    customers = [CustomerFactory(name=f"Q {i}", owner=(crm.r1, crm.r2, crm.m)[i % 3]) for i in range(n)]
    for i, customer in enumerate(customers):
        if name == "contacts":
            ContactFactory(customer=customer)
        elif name == "opportunities":
            OpportunityFactory(customer=customer)
        elif name == "follow-ups":
            FollowUpFactory(customer=customer, opportunity=OpportunityFactory(customer=customer))
        elif name == "owner-changes":
            OwnerChange.objects.create(customer=customer, opportunity=OpportunityFactory(customer=customer),
                                       from_owner=crm.r1, to_owner=customer.owner, by=crm.m)
        else:
            ReassignmentJob.objects.create(by=(crm.r1, crm.r2, crm.m)[i % 3], to_owner=crm.m, total=1)


@pytest.mark.parametrize("name", list(ALL))
def test_list_query_count_does_not_grow(name, api_for, tenant_a, crm, django_assert_max_num_queries):
    path, _attr = ALL[name]
    client = api_for(tenant_a, crm.m)  # subordinates scope: the heaviest filter
    with in_schema(tenant_a):
        _fill(name, crm, 1)
    client.get(BASE + path)  # warm: tenant lookup cached, token stamped
    with django_assert_max_num_queries(8) as one:
        assert client.get(BASE + path).json()["count"] == 1
    with in_schema(tenant_a):
        _fill(name, crm, 49)
    with django_assert_max_num_queries(8) as fifty:
        body = client.get(BASE + path, {"page_size": 50}).json()
    assert body["count"] == len(body["results"]) == 50
    assert len(fifty.captured_queries) == len(one.captured_queries), [q["sql"] for q in fifty.captured_queries]


def test_follow_up_next_action_via_api_schedules_a_reminder(api_for, tenant_a, crm, rows):
    from core.notifications.models import Reminder

    day = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = api_for(tenant_a, crm.r1).post(BASE + "follow-ups/", {
        "opportunity": str(rows["r1"].opportunity.pk), "summary": "Visit", "kind": "visit",
        "next_action": "Quote", "next_action_on": day}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["customer"] == str(crm.c_r1.pk)
    with schema_context(tenant_a.schema_name):
        assert list(Reminder.objects.filter(object_id=response.json()["id"]).values_list("user_id", flat=True)) == [
            crm.r1.pk]
