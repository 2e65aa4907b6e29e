"""/api/v1/categories/ and /api/v1/products/ (with /export/): happy path,
validation, permission denied, other tenant's ids, unauthenticated, filters
and query counts that do not grow with the page."""

import csv
import io
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from core.audit.models import AuditEntry
from core.catalog.models import Category, Product
from core.org.models import DataScope
from tests.factories import CategoryFactory, ProductFactory, RoleFactory

CATEGORIES = "/api/v1/categories/"
PRODUCTS = "/api/v1/products/"
EXPORT = "/api/v1/products/export/"


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def catalog_of(tenant):
    with in_schema(tenant):
        return (
            sorted(Category.objects.values_list("id", "name", "parent_id")),
            sorted(Product.objects.values_list("id", "sku", "name", "category_id", "list_price", "cost", "is_active")),
            AuditEntry.objects.count(),
        )


def csv_rows(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="products-')
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def admin_api(api_for, tenant_a, admin_a):
    return api_for(tenant_a, admin_a)


@pytest.fixture
def api_with(api_for, make_user, tenant_a):
    """api_with(*codes) -> a client for a tenant-A user whose one role grants those codes."""

    def _make(*codes):
        with in_schema(tenant_a):
            role = RoleFactory(permissions=list(codes), data_scope=DataScope.OWN)
        return api_for(tenant_a, make_user(tenant_a, roles=[role]))

    return _make


# ----------------------------------------------------------------- categories


def test_category_crud(admin_api, tenant_a, admin_a):
    created = admin_api.post(CATEGORIES, {"name": "Hardware"}, format="json")
    assert created.status_code == 201, created.content
    root = created.json()
    assert {k: root[k] for k in ("name", "parent", "parent_name", "product_count", "child_count")} == {
        "name": "Hardware", "parent": None, "parent_name": None, "product_count": 0, "child_count": 0,
    }
    child = admin_api.post(CATEGORIES, {"name": "Screws", "parent": root["id"]}, format="json").json()
    assert (child["parent"], child["parent_name"]) == (root["id"], "Hardware")

    listed = admin_api.get(CATEGORIES).json()
    assert listed["count"] == 2
    assert {row["name"]: row["child_count"] for row in listed["results"]} == {"Hardware": 1, "Screws": 0}

    renamed = admin_api.patch(f"{CATEGORIES}{child['id']}/", {"name": "Bolts"}, format="json")
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["name"] == "Bolts"

    assert admin_api.delete(f"{CATEGORIES}{child['id']}/").status_code == 204
    with in_schema(tenant_a):
        assert list(Category.objects.values_list("name", flat=True)) == ["Hardware"]
        actions = list(AuditEntry.objects.filter(object_type="catalog.category").order_by("at")
                       .values_list("action", "actor_id"))
    assert actions == [("create", admin_a.pk), ("create", admin_a.pk), ("update", admin_a.pk),
                       ("delete", admin_a.pk)]


def test_category_validation_errors(admin_api, tenant_a):
    with in_schema(tenant_a):
        root = CategoryFactory(name="Root")
        child = CategoryFactory(name="Child", parent=root)
    before = catalog_of(tenant_a)
    error = error_of(admin_api.post(CATEGORIES, {"name": ""}, format="json"), 400)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == ["name"]
    error = error_of(admin_api.post(CATEGORIES, {"name": "child", "parent": str(root.pk)}, format="json"), 400)
    assert list(error["fields"]) == ["name"]
    error = error_of(admin_api.patch(f"{CATEGORIES}{root.pk}/", {"parent": str(child.pk)}, format="json"), 400)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == ["parent"]
    error = error_of(admin_api.post(CATEGORIES, {"name": "X", "parent": str(uuid.uuid4())}, format="json"), 400)
    assert list(error["fields"]) == ["parent"]
    assert catalog_of(tenant_a) == before


def test_category_in_use_cannot_be_deleted(admin_api, tenant_a):
    with in_schema(tenant_a):
        parent = CategoryFactory(name="Parent")
        CategoryFactory(name="Kid", parent=parent)
        stocked = CategoryFactory(name="Stocked")
        ProductFactory(category=stocked)
    before = catalog_of(tenant_a)
    assert error_of(admin_api.delete(f"{CATEGORIES}{parent.pk}/"), 409)["code"] == "conflict"
    assert error_of(admin_api.delete(f"{CATEGORIES}{stocked.pk}/"), 409)["code"] == "conflict"
    assert catalog_of(tenant_a) == before


def test_category_permission_denied(api_with, tenant_a):
    with in_schema(tenant_a):
        category = CategoryFactory(name="Keep")
    before = catalog_of(tenant_a)
    nobody = api_with("core.product.view")
    assert error_of(nobody.get(CATEGORIES), 403)["code"] == "permission_denied"
    viewer = api_with("core.category.view")
    assert viewer.get(CATEGORIES).status_code == 200
    assert error_of(viewer.post(CATEGORIES, {"name": "New"}, format="json"), 403)["code"] == "permission_denied"
    assert error_of(viewer.patch(f"{CATEGORIES}{category.pk}/", {"name": "Changed"}, format="json"), 403)
    assert error_of(viewer.delete(f"{CATEGORIES}{category.pk}/"), 403)
    assert catalog_of(tenant_a) == before


def test_other_tenants_category_is_not_found(admin_api, tenant_a, tenant_b):
    with in_schema(tenant_b):
        foreign = CategoryFactory(name="Beta only")
    before_b = catalog_of(tenant_b)
    assert error_of(admin_api.get(f"{CATEGORIES}{foreign.pk}/"), 404)["code"] == "not_found"
    assert error_of(admin_api.patch(f"{CATEGORIES}{foreign.pk}/", {"name": "Hijack"}, format="json"), 404)
    assert error_of(admin_api.delete(f"{CATEGORIES}{foreign.pk}/"), 404)
    assert catalog_of(tenant_b) == before_b


def test_categories_need_authentication(api_for, tenant_a):
    before = catalog_of(tenant_a)
    anonymous = api_for(tenant_a)
    assert error_of(anonymous.get(CATEGORIES), 401)["code"] == "not_authenticated"
    assert error_of(anonymous.post(CATEGORIES, {"name": "Anon"}, format="json"), 401)["code"] == "not_authenticated"
    assert catalog_of(tenant_a) == before


# ------------------------------------------------------------------- products


def test_product_create_retrieve_update_deactivate(admin_api, tenant_a, admin_a):
    with in_schema(tenant_a):
        category = CategoryFactory(name="Tools")
    created = admin_api.post(PRODUCTS, {
        "sku": "HAM-1", "name": "Hammer", "category": str(category.pk), "list_price": "25.50", "cost": "10",
        "currency": "cny",
    }, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert {k: body[k] for k in ("sku", "name", "category", "category_name", "unit", "currency", "list_price",
                                 "cost", "is_active")} == {
        "sku": "HAM-1", "name": "Hammer", "category": str(category.pk), "category_name": "Tools", "unit": "pcs",
        "currency": "CNY", "list_price": "25.50", "cost": "10.00", "is_active": True,
    }
    url = f"{PRODUCTS}{body['id']}/"
    assert admin_api.get(url).json()["sku"] == "HAM-1"

    updated = admin_api.patch(url, {"list_price": "27.00"}, format="json")
    assert updated.status_code == 200, updated.content
    assert updated.json()["list_price"] == "27.00"

    assert admin_api.delete(url).status_code == 204
    assert admin_api.get(url).json()["is_active"] is False
    with in_schema(tenant_a):
        product = Product.objects.get(pk=body["id"])
        entries = list(AuditEntry.objects.filter(object_id=body["id"]).order_by("at")
                       .values_list("action", "changes", "actor_id"))
    assert (product.list_price, product.is_active) == (Decimal("27.00"), False)
    assert entries[1:] == [
        ("update", {"list_price": ["25.50", "27.00"]}, admin_a.pk),
        ("update", {"is_active": [True, False]}, admin_a.pk),
    ]
    assert entries[0][0] == "create"


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"sku": "DUP-1", "name": "Copy"}, "sku"),
        ({"sku": "dup-1", "name": "Copy"}, "sku"),
        ({"sku": "NEW", "name": "Neg", "list_price": "-1.00"}, "list_price"),
        ({"sku": "NEW", "name": "Neg", "cost": "-0.01"}, "cost"),
        ({"sku": "NEW", "name": "Bad", "list_price": "abc"}, "list_price"),
        ({"sku": "NEW", "name": "Bad", "currency": "yuan"}, "currency"),
        ({"name": "No SKU"}, "sku"),
        ({"sku": "NEW", "name": "Bad", "category": str(uuid.UUID(int=7))}, "category"),
    ],
)
def test_product_validation_errors(admin_api, tenant_a, payload, field):
    with in_schema(tenant_a):
        ProductFactory(sku="DUP-1")
    before = catalog_of(tenant_a)
    error = error_of(admin_api.post(PRODUCTS, payload, format="json"), 400)
    assert error["code"] == "validation_error"
    assert error["message"]
    assert list(error["fields"]) == [field]
    assert catalog_of(tenant_a) == before


