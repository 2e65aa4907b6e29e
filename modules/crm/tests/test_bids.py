"""Bids (招投标记录) on opportunities: rules, /api/v1/crm/bids/ (happy path,
validation, permission, scope, other tenant, module switch, query count), the
pages from the opportunity and the board partial crm/board/_bids.html."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.audit.models import AuditEntry
from core.errors import DomainError
from core.org.models import DataScope
from modules.crm import selectors, services
from modules.crm.models import Bid
from tests.factories import CustomerFactory, OpportunityFactory, RoleFactory

from .conftest import in_schema, set_module
from .test_opportunities import crm  # noqa: F401 - fixture
from .test_pipeline_api import error_of

API = "/api/v1/crm/bids/"
BID_PERMISSIONS = [f"crm.bid.{action}" for action in ("view", "add", "change", "delete", "export")]


@pytest.fixture
def tender(crm, tenant_a):
    """Every CRM role may work bids; R1 and R2 each have an opportunity."""
    with in_schema(tenant_a):
        for role in (crm.rep_role, crm.manager_role, crm.head_role):
            role.permissions = role.permissions + BID_PERMISSIONS
            role.save()
        mine = OpportunityFactory(customer=crm.c_r1, project="Water works", currency="USD")
        theirs = OpportunityFactory(customer=crm.c_r2, project="Steel mill")
        theirs_bid = Bid.objects.create(opportunity=theirs, tender_number="T-2", tendering_party="Mill Group",
                                        bid_date=datetime.date(2026, 2, 1), amount=Decimal("900.00"))
    for user in (crm.m, crm.r1, crm.r2, crm.p, crm.head):
        user.__dict__.pop("_weft_access", None)
    crm.mine, crm.theirs, crm.theirs_bid = mine, theirs, theirs_bid
    return crm


def bids_of(tenant):
    with in_schema(tenant):
        return sorted(Bid.objects.values_list("id", "tender_number", "amount", "deposit", "result", "opportunity_id"))


def body(opportunity, **overrides):
    return {"opportunity": str(opportunity.pk), "tender_number": "ZB-2026-017", "tendering_party": "City Water Bureau",
            "bid_date": "2026-03-10", "amount": "125000.50", "deposit": "5000"} | overrides


# ------------------------------------------------------------- rules


def test_bid_defaults_and_audit(tenant_a, tender):
    with in_schema(tenant_a):
        bid = services.bid_create(by=tender.r1, opportunity=tender.mine, tender_number=" ZB-1 ",
                                  tendering_party="City", bid_date=datetime.date(2026, 3, 1), amount="10")
        assert (bid.tender_number, bid.amount, bid.deposit, bid.currency, bid.result) == (
            "ZB-1", Decimal("10.00"), Decimal("0.00"), "USD", "pending")
        bid = services.bid_update(bid=bid, by=tender.r1, result="won", deposit="500.5")
        assert (bid.result, bid.deposit) == ("won", Decimal("500.50"))
        assert list(AuditEntry.objects.filter(object_id=str(bid.pk)).values_list("action", flat=True)
                    .order_by("at")) == ["create", "update"]


def test_bid_validation(tenant_a, tender):
    before = bids_of(tenant_a)
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as caught:
            services.bid_create(by=tender.r1, opportunity=tender.mine, tender_number="", tendering_party=" ",
                                bid_date=None, amount="-1", deposit="1.234", currency="US", result="maybe")
        assert sorted(caught.value.fields) == ["amount", "bid_date", "currency", "deposit", "result",
                                               "tender_number", "tendering_party"]
        with pytest.raises(DomainError) as caught:  # R2's opportunity is outside R1's scope
            services.bid_create(by=tender.r1, opportunity=tender.theirs, tender_number="X", tendering_party="Y",
                                bid_date=datetime.date(2026, 3, 1), amount="1")
        assert list(caught.value.fields) == ["opportunity"]
    assert bids_of(tenant_a) == before


def test_bids_follow_the_opportunity_scope(tenant_a, tender):
    with in_schema(tenant_a):
        mine = services.bid_create(by=tender.r1, opportunity=tender.mine, tender_number="T-1",
                                   tendering_party="Water", bid_date=datetime.date(2026, 3, 1), amount="1")
        assert list(selectors.bid_list(user=tender.r1)) == [mine]
        assert set(selectors.bid_list(user=tender.m)) == {mine, tender.theirs_bid}
        assert list(selectors.bid_list(user=tender.p)) == []


# ------------------------------------------------------------- API


def test_api_create_read_update_delete(api_for, tenant_a, tender):
    client = api_for(tenant_a, tender.r1)
    created = client.post(API, body(tender.mine), format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    shown = ("opportunity_project", "customer_name", "amount", "deposit", "currency", "result")
    assert {k: data[k] for k in shown} == {
        "opportunity_project": "Water works", "customer_name": "R1 Corp", "amount": "125000.50",
        "deposit": "5000.00", "currency": "USD", "result": "pending"}
    url = f"{API}{data['id']}/"
    patched = client.patch(url, {"result": "lost", "notes": "Lowest bidder won"}, format="json")
    assert (patched.status_code, patched.json()["result"]) == (200, "lost")
    assert [r["id"] for r in client.get(API, {"opportunity": str(tender.mine.pk)}).json()["results"]] == [data["id"]]
    assert client.get(API, {"result": "won"}).json()["count"] == 0
    assert "ZB-2026-017" in client.get(f"{API}export/", HTTP_ACCEPT="text/csv").content.decode("utf-8-sig")
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_api_validation_errors(api_for, tenant_a, tender):
    client = api_for(tenant_a, tender.r1)
    before = bids_of(tenant_a)
    error = error_of(client.post(API, body(tender.mine, amount="-5"), format="json"), 400)
    assert (error["code"], error["fields"]) == ("validation_error", {"amount": ["The amount cannot be negative."]})
    assert list(error_of(client.post(API, body(tender.mine, tender_number=""), format="json"), 400)["fields"]) == [
        "tender_number"]
    assert list(error_of(client.post(API, body(tender.mine, result="maybe"), format="json"), 400)["fields"]) == [
        "result"]
    assert list(error_of(client.post(API, body(tender.theirs), format="json"), 400)["fields"]) == ["opportunity"]
    with in_schema(tenant_a):
        mine = Bid.objects.create(opportunity=tender.mine, tender_number="T-9", tendering_party="W",
                                  bid_date=datetime.date(2026, 3, 1), amount=Decimal("1"))
    before = bids_of(tenant_a)
    error = error_of(client.patch(f"{API}{mine.pk}/", {"opportunity": str(tender.theirs.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["opportunity"]
    assert bids_of(tenant_a) == before


def test_api_permission_denied(api_for, tenant_a, tender, make_user):
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["crm.opportunity.view", "crm.bid.view"], data_scope=DataScope.ALL)
    client = api_for(tenant_a, make_user(tenant_a, roles=[role]))
    url = f"{API}{tender.theirs_bid.pk}/"
    before = bids_of(tenant_a)
    assert client.get(url).status_code == 200
    for response in (client.post(API, body(tender.mine), format="json"),
                     client.patch(url, {"result": "won"}, format="json"), client.delete(url),
                     client.get(f"{API}export/", HTTP_ACCEPT="application/json")):
        assert error_of(response, 403)["code"] == "permission_denied"
    assert bids_of(tenant_a) == before


def test_api_out_of_scope_other_tenant_and_module_disabled(api_for, tenant_a, tenant_b, admin_b, tender):
    url = f"{API}{tender.theirs_bid.pk}/"
    before = bids_of(tenant_a)
    rep = api_for(tenant_a, tender.r1)
    assert rep.get(API).json()["count"] == 0
    for response in (rep.get(url), rep.patch(url, {"result": "won"}, format="json"), rep.delete(url)):
        assert error_of(response, 404)["code"] == "not_found"
    set_module(tenant_b, "crm", True)
    other = api_for(tenant_b, admin_b)
    assert other.get(API).json()["count"] == 0
    for response in (other.get(url), other.patch(url, {"result": "won"}, format="json"), other.delete(url)):
        assert error_of(response, 404)["code"] == "not_found"
    assert list(error_of(other.post(API, body(tender.mine), format="json"), 400)["fields"]) == ["opportunity"]
    admin = api_for(tenant_a, tender.admin)
    set_module(tenant_a, "crm", False)
    for response in (admin.get(API), admin.get(url), admin.post(API, body(tender.mine), format="json")):
        assert error_of(response, 404)["code"] == "module_disabled"
    assert bids_of(tenant_a) == before


def test_api_list_query_count_does_not_grow(api_for, tenant_a, tender, django_assert_max_num_queries):
    client = api_for(tenant_a, tender.m)  # subordinates scope

    def fill(n):
        with in_schema(tenant_a):
            for i in range(n):
                customer = CustomerFactory(owner=(tender.r1, tender.r2, tender.m)[i % 3])
                opportunity = OpportunityFactory(customer=customer, owner=customer.owner)
                Bid.objects.create(opportunity=opportunity, tender_number=f"T-{i}", tendering_party="P",
                                   bid_date=datetime.date(2026, 3, 1), amount=Decimal("1"))

    client.get(API)
    with django_assert_max_num_queries(8) as one:
        assert client.get(API).json()["count"] == 1
    fill(49)
    with django_assert_max_num_queries(8) as fifty:
        page = client.get(API, {"page_size": 50}).json()
    assert page["count"] == len(page["results"]) == 50
    assert len(fifty.captured_queries) == len(one.captured_queries)


# ------------------------------------------------------------- pages and partial


def test_bid_pages_from_the_opportunity(web_for, tenant_a, tender):
    rep = web_for(tenant_a, tender.r1)
    new_url = f"/crm/opportunities/{tender.mine.pk}/bids/new/"
    form = rep.get(new_url)
    assert form.status_code == 200 and form.context["form"]["currency"].value() == "USD"
    html = form.content.decode()
    assert "<script>" not in html and 'style="' not in html
    fields = {k: v for k, v in body(tender.mine).items() if k != "opportunity"} | {"currency": "USD",
                                                                                    "result": "pending"}
    assert rep.post(new_url, fields | {"amount": "-1"}).status_code == 400
    created = rep.post(new_url, fields)
    assert (created.status_code, created["Location"]) == (302, f"/crm/opportunities/{tender.mine.pk}/")
    with in_schema(tenant_a):
        bid = Bid.objects.get(opportunity=tender.mine)
    edit_url = f"/crm/bids/{bid.pk}/edit/"
    assert rep.get(edit_url).context["form"]["tender_number"].value() == "ZB-2026-017"
    assert rep.post(edit_url, fields | {"result": "won"}).status_code == 302
    with in_schema(tenant_a):
        bid.refresh_from_db()
        assert bid.result == "won"
    # out of scope: R2's opportunity and bid are not found
    assert rep.get(f"/crm/opportunities/{tender.theirs.pk}/bids/new/").status_code == 404
    assert rep.get(f"/crm/bids/{tender.theirs_bid.pk}/edit/").status_code == 404
    assert rep.post(f"/crm/bids/{tender.theirs_bid.pk}/delete/").status_code == 404
    assert rep.post(f"/crm/bids/{bid.pk}/delete/").status_code == 302
    with in_schema(tenant_a):
        assert not Bid.objects.filter(pk=bid.pk).exists()
    set_module(tenant_a, "crm", False)
    assert rep.get(new_url).status_code == 404


def test_bid_pages_need_the_permissions(web_for, tenant_a, tender, make_user):
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["crm.opportunity.view", "crm.bid.view"], data_scope=DataScope.ALL)
    viewer = web_for(tenant_a, make_user(tenant_a, roles=[role]))
    before = bids_of(tenant_a)
    assert viewer.get(f"/crm/opportunities/{tender.mine.pk}/bids/new/").status_code == 403
    assert viewer.get(f"/crm/bids/{tender.theirs_bid.pk}/edit/").status_code == 403
    assert viewer.post(f"/crm/bids/{tender.theirs_bid.pk}/delete/").status_code == 403
    assert bids_of(tenant_a) == before


def test_board_partial_lists_the_bids(tenant_a, tender):
    request = RequestFactory().get("/")
    request.user = tender.r2
    with in_schema(tenant_a):
        bids = selectors.bid_list(user=tender.r2).filter(opportunity=tender.theirs)
        html = render_to_string("crm/board/_bids.html", {"bids": bids, "can_add_bid": True,
                                                         "opportunity": tender.theirs}, request=request)
        assert "T-2" in html and "Mill Group" in html and f"/crm/bids/{tender.theirs_bid.pk}/edit/" in html
        assert f"/crm/opportunities/{tender.theirs.pk}/bids/new/" in html
        empty = render_to_string("crm/board/_bids.html", {"bids": [], "can_add_bid": False,
                                                          "opportunity": tender.mine}, request=request)
        assert "No bids yet." in empty and "bids/new/" not in empty
