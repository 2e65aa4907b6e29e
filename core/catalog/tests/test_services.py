"""Category and product rules: each test fails if its rule is removed, and
refused actions leave the data and the audit log untouched."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from core.audit.models import AuditEntry
from core.catalog import selectors, services
from core.catalog.models import Category, Product
from core.errors import DomainError
from core.org.models import DataScope
from tests.factories import CategoryFactory, ProductFactory, RoleFactory, UserFactory


@pytest.fixture
def in_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        yield


@pytest.fixture
def admin(in_a, admin_a):
    return admin_a


def snapshot():
    return (
        sorted(Category.objects.values_list("id", "name", "parent_id")),
        sorted(Product.objects.values_list("id", "sku", "name", "category_id", "list_price", "cost", "is_active")),
        AuditEntry.objects.count(),
    )


def refused(call, **expected):
    """Run ``call``; it must raise DomainError matching ``expected`` and change nothing."""
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        call()
    for attr, value in expected.items():
        assert getattr(caught.value, attr) == value
    assert snapshot() == before
    return caught.value


# ----------------------------------------------------------------- categories


def test_category_create_records_audit(admin):
    root = services.category_create(by=admin, name="  Hardware ")
    child = services.category_create(by=admin, name="Screws", parent=root)
    assert (root.name, root.parent_id) == ("Hardware", None)
    assert child.parent_id == root.pk
    entry = AuditEntry.objects.get(object_id=str(child.pk))
    assert (entry.action, entry.object_type, entry.actor_id) == ("create", "catalog.category", admin.pk)
    assert entry.changes == {"name": "Screws", "parent": str(root.pk)}


def test_category_name_is_unique_among_siblings_case_insensitively(admin):
    root = CategoryFactory(name="Hardware")
    CategoryFactory(name="Screws", parent=root)
    error = refused(lambda: services.category_create(by=admin, name="screws", parent=root), code="validation_error")
    assert list(error.fields) == ["name"]
    # top level too (a NULL parent is not covered by the database constraint)
    refused(lambda: services.category_create(by=admin, name="HARDWARE"), code="validation_error")
    # the same name under another parent is fine
    other = CategoryFactory(name="Tools")
    assert services.category_create(by=admin, name="Screws", parent=other).parent_id == other.pk


def test_category_name_is_required(admin):
    error = refused(lambda: services.category_create(by=admin, name="   "), code="validation_error")
    assert error.fields == {"name": ["This field is required."]}


def test_category_cannot_move_under_itself_or_a_descendant(admin):
    root = CategoryFactory(name="Root")
    child = CategoryFactory(name="Child", parent=root)
    grandchild = CategoryFactory(name="Grandchild", parent=child)
    for new_parent in (root, child, grandchild):
        error = refused(lambda p=new_parent: services.category_update(category=root, by=admin, parent=p),
                        code="validation_error")
        assert list(error.fields) == ["parent"]
    # a legal move is recorded with old and new parent
    other = CategoryFactory(name="Other")
    services.category_update(category=child, by=admin, parent=other)
    child.refresh_from_db()
    assert child.parent_id == other.pk
    entry = AuditEntry.objects.get(object_id=str(child.pk))
    assert entry.action == "update"
    assert entry.changes == {"parent": [str(root.pk), str(other.pk)]}


def test_category_update_without_changes_records_nothing(admin):
    category = CategoryFactory(name="Same")
    services.category_update(category=category, by=admin, name="Same")
    assert AuditEntry.objects.filter(object_id=str(category.pk)).count() == 0


def test_category_with_children_or_products_cannot_be_deleted(admin):
    parent = CategoryFactory(name="Parent")
    CategoryFactory(name="Kid", parent=parent)
    stocked = CategoryFactory(name="Stocked")
    ProductFactory(category=stocked)
    error = refused(lambda: services.category_delete(category=parent, by=admin), code="conflict")
    assert error.status == 409
    refused(lambda: services.category_delete(category=stocked, by=admin), code="conflict")


def test_category_delete_removes_leaf_and_records_audit(admin):
    leaf = CategoryFactory(name="Leaf")
    pk = leaf.pk
    services.category_delete(category=leaf, by=admin)
    assert not Category.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(object_id=str(pk))
    assert (entry.action, entry.object_repr) == ("delete", "Leaf")


# ------------------------------------------------------------------- products


def test_product_create_normalises_and_records_audit(admin):
    category = CategoryFactory()
    product = services.product_create(
        by=admin, sku=" AB-1 ", name="Widget", category=category, currency="usd",
        list_price=Decimal("12.50"), cost=Decimal("7"),
    )
    product.refresh_from_db()
    assert (product.sku, product.currency, product.list_price, product.cost, product.unit, product.is_active) == (
        "AB-1", "USD", Decimal("12.50"), Decimal("7.00"), "pcs", True
    )
    entry = AuditEntry.objects.get(object_id=str(product.pk))
    assert entry.action == "create"
    assert entry.changes["sku"] == "AB-1"
    assert entry.changes["list_price"] == "12.50"
    assert entry.changes["category"] == str(category.pk)


def test_product_sku_is_unique(admin):
    ProductFactory(sku="AB-1")
    error = refused(lambda: services.product_create(by=admin, sku="ab-1", name="Copy"), code="validation_error")
    assert list(error.fields) == ["sku"]
    other = ProductFactory(sku="CD-2")
    error = refused(lambda: services.product_update(product=other, by=admin, sku="AB-1"), code="validation_error")
    assert list(error.fields) == ["sku"]
    # keeping one's own SKU is not a clash
    services.product_update(product=other, by=admin, sku="CD-2", name="Renamed")
    other.refresh_from_db()
    assert other.name == "Renamed"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("list_price", Decimal("-0.01"), "The amount cannot be negative."),
        ("cost", Decimal("-5"), "The amount cannot be negative."),
        ("list_price", Decimal("1.005"), "Use at most two decimal places."),
        ("cost", "abc", "Enter an amount."),
        ("list_price", Decimal("NaN"), "Enter an amount."),
        ("list_price", Decimal("1000000000000"), "The amount is too large."),
        ("currency", "RMB1", "Use a three-letter ISO currency code, such as CNY."),
        ("name", "", "This field is required."),
    ],
)
def test_product_field_rules(admin, field, value, message):
    data = {"sku": "NEW-1", "name": "New", field: value}
    error = refused(lambda: services.product_create(by=admin, **data), code="validation_error")
    assert error.fields == {field: [message]}
    product = ProductFactory(sku="OLD-1")
    error = refused(lambda: services.product_update(product=product, by=admin, **{field: value}),
                    code="validation_error")
    assert error.fields == {field: [message]}


def test_zero_prices_are_allowed(admin):
    product = services.product_create(by=admin, sku="FREE", name="Free", list_price=Decimal("0"), cost=Decimal("0"))
    assert (product.list_price, product.cost) == (Decimal("0"), Decimal("0"))


def test_product_update_records_old_and_new_values(admin):
    product = ProductFactory(sku="P-1", list_price=Decimal("100.00"))
    services.product_update(product=product, by=admin, list_price=Decimal("120.00"), name=product.name)
    product.refresh_from_db()
    assert product.list_price == Decimal("120.00")
    entry = AuditEntry.objects.get(object_id=str(product.pk))
    assert (entry.action, entry.changes) == ("update", {"list_price": ["100.00", "120.00"]})
    # no change, no entry
    services.product_update(product=product, by=admin, list_price=Decimal("120"))
    assert AuditEntry.objects.filter(object_id=str(product.pk)).count() == 1


def test_product_deactivate(admin):
    product = ProductFactory()
    services.product_deactivate(product=product, by=admin)
    product.refresh_from_db()
    assert product.is_active is False
    entry = AuditEntry.objects.get(object_id=str(product.pk))
    assert (entry.action, entry.message, entry.changes) == ("update", "deactivated", {"is_active": [True, False]})
    refused(lambda: services.product_deactivate(product=product, by=admin), code="conflict")


# ------------------------------------------------------------------ selectors


def test_product_list_needs_the_view_permission(in_a):
    ProductFactory()
    without = UserFactory()
    viewer_role = RoleFactory(permissions=["core.product.view"], data_scope=DataScope.OWN)
    viewer = UserFactory()
    viewer.roles.set([viewer_role])
    assert selectors.product_list(user=without).count() == 0
    # products have no owner: any scope sees them all
    assert selectors.product_list(user=viewer).count() == Product.objects.count() == 1


def test_category_tree_is_nested_and_sorted(admin):
    b = CategoryFactory(name="B")
    a = CategoryFactory(name="A")
    a2 = CategoryFactory(name="A2", parent=a)
    a1 = CategoryFactory(name="A1", parent=a)
    a1x = CategoryFactory(name="A1x", parent=a1)
    flat = selectors.category_flat_tree(user=admin)
    assert [(c.pk, depth) for c, depth in flat] == [(a.pk, 0), (a1.pk, 1), (a1x.pk, 2), (a2.pk, 1), (b.pk, 0)]
    assert Category.objects.filter(pk__in=selectors.category_subtree_ids(a1)).count() == 2
