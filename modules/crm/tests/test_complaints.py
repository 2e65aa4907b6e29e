"""Complaints and feedback: the status machine (invalid moves are 409),
resolution required to resolve, assignment notifications, data scope through
the customer, the API (happy, 400, 403, 404 out of scope, module disabled,
other tenant, query count) and pages."""

from types import SimpleNamespace

import pytest

from core.errors import DomainError, ErrorCode
from core.notifications.models import Notification
from core.org.models import DataScope
from modules.crm import services
from modules.crm.models import Complaint
from tests.factories import CustomerFactory, ProductFactory, RoleFactory, UserFactory

from .conftest import in_schema, set_module
from .test_competitors import grant
from .test_opportunities import crm  # noqa: F401 - fixture
from .test_pipeline_api import error_of

COMPLAINT_PERMISSIONS = [f"crm.complaint.{a}" for a in ("view", "add", "change", "delete", "export")]
URL = "/api/v1/crm/complaints/"


@pytest.fixture
def fb(crm, tenant_a):
    """A complaint on R1's customer, assigned to nobody yet; a product."""
    grant(crm, tenant_a, COMPLAINT_PERMISSIONS)
    with in_schema(tenant_a):
        valve = ProductFactory(sku="VALVE-1", name="Valve")
        complaint = services.complaint_create(by=crm.r1, customer=crm.c_r1, subject="Pump leaks",
                                              description="Seal failed after 2 weeks", severity="high", product=valve)
    return SimpleNamespace(org=crm, valve=valve, complaint=complaint)


def complaints_of(tenant):
    with in_schema(tenant):
        return sorted(Complaint.objects.values_list("id", "status", "subject", "assignee_id", "resolution"))


def move(complaint, by, *steps):
    for status in steps:
        complaint = services.complaint_set_status(complaint=complaint, by=by, status=status,
                                                  resolution="Replaced the seal" if status == "resolved" else "")
    return complaint


# ------------------------------------------------------------------ rules


def test_status_moves_forward_and_resolved_can_reopen(tenant_a, fb):
    with in_schema(tenant_a):
        complaint = move(fb.complaint, fb.org.r1, "in_progress", "resolved")
        assert (complaint.status, complaint.resolution, complaint.resolved_at is not None) == (
            "resolved", "Replaced the seal", True)
        complaint = move(complaint, fb.org.r1, "in_progress")
        assert (complaint.status, complaint.resolved_at) == ("in_progress", None)
        complaint = move(complaint, fb.org.r1, "resolved", "closed")
        assert complaint.status == "closed"


@pytest.mark.parametrize(("path", "target"), [
    ((), "resolved"), ((), "closed"), ((), "open"), (("in_progress",), "closed"), (("in_progress",), "open"),
    (("in_progress", "resolved", "closed"), "in_progress"), (("in_progress", "resolved"), "open"),
])
def test_invalid_moves_are_conflicts(tenant_a, fb, path, target):
    with in_schema(tenant_a):
        complaint = move(fb.complaint, fb.org.r1, *path)
    before = complaints_of(tenant_a)
    with in_schema(tenant_a), pytest.raises(DomainError) as refused:
        services.complaint_set_status(complaint=complaint, by=fb.org.r1, status=target, resolution="x")
    assert refused.value.code == ErrorCode.CONFLICT
    assert complaints_of(tenant_a) == before


def test_resolving_needs_a_resolution(tenant_a, fb):
    with in_schema(tenant_a):
        complaint = move(fb.complaint, fb.org.r1, "in_progress")
        before = complaints_of(tenant_a)
        with pytest.raises(DomainError) as refused:
            services.complaint_set_status(complaint=complaint, by=fb.org.r1, status="resolved", resolution="  ")
        assert refused.value.fields == {"resolution": ["Say how it was resolved."]}
        assert complaints_of(tenant_a) == before


def test_a_closed_complaint_is_not_edited(tenant_a, fb):
    with in_schema(tenant_a):
        complaint = move(fb.complaint, fb.org.r1, "in_progress", "resolved", "closed")
        with pytest.raises(DomainError) as refused:
            services.complaint_update(complaint=complaint, by=fb.org.r1, subject="Changed")
        assert refused.value.code == ErrorCode.CONFLICT


def test_assignee_is_notified(tenant_a, fb):
    with in_schema(tenant_a):
        services.complaint_update(complaint=fb.complaint, by=fb.org.r1, assignee=fb.org.r2)
        services.complaint_update(complaint=fb.complaint, by=fb.org.r1, assignee=fb.org.r2, severity="low")
        services.complaint_update(complaint=fb.complaint, by=fb.org.r1, assignee=fb.org.r1)  # self: no notice
        notes = list(Notification.objects.filter(kind="crm.complaint").values_list("recipient_id", "title", "link"))
    assert notes == [(fb.org.r2.pk, "Assigned to you: Pump leaks (R1 Corp)", f"/crm/complaints/{fb.complaint.pk}/")]


