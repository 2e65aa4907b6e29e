"""Product and category pages: lists with filters and pagination, forms that
call the services, permissions, and refused actions that change nothing."""

import csv
import io
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from core.audit.models import AuditEntry
from core.catalog.models import Category, Product
from core.org.models import DataScope
from tests.factories import CategoryFactory, ProductFactory, RoleFactory


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def catalog_of(tenant):
    with in_schema(tenant):
        return (
            sorted(Category.objects.values_list("id", "name", "parent_id")),
            sorted(Product.objects.values_list("id", "sku", "name", "category_id", "list_price", "is_active")),
            AuditEntry.objects.count(),
        )


@pytest.fixture
def admin_web(web_for, tenant_a, admin_a):
    return web_for(tenant_a, admin_a)


@pytest.fixture
def web_with(web_for, make_user, tenant_a):
    def _make(*codes):
        with in_schema(tenant_a):
            role = RoleFactory(permissions=list(codes), data_scope=DataScope.OWN)
        return web_for(tenant_a, make_user(tenant_a, roles=[role]))

    return _make


def product_rows(response) -> list[str]:
    """SKUs in the product table, in order."""
    html = response.content.decode()
    return [part.split("</td>")[0] for part in html.split('<td class="text-nowrap">')[1:]]


def test_product_list_filters_and_paginates(admin_web, tenant_a):
    with in_schema(tenant_a):
        tools = CategoryFactory(name="Tools")
        hand = CategoryFactory(name="Hand tools", parent=tools)
        for n in range(30):
            ProductFactory(sku=f"P-{n:02d}", name=f"Bolt {n}", category=hand if n < 3 else None)
    first = admin_web.get("/catalog/products/")
    assert first.status_code == 200
    assert product_rows(first) == [f"P-{n:02d}" for n in range(25)]
    assert "30 records" in first.content.decode()
    second = admin_web.get("/catalog/products/", {"page": 2})
    assert product_rows(second) == [f"P-{n:02d}" for n in range(25, 30)]
    filtered = admin_web.get("/catalog/products/", {"category": str(tools.pk)})
    assert product_rows(filtered) == ["P-00", "P-01", "P-02"]
    assert product_rows(admin_web.get("/catalog/products/", {"q": "bolt 29"})) == ["P-29"]
    html = first.content.decode()
    assert 'href="/catalog/products/new/"' in html
    assert f'<option value="{hand.pk}">— Hand tools</option>' in html  # filter select in tree order
    assert "<script>" not in html and "onclick" not in html


