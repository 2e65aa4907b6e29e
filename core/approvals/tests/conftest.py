"""Approval test set-up in tenant A.

A test document type, "test.product_price", registered over core.catalog's
Product (a real model with a UUID key: a test-only model would need a
migration). Its hooks write audit entries "approval:<event>", so tests see
the document's side of every transition.

People (department Sales):

    Dora Director (role "Sales director")
      └ Mark Manager
          └ Rita Rep        (submitter)
    Ada / Ben (role "Finance", both)
    Olga Outsider (no approvals at all)

The flow: 1. manager (level 1, single) → 2. finance (any-of) → 3. sales
director (single, only from 100,000.00 CNY)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django_tenants.utils import schema_context

from core.access import restrict
from core.approvals import services
from core.approvals.models import AssigneeType, StepKind
from core.approvals.registry import DocumentType, document_types
from core.audit.models import AuditEntry
from core.audit.services import audit_record
from core.catalog.models import Product
from core.org.models import DataScope, Role
from tests.factories import DepartmentFactory, ProductFactory, RoleFactory

DOC = "test.product_price"


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def _hook(event):
    def hook(document, request, by):
        audit_record(actor=by, action="other", obj=document, message=f"approval:{event}")
    return hook


def product_queryset(user):
    return restrict(Product.objects.all(), user, "core.product.change")


TEST_DOCUMENT_TYPE = DocumentType(
    key=DOC, model="catalog.Product", title="Product price", queryset=product_queryset,
    amount=lambda product: (product.list_price, product.currency),
    on_submitted=_hook("submitted"), on_approved=_hook("approved"), on_rejected=_hook("rejected"),
    on_returned=_hook("returned"), on_withdrawn=_hook("withdrawn"),
)


@pytest.fixture
def doc_type():
    document_types.register(TEST_DOCUMENT_TYPE)
    yield TEST_DOCUMENT_TYPE
    document_types.unregister(DOC)


def hook_events(tenant, product) -> list[str]:
    with in_schema(tenant):
        return list(AuditEntry.objects.filter(object_id=str(product.pk), message__startswith="approval:")
                    .order_by("at").values_list("message", flat=True))


def steps_of(flow_steps):
    """Flow steps as dicts for the services (roles/users as instances)."""
    return [dict(step) for step in flow_steps]


@pytest.fixture
def people(tenant_a, admin_a, make_user, doc_type):
    with in_schema(tenant_a):
        sales = DepartmentFactory(name="Sales")
        director_role = RoleFactory(name="Sales director", permissions=["core.product.view"],
                                    data_scope=DataScope.ALL)
        # The OA module's default flows seed a "Finance" role in every workspace: reuse it.
        finance_role, _created = Role.objects.update_or_create(
            name="Finance", defaults={"permissions": ["core.product.view"], "data_scope": DataScope.ALL})
        rep_role = RoleFactory(name="Rep", permissions=["core.product.view", "core.product.change"],
                               data_scope=DataScope.OWN)
    director = make_user(tenant_a, roles=[director_role], department=sales, full_name="Dora Director",
                         email="dora@alpha.test")
    manager = make_user(tenant_a, roles=[rep_role], department=sales, manager=director, full_name="Mark Manager",
                        email="mark@alpha.test")
    rep = make_user(tenant_a, roles=[rep_role], department=sales, manager=manager, full_name="Rita Rep",
                    email="rita@alpha.test")
    ada = make_user(tenant_a, roles=[finance_role], full_name="Ada Accountant", email="ada@alpha.test")
    ben = make_user(tenant_a, roles=[finance_role], full_name="Ben Bookkeeper", email="ben@alpha.test")
    outsider = make_user(tenant_a, full_name="Olga Outsider", email="olga@alpha.test")
    with in_schema(tenant_a):
        cheap = ProductFactory(name="Cheap", list_price=Decimal("5000.00"), currency="CNY")
        dear = ProductFactory(name="Dear", list_price=Decimal("150000.00"), currency="CNY")
    return SimpleNamespace(
        admin=admin_a, director=director, manager=manager, rep=rep, ada=ada, ben=ben, outsider=outsider,
        director_role=director_role, finance_role=finance_role, rep_role=rep_role, sales=sales,
        cheap=cheap, dear=dear,
    )


def standard_steps(p):
    return [
        {"name": "Manager", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.MANAGER, "manager_level": 1},
        {"name": "Finance", "kind": StepKind.ANY_OF, "assignee_type": AssigneeType.ROLE, "role": p.finance_role},
        {"name": "Sales director", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.ROLE,
         "role": p.director_role, "min_amount": Decimal("100000"), "currency": "CNY"},
    ]


@pytest.fixture
def flow(tenant_a, people):
    with in_schema(tenant_a):
        return services.flow_create(by=people.admin, document_type=DOC, name="Price approval",
                                    steps=standard_steps(people))