def test_create_rules(tenant_a, fb):
    with in_schema(tenant_a):
        opp = services.opportunity_create(by=fb.org.r1, customer=fb.org.c_r1, project="Line 4")
        complaint = services.complaint_create(by=fb.org.r1, opportunity=opp, subject="Great service", kind="praise")
        assert (complaint.customer_id, complaint.kind, complaint.status) == (fb.org.c_r1.pk, "praise", "open")
        before = complaints_of(tenant_a)
        with pytest.raises(DomainError) as mismatch:
            services.complaint_create(by=fb.org.r1, customer=fb.org.c_m, opportunity=opp, subject="x")
        assert list(mismatch.value.fields) == ["opportunity"]
        with pytest.raises(DomainError) as hidden:
            services.complaint_create(by=fb.org.r1, customer=fb.org.c_r2, subject="x")
        assert hidden.value.fields == {"customer": ["Unknown or outside your data scope."]}
        inactive = UserFactory(is_active=False)
        with pytest.raises(DomainError) as bad:
            services.complaint_create(by=fb.org.r1, customer=fb.org.c_r1, subject="", kind="rant",
                                      assignee=inactive)
        assert bad.value.fields == {"subject": ["This field is required."], "kind": ["Choose a valid option."],
                                    "assignee": ["The assignee must be an active member."]}
        assert complaints_of(tenant_a) == before


def test_scope_follows_the_customer(tenant_a, fb):
    from modules.crm.selectors import complaint_list

    with in_schema(tenant_a):
        services.complaint_create(by=fb.org.r2, customer=fb.org.c_r2, subject="R2 issue")
        assert [c.subject for c in complaint_list(user=fb.org.r1)] == ["Pump leaks"]
        assert complaint_list(user=fb.org.m).count() == 2
        assert complaint_list(user=fb.org.p).count() == 0


# -------------------------------------------------------------------- API


def test_api_create_assign_move_and_filter(api_for, tenant_a, fb):
    client = api_for(tenant_a, fb.org.r1)
    created = client.post(URL, {"customer": str(fb.org.c_r1.pk), "subject": "Late delivery", "kind": "complaint",
                                "severity": "critical", "assignee": str(fb.org.r2.pk)}, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["status"], data["assignee_name"], data["recorded_by"]) == ("open", "Rita Two", str(fb.org.r1.pk))
    url = f"{URL}{data['id']}/"
    assert error_of(client.post(url + "status/", {"status": "closed"}, format="json"), 409)["code"] == "conflict"
    assert client.post(url + "status/", {"status": "in_progress"}, format="json").json()["status"] == "in_progress"
    error = error_of(client.post(url + "status/", {"status": "resolved"}, format="json"), 400)
    assert error["fields"] == {"resolution": ["Say how it was resolved."]}
    resolved = client.post(url + "status/", {"status": "resolved", "resolution": "Expedited"}, format="json").json()
    assert (resolved["status"], resolved["resolution"]) == ("resolved", "Expedited")
    assert [c["subject"] for c in client.get(URL, {"status": "resolved"}).json()["results"]] == ["Late delivery"]
    assert client.get(URL, {"assignee": str(fb.org.r2.pk), "kind": "complaint"}).json()["count"] == 1
    assert client.get(URL, {"status": ["open", "resolved"]}).json()["count"] == 2
    exported = client.get(URL + "export/")
    assert exported.status_code == 200 and "Late delivery" in exported.content.decode("utf-8-sig")
    assert client.patch(url, {"severity": "low"}, format="json").json()["severity"] == "low"
    assert client.delete(url).status_code == 204


def test_api_validation_errors(api_for, tenant_a, fb):
    client = api_for(tenant_a, fb.org.r1)
    before = complaints_of(tenant_a)
    assert error_of(client.post(URL, {"subject": "x"}, format="json"), 400)["fields"] == {
        "customer": ["This field is required."]}
    assert list(error_of(client.post(URL, {"customer": str(fb.org.c_r1.pk), "subject": "x", "kind": "rant"},
                                     format="json"), 400)["fields"]) == ["kind"]
    url = f"{URL}{fb.complaint.pk}/"
    assert list(error_of(client.patch(url, {"customer": str(fb.org.c_m.pk)}, format="json"), 400)["fields"]) == [
        "customer"]
    assert list(error_of(client.post(url + "status/", {"status": "gone"}, format="json"), 400)["fields"]) == [
        "status"]
    assert complaints_of(tenant_a) == before


def test_api_permission_denied(api_for, tenant_a, fb, make_user):
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["crm.customer.view"], data_scope=DataScope.ALL)
        reader_role = RoleFactory(permissions=["crm.complaint.view", "crm.customer.view"], data_scope=DataScope.ALL)
    nobody = api_for(tenant_a, make_user(tenant_a, roles=[role]))
    reader = api_for(tenant_a, make_user(tenant_a, roles=[reader_role]))
    url = f"{URL}{fb.complaint.pk}/"
    before = complaints_of(tenant_a)
    for response in (nobody.get(URL), nobody.get(url),
                     reader.post(URL, {"customer": str(fb.org.c_r1.pk), "subject": "x"}, format="json"),
                     reader.patch(url, {"subject": "x"}, format="json"), reader.delete(url),
                     reader.post(url + "status/", {"status": "in_progress"}, format="json")):
        assert error_of(response, 403)["code"] == "permission_denied"
    assert reader.get(URL + "export/").status_code == 403
    assert reader.get(url).status_code == 200
    assert complaints_of(tenant_a) == before