def test_product_pages_need_permission(web_with, web_for, tenant_a):
    with in_schema(tenant_a):
        product = ProductFactory()
    before = catalog_of(tenant_a)
    anonymous = web_for(tenant_a)
    response = anonymous.get("/catalog/products/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    nobody = web_with("core.category.view")
    assert nobody.get("/catalog/products/").status_code == 403
    viewer = web_with("core.product.view")
    page = viewer.get("/catalog/products/")
    assert page.status_code == 200
    assert "/catalog/products/new/" not in page.content.decode()
    assert viewer.get("/catalog/products/new/").status_code == 403
    assert viewer.post("/catalog/products/new/", {"sku": "N", "name": "N"}).status_code == 403
    assert viewer.post(f"/catalog/products/{product.pk}/edit/", {"sku": "X", "name": "X"}).status_code == 403
    assert viewer.post(f"/catalog/products/{product.pk}/deactivate/").status_code == 403
    assert viewer.get("/catalog/products/export/").status_code == 403
    assert catalog_of(tenant_a) == before


def test_product_create_page(admin_web, tenant_a, admin_a):
    with in_schema(tenant_a):
        category = CategoryFactory(name="Tools")
    form = admin_web.get("/catalog/products/new/")
    assert form.status_code == 200
    assert "Tools" in form.content.decode()
    response = admin_web.post("/catalog/products/new/", {
        "sku": "SAW-1", "name": "Saw", "category": str(category.pk), "unit": "pcs", "currency": "CNY",
        "list_price": "19.90", "cost": "8.00", "is_active": "on",
    })
    assert response.status_code == 302 and response["Location"] == "/catalog/products/"
    with in_schema(tenant_a):
        product = Product.objects.get(sku="SAW-1")
        assert (product.category_id, product.list_price, product.is_active) == (category.pk, Decimal("19.90"), True)
        assert AuditEntry.objects.filter(object_id=str(product.pk), action="create", actor=admin_a).exists()


def test_product_create_page_shows_service_errors(admin_web, tenant_a):
    with in_schema(tenant_a):
        ProductFactory(sku="DUP")
    before = catalog_of(tenant_a)
    response = admin_web.post("/catalog/products/new/", {
        "sku": "dup", "name": "Copy", "unit": "pcs", "currency": "CNY", "list_price": "-1", "cost": "0",
    })
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["sku"] == ["Another product already uses this SKU."]
    assert errors["list_price"] == ["The amount cannot be negative."]
    assert catalog_of(tenant_a) == before


def test_product_edit_and_deactivate_pages(admin_web, tenant_a):
    with in_schema(tenant_a):
        product = ProductFactory(sku="E-1", name="Old", list_price=Decimal("5.00"))
    page = admin_web.get(f"/catalog/products/{product.pk}/edit/")
    assert page.status_code == 200
    assert page.context["form"].initial["name"] == "Old"
    response = admin_web.post(f"/catalog/products/{product.pk}/edit/", {
        "sku": "E-1", "name": "New", "unit": "box", "currency": "CNY", "list_price": "6", "cost": "1",
        "is_active": "on",
    })
    assert response.status_code == 302
    deactivated = admin_web.post(f"/catalog/products/{product.pk}/deactivate/")
    assert deactivated.status_code == 302
    with in_schema(tenant_a):
        product.refresh_from_db()
    assert (product.name, product.unit, product.list_price, product.is_active) == ("New", "box", Decimal("6.00"), False)


def test_product_export_page(web_with, tenant_a):
    with in_schema(tenant_a):
        ProductFactory(sku="A-1", name="Alpha")
        ProductFactory(sku="B-1", name="Beta")
    exporter = web_with("core.product.view", "core.product.export")
    response = exporter.get("/catalog/products/export/", {"q": "beta"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows] == ["sku", "B-1"]


def test_category_tree_page(admin_web, tenant_a):
    with in_schema(tenant_a):
        tools = CategoryFactory(name="Tools")
        hand = CategoryFactory(name="Hand tools", parent=tools)
        CategoryFactory(name="Apparel")
        ProductFactory(category=hand)
    response = admin_web.get("/catalog/categories/")
    assert response.status_code == 200
    assert [(c.name, depth) for c, depth, _indent in response.context["rows"]] == [
        ("Apparel", 0), ("Tools", 0), ("Hand tools", 1),
    ]
    html = response.content.decode()
    assert f'data-category="{hand.pk}" data-depth="1"' in html


def test_category_create_edit_and_refused_moves(admin_web, tenant_a):
    response = admin_web.post("/catalog/categories/new/", {"name": "Tools", "parent": ""})
    assert response.status_code == 302
    with in_schema(tenant_a):
        tools = Category.objects.get(name="Tools")
        hand = CategoryFactory(name="Hand", parent=tools)
    # the edit form does not even offer the category's own subtree as parent
    form = admin_web.get(f"/catalog/categories/{tools.pk}/edit/").context["form"]
    offered = [value for value, _label in form.fields["parent"].choices]
    assert str(tools.pk) not in offered and str(hand.pk) not in offered
    before = catalog_of(tenant_a)
    refused = admin_web.post(f"/catalog/categories/{tools.pk}/edit/", {"name": "Tools", "parent": str(hand.pk)})
    assert refused.status_code == 400
    assert "parent" in refused.context["form"].errors
    assert catalog_of(tenant_a) == before
    renamed = admin_web.post(f"/catalog/categories/{hand.pk}/edit/", {"name": "Hand tools", "parent": str(tools.pk)})
    assert renamed.status_code == 302
    with in_schema(tenant_a):
        hand.refresh_from_db()
    assert hand.name == "Hand tools"


def test_category_delete_page(admin_web, tenant_a):
    with in_schema(tenant_a):
        used = CategoryFactory(name="Used")
        ProductFactory(category=used)
        empty = CategoryFactory(name="Empty")
    before = catalog_of(tenant_a)
    confirm = admin_web.get(f"/catalog/categories/{used.pk}/delete/")
    assert confirm.status_code == 200
    assert "This category has 1 product." in confirm.content.decode()
    refused = admin_web.post(f"/catalog/categories/{used.pk}/delete/", follow=True)
    assert "Move the products of “Used” to another category first." in refused.content.decode()
    assert catalog_of(tenant_a) == before
    assert admin_web.post(f"/catalog/categories/{empty.pk}/delete/").status_code == 302
    with in_schema(tenant_a):
        assert list(Category.objects.values_list("name", flat=True)) == ["Used"]


def test_category_pages_need_permission(web_with, tenant_a):
    with in_schema(tenant_a):
        category = CategoryFactory(name="Keep")
    before = catalog_of(tenant_a)
    viewer = web_with("core.category.view")
    assert viewer.get("/catalog/categories/").status_code == 200
    assert viewer.post("/catalog/categories/new/", {"name": "X"}).status_code == 403
    assert viewer.post(f"/catalog/categories/{category.pk}/edit/", {"name": "X"}).status_code == 403
    assert viewer.post(f"/catalog/categories/{category.pk}/delete/").status_code == 403
    assert web_with("core.product.view").get("/catalog/categories/").status_code == 403
    assert catalog_of(tenant_a) == before
