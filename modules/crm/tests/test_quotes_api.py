"""/api/v1/crm/quotes/: happy path (with lines and actions), validation,
permission denied, out of scope, other tenant, module disabled,
unauthenticated, and a constant query count on the list (1 vs 50 rows)."""

from decimal import Decimal

import pytest

from core.approvals import services as approvals
from core.org.models import DataScope
from modules.crm import services
from tests.factories import CustomerFactory, QuoteFactory, QuoteLineFactory, RoleFactory

from .conftest import in_schema, set_module
from .test_opportunities import crm  # noqa: F401 - fixture
from .test_pipeline_api import error_of
from .test_quotes import lines, q, quotes_of  # noqa: F401 - fixtures

URL = "/api/v1/crm/quotes/"


@pytest.fixture
def made(tenant_a, q):
    """A draft quote of R1 (with lines) and one of R2."""
    with in_schema(tenant_a):
        mine = services.quote_create(by=q.org.r1, opportunity=q.opp, lines=lines(q))
        theirs = services.quote_create(by=q.org.r2, customer=q.org.c_r2, title="R2 offer", lines=lines(q)[:1])
    return {"mine": mine, "theirs": theirs}


def body(q):
    return {"opportunity": str(q.opp.pk), "lines": [
        {"product": str(q.pump.pk), "quantity": "3", "discount": "0.15", "tax_rate": "0.13"},
        {"product": str(q.seal.pk), "quantity": "1", "discount": "0.5", "tax_rate": "0.5"},
    ]}


