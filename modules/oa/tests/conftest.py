"""OA test set-up in tenant A (OA switched on):

    Sales (Mia Manager)          Support (Pat Peer)
      └ Sales East (Ray One, Rita Two — both report to Mia)

Roles: "OA rep" (scope own) for Ray, Rita and Pat; "OA manager" (scope
subordinates) for Mia. Both hold every OA permission except publishing
announcements, which "OA publisher" adds. The default leave and expense
flows come from the oa data migration."""

from types import SimpleNamespace

import pytest
from django_tenants.utils import schema_context

from core.org.models import DataScope
from tenants.models import TenantModule
from tests.factories import DepartmentFactory, RoleFactory

EVERYTHING = [f"oa.{obj}.{action}" for obj in ("event", "worklog", "meeting", "document", "leave_request",
                                                "expense_claim")
              for action in ("view", "add", "change", "delete")] + ["oa.message.view", "oa.message.add",
                                                                      "oa.announcement.view"]
PUBLISH = ["oa.announcement.add", "oa.announcement.change", "oa.announcement.delete"]


def in_schema(tenant):
    return schema_context(tenant.schema_name)


def set_module(tenant, key: str, enabled: bool) -> None:
    row, _created = TenantModule.objects.get_or_create(tenant=tenant, key=key)
    row.enabled = enabled
    row.save()


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a fresh folder (never the project's media/)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def oa_on(tenant_a):
    set_module(tenant_a, "oa", True)


@pytest.fixture
def org(tenant_a, admin_a, make_user, oa_on):
    with in_schema(tenant_a):
        sales = DepartmentFactory(name="Sales")
        east = DepartmentFactory(name="Sales East", parent=sales)
        support = DepartmentFactory(name="Support")
        rep = RoleFactory(name="OA rep", permissions=EVERYTHING, data_scope=DataScope.OWN)
        manager = RoleFactory(name="OA manager", permissions=EVERYTHING, data_scope=DataScope.SUBORDINATES)
        publisher = RoleFactory(name="OA publisher", permissions=EVERYTHING + PUBLISH, data_scope=DataScope.OWN)
        nobody = RoleFactory(name="No OA", permissions=["crm.customer.view"], data_scope=DataScope.OWN)
    m = make_user(tenant_a, roles=[manager], department=sales, full_name="Mia Manager")
    r1 = make_user(tenant_a, roles=[rep], department=east, manager=m, full_name="Ray One")
    r2 = make_user(tenant_a, roles=[rep], department=east, manager=m, full_name="Rita Two")
    p = make_user(tenant_a, roles=[rep], department=support, full_name="Pat Peer")
    hr = make_user(tenant_a, roles=[publisher], department=support, full_name="Hana HR")
    outsider = make_user(tenant_a, roles=[nobody], department=support, full_name="Otto Outsider")
    return SimpleNamespace(sales=sales, east=east, support=support, rep_role=rep, manager_role=manager,
                           m=m, r1=r1, r2=r2, p=p, hr=hr, outsider=outsider, admin=admin_a)