def test_api_out_of_scope_other_tenant_and_module_disabled(api_for, tenant_a, tenant_b, admin_b, fb):
    rep2 = api_for(tenant_a, fb.org.r2)
    url = f"{URL}{fb.complaint.pk}/"
    before = complaints_of(tenant_a)
    assert rep2.get(URL).json()["count"] == 0
    for response in (rep2.get(url), rep2.patch(url, {"subject": "x"}, format="json"), rep2.delete(url),
                     rep2.post(url + "status/", {"status": "in_progress"}, format="json")):
        assert error_of(response, 404)["code"] == "not_found"
    set_module(tenant_b, "crm", True)
    other = api_for(tenant_b, admin_b)
    for response in (other.get(url), other.post(url + "status/", {"status": "in_progress"}, format="json")):
        assert error_of(response, 404)["code"] == "not_found"
    assert error_of(other.post(URL, {"customer": str(fb.org.c_r1.pk), "subject": "x"}, format="json"),
                    400)["code"] == "validation_error"
    admin = api_for(tenant_a, fb.org.admin)
    set_module(tenant_a, "crm", False)
    for response in (admin.get(URL), admin.get(url), admin.post(url + "status/", {"status": "in_progress"},
                                                                 format="json")):
        assert error_of(response, 404)["code"] == "module_disabled"
    set_module(tenant_a, "crm", True)
    assert complaints_of(tenant_a) == before


def test_list_query_count_does_not_grow(api_for, tenant_a, fb, django_assert_max_num_queries):
    client = api_for(tenant_a, fb.org.m)

    def fill(n):
        with in_schema(tenant_a):
            for i in range(n):
                owner = (fb.org.r1, fb.org.r2, fb.org.m)[i % 3]
                Complaint.objects.create(customer=CustomerFactory(owner=owner), subject=f"S{i}", product=fb.valve,
                                         assignee=owner, recorded_by=owner, received_at=fb.complaint.received_at)

    client.get(URL)
    with django_assert_max_num_queries(8) as one:
        listed = client.get(URL).json()
    assert (listed["count"], listed["results"][0]["assignee_name"]) == (1, None)
    fill(30)
    with django_assert_max_num_queries(8) as many:
        assert len(client.get(URL, {"page_size": 50}).json()["results"]) == 31
    assert len(many.captured_queries) == len(one.captured_queries)


# ------------------------------------------------------------------ pages


def test_complaint_pages(web_for, tenant_a, fb):
    rep = web_for(tenant_a, fb.org.r1)
    listing = rep.get("/crm/complaints/", {"status": "open"})
    html = listing.content.decode()
    assert listing.status_code == 200 and "Pump leaks" in html
    assert "<script>" not in html and 'style="' not in html
    assert rep.get("/crm/complaints/", {"status": "bogus"}).status_code == 400
    new = rep.post("/crm/complaints/new/", {"customer": str(fb.org.c_r1.pk), "kind": "suggestion",
                                            "severity": "low", "subject": "Add a manual"})
    assert new.status_code == 302
    refused = rep.post("/crm/complaints/new/", {"customer": str(fb.org.c_r2.pk), "kind": "suggestion",
                                                "severity": "low", "subject": "x"})
    assert refused.status_code == 400 and list(refused.context["form"].errors) == ["customer"]
    detail_url = f"/crm/complaints/{fb.complaint.pk}/"
    detail = rep.get(detail_url)
    assert detail.status_code == 200 and "Seal failed after 2 weeks" in detail.content.decode()
    status_url = f"/crm/complaints/{fb.complaint.pk}/status/"
    assert rep.post(status_url, {"status": "in_progress"}).status_code == 302
    kept = rep.post(status_url, {"status": "resolved", "resolution": ""})
    assert kept.status_code == 400 and kept.context["status_form"].errors == {
        "resolution": ["Say how it was resolved."]}
    wrong = rep.post(status_url, {"status": "open", "resolution": "typed text"})
    assert wrong.status_code == 409 and wrong.context["status_form"]["resolution"].value() == "typed text"
    edit = rep.post(f"/crm/complaints/{fb.complaint.pk}/edit/", {
        "kind": "complaint", "severity": "critical", "subject": "Pump leaks badly", "assignee": str(fb.org.r2.pk)})
    assert edit.status_code == 302
    with in_schema(tenant_a):
        fb.complaint.refresh_from_db()
        assert (fb.complaint.subject, fb.complaint.assignee_id, fb.complaint.status) == (
            "Pump leaks badly", fb.org.r2.pk, "in_progress")
        assert Notification.objects.filter(kind="crm.complaint", recipient=fb.org.r2).count() == 1
    assert web_for(tenant_a, fb.org.r2).get(detail_url).status_code == 404
    exported = rep.get("/crm/complaints/export/", {"format": "xlsx"})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert rep.post(f"/crm/complaints/{fb.complaint.pk}/delete/").status_code == 302
