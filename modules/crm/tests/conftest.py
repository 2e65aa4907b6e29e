"""The canonical data-scope setup in tenant A:

    Sales (M, Head)          Support (P)
      └ Sales East (R1, R2)

R1 and R2 report to manager M; peer P sits elsewhere. Roles grant every CRM
customer permission with scope own (reps), subordinates (M) and
department_tree (Head). Customers: one each for M, R1, R2 and P, plus one in
Sales East owned by P (seen by the department tree, not by M's chain)."""

from types import SimpleNamespace

import pytest
from django_tenants.utils import schema_context

from core.audit.models import AuditEntry
from core.org.models import DataScope
from modules.crm.models import Customer
from tenants.models import TenantModule
from tests.factories import CustomerFactory, DepartmentFactory, RoleFactory

CUSTOMER_PERMISSIONS = [f"crm.customer.{action}" for action in ("view", "add", "change", "delete", "export")]


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def customers_of(tenant):
    """Everything a refused action must leave alone."""
    with in_schema(tenant):
        return (
            sorted(Customer.objects.values_list("id", "name", "kind", "credit_limit", "owner_id", "department_id")),
            AuditEntry.objects.filter(object_type="crm.customer").count(),
        )


def set_module(tenant, key: str, enabled: bool) -> None:
    row, _created = TenantModule.objects.get_or_create(tenant=tenant, key=key)
    row.enabled = enabled
    row.save()  # signals drop the cached tenant


@pytest.fixture
def crm_on(tenant_a):
    set_module(tenant_a, "crm", True)


@pytest.fixture
def org(tenant_a, admin_a, make_user, crm_on):
    with in_schema(tenant_a):
        sales = DepartmentFactory(name="Sales")
        east = DepartmentFactory(name="Sales East", parent=sales)
        support = DepartmentFactory(name="Support")
        rep_role = RoleFactory(name="Rep", permissions=CUSTOMER_PERMISSIONS, data_scope=DataScope.OWN)
        manager_role = RoleFactory(name="Manager", permissions=CUSTOMER_PERMISSIONS,
                                   data_scope=DataScope.SUBORDINATES)
        head_role = RoleFactory(name="Head", permissions=CUSTOMER_PERMISSIONS,
                                data_scope=DataScope.DEPARTMENT_TREE)
    m = make_user(tenant_a, roles=[manager_role], department=sales, full_name="Mia Manager")
    r1 = make_user(tenant_a, roles=[rep_role], department=east, manager=m, full_name="Ray One")
    r2 = make_user(tenant_a, roles=[rep_role], department=east, manager=m, full_name="Rita Two")
    p = make_user(tenant_a, roles=[rep_role], department=support, full_name="Pat Peer")
    head = make_user(tenant_a, roles=[head_role], department=sales, full_name="Hal Head")
    with in_schema(tenant_a):
        c_m = CustomerFactory(name="M Corp", owner=m)
        c_r1 = CustomerFactory(name="R1 Corp", owner=r1)
        c_r2 = CustomerFactory(name="R2 Corp", owner=r2)
        c_p = CustomerFactory(name="P Corp", owner=p)
        c_east_p = CustomerFactory(name="East by P", owner=p, department=east)
    return SimpleNamespace(
        sales=sales, east=east, support=support, rep_role=rep_role, manager_role=manager_role,
        head_role=head_role, m=m, r1=r1, r2=r2, p=p, head=head, admin=admin_a,
        c_m=c_m, c_r1=c_r1, c_r2=c_r2, c_p=c_p, c_east_p=c_east_p,
    )