def test_product_update_validation_error(admin_api, tenant_a):
    with in_schema(tenant_a):
        ProductFactory(sku="TAKEN")
        product = ProductFactory(sku="MINE")
    before = catalog_of(tenant_a)
    error = error_of(admin_api.patch(f"{PRODUCTS}{product.pk}/", {"sku": "TAKEN"}, format="json"), 400)
    assert error["fields"] == {"sku": ["Another product already uses this SKU."]}
    error = error_of(admin_api.patch(f"{PRODUCTS}{product.pk}/", {"list_price": "-3"}, format="json"), 400)
    assert error["fields"] == {"list_price": ["The amount cannot be negative."]}
    assert catalog_of(tenant_a) == before


def test_product_permission_denied(api_with, tenant_a):
    with in_schema(tenant_a):
        product = ProductFactory(sku="KEEP")
    before = catalog_of(tenant_a)
    nobody = api_with("core.category.view")
    assert error_of(nobody.get(PRODUCTS), 403)["code"] == "permission_denied"
    assert error_of(nobody.get(f"{PRODUCTS}{product.pk}/"), 403)["code"] == "permission_denied"
    viewer = api_with("core.product.view")
    assert viewer.get(PRODUCTS).json()["count"] == 1
    assert error_of(viewer.post(PRODUCTS, {"sku": "N", "name": "N"}, format="json"), 403)["code"] == "permission_denied"
    assert error_of(viewer.patch(f"{PRODUCTS}{product.pk}/", {"name": "X"}, format="json"), 403)
    assert error_of(viewer.delete(f"{PRODUCTS}{product.pk}/"), 403)
    assert error_of(viewer.get(EXPORT), 403)["code"] == "permission_denied"
    assert catalog_of(tenant_a) == before