def test_create_read_update_delete(api_for, tenant_a, q):
    client = api_for(tenant_a, q.org.r1)
    created = client.post(URL, body(q), format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert {k: data[k] for k in ("customer", "title", "currency", "state", "subtotal", "tax_total", "total")} == {
        "customer": str(q.org.c_r1.pk), "title": "Line 4", "currency": "CNY", "state": "draft",
        "subtotal": "51.10", "tax_total": "6.70", "total": "57.80"}
    assert [(l["position"], l["product_sku"], l["unit_price"], l["net"], l["tax"], l["total"]) for l in data["lines"]] == [
        (1, "PUMP-1", "19.99", "50.97", "6.63", "57.60"), (2, "SEAL-1", "0.25", "0.13", "0.07", "0.20")]
    url = f"{URL}{data['id']}/"
    patched = client.patch(url, {"title": "Line 4 offer", "lines": body(q)["lines"][:1]}, format="json")
    assert patched.status_code == 200, patched.content
    assert (patched.json()["title"], patched.json()["total"], len(patched.json()["lines"])) == (
        "Line 4 offer", "57.60", 1)
    listed = client.get(URL).json()
    assert listed["count"] == 1 and [l["total"] for l in listed["results"][0]["lines"]] == ["57.60"]
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_submit_approve_won_and_copy(api_for, tenant_a, q, made):
    client = api_for(tenant_a, q.org.r1)
    url = f"{URL}{made['mine'].pk}/"
    submitted = client.post(url + "submit/", {}, format="json")
    assert (submitted.status_code, submitted.json()["state"]) == (200, "pending")
    error = error_of(client.post(url + "won/", {}, format="json"), 409)
    assert error["message"] == "Only an approved quote can be marked won."
    with in_schema(tenant_a):
        from core.approvals.services.engine import open_request_for
        approvals.approval_approve(request=open_request_for(made["mine"]), by=q.org.m)
    won = client.post(url + "won/", {}, format="json")
    assert (won.status_code, won.json()["state"]) == (200, "won")
    assert client.get(f"/api/v1/crm/opportunities/{q.opp.pk}/").json()["stage"] == "won"
    copied = client.post(url + "copy/", {"customer": str(q.org.c_r1.pk)}, format="json")
    assert copied.status_code == 201, copied.content
    assert (copied.json()["copied_from"], copied.json()["state"], copied.json()["total"],
            copied.json()["opportunity"]) == (str(made["mine"].pk), "draft", "57.80", None)
    searched = client.get(URL, {"product": str(q.seal.pk), "customer": str(q.org.c_r1.pk)}).json()
    assert sorted(r["id"] for r in searched["results"]) == sorted([str(made["mine"].pk), copied.json()["id"]])
    assert client.get(URL, {"q": "SEAL-1", "state": "won"}).json()["count"] == 1


def test_lost_needs_a_reason(api_for, tenant_a, q, made):
    client = api_for(tenant_a, q.org.r1)
    url = f"{URL}{made['mine'].pk}/"
    client.post(url + "submit/", {}, format="json")
    with in_schema(tenant_a):
        from core.approvals.services.engine import open_request_for
        approvals.approval_approve(request=open_request_for(made["mine"]), by=q.org.m)
    before = quotes_of(tenant_a)
    assert list(error_of(client.post(url + "lost/", {}, format="json"), 400)["fields"]) == ["lost_reason"]
    assert quotes_of(tenant_a) == before
    lost = client.post(url + "lost/", {"lost_reason": "Too dear"}, format="json")
    assert (lost.status_code, lost.json()["state"], lost.json()["lost_reason"]) == (200, "lost", "Too dear")


def test_validation_errors(api_for, tenant_a, q, made):
    client = api_for(tenant_a, q.org.r1)
    before = quotes_of(tenant_a)
    bad = body(q)
    bad["lines"][0]["discount"] = "1.5"
    error = error_of(client.post(URL, bad, format="json"), 400)
    assert (error["code"], error["fields"]) == ("validation_error", {"lines": [
        "1: discount: Enter a number between 0 and 1."]})
    error = error_of(client.post(URL, {"title": "No customer"}, format="json"), 400)
    assert error["fields"] == {"customer": ["This field is required."]}
    error = error_of(client.patch(f"{URL}{made['mine'].pk}/", {"customer": str(q.org.c_m.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["customer"]
    error = error_of(client.post(f"{URL}{made['mine'].pk}/submit/", {"comment": "x" * 2001}, format="json"), 400)
    assert list(error["fields"]) == ["comment"]
    assert quotes_of(tenant_a) == before


def test_permission_denied(api_for, tenant_a, q, made, make_user):
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["crm.customer.view", "crm.opportunity.view"], data_scope=DataScope.ALL)
    client = api_for(tenant_a, make_user(tenant_a, roles=[role]))
    url = f"{URL}{made['mine'].pk}/"
    before = quotes_of(tenant_a)
    for response in (client.get(URL), client.get(url), client.post(URL, body(q), format="json"),
                     client.patch(url, {"title": "x"}, format="json"), client.delete(url),
                     client.post(url + "submit/", {}, format="json"), client.post(url + "won/", {}, format="json"),
                     client.post(url + "lost/", {"lost_reason": "x"}, format="json"),
                     client.post(url + "copy/", {}, format="json")):
        assert error_of(response, 403)["code"] == "permission_denied"
    assert quotes_of(tenant_a) == before


def test_out_of_scope_is_not_found(api_for, tenant_a, q, made):
    client = api_for(tenant_a, q.org.r1)
    listed = [r["id"] for r in client.get(URL).json()["results"]]
    assert listed == [str(made["mine"].pk)]
    url = f"{URL}{made['theirs'].pk}/"
    before = quotes_of(tenant_a)
    for response in (client.get(url), client.patch(url, {"title": "x"}, format="json"), client.delete(url),
                     client.post(url + "submit/", {}, format="json"), client.post(url + "won/", {}, format="json"),
                     client.post(url + "lost/", {"lost_reason": "x"}, format="json"),
                     client.post(url + "copy/", {}, format="json")):
        assert error_of(response, 404)["code"] == "not_found"
    # references outside the scope: 400 on the field
    assert list(error_of(client.post(URL, {"customer": str(q.org.c_r2.pk), "title": "x"}, format="json"),
                         400)["fields"]) == ["customer"]
    assert list(error_of(client.post(f"{URL}{made['mine'].pk}/copy/", {"customer": str(q.org.c_r2.pk)},
                                     format="json"), 400)["fields"]) == ["customer"]
    assert quotes_of(tenant_a) == before


def test_other_tenant_is_not_found(api_for, tenant_a, tenant_b, admin_b, q, made):
    set_module(tenant_b, "crm", True)
    client = api_for(tenant_b, admin_b)
    url = f"{URL}{made['mine'].pk}/"
    before = quotes_of(tenant_a)
    assert client.get(URL).json()["count"] == 0
    for response in (client.get(url), client.patch(url, {"title": "x"}, format="json"), client.delete(url),
                     client.post(url + "submit/", {}, format="json"), client.post(url + "won/", {}, format="json")):
        assert error_of(response, 404)["code"] == "not_found"
    assert error_of(client.post(URL, body(q), format="json"), 400)["code"] == "validation_error"
    assert quotes_of(tenant_a) == before


def test_module_disabled_and_unauthenticated(api_for, tenant_a, q, made):
    client = api_for(tenant_a, q.org.admin)
    url = f"{URL}{made['mine'].pk}/"
    before = quotes_of(tenant_a)
    for response in (api_for(tenant_a).get(URL), api_for(tenant_a).get(url),
                     api_for(tenant_a).post(url + "submit/", {}, format="json")):
        assert error_of(response, 401)["code"] == "not_authenticated"
    set_module(tenant_a, "crm", False)
    for response in (client.get(URL), client.get(url), client.post(URL, body(q), format="json"),
                     client.post(url + "submit/", {}, format="json")):
        assert error_of(response, 404)["code"] == "module_disabled"
    assert quotes_of(tenant_a) == before
    set_module(tenant_a, "crm", True)
    assert client.get(url).status_code == 200


def test_list_query_count_does_not_grow(api_for, tenant_a, q, django_assert_max_num_queries):
    client = api_for(tenant_a, q.org.m)  # subordinates scope

    def fill(n):
        with in_schema(tenant_a):
            for i in range(n):
                customer = CustomerFactory(owner=(q.org.r1, q.org.r2, q.org.m)[i % 3])
                quote = QuoteFactory(customer=customer, total=Decimal("100.00"))
                QuoteLineFactory(quote=quote, product=q.pump, position=1)

    fill(1)
    client.get(URL)
    with django_assert_max_num_queries(8) as one:
        assert client.get(URL).json()["count"] == 1
    fill(49)
    with django_assert_max_num_queries(8) as fifty:
        page = client.get(URL, {"page_size": 50}).json()
    assert page["count"] == len(page["results"]) == 50
    assert len(fifty.captured_queries) == len(one.captured_queries)
