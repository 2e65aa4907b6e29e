"""Competitor analysis: competitor products (kind check, prices), exact price
differences, the side-by-side comparison, opportunity competitors (one per
opportunity), their API (happy, 400, 403, 404 out of scope, module disabled,
other tenant, query counts) and pages."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from core.audit.models import AuditEntry
from core.errors import DomainError, ErrorCode
from core.org.models import DataScope
from modules.crm import selectors, services
from modules.crm.models import CompetitorProduct, OpportunityCompetitor
from modules.crm.models.competitors import price_difference
from tests.factories import CategoryFactory, CustomerFactory, OpportunityFactory, ProductFactory, RoleFactory

from .conftest import in_schema, set_module
from .test_opportunities import crm  # noqa: F401 - fixture
from .test_pipeline_api import error_of

COMPETITOR_PERMISSIONS = [f"crm.competitor.{a}" for a in ("view", "add", "change", "delete", "export")]
PRODUCTS = "/api/v1/crm/competitor-products/"
ENTRIES = "/api/v1/crm/opportunity-competitors/"


def grant(org, tenant, permissions):
    """Give every role of the conftest org ``permissions`` too."""
    with in_schema(tenant):
        for role in (org.rep_role, org.manager_role, org.head_role):
            role.permissions = role.permissions + list(permissions)
            role.save()
        for user in (org.m, org.r1, org.r2, org.p, org.head):
            user.__dict__.pop("_weft_access", None)


@pytest.fixture
def comp(crm, tenant_a):
    """R1 owns the competitor "Rival Pumps" and an opportunity; R2 owns "R2 Rival".
    Our pump (19.99 CNY) sits in Pumps › Small pumps."""
    grant(crm, tenant_a, COMPETITOR_PERMISSIONS)
    with in_schema(tenant_a):
        pumps = CategoryFactory(name="Pumps")
        small = CategoryFactory(name="Small pumps", parent=pumps)
        pump = ProductFactory(sku="PUMP-1", name="Pump", list_price=Decimal("19.99"), currency="CNY", category=small)
        seal = ProductFactory(sku="SEAL-1", name="Seal", list_price=Decimal("0.00"), currency="CNY", category=pumps)
        rival = CustomerFactory(name="Rival Pumps", kind="competitor", owner=crm.r1)
        rival_r2 = CustomerFactory(name="R2 Rival", kind="competitor", owner=crm.r2)
        opp = services.opportunity_create(by=crm.r1, customer=crm.c_r1, project="Line 4", currency="CNY")
        opp_r2 = services.opportunity_create(by=crm.r2, customer=crm.c_r2, project="R2 line")
    return SimpleNamespace(org=crm, pumps=pumps, small=small, pump=pump, seal=seal, rival=rival, rival_r2=rival_r2,
                           opp=opp, opp_r2=opp_r2)


def state_of(tenant):
    """Everything a refused call must leave alone."""
    with in_schema(tenant):
        return (sorted(CompetitorProduct.objects.values_list("id", "name", "price", "currency", "our_product_id")),
                sorted(OpportunityCompetitor.objects.values_list("id", "quoted_price", "threat_level", "notes")))


# ------------------------------------------------------------------ rules


@pytest.mark.parametrize(("ours", "theirs", "expected"), [
    ("19.99", "17.49", (Decimal("-2.50"), Decimal("-12.51"))),  # 12.5062… → 12.51
    ("0.10", "0.30", (Decimal("0.20"), Decimal("200.00"))),  # no binary-float drift
    ("0.03", "0.01", (Decimal("-0.02"), Decimal("-66.67"))),
    ("8.00", "8.02", (Decimal("0.02"), Decimal("0.25"))),  # exactly half a cent of a percent: half up
    ("0.00", "5.00", (Decimal("5.00"), None)),  # no percentage of nothing
])
def test_price_difference_is_exact(ours, theirs, expected):
    assert price_difference(Decimal(ours), "CNY", Decimal(theirs), "CNY") == expected


def test_price_difference_needs_both_prices_in_one_currency():
    assert price_difference(Decimal(10), "CNY", Decimal(2), "USD") is None
    assert price_difference(Decimal(10), "CNY", None, "CNY") is None


def test_a_competitor_product_belongs_to_a_competitor(tenant_a, comp):
    before = state_of(tenant_a)
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as refused:
            services.competitor_product_create(by=comp.org.r1, competitor=comp.org.c_r1, name="Pump X")
        assert refused.value.fields == {"competitor": [
            "“R1 Corp” is not a competitor; set its kind to competitor in the customer file first."]}
    assert state_of(tenant_a) == before
    with in_schema(tenant_a):  # competitor intelligence is shared: R1 may add to R2's competitor file
        assert services.competitor_product_create(by=comp.org.r1, competitor=comp.rival_r2, name="Pump X").pk


def test_competitor_product_fields_are_validated(tenant_a, comp):
    with in_schema(tenant_a):
        comp.seal.is_active = False
        comp.seal.save()
        with pytest.raises(DomainError) as refused:
            services.competitor_product_create(by=comp.org.r1, competitor=comp.rival, name=" ", price="1.005",
                                               currency="yuan", our_product=comp.seal)
        assert refused.value.fields == {
            "name": ["This field is required."], "price": ["Use at most two decimal places."],
            "currency": ["Use a three-letter currency code."], "our_product": ["This product is no longer sold."]}
        product = services.competitor_product_create(by=comp.org.r1, competitor=comp.rival, name="Pump X",
                                                     price="17.5", currency="cny", our_product=comp.pump)
        assert (product.price, product.currency) == (Decimal("17.50"), "CNY")
        product = services.competitor_product_update(product=product, by=comp.org.r1, price=None, strengths="Cheap")
        assert (product.price, product.strengths) == (None, "Cheap")
        assert list(AuditEntry.objects.filter(object_id=str(product.pk)).values_list("action", flat=True)
                    .order_by("at")) == ["create", "update"]


def test_comparison_by_product_and_by_category_tree(tenant_a, comp):
    with in_schema(tenant_a):
        services.competitor_product_create(by=comp.org.r1, competitor=comp.rival, name="RP-20", price="17.49",
                                           our_product=comp.pump, weaknesses="Loud")
        services.competitor_product_create(by=comp.org.r1, competitor=comp.rival, name="RP-US", price="3",
                                           currency="USD", our_product=comp.pump)
        services.competitor_product_create(by=comp.org.r2, competitor=comp.rival_r2, name="Shared", price="1",
                                           our_product=comp.pump)
        rows = selectors.competitor_comparison(user=comp.org.r1, product=comp.pump)
        assert [(r["product"].sku, [(x["item"].name, x["difference"], x["percent"]) for x in r["rivals"]])
                for r in rows] == [("PUMP-1", [("Shared", Decimal("-18.99"), Decimal("-95.00")),
                                               ("RP-20", Decimal("-2.50"), Decimal("-12.51")),
                                               ("RP-US", None, None)])]
        by_tree = selectors.competitor_comparison(user=comp.org.r1, category=comp.pumps)
        assert [r["product"].sku for r in by_tree] == ["PUMP-1", "SEAL-1"]
        assert len(selectors.competitor_comparison(user=comp.org.m, product=comp.pump)[0]["rivals"]) == 3
        assert selectors.competitor_comparison(user=comp.org.r1) == []


def test_a_competitor_appears_once_per_opportunity(tenant_a, comp):
    with in_schema(tenant_a):
        entry = services.opportunity_competitor_add(by=comp.org.r1, opportunity=comp.opp, competitor=comp.rival,
                                                    quoted_price="99.9", threat_level="high")
        assert (entry.quoted_price, entry.currency, entry.threat_level) == (Decimal("99.90"), "CNY", "high")
        before = state_of(tenant_a)
        with pytest.raises(DomainError) as twice:
            services.opportunity_competitor_add(by=comp.org.r1, opportunity=comp.opp, competitor=comp.rival)
        assert twice.value.code == ErrorCode.CONFLICT
        assert twice.value.fields == {"competitor": [
            "Rival Pumps is already listed as a competitor on this opportunity."]}
        with pytest.raises(DomainError) as bad:
            services.opportunity_competitor_update(entry=entry, by=comp.org.r1, threat_level="extreme")
        assert bad.value.fields == {"threat_level": ["Choose a valid option."]}
        with pytest.raises(DomainError) as customer:
            services.opportunity_competitor_add(by=comp.org.r1, opportunity=comp.opp, competitor=comp.org.c_r1)
        assert list(customer.value.fields) == ["competitor"]
        with pytest.raises(DomainError) as foreign:
            services.opportunity_competitor_add(by=comp.org.r1, opportunity=comp.opp_r2, competitor=comp.rival)
        assert foreign.value.fields == {"opportunity": ["Unknown or outside your data scope."]}
    assert state_of(tenant_a) == before


def test_opportunity_competitor_list_follows_the_opportunity_scope(tenant_a, comp):
    with in_schema(tenant_a):
        services.opportunity_competitor_add(by=comp.org.r1, opportunity=comp.opp, competitor=comp.rival)
        services.opportunity_competitor_add(by=comp.org.r2, opportunity=comp.opp_r2, competitor=comp.rival_r2)
        assert [e.opportunity.project for e in selectors.opportunity_competitor_list(user=comp.org.r1)] == ["Line 4"]
        assert selectors.opportunity_competitor_list(user=comp.org.m).count() == 2
        assert selectors.opportunity_competitor_list(user=comp.org.p).count() == 0


# -------------------------------------------------------------------- API


def test_api_products_crud_compare_and_export(api_for, tenant_a, comp):
    client = api_for(tenant_a, comp.org.r1)
    created = client.post(PRODUCTS, {"competitor": str(comp.rival.pk), "name": "RP-20", "model": "20 m³/h",
                                     "price": "17.49", "our_product": str(comp.pump.pk)}, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert {k: data[k] for k in ("competitor_name", "price", "currency", "our_product_sku")} == {
        "competitor_name": "Rival Pumps", "price": "17.49", "currency": "CNY", "our_product_sku": "PUMP-1"}
    url = f"{PRODUCTS}{data['id']}/"
    assert client.patch(url, {"strategy": "Bundle service"}, format="json").json()["strategy"] == "Bundle service"
    compared = client.get(f"{PRODUCTS}compare/", {"category": str(comp.pumps.pk)})
    assert compared.status_code == 200, compared.content
    assert [(r["product_sku"], r["list_price"], [(x["competitor_product"]["name"], x["difference"], x["percent"])
                                                 for x in r["rivals"]]) for r in compared.json()] == [
        ("PUMP-1", "19.99", [("RP-20", "-2.50", "-12.51")]), ("SEAL-1", "0.00", [])]
    exported = client.get(f"{PRODUCTS}export/")
    assert exported.status_code == 200 and "RP-20" in exported.content.decode("utf-8-sig")
    competitors = client.get("/api/v1/crm/competitors/").json()
    assert [(c["name"], c["product_count"]) for c in competitors["results"]] == [("R2 Rival", 0), ("Rival Pumps", 1)]
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_api_opportunity_competitors(api_for, tenant_a, comp):
    client = api_for(tenant_a, comp.org.r1)
    body = {"opportunity": str(comp.opp.pk), "competitor": str(comp.rival.pk), "quoted_price": "950000",
            "threat_level": "high"}
    created = client.post(ENTRIES, body, format="json")
    assert created.status_code == 201, created.content
    assert {k: created.json()[k] for k in ("opportunity_project", "competitor_name", "quoted_price", "currency")} == {
        "opportunity_project": "Line 4", "competitor_name": "Rival Pumps", "quoted_price": "950000.00",
        "currency": "CNY"}
    before = state_of(tenant_a)
    conflict = error_of(client.post(ENTRIES, body, format="json"), 409)
    assert conflict["fields"] == {"competitor": ["Rival Pumps is already listed as a competitor on this opportunity."]}
    url = f"{ENTRIES}{created.json()['id']}/"
    assert list(error_of(client.patch(url, {"competitor": str(comp.rival_r2.pk)}, format="json"), 400)["fields"]) == [
        "competitor"]
    assert state_of(tenant_a) == before
    patched = client.patch(url, {"threat_level": "low", "notes": "Lost their key engineer"}, format="json")
    assert (patched.json()["threat_level"], patched.json()["notes"]) == ("low", "Lost their key engineer")
    assert client.get(ENTRIES, {"opportunity": str(comp.opp.pk)}).json()["count"] == 1
    assert client.delete(url).status_code == 204


def test_api_validation_errors(api_for, tenant_a, comp):
    client = api_for(tenant_a, comp.org.r1)
    before = state_of(tenant_a)
    error = error_of(client.post(PRODUCTS, {"competitor": str(comp.org.c_r1.pk), "name": "X"}, format="json"), 400)
    assert error["fields"] == {"competitor": [
        "“R1 Corp” is not a competitor; set its kind to competitor in the customer file first."]}
    error = error_of(client.post(PRODUCTS, {"competitor": str(comp.rival.pk), "name": "X", "price": "-1"},
                                 format="json"), 400)
    assert error["fields"] == {"price": ["The amount cannot be negative."]}
    assert list(error_of(client.get(f"{PRODUCTS}compare/", {"product": "not-an-id"}), 400)["fields"]) == ["product"]
    assert list(error_of(client.post(ENTRIES, {"opportunity": str(comp.opp.pk)}, format="json"), 400)["fields"]) == [
        "competitor"]
    assert state_of(tenant_a) == before


def test_api_permission_denied(api_for, tenant_a, comp, make_user):
    with in_schema(tenant_a):
        product = services.competitor_product_create(by=comp.org.r1, competitor=comp.rival, name="RP-20")
        role = RoleFactory(permissions=["crm.customer.view", "crm.opportunity.view"], data_scope=DataScope.ALL)
        viewer = RoleFactory(permissions=["crm.competitor.view"], data_scope=DataScope.ALL)
    nobody = api_for(tenant_a, make_user(tenant_a, roles=[role]))
    reader = api_for(tenant_a, make_user(tenant_a, roles=[viewer]))
    url = f"{PRODUCTS}{product.pk}/"
    before = state_of(tenant_a)
    for response in (nobody.get(PRODUCTS), nobody.get(url), nobody.get(f"{PRODUCTS}compare/"), nobody.get(ENTRIES),
                     nobody.get("/api/v1/crm/competitors/"),
                     reader.post(PRODUCTS, {"competitor": str(comp.rival.pk), "name": "X"}, format="json"),
                     reader.patch(url, {"name": "X"}, format="json"), reader.delete(url),
                     reader.post(ENTRIES, {"opportunity": str(comp.opp.pk), "competitor": str(comp.rival.pk)},
                                 format="json")):
        assert error_of(response, 403)["code"] == "permission_denied"
    assert reader.get(f"{PRODUCTS}export/").status_code == 403
    assert reader.get(url).status_code == 200
    assert state_of(tenant_a) == before


def test_api_out_of_scope_other_tenant_and_module_disabled(api_for, tenant_a, tenant_b, admin_b, comp):
    with in_schema(tenant_a):
        theirs = services.competitor_product_create(by=comp.org.r2, competitor=comp.rival_r2, name="R2 pump")
        entry = services.opportunity_competitor_add(by=comp.org.r2, opportunity=comp.opp_r2, competitor=comp.rival_r2)
    rep = api_for(tenant_a, comp.org.r1)
    before = state_of(tenant_a)
    for url in (f"{ENTRIES}{entry.pk}/",):  # the entry follows R2's opportunity: out of R1's scope
        for response in (rep.get(url), rep.patch(url, {"notes": "x"}, format="json"), rep.delete(url)):
            assert error_of(response, 404)["code"] == "not_found"
    # competitor files are shared company-wide: R1 reads R2's competitor and its products
    assert rep.get(f"{PRODUCTS}{theirs.pk}/").status_code == 200
    assert rep.get(f"/api/v1/crm/competitors/{comp.rival_r2.pk}/").status_code == 200
    assert rep.get(PRODUCTS).json()["count"] == 1
    set_module(tenant_b, "crm", True)
    other = api_for(tenant_b, admin_b)
    for response in (other.get(f"{PRODUCTS}{theirs.pk}/"), other.delete(f"{ENTRIES}{entry.pk}/")):
        assert error_of(response, 404)["code"] == "not_found"
    assert other.get(PRODUCTS).json()["count"] == 0
    assert error_of(other.post(PRODUCTS, {"competitor": str(comp.rival.pk), "name": "X"}, format="json"),
                    400)["code"] == "validation_error"
    admin = api_for(tenant_a, comp.org.admin)
    set_module(tenant_a, "crm", False)
    for response in (admin.get(PRODUCTS), admin.get(f"{PRODUCTS}{theirs.pk}/"), admin.get(ENTRIES),
                     admin.get(f"{PRODUCTS}compare/")):
        assert error_of(response, 404)["code"] == "module_disabled"
    set_module(tenant_a, "crm", True)
    assert state_of(tenant_a) == before


@pytest.mark.parametrize("url", [PRODUCTS, ENTRIES, "/api/v1/crm/competitors/"])
def test_list_query_counts_do_not_grow(url, api_for, tenant_a, comp, django_assert_max_num_queries):
    client = api_for(tenant_a, comp.org.m)

    def fill(n):
        with in_schema(tenant_a):
            for i in range(n):
                owner = (comp.org.r1, comp.org.r2, comp.org.m)[i % 3]
                rival = CustomerFactory(kind="competitor", owner=owner)
                CompetitorProduct.objects.create(competitor=rival, name=f"P{i}", price=Decimal("1.00"),
                                                 our_product=comp.pump)
                opportunity = OpportunityFactory(customer=CustomerFactory(owner=owner))
                OpportunityCompetitor.objects.create(opportunity=opportunity, competitor=rival)

    start = client.get(url).json()["count"]
    fill(1)
    with django_assert_max_num_queries(8) as one:
        assert client.get(url).json()["count"] == start + 1
    fill(29)
    with django_assert_max_num_queries(8) as many:
        assert len(client.get(url, {"page_size": 50}).json()["results"]) == start + 30
    assert len(many.captured_queries) == len(one.captured_queries)


# ------------------------------------------------------------------ pages


def no_inline_script(html):
    assert "<script>" not in html and "onclick" not in html and 'style="' not in html


def test_competitor_pages(web_for, tenant_a, comp):
    with in_schema(tenant_a):
        services.competitor_product_create(by=comp.org.r1, competitor=comp.rival, name="RP-20", price="17.49",
                                           our_product=comp.pump)
        services.opportunity_competitor_add(by=comp.org.r1, opportunity=comp.opp, competitor=comp.rival)
    rep = web_for(tenant_a, comp.org.r1)
    listing = rep.get("/crm/competitors/")
    html = listing.content.decode()
    assert listing.status_code == 200 and "Rival Pumps" in html and "R2 Rival" in html  # shared company-wide
    no_inline_script(html)
    detail = rep.get(f"/crm/competitors/{comp.rival.pk}/").content.decode()
    assert "RP-20" in detail and "Line 4" in detail
    compare = rep.get("/crm/competitors/compare/", {"product": str(comp.pump.pk)})
    assert compare.status_code == 200
    assert "-2.50" in compare.content.decode() and "-12.51%" in compare.content.decode()
    assert rep.get("/crm/competitors/compare/").status_code == 200
    assert rep.get(f"/crm/competitors/{comp.rival_r2.pk}/").status_code == 200
    exported = rep.get("/crm/competitors/export/", {"format": "csv"})
    assert exported.status_code == 200 and "RP-20" in exported.content.decode("utf-8-sig")


def test_competitor_product_form(web_for, tenant_a, comp):
    rep = web_for(tenant_a, comp.org.r1)
    url = f"/crm/competitors/{comp.rival.pk}/products/new/"
    assert rep.get(url).status_code == 200
    refused = rep.post(url, {"name": "RP-30", "currency": "CNY", "price": "-5"})
    assert refused.status_code == 400 and refused.context["form"].errors == {
        "price": ["The amount cannot be negative."]}
    assert rep.post(url, {"name": "RP-30", "currency": "CNY", "price": "21",
                          "our_product": str(comp.pump.pk)}).status_code == 302
    with in_schema(tenant_a):
        product = CompetitorProduct.objects.get()
    edit = f"/crm/competitor-products/{product.pk}/edit/"
    assert rep.post(edit, {"name": "RP-30", "currency": "CNY", "price": "22"}).status_code == 302
    assert rep.post(f"/crm/competitor-products/{product.pk}/delete/").status_code == 302
    with in_schema(tenant_a):
        assert not CompetitorProduct.objects.exists()
    assert web_for(tenant_a, comp.org.r2).get(edit).status_code == 404


def test_opportunity_competitor_form_and_board_partial(web_for, tenant_a, comp):
    rep = web_for(tenant_a, comp.org.r1)
    url = f"/crm/opportunities/{comp.opp.pk}/competitors/new/"
    page = rep.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["competitor"].queryset) == [comp.rival_r2, comp.rival]
    assert rep.post(url, {"competitor": str(comp.rival.pk), "threat_level": "high",
                          "quoted_price": "10"}).status_code == 302
    twice = rep.post(url, {"competitor": str(comp.rival.pk), "threat_level": "low"})
    assert twice.status_code == 400 and twice.context["form"].errors == {
        "competitor": ["Rival Pumps is already listed as a competitor on this opportunity."]}
    with in_schema(tenant_a):
        entry = OpportunityCompetitor.objects.get()
        entries = selectors.opportunity_competitor_list(user=comp.org.r1).filter(opportunity=comp.opp)
        html = render_to_string("crm/board/_competitors.html", {
            "opportunity_competitors": entries, "can_add_competitor": True, "opportunity": comp.opp,
            "access": SimpleNamespace(is_admin=False, permissions={"crm.competitor.change"})})
    assert "Rival Pumps" in html and "¥10" in html and f"/crm/opportunity-competitors/{entry.pk}/edit/" in html
    no_inline_script(html)
    edit = f"/crm/opportunity-competitors/{entry.pk}/edit/"
    assert rep.post(edit, {"threat_level": "low", "notes": "Weak service"}).status_code == 302
    with in_schema(tenant_a):
        entry.refresh_from_db()
    assert (entry.threat_level, entry.notes, entry.currency) == ("low", "Weak service", "CNY")
    assert web_for(tenant_a, comp.org.r2).get(edit).status_code == 404
    assert rep.post(f"/crm/opportunity-competitors/{entry.pk}/delete/").status_code == 302
    with in_schema(tenant_a):
        assert not OpportunityCompetitor.objects.exists()