def test_other_tenants_product_is_not_found(admin_api, tenant_a, tenant_b):
    with in_schema(tenant_b):
        foreign = ProductFactory(sku="BETA-1")
    before_b = catalog_of(tenant_b)
    assert error_of(admin_api.get(f"{PRODUCTS}{foreign.pk}/"), 404)["code"] == "not_found"
    assert error_of(admin_api.patch(f"{PRODUCTS}{foreign.pk}/", {"name": "Hijack"}, format="json"), 404)
    assert error_of(admin_api.delete(f"{PRODUCTS}{foreign.pk}/"), 404)
    assert admin_api.get(PRODUCTS, {"q": "BETA"}).json()["count"] == 0
    assert catalog_of(tenant_b) == before_b


def test_products_need_authentication(api_for, tenant_a):
    with in_schema(tenant_a):
        product = ProductFactory()
    before = catalog_of(tenant_a)
    anonymous = api_for(tenant_a)
    assert error_of(anonymous.get(PRODUCTS), 401)["code"] == "not_authenticated"
    assert error_of(anonymous.get(EXPORT), 401)["code"] == "not_authenticated"
    assert error_of(anonymous.delete(f"{PRODUCTS}{product.pk}/"), 401)["code"] == "not_authenticated"
    assert catalog_of(tenant_a) == before


def test_product_filters(admin_api, tenant_a):
    with in_schema(tenant_a):
        tools = CategoryFactory(name="Tools")
        hand = CategoryFactory(name="Hand tools", parent=tools)
        other = CategoryFactory(name="Other")
        ProductFactory(sku="T-1", name="Saw", category=tools)
        ProductFactory(sku="H-1", name="Hammer", category=hand)
        ProductFactory(sku="H-2", name="Old hammer", category=hand, is_active=False)
        ProductFactory(sku="O-1", name="Glue", category=other)

    def skus(**params):
        response = admin_api.get(PRODUCTS, params)
        assert response.status_code == 200, response.content
        return [row["sku"] for row in response.json()["results"]]

    assert skus(category=str(tools.pk)) == ["H-1", "H-2", "T-1"]
    assert skus(category=str(hand.pk)) == ["H-1", "H-2"]
    assert skus(q="hammer") == ["H-1", "H-2"]
    assert skus(q="o-1") == ["O-1"]
    assert skus(is_active="false") == ["H-2"]
    assert skus(category=str(tools.pk), is_active="true") == ["H-1", "T-1"]
    error = error_of(admin_api.get(PRODUCTS, {"category": "not-a-uuid"}), 400)
    assert list(error["fields"]) == ["category"]


def test_product_export_is_filtered_csv(api_with, tenant_a):
    with in_schema(tenant_a):
        tools = CategoryFactory(name="Tools")
        saw = ProductFactory(sku="T-1", name="Saw", category=tools, list_price=Decimal("9.90"), cost=Decimal("4.00"))
        ProductFactory(sku="X-1", name="=HYPERLINK(\"evil\")")
    exporter = api_with("core.product.view", "core.product.export")
    rows = csv_rows(exporter.get(EXPORT, {"category": str(tools.pk)}))
    assert rows == [
        ["id", "sku", "name", "category", "unit", "currency", "list_price", "cost", "is_active"],
        [str(saw.pk), "T-1", "Saw", "Tools", "pcs", "CNY", "9.90", "4.00", "true"],
    ]
    everything = csv_rows(exporter.get(EXPORT, HTTP_ACCEPT="text/csv"))
    assert [row[1] for row in everything[1:]] == ["T-1", "X-1"]
    assert everything[2][2] == "'=HYPERLINK(\"evil\")"  # never a live formula in a spreadsheet
    error = error_of(exporter.get(EXPORT, {"category": "not-a-uuid"}), 400)
    assert list(error["fields"]) == ["category"]


def _list_queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured), response.json()["count"]


def test_product_list_query_count_does_not_grow(api_with, tenant_a, django_assert_max_num_queries):
    client = api_with("core.product.view")
    with in_schema(tenant_a):
        parent = CategoryFactory(name="Parent")
        child = CategoryFactory(name="Child", parent=parent)
        ProductFactory(category=child)
    client.get(PRODUCTS)  # warm: tenant lookup cached, token last-used stamped
    with django_assert_max_num_queries(6) as one:
        assert client.get(PRODUCTS).json()["count"] == 1
    with in_schema(tenant_a):
        for n in range(29):
            ProductFactory(category=CategoryFactory(name=f"C{n}", parent=parent if n % 2 else None))
    with django_assert_max_num_queries(6) as thirty:
        body = client.get(PRODUCTS, {"page_size": 50}).json()
    assert body["count"] == len(body["results"]) == 30
    assert len(thirty.captured_queries) == len(one.captured_queries), [q["sql"] for q in thirty.captured_queries]


def test_category_list_query_count_does_not_grow(admin_api, tenant_a, django_assert_max_num_queries):
    with in_schema(tenant_a):
        root = CategoryFactory(name="Root")
    admin_api.get(CATEGORIES)
    with django_assert_max_num_queries(5) as one:
        assert admin_api.get(CATEGORIES).json()["count"] == 1
    with in_schema(tenant_a):
        for n in range(29):
            ProductFactory(category=CategoryFactory(name=f"C{n}", parent=root))
    with django_assert_max_num_queries(5) as thirty:
        assert admin_api.get(CATEGORIES, {"page_size": 50}).json()["count"] == 30
    assert len(thirty.captured_queries) == len(one.captured_queries)
